//! Kubernetes objects of a simulated cluster, in the JSON the API server serves (core/v1 and
//! meta/v1 shapes: `kind`, `apiVersion`, `metadata`, `spec`, `status`, lists with `items`).

use serde_json::{Value, json};
use sha1::{Digest, Sha1};
use time::OffsetDateTime;
use time::format_description::well_known::Rfc3339;

use super::KubeNodeHealth;
use crate::state::State;
use crate::state::model::VmState;

/// Kubernetes timestamps: RFC 3339, whole seconds, `Z`.
fn kts(t: OffsetDateTime) -> String {
    let t = t
        .to_offset(time::UtcOffset::UTC)
        .replace_nanosecond(0)
        .unwrap_or(t);
    t.format(&Rfc3339).unwrap_or_default()
}

fn digest(seed: &str) -> [u8; 20] {
    let mut h = Sha1::new();
    h.update(seed.as_bytes());
    h.finalize().into()
}

/// A stable UUID-shaped uid for an object named by `seed`.
fn uid(seed: &str) -> String {
    let d = digest(seed);
    let hex: String = d.iter().map(|b| format!("{b:02x}")).collect();
    format!(
        "{}-{}-5{}-a{}-{}",
        &hex[0..8],
        &hex[8..12],
        &hex[13..16],
        &hex[17..20],
        &hex[20..32]
    )
}

/// A stable suffix in Kubernetes' random-name alphabet.
fn suffix(seed: &str, len: usize) -> String {
    const ALPHABET: &[u8] = b"bcdfghjklmnpqrstvwxz2456789";
    digest(seed)
        .iter()
        .take(len)
        .map(|b| ALPHABET[*b as usize % ALPHABET.len()] as char)
        .collect()
}

fn hex64(seed: &str) -> String {
    let a = digest(seed);
    let b = digest(&format!("{seed}/2"));
    a.iter()
        .chain(b.iter())
        .take(32)
        .map(|x| format!("{x:02x}"))
        .collect()
}

/// The list's resourceVersion: changes whenever jobs complete.
fn resource_version(s: &State) -> String {
    (1000 + s.jobs.iter().filter(|j| j.status != 0).count() * 7).to_string()
}

fn git_version(s: &State, c: usize) -> String {
    format!("v{}", s.kube_versions[s.clusters[c].version].semantic())
}

/// `GET /version`.
pub(super) fn version(s: &State, c: usize) -> Value {
    let (major, minor, _) = s.kube_versions[s.clusters[c].version].semver;
    let git = git_version(s, c);
    json!({
        "major": major.to_string(),
        "minor": minor.to_string(),
        "gitVersion": git,
        "gitCommit": hex64(&git)[..40],
        "gitTreeState": "clean",
        "buildDate": "2024-02-14T10:32:40Z",
        "goVersion": "go1.21.7",
        "compiler": "gc",
        "platform": "linux/amd64",
    })
}

/// `GET /api`.
pub(super) fn api_versions(s: &State, c: usize) -> Value {
    json!({
        "kind": "APIVersions",
        "versions": ["v1"],
        "serverAddressByClientCIDRs": [{
            "clientCIDR": "0.0.0.0/0",
            "serverAddress": format!("{}:6443", s.clusters[c].endpoint_ip),
        }],
    })
}

/// `GET /apis`: no API groups are simulated.
pub(super) fn api_groups() -> Value {
    json!({ "kind": "APIGroupList", "apiVersion": "v1", "groups": [] })
}

fn resource(name: &str, singular: &str, namespaced: bool, kind: &str, short: &str) -> Value {
    json!({
        "name": name,
        "singularName": singular,
        "namespaced": namespaced,
        "kind": kind,
        "verbs": ["create", "delete", "get", "list", "patch", "update", "watch"],
        "shortNames": [short],
        "storageVersionHash": &hex64(name)[..12],
    })
}

/// `GET /api/v1`.
pub(super) fn api_resources() -> Value {
    let mut pods = resource("pods", "pod", true, "Pod", "po");
    pods["categories"] = json!(["all"]);
    json!({
        "kind": "APIResourceList",
        "groupVersion": "v1",
        "resources": [
            resource("namespaces", "namespace", false, "Namespace", "ns"),
            resource("nodes", "node", false, "Node", "no"),
            pods,
        ],
    })
}

