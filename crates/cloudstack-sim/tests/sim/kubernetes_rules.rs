//! CKS rules the console must mirror: HA only where the version supports it, per-role
//! offerings, account limits refusing a create or scale, and a scale-up the zone cannot hold
//! leaving the cluster in Alert.

use akashone_cloudstack_sim::{LimitedResource, SimConfig};
use serde_json::Value;

use crate::support::{Client, start};

struct Catalogue {
    zone: String,
    version: String,
    cks: String,
    large: String,
}

async fn catalogue(c: &Client) -> Catalogue {
    let zone = c.ok("listZones", &[]).await["zone"][0]["id"]
        .as_str()
        .unwrap()
        .to_string();
    let versions = c.ok("listKubernetesSupportedVersions", &[]).await;
    let version = versions["kubernetessupportedversion"]
        .as_array()
        .unwrap()
        .iter()
        .rfind(|v| v["state"] == "Enabled")
        .unwrap()["id"]
        .as_str()
        .unwrap()
        .to_string();
    let offerings = c.ok("listServiceOfferings", &[]).await;
    let by_name = |n: &str| {
        offerings["serviceoffering"]
            .as_array()
            .unwrap()
            .iter()
            .find(|o| o["name"] == n)
            .unwrap()["id"]
            .as_str()
            .unwrap()
            .to_string()
    };
    Catalogue {
        zone,
        version,
        cks: by_name("CKS Node"),
        large: by_name("Large Instance"),
    }
}

async fn wait(c: &Client, reply: &Value) -> Value {
    c.wait_job(reply["jobid"].as_str().unwrap()).await
}

#[tokio::test]
async fn ha_and_per_role_offerings_follow_cloudstack() {
    let sim = start(SimConfig::default()).await;
    let c = Client::admin(&sim);
    let cat = catalogue(&c).await;

    // A version before 1.16.0 has no HA: several control nodes are refused.
    let old = sim.add_kube_version("1.15.12", false).unwrap();
    let listed = c
        .ok("listKubernetesSupportedVersions", &[("id", &old)])
        .await;
    assert_eq!(listed["kubernetessupportedversion"][0]["supportsha"], false);
    let (status, body) = c
        .get(
            "createKubernetesCluster",
            &[
                ("name", "no-ha"),
                ("zoneid", &cat.zone),
                ("kubernetesversionid", &old),
                ("serviceofferingid", &cat.cks),
                ("size", "1"),
                ("controlnodes", "3"),
            ],
        )
        .await;
    assert_eq!(status, 431, "{body}");
    let text = body["createkubernetesclusterresponse"]["errortext"]
        .as_str()
        .unwrap();
    assert!(
        text.starts_with("HA support is available only for Kubernetes version 1.16.0 and above"),
        "{text}"
    );

    // Per-role offerings, HA on a version that has it; no general offering needed.
    let reply = c
        .ok(
            "createKubernetesCluster",
            &[
                ("name", "roles"),
                ("zoneid", &cat.zone),
                ("kubernetesversionid", &cat.version),
                ("size", "2"),
                ("controlnodes", "3"),
                ("nodeofferings[0].node", "control"),
                ("nodeofferings[0].offering", &cat.cks),
                ("nodeofferings[1].node", "worker"),
                ("nodeofferings[1].offering", &cat.large),
            ],
        )
        .await;
    let job = wait(&c, &reply).await;
    assert_eq!(job["jobstatus"], 1, "{job}");
    let cl = &job["jobresult"]["kubernetescluster"];
    assert_eq!(cl["controlnodes"], 3);
    assert_eq!(cl["controlofferingid"], cat.cks.as_str());
    assert_eq!(cl["controlofferingname"], "CKS Node");
    assert_eq!(cl["workerofferingid"], cat.large.as_str());
    assert_eq!(cl["workerofferingname"], "Large Instance");
    let vms = cl["virtualmachines"].as_array().unwrap();
    assert_eq!(vms.len(), 5);
    assert!(
        vms[..3]
            .iter()
            .all(|v| v["serviceofferingid"] == cat.cks.as_str())
    );
    assert!(
        vms[3..]
            .iter()
            .all(|v| v["serviceofferingid"] == cat.large.as_str())
    );
    // New workers take the worker offering.
    let id = cl["id"].as_str().unwrap().to_string();
    let scaled = c
        .ok("scaleKubernetesCluster", &[("id", &id), ("size", "3")])
        .await;
    let job = wait(&c, &scaled).await;
    let vms = job["jobresult"]["kubernetescluster"]["virtualmachines"]
        .as_array()
        .unwrap()
        .clone();
    assert_eq!(vms[5]["serviceofferingid"], cat.large.as_str());

    // A bad role is refused.
    let (status, body) = c
        .get(
            "createKubernetesCluster",
            &[
                ("name", "bad-role"),
                ("zoneid", &cat.zone),
                ("kubernetesversionid", &cat.version),
                ("serviceofferingid", &cat.cks),
                ("size", "1"),
                ("nodeofferings[0].node", "master"),
                ("nodeofferings[0].offering", &cat.cks),
            ],
        )
        .await;
    assert_eq!(status, 431, "{body}");
    sim.shutdown().await;
}

