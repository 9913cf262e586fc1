//! Every recorded CloudStack response in `tests/fixtures` parses into the typed models (or the
//! typed error it represents).

use akashone_cloudstack::job::JobOutput;
use akashone_cloudstack::model::*;
use akashone_cloudstack::response::{self, parse_list, parse_value};
use akashone_cloudstack::{Error, Result};
use serde::de::DeserializeOwned;
use serde_json::Value;
use std::path::{Path, PathBuf};

fn dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures")
}

fn list<T: DeserializeOwned>(cmd: &str, body: &[u8], key: &str) -> Result<usize> {
    parse_list::<T>(cmd, 200, None, body, Some(key)).map(|p| p.items.len())
}

fn object<T: DeserializeOwned>(cmd: &str, body: &[u8], key: &str) -> Result<usize> {
    let inner = parse_value(cmd, 200, None, body)?;
    response::object_at::<T>(cmd, &inner, key).map(|_| 1)
}

/// A queryAsyncJobResult payload: parse the status, then the typed result for its key.
fn job(cmd: &str, body: &[u8]) -> Result<usize> {
    let inner = parse_value(cmd, 200, None, body)?;
    let status: AsyncJobStatus = response::object(cmd, &inner)?;
    assert!(status.jobstatus.is_some(), "{cmd}: no jobstatus");
    let Some(result) = status.jobresult.as_ref() else {
        return Ok(0);
    };
    if result.get("errorcode").is_some() {
        return Ok(0);
    }
    let keys: Vec<&String> = result
        .as_object()
        .map(|m| m.keys().collect())
        .unwrap_or_default();
    match keys.first().map(|k| k.as_str()) {
        Some("virtualmachine") => VirtualMachine::from_jobresult(cmd, result).map(|_| 1),
        Some("volume") => Volume::from_jobresult(cmd, result).map(|_| 1),
        Some("snapshot") => Snapshot::from_jobresult(cmd, result).map(|_| 1),
        Some("ipaddress") => PublicIpAddress::from_jobresult(cmd, result).map(|_| 1),
        Some("firewallrule") => FirewallRule::from_jobresult(cmd, result).map(|_| 1),
        Some("kubernetescluster") => KubernetesCluster::from_jobresult(cmd, result).map(|_| 1),
        Some("template") => Template::from_jobresult(cmd, result).map(|_| 1),
        Some("success") => Success::from_jobresult(cmd, result).map(|_| 1),
        _ => Value::from_jobresult(cmd, result).map(|_| 1),
    }
}

/// An async command's first answer: `{jobid[, id]}`.
fn submitted(cmd: &str, body: &[u8]) -> Result<usize> {
    let inner = parse_value(cmd, 200, None, body)?;
    if inner.get("jobstatus").is_some() {
        // cloudstack-go stores the final job state under the command's name.
        return job(cmd, body);
    }
    assert!(
        response::id_field(&inner, "jobid").is_some(),
        "{cmd}: no jobid"
    );
    Ok(1)
}