/// A `Status` failure, as the API server answers errors.
pub(super) fn status(code: u16, reason: &str, message: String, details: Option<Value>) -> Value {
    let mut v = json!({
        "kind": "Status",
        "apiVersion": "v1",
        "metadata": {},
        "status": "Failure",
        "message": message,
        "reason": reason,
        "code": code,
    });
    if let Some(d) = details {
        v["details"] = d;
    }
    v
}

pub(super) fn list(kind: &str, s: &State, items: Vec<Value>) -> Value {
    json!({
        "kind": kind,
        "apiVersion": "v1",
        "metadata": { "resourceVersion": resource_version(s) },
        "items": items,
    })
}

/// A cluster member as Kubernetes sees it.
struct Member {
    vm: usize,
    control: bool,
    ready: bool,
    since: OffsetDateTime,
}

/// The nodes registered with Kubernetes: a member VM that has run at least once, unless the
/// knob says it never joined. Ready when its VM is Running and the knob does not say otherwise.
fn members(s: &State, c: usize) -> Vec<Member> {
    let cl = &s.clusters[c];
    cl.vms
        .iter()
        .enumerate()
        .filter_map(|(i, &vm)| {
            let v = &s.vms[vm];
            let health = cl.node_health.get(&vm).copied().unwrap_or_default();
            let started = v.running.first().map(|r| r.0);
            if health == KubeNodeHealth::Missing
                || (started.is_none() && v.state != VmState::Running)
            {
                return None;
            }
            Some(Member {
                vm,
                control: i < cl.control as usize,
                ready: v.state == VmState::Running && health == KubeNodeHealth::Ready,
                since: started.unwrap_or(v.created),
            })
        })
        .collect()
}

fn condition(
    kind: &str,
    status: &str,
    reason: &str,
    message: &str,
    since: &str,
    now: &str,
) -> Value {
    json!({
        "type": kind,
        "status": status,
        "lastHeartbeatTime": now,
        "lastTransitionTime": since,
        "reason": reason,
        "message": message,
    })
}

fn node_json(s: &State, c: usize, m: &Member, now: OffsetDateTime) -> Value {
    let vm = &s.vms[m.vm];
    let so = &s.service_offerings[vm.offering];
    let kubelet = git_version(s, c);
    let since = kts(m.since);
    let beat = if m.ready { kts(now) } else { since.clone() };
    let mut labels = json!({
        "beta.kubernetes.io/arch": "amd64",
        "beta.kubernetes.io/os": "linux",
        "kubernetes.io/arch": "amd64",
        "kubernetes.io/hostname": vm.name,
        "kubernetes.io/os": "linux",
    });
    let mut spec = json!({});
    if m.control {
        labels["node-role.kubernetes.io/control-plane"] = json!("");
        labels["node.kubernetes.io/exclude-from-external-load-balancers"] = json!("");
        spec["taints"] = json!([{
            "key": "node-role.kubernetes.io/control-plane",
            "effect": "NoSchedule",
        }]);
    }
    let ready = if m.ready {
        condition(
            "Ready",
            "True",
            "KubeletReady",
            "kubelet is posting ready status",
            &since,
            &beat,
        )
    } else {
        let mut r = condition(
            "Ready",
            "Unknown",
            "NodeStatusUnknown",
            "Kubelet stopped posting node status.",
            &since,
            &beat,
        );
        r["lastTransitionTime"] = json!(kts(now));
        r
    };
    let mem_ki = so.memory as u64 * 1024;
    let disk_ki = so.root_gb as u64 * 1024 * 1024;
    json!({
        "kind": "Node",
        "apiVersion": "v1",
        "metadata": {
            "name": vm.name,
            "uid": uid(&vm.id),
            "resourceVersion": resource_version(s),
            "creationTimestamp": since,
            "labels": labels,
            "annotations": {
                "kubeadm.alpha.kubernetes.io/cri-socket": "unix:///run/containerd/containerd.sock",
                "node.alpha.kubernetes.io/ttl": "0",
                "volumes.kubernetes.io/controller-managed-attach-detach": "true",
            },
        },
        "spec": spec,
        "status": {
            "capacity": {
                "cpu": so.cpus.to_string(),
                "ephemeral-storage": format!("{disk_ki}Ki"),
                "hugepages-2Mi": "0",
                "memory": format!("{mem_ki}Ki"),
                "pods": "110",
            },
            "allocatable": {
                "cpu": so.cpus.to_string(),
                "ephemeral-storage": (disk_ki * 1024 * 9 / 10).to_string(),
                "hugepages-2Mi": "0",
                "memory": format!("{}Ki", mem_ki.saturating_sub(102_400)),
                "pods": "110",
            },
            "conditions": [
                condition("MemoryPressure", "False", "KubeletHasSufficientMemory", "kubelet has sufficient memory available", &since, &beat),
                condition("DiskPressure", "False", "KubeletHasNoDiskPressure", "kubelet has no disk pressure", &since, &beat),
                condition("PIDPressure", "False", "KubeletHasSufficientPID", "kubelet has sufficient PID available", &since, &beat),
                ready,
            ],
            "addresses": [
                { "type": "InternalIP", "address": vm.ip },
                { "type": "Hostname", "address": vm.name },
            ],
            "daemonEndpoints": { "kubeletEndpoint": { "Port": 10250 } },
            "nodeInfo": {
                "machineID": &hex64(&vm.id)[..32],
                "systemUUID": vm.id,
                "bootID": uid(&format!("{}/boot/{}", vm.id, vm.running.len())),
                "kernelVersion": "5.15.0-97-generic",
                "osImage": "Ubuntu 22.04.4 LTS",
                "containerRuntimeVersion": "containerd://1.7.13",
                "kubeletVersion": kubelet,
                "kubeProxyVersion": kubelet,
                "operatingSystem": "linux",
                "architecture": "amd64",
            },
        },
    })
}