#[tokio::test]
async fn limits_refuse_and_capacity_leaves_the_cluster_in_alert() {
    let sim = start(SimConfig {
        vms: 0,
        ..SimConfig::default()
    })
    .await;
    let c = Client::admin(&sim);
    let cat = catalogue(&c).await;
    let tenant = sim.create_user("ROOT/Kube", "kube-team").unwrap();
    let u = Client::new(&sim, &tenant.api_key, &tenant.secret_key);
    let reply = u
        .ok(
            "createKubernetesCluster",
            &[
                ("name", "limited"),
                ("zoneid", &cat.zone),
                ("kubernetesversionid", &cat.version),
                ("serviceofferingid", &cat.cks),
                ("size", "1"),
            ],
        )
        .await;
    let job = wait(&u, &reply).await;
    assert_eq!(job["jobstatus"], 1, "{job}");
    let id = reply["id"].as_str().unwrap().to_string();

    // Three VMs allowed, two used: scaling to three workers is refused up front and the
    // cluster is unchanged (apache/cloudstack#12167).
    assert!(sim.set_account_limit("kube-team", LimitedResource::UserVm, Some(3)));
    let accounts = c
        .ok(
            "listAccounts",
            &[("name", "kube-team"), ("listall", "true")],
        )
        .await;
    assert_eq!(accounts["account"][0]["vmlimit"], "3");
    assert_eq!(accounts["account"][0]["vmavailable"], "1");
    let (status, body) = u
        .get("scaleKubernetesCluster", &[("id", &id), ("size", "3")])
        .await;
    assert_eq!(status, 535, "{body}");
    let text = body["scalekubernetesclusterresponse"]["errortext"]
        .as_str()
        .unwrap();
    assert!(
        text.starts_with(
            "Maximum amount of resources of Type = 'user_vm' for Account Name = kube-team in Domain Id = "
        ),
        "{text}"
    );
    assert!(
        text.ends_with("is exceeded: Account Resource Limit = 3, Current Account Resource Amount = 2, Requested Resource Amount = 2."),
        "{text}"
    );
    let cl = u.ok("listKubernetesClusters", &[("id", &id)]).await;
    assert_eq!(cl["kubernetescluster"][0]["state"], "Running");
    assert_eq!(cl["kubernetescluster"][0]["size"], 1);
    // One more worker fits.
    let ok = u
        .ok("scaleKubernetesCluster", &[("id", &id), ("size", "2")])
        .await;
    assert_eq!(wait(&u, &ok).await["jobstatus"], 1);
    // Memory, set through the API: a new cluster beyond the memory limit is refused.
    assert!(sim.set_account_limit("kube-team", LimitedResource::UserVm, None));
    let domain = tenant.domain_id.clone();
    let set = c
        .ok(
            "updateResourceLimit",
            &[
                ("account", "kube-team"),
                ("domainid", &domain),
                ("resourcetype", "9"),
                ("max", "16384"),
            ],
        )
        .await;
    assert_eq!(set["resourcelimit"]["resourcetypename"], "memory");
    assert_eq!(set["resourcelimit"]["max"], 16384);
    let limits = u.ok("listResourceLimits", &[]).await;
    assert_eq!(limits["count"], 12);
    let by_type = |t: &str| {
        limits["resourcelimit"]
            .as_array()
            .unwrap()
            .iter()
            .find(|l| l["resourcetypename"] == t)
            .unwrap()["max"]
            .clone()
    };
    assert_eq!(by_type("memory"), 16384);
    assert_eq!(by_type("user_vm"), -1);
    let (status, _) = u
        .get(
            "updateResourceLimit",
            &[("resourcetype", "9"), ("max", "-1")],
        )
        .await;
    assert_eq!(status, 401, "a user may not raise their own limits");
    let (status, body) = u
        .get(
            "createKubernetesCluster",
            &[
                ("name", "too-big"),
                ("zoneid", &cat.zone),
                ("kubernetesversionid", &cat.version),
                ("serviceofferingid", &cat.cks),
                ("size", "2"),
            ],
        )
        .await;
    assert_eq!(status, 535, "{body}");
    assert!(
        body["createkubernetesclusterresponse"]["errortext"]
            .as_str()
            .unwrap()
            .contains("Type = 'memory'")
    );
    // And a plain VM deployment too.
    let tpl = c
        .ok(
            "listTemplates",
            &[("templatefilter", "executable"), ("zoneid", &cat.zone)],
        )
        .await["template"][0]["id"]
        .as_str()
        .unwrap()
        .to_string();
    let (status, _) = u
        .get(
            "deployVirtualMachine",
            &[
                ("zoneid", &cat.zone),
                ("templateid", &tpl),
                ("serviceofferingid", &cat.large),
            ],
        )
        .await;
    assert_eq!(status, 535);
    assert!(sim.set_account_limit("kube-team", LimitedResource::Memory, None));

    // The zone is full: the scale job fails, the new worker stays Stopped outside the size and
    // the cluster goes to Alert (apache/cloudstack#12699); further scaling is refused
    // (apache/cloudstack#11166) until a stop and start bring it back.
    let zone_name = c.ok("listZones", &[("id", &cat.zone)]).await["zone"][0]["name"]
        .as_str()
        .unwrap()
        .to_string();
    assert!(sim.set_zone_capacity(&zone_name, Some(3)));
    let scale = c
        .ok("scaleKubernetesCluster", &[("id", &id), ("size", "3")])
        .await;
    let job = wait(&c, &scale).await;
    assert_eq!(job["jobstatus"], 2, "{job}");
    assert_eq!(job["jobresultcode"], 530);
    assert_eq!(
        job["jobresult"]["errortext"],
        "Scaling failed for Kubernetes cluster : limited, unable to provision node VM in the cluster"
    );
    let cl = c
        .ok(
            "listKubernetesClusters",
            &[("id", &id), ("listall", "true")],
        )
        .await;
    let cl = &cl["kubernetescluster"][0];
    assert_eq!(cl["state"], "Alert");
    assert_eq!(cl["size"], 2);
    let vms = cl["virtualmachines"].as_array().unwrap();
    assert_eq!(vms.len(), 4);
    assert_eq!(vms[3]["state"], "Stopped");
    let (status, body) = c
        .get("scaleKubernetesCluster", &[("id", &id), ("size", "1")])
        .await;
    assert_eq!(status, 531, "{body}");
    assert_eq!(
        body["scalekubernetesclusterresponse"]["errortext"],
        "Kubernetes cluster limited is in Alert state and can not be scaled"
    );
    sim.set_zone_capacity(&zone_name, None);
    let stop = c.ok("stopKubernetesCluster", &[("id", &id)]).await;
    assert_eq!(wait(&c, &stop).await["jobstatus"], 1);
    let start = c.ok("startKubernetesCluster", &[("id", &id)]).await;
    let job = wait(&c, &start).await;
    assert_eq!(job["jobstatus"], 1, "{job}");
    assert_eq!(job["jobresult"]["kubernetescluster"]["state"], "Running");
    assert_eq!(job["jobresult"]["kubernetescluster"]["size"], 3);
    sim.shutdown().await;
}

#[tokio::test]
async fn the_demo_cluster_serves_its_api_from_the_start() {
    let sim = start(SimConfig {
        start_delay: std::time::Duration::ZERO,
        job_delay: std::time::Duration::ZERO,
        ..SimConfig::demo()
    })
    .await;
    let apis = sim.kube_apis();
    assert_eq!(apis.len(), 1, "{apis:?}");
    let (name, api) = &apis[0];
    assert_eq!(name, "zenith-prod");
    assert!(api.listening);
    assert!(std::net::TcpStream::connect(("127.0.0.1", api.port)).is_ok());
    assert!(api.ca_pem.starts_with("-----BEGIN CERTIFICATE-----"));
    sim.shutdown().await;
    // The listener closes once its task has seen the shutdown.
    let mut closed = false;
    for _ in 0..200 {
        if std::net::TcpStream::connect(("127.0.0.1", api.port)).is_err() {
            closed = true;
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(10)).await;
    }
    assert!(closed, "the Kubernetes API outlived the simulator");
}