fn check(cmd: &str, body: &[u8]) -> Result<usize> {
    match cmd {
        "listZones" => list::<Zone>(cmd, body, "zone"),
        "listTemplates" | "registerTemplate" => list::<Template>(cmd, body, "template"),
        "listServiceOfferings" => list::<ServiceOffering>(cmd, body, "serviceoffering"),
        "listDiskOfferings" => list::<DiskOffering>(cmd, body, "diskoffering"),
        "listVirtualMachines" => list::<VirtualMachine>(cmd, body, "virtualmachine"),
        "listVirtualMachinesUsageHistory" => list::<VirtualMachine>(cmd, body, "virtualmachine"),
        "listNetworks" => list::<Network>(cmd, body, "network"),
        "listNetworkOfferings" => list::<NetworkOffering>(cmd, body, "networkoffering"),
        "listVolumes" => list::<Volume>(cmd, body, "volume"),
        "listPublicIpAddresses" => list::<PublicIpAddress>(cmd, body, "publicipaddress"),
        "listFirewallRules" => list::<FirewallRule>(cmd, body, "firewallrule"),
        "listPortForwardingRules" => list::<PortForwardingRule>(cmd, body, "portforwardingrule"),
        "listProjects" => list::<Project>(cmd, body, "project"),
        "listAccounts" => list::<Account>(cmd, body, "account"),
        "listDomains" | "listDomainChildren" => list::<Domain>(cmd, body, "domain"),
        "listAsyncJobs" => list::<AsyncJobStatus>(cmd, body, "asyncjobs"),
        "listKubernetesClusters" => list::<KubernetesCluster>(cmd, body, "kubernetescluster"),
        "listKubernetesSupportedVersions" => {
            list::<KubernetesSupportedVersion>(cmd, body, "kubernetessupportedversion")
        }
        "createNetwork" => object::<Network>(cmd, body, "network"),
        "createAccount" => object::<Account>(cmd, body, "account"),
        "createDomain" | "updateDomain" => object::<Domain>(cmd, body, "domain"),
        "createServiceOffering" | "updateServiceOffering" => {
            object::<ServiceOffering>(cmd, body, "serviceoffering")
        }
        "addKubernetesSupportedVersion" => {
            object::<KubernetesSupportedVersion>(cmd, body, "kubernetessupportedversion")
        }
        "getKubernetesClusterConfig" => {
            let n = object::<KubernetesClusterConfig>(cmd, body, "clusterconfig")?;
            let inner = parse_value(cmd, 200, None, body)?;
            let c: KubernetesClusterConfig = response::object_at(cmd, &inner, "clusterconfig")?;
            assert!(c.configdata.is_some());
            Ok(n)
        }
        "deleteServiceOffering" => {
            let inner = parse_value(cmd, 200, None, body)?;
            let s: Success = response::object(cmd, &inner)?;
            assert_eq!(s.success, Some(true));
            Ok(1)
        }
        "registerSSHKeyPair" => object::<SshKeyPair>(cmd, body, "keypair"),
        "queryAsyncJobResult" => job(cmd, body),
        // Async commands: libcloud records the first answer, cloudstack-go the final job.
        "associateIpAddress"
        | "disassociateIpAddress"
        | "attachVolume"
        | "createFirewallRule"
        | "deleteFirewallRule"
        | "createEgressFirewallRule"
        | "deleteEgressFirewallRule"
        | "createPortForwardingRule"
        | "createSnapshot"
        | "createVolume"
        | "deployVirtualMachine"
        | "destroyVirtualMachine"
        | "rebootVirtualMachine"
        | "startVirtualMachine"
        | "stopVirtualMachine"
        | "deleteNetwork"
        | "deleteDomain"
        | "createPhysicalNetwork"
        | "createKubernetesCluster"
        | "createTemplate"
        | "extractTemplate"
        | "addNicToVirtualMachine"
        | "scaleVirtualMachine" => submitted(cmd, body),
        // Session commands and upload parameters: generic parsing only.
        "login" | "logout" | "getUploadParamsForKubernetesSupportedVersion" => {
            parse_value(cmd, 200, None, body).map(|_| 1)
        }
        other => panic!("no check for a fixture of command {other}"),
    }
}

/// Files whose content is a CloudStack error: the expected typed error.
fn expected_error(file: &str) -> Option<fn(&Error) -> bool> {
    match file {
        "deployVirtualMachine_deployfail.json" => Some(
            |e| matches!(e, Error::NotFound { message, .. } if message.contains("service offering")),
        ),
        "registerSSHKeyPair_error.json" => Some(
            |e| matches!(e, Error::InvalidParameter { errorcode: 431, message, .. } if message == "Public key is invalid"),
        ),
        "queryAsyncJobResult_missing_jobid_431.json" => Some(
            |e| matches!(e, Error::InvalidParameter { errorcode: 431, message, .. } if message.contains("missing parameter jobid")),
        ),
        _ => None,
    }
}