/// `GET /api/v1/nodes`.
pub(super) fn nodes(s: &State, c: usize) -> Vec<Value> {
    let now = OffsetDateTime::now_utc();
    members(s, c)
        .iter()
        .map(|m| node_json(s, c, m, now))
        .collect()
}

/// The namespaces of a CKS cluster.
pub(super) const NAMESPACES: &[&str] =
    &["default", "kube-node-lease", "kube-public", "kube-system"];

/// `GET /api/v1/namespaces`.
pub(super) fn namespaces(s: &State, c: usize) -> Vec<Value> {
    let created = kts(s.clusters[c].created + time::Duration::minutes(2));
    NAMESPACES
        .iter()
        .map(|ns| {
            json!({
                "kind": "Namespace",
                "apiVersion": "v1",
                "metadata": {
                    "name": ns,
                    "uid": uid(&format!("{}/ns/{ns}", s.clusters[c].id)),
                    "resourceVersion": resource_version(s),
                    "creationTimestamp": created,
                    "labels": { "kubernetes.io/metadata.name": ns },
                },
                "spec": { "finalizers": ["kubernetes"] },
                "status": { "phase": "Active" },
            })
        })
        .collect()
}

/// One simulated pod: name, app label, image, node, host network?
struct PodSpec {
    name: String,
    app: &'static str,
    image: String,
    node: usize,
    host_network: bool,
}

