//! Cross-check with a client nobody here wrote: the Python `cs` package.

use std::path::PathBuf;
use std::process::Command;

use akashone_cloudstack_sim::SimConfig;

use crate::support::start;

pub(crate) fn python() -> PathBuf {
    if let Some(p) = std::env::var_os("AKASHONE_PYTHON") {
        return PathBuf::from(p);
    }
    let home = std::env::var_os("HOME")
        .map(PathBuf::from)
        .unwrap_or_default();
    let fallback = home.join(".cache/akashone/pyenv/bin/python");
    assert!(
        fallback.exists(),
        "no Python with the `cs` package: set AKASHONE_PYTHON or run `cargo xtask setup` \
         (it creates {})",
        fallback.display()
    );
    fallback
}

const SCRIPT: &str = r#"
import json, sys
from cs import CloudStack, CloudStackApiException

endpoint, key, secret = sys.argv[1], sys.argv[2], sys.argv[3]
cs = CloudStack(endpoint=endpoint, key=key, secret=secret, poll_interval=0.05)
out = {}
zones = cs.listZones()
out["zones"] = zones["count"]
zone = zones["zone"][0]["id"]
tpl = cs.listTemplates(templatefilter="executable", zoneid=zone)["template"][0]["id"]
so = cs.listServiceOfferings()["serviceoffering"][0]["id"]
dep = cs.deployVirtualMachine(zoneid=zone, templateid=tpl, serviceofferingid=so,
                              name="from-python", displayname="From Python with spaces & more")
jobid = dep["jobid"]
while True:
    job = cs.queryAsyncJobResult(jobid=jobid)
    if job["jobstatus"] != 0:
        break
out["jobstatus"] = job["jobstatus"]
out["state"] = job["jobresult"]["virtualmachine"]["state"]
out["displayname"] = job["jobresult"]["virtualmachine"]["displayname"]
out["listed"] = cs.listVirtualMachines(id=dep["id"])["count"]
out["all"] = len(cs.listVirtualMachines(listall="true", fetch_list=True, pagesize=7))
post = CloudStack(endpoint=endpoint, key=key, secret=secret, method="post")
out["post_zones"] = post.listZones()["count"]
bad = CloudStack(endpoint=endpoint, key=key, secret="not-the-secret")
try:
    bad.listZones()
    out["wrong_secret"] = "accepted"
except CloudStackApiException as e:
    out["wrong_secret"] = e.response.status_code
print(json.dumps(out))
"#;

#[tokio::test]
async fn python_cs_package_agrees() {
    let py = python();
    let sim = start(SimConfig {
        vms: 30,
        start_delay: std::time::Duration::from_millis(100),
        ..SimConfig::default()
    })
    .await;
    let (url, key, secret) = (
        sim.url(),
        sim.api_key().to_string(),
        sim.secret_key().to_string(),
    );
    let output = tokio::task::spawn_blocking(move || {
        Command::new(py)
            .arg("-c")
            .arg(SCRIPT)
            .arg(url)
            .arg(key)
            .arg(secret)
            .output()
    })
    .await
    .unwrap()
    .expect("python runs");
    assert!(
        output.status.success(),
        "python failed: {}",
        String::from_utf8_lossy(&output.stderr)
    );
    let out: serde_json::Value = serde_json::from_slice(&output.stdout).unwrap();
    assert_eq!(out["zones"], 3);
    assert_eq!(out["jobstatus"], 1);
    assert_eq!(out["state"], "Running");
    assert_eq!(out["displayname"], "From Python with spaces & more");
    assert_eq!(out["listed"], 1);
    assert_eq!(out["all"], 31);
    assert_eq!(out["post_zones"], 3);
    assert_eq!(out["wrong_secret"], 401);
    sim.shutdown().await;
}