fn command_of(file_name: &str) -> String {
    let stem = file_name.trim_end_matches(".json");
    stem.split('_').next().unwrap_or(stem).to_owned()
}

#[test]
fn every_response_fixture_parses() {
    let mut checked = 0;
    let mut files: Vec<PathBuf> = Vec::new();
    let mut stack = vec![dir()];
    while let Some(d) = stack.pop() {
        for e in std::fs::read_dir(&d).unwrap() {
            let p = e.unwrap().path();
            if p.is_dir() {
                stack.push(p);
            } else if p.extension().is_some_and(|x| x == "json") {
                files.push(p);
            }
        }
    }
    files.sort();
    for path in files {
        let name = path.file_name().unwrap().to_string_lossy().into_owned();
        if name == "signature_vectors.json" {
            continue; // not a response
        }
        let text = std::fs::read(&path).unwrap();
        let in_go_set = path.parent().is_some_and(|p| p.ends_with("cloudstack-go"));
        if in_go_set {
            // { "<apiName>": { "<apiname>response": {...} } }
            let all: serde_json::Map<String, Value> = serde_json::from_slice(&text).unwrap();
            for (cmd, resp) in all {
                let body = serde_json::to_vec(&resp).unwrap();
                check(&cmd, &body).unwrap_or_else(|e| panic!("{name} {cmd}: {e}"));
                checked += 1;
            }
            continue;
        }
        let cmd = command_of(&name);
        let result = check(&cmd, &text);
        match expected_error(&name) {
            Some(is_expected) => {
                let e = result.expect_err(&name);
                assert!(is_expected(&e), "{name}: unexpected error {e:?}");
            }
            None => {
                result.unwrap_or_else(|e| panic!("{name}: {e}"));
            }
        }
        checked += 1;
    }
    assert!(checked >= 80, "only {checked} responses checked");
}

#[test]
fn fixture_details_are_read_leniently() {
    let body = std::fs::read(dir().join("listVirtualMachines_default.json")).unwrap();
    let page = parse_list::<VirtualMachine>(
        "listVirtualMachines",
        200,
        None,
        &body,
        Some("virtualmachine"),
    )
    .unwrap();
    assert_eq!(page.count, None);
    assert_eq!(page.items.len(), 2);
    let vm = &page.items[0];
    assert_eq!(vm.id.as_deref(), Some("2600"));
    assert_eq!(vm.cpuused.as_deref(), Some("1.78%"));
    assert_eq!(
        vm.nic.as_ref().unwrap()[0].ipaddress.as_deref(),
        Some("1.1.1.116")
    );
    assert_eq!(vm.tags.as_ref().unwrap().len(), 2);
    assert_eq!(page.items[1].jobstatus, Some(0));

    let go: Value = serde_json::from_slice(
        &std::fs::read(dir().join("cloudstack-go/KubernetesService.json")).unwrap(),
    )
    .unwrap();
    let body = serde_json::to_vec(&go["listKubernetesClusters"]).unwrap();
    let k = parse_list::<KubernetesCluster>(
        "listKubernetesClusters",
        200,
        None,
        &body,
        Some("kubernetescluster"),
    )
    .unwrap();
    assert_eq!(
        k.items[0].cpunumber,
        Some(4),
        "CKS sends cpunumber as a string"
    );
    assert_eq!(k.items[0].memory, Some(4096));

    let body = std::fs::read(dir().join("marvin/queryAsyncJobResult_failure_431.json")).unwrap();
    let inner = parse_value("queryAsyncJobResult", 200, None, &body).unwrap();
    let st: AsyncJobStatus = response::object("queryAsyncJobResult", &inner).unwrap();
    assert_eq!(st.state(), JobState::Failed);
    assert_eq!(st.jobresultcode, Some(530));
}