fn pod_json(s: &State, c: usize, p: &PodSpec, m: &Member, index: usize) -> Value {
    let vm = &s.vms[p.node];
    let started = kts((m.since + time::Duration::minutes(1)).min(OffsetDateTime::now_utc()));
    let cl = &s.clusters[c];
    let pod_ip = if p.host_network {
        vm.ip.clone()
    } else {
        format!("10.32.0.{}", 2 + index % 250)
    };
    let ready = if m.ready { "True" } else { "False" };
    let container = match p.app {
        "kube-dns" => "coredns",
        "weave-net" => "weave",
        other => other,
    };
    json!({
        "kind": "Pod",
        "apiVersion": "v1",
        "metadata": {
            "name": p.name,
            "namespace": "kube-system",
            "uid": uid(&format!("{}/pod/{}", cl.id, p.name)),
            "resourceVersion": resource_version(s),
            "creationTimestamp": started,
            "labels": { "k8s-app": p.app, "component": p.app },
        },
        "spec": {
            "containers": [{
                "name": container,
                "image": p.image,
                "imagePullPolicy": "IfNotPresent",
                "resources": {},
                "terminationMessagePath": "/dev/termination-log",
                "terminationMessagePolicy": "File",
            }],
            "nodeName": vm.name,
            "hostNetwork": p.host_network,
            "restartPolicy": "Always",
            "schedulerName": "default-scheduler",
            "priorityClassName": "system-node-critical",
            "priority": 2000001000,
            "dnsPolicy": "ClusterFirst",
            "terminationGracePeriodSeconds": 30,
        },
        "status": {
            "phase": "Running",
            "conditions": [
                { "type": "Initialized", "status": "True", "lastTransitionTime": started },
                { "type": "Ready", "status": ready, "lastTransitionTime": started },
                { "type": "ContainersReady", "status": ready, "lastTransitionTime": started },
                { "type": "PodScheduled", "status": "True", "lastTransitionTime": started },
            ],
            "hostIP": vm.ip,
            "hostIPs": [{ "ip": vm.ip }],
            "podIP": pod_ip,
            "podIPs": [{ "ip": pod_ip }],
            "startTime": started,
            "qosClass": "Burstable",
            "containerStatuses": [{
                "name": container,
                "state": { "running": { "startedAt": started } },
                "lastState": {},
                "ready": m.ready,
                "restartCount": 0,
                "image": p.image,
                "imageID": format!("{}@sha256:{}", p.image.split(':').next().unwrap_or(""), hex64(&p.image)),
                "containerID": format!("containerd://{}", hex64(&format!("{}/{}", cl.id, p.name))),
                "started": true,
            }],
        },
    })
}

/// `GET /api/v1/pods` (all namespaces) or a namespace's pods: the kube-system pods of a
/// kubeadm cluster with Weave (CKS' CNI): control-plane static pods on each control node, two
/// CoreDNS replicas on the first control node, kube-proxy and weave-net on every node.
pub(super) fn pods(s: &State, c: usize, namespace: Option<&str>) -> Vec<Value> {
    if namespace.is_some_and(|ns| ns != "kube-system") {
        return Vec::new();
    }
    let cl = &s.clusters[c];
    let version = git_version(s, c);
    let members = members(s, c);
    let mut specs: Vec<(PodSpec, usize)> = Vec::new();
    for (mi, m) in members.iter().enumerate() {
        let vm = &s.vms[m.vm];
        if m.control {
            for (app, image) in [
                ("etcd", "registry.k8s.io/etcd:3.5.12-0".to_string()),
                (
                    "kube-apiserver",
                    format!("registry.k8s.io/kube-apiserver:{version}"),
                ),
                (
                    "kube-controller-manager",
                    format!("registry.k8s.io/kube-controller-manager:{version}"),
                ),
                (
                    "kube-scheduler",
                    format!("registry.k8s.io/kube-scheduler:{version}"),
                ),
            ] {
                specs.push((
                    PodSpec {
                        name: format!("{app}-{}", vm.name),
                        app,
                        image,
                        node: m.vm,
                        host_network: true,
                    },
                    mi,
                ));
            }
        }
        specs.push((
            PodSpec {
                name: format!("kube-proxy-{}", suffix(&format!("{}/proxy", vm.id), 5)),
                app: "kube-proxy",
                image: format!("registry.k8s.io/kube-proxy:{version}"),
                node: m.vm,
                host_network: true,
            },
            mi,
        ));
        specs.push((
            PodSpec {
                name: format!("weave-net-{}", suffix(&format!("{}/weave", vm.id), 5)),
                app: "weave-net",
                image: "docker.io/weaveworks/weave-kube:2.8.1".into(),
                node: m.vm,
                host_network: true,
            },
            mi,
        ));
    }
    if let Some(first) = members.iter().position(|m| m.control) {
        let rs = suffix(&format!("{}/coredns", cl.id), 10);
        for n in 0..2 {
            specs.push((
                PodSpec {
                    name: format!(
                        "coredns-{rs}-{}",
                        suffix(&format!("{}/coredns/{n}", cl.id), 5)
                    ),
                    app: "kube-dns",
                    image: "registry.k8s.io/coredns/coredns:v1.11.1".into(),
                    node: members[first].vm,
                    host_network: false,
                },
                first,
            ));
        }
    }
    specs.sort_by(|a, b| a.0.name.cmp(&b.0.name));
    specs
        .iter()
        .enumerate()
        .map(|(i, (p, mi))| pod_json(s, c, p, &members[*mi], i))
        .collect()
}
