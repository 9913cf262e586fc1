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

const NET_STORAGE_SCRIPT: &str = r#"
import json, sys
from cs import CloudStack, CloudStackApiException

endpoint, key, secret, akey, asecret = sys.argv[1:6]
cs = CloudStack(endpoint=endpoint, key=key, secret=secret, fetch_result=True, poll_interval=0.02)
admin = CloudStack(endpoint=endpoint, key=akey, secret=asecret, fetch_result=True, poll_interval=0.02)
post = CloudStack(endpoint=endpoint, key=key, secret=secret, fetch_result=True, poll_interval=0.02,
                  method="post")
out = {}

def refused(call, **kw):
    try:
        call(**kw)
        return "accepted"
    except CloudStackApiException as e:
        return [e.response.status_code, (e.error or {}).get("errortext")]

zone = cs.listZones()["zone"][0]["id"]
tpl = cs.listTemplates(templatefilter="executable", zoneid=zone)["template"][0]
so = cs.listServiceOfferings()["serviceoffering"][0]["id"]
iso = cs.listNetworkOfferings(guestiptype="Isolated")["networkoffering"][0]["id"]
disks = {d["name"]: d["id"] for d in cs.listDiskOfferings()["diskoffering"]}

net = cs.createNetwork(name="py net", displaytext="Python & friends", zoneid=zone,
                       networkofferingid=iso, gateway="10.90.0.1", netmask="255.255.255.0")["network"]
out["cidr"] = net["cidr"]
out["overlap"] = refused(cs.createNetwork, name="dup", zoneid=zone, networkofferingid=iso,
                         gateway="10.90.0.65", netmask="255.255.255.192")
vm = cs.deployVirtualMachine(zoneid=zone, templateid=tpl["id"], serviceofferingid=so,
                             networkids=net["id"], name="py-vm")["virtualmachine"]
out["vm_state"] = vm["state"]
ip = cs.associateIpAddress(networkid=net["id"])["ipaddress"]
fw = cs.createFirewallRule(ipaddressid=ip["id"], protocol="tcp", startport=443, endport=443,
                           cidrlist=["198.51.100.0/24", "203.0.113.0/24"])["firewallrule"]
out["fw_cidrs"] = fw["cidrlist"]
out["fw_overlap"] = refused(cs.createFirewallRule, ipaddressid=ip["id"], protocol="tcp",
                            startport=400, endport=500, cidrlist="203.0.113.0/24")
pf = post.createPortForwardingRule(ipaddressid=ip["id"], protocol="tcp", publicport=2222,
                                   privateport=22, virtualmachineid=vm["id"])["portforwardingrule"]
out["pf_public"] = pf["publicport"]
opened = cs.listFirewallRules(ipaddressid=ip["id"])["firewallrule"]
out["pf_opened"] = sorted(r["cidrlist"] for r in opened if r.get("startport") == 2222)
lb = cs.createLoadBalancerRule(publicipid=ip["id"], name="py-lb", algorithm="source",
                               publicport=80, privateport=8080)["loadbalancer"]
cs.assignToLoadBalancerRule(id=lb["id"], virtualmachineids=[vm["id"]])
out["lb_members"] = cs.listLoadBalancerRuleInstances(id=lb["id"])["count"]
sticky = cs.createLBStickinessPolicy(lbruleid=lb["id"], name="app", methodname="AppCookie",
                                     param=[{"name": "cookie-name", "value": "JSESSIONID"},
                                            {"name": "holdtime", "value": "3600"}])
out["sticky_params"] = sticky["stickinesspolicies"]["stickinesspolicy"][0]["params"]
hc = cs.createLBHealthCheckPolicy(lbruleid=lb["id"], pingpath="/up")
out["hc_path"] = hc["healthcheckpolicies"]["healthcheckpolicy"][0]["pingpath"]
cs.disassociateIpAddress(id=ip["id"])
out["rules_left"] = [cs.listFirewallRules(ipaddressid=ip["id"]).get("count", 0),
                     cs.listPortForwardingRules(ipaddressid=ip["id"]).get("count", 0),
                     cs.listLoadBalancerRules(publicipid=ip["id"]).get("count", 0)]

vpcoff = cs.listVPCOfferings()["vpcoffering"][0]["id"]
vpc = cs.createVPC(name="py-vpc", zoneid=zone, vpcofferingid=vpcoff, cidr="10.200.0.0/16")["vpc"]
acl = cs.createNetworkACLList(name="py-acl", vpcid=vpc["id"])["networkacllist"]
item = cs.createNetworkACL(aclid=acl["id"], number=5, protocol="tcp", startport=22, endport=22,
                           cidrlist="10.0.0.0/8", traffictype="Ingress", action="Allow")["networkacl"]
out["acl_dup"] = refused(cs.createNetworkACL, aclid=acl["id"], number=5, protocol="udp",
                         startport=53, endport=53)
tier = cs.createNetwork(name="tier", zoneid=zone, networkofferingid=iso, vpcid=vpc["id"],
                        aclid=acl["id"], gateway="10.200.1.1", netmask="255.255.255.0")["network"]
out["tier_acl"] = tier["aclname"]
out["acl_items"] = cs.listNetworkACLs(aclid=acl["id"])["networkacl"][0]["number"]

data = cs.createVolume(name="py-data", zoneid=zone, diskofferingid=disks["Custom Disk"], size=8)["volume"]
att = cs.attachVolume(id=data["id"], virtualmachineid=vm["id"])["volume"]
out["attached_to"] = att["vmname"]
out["shrink"] = refused(cs.resizeVolume, id=data["id"], size=4)
out["grown"] = cs.resizeVolume(id=data["id"], size=16)["volume"]["size"]
snap = cs.createSnapshot(volumeid=data["id"])["snapshot"]
out["snapshots"] = cs.listSnapshots(volumeid=data["id"])["count"]
policy = cs.createSnapshotPolicy(volumeid=data["id"], intervaltype="WEEKLY", schedule="15:03:1",
                                 timezone="Europe/Berlin", maxsnaps=4)["snapshotpolicy"]
out["policy"] = [policy["intervaltype"], policy["schedule"], policy["timezone"]]
out["policies"] = cs.listSnapshotPolicies(volumeid=data["id"])["count"]
cs.deleteSnapshotPolicies(id=policy["id"])
vmsnap = cs.createVMSnapshot(virtualmachineid=vm["id"], snapshotmemory=True)["vmsnapshot"]
out["vmsnap_type"] = vmsnap["type"]
out["vmsnaps"] = cs.listVMSnapshot(virtualmachineid=vm["id"])["count"]
cs.deleteVMSnapshot(vmsnapshotid=vmsnap["id"])
det = cs.detachVolume(id=data["id"])["volume"]
out["detached"] = "virtualmachineid" not in det
restored = cs.createVolume(snapshotid=snap["id"], name="py-restored")["volume"]
out["restored_size"] = restored["size"]
out["deleted"] = cs.deleteVolume(id=data["id"])["success"]
cs.deleteSnapshot(id=snap["id"])
pools = admin.listStoragePools(zoneid=zone)["storagepool"]
out["pools"] = len(pools)
out["user_pools"] = refused(cs.listStoragePools)
print(json.dumps(out))
"#;

#[tokio::test]
async fn python_cs_package_drives_networks_and_storage() {
    let py = python();
    let sim = start(SimConfig::default()).await;
    let user = sim.create_user("ROOT/Python", "py-team").unwrap();
    let args = [
        sim.url(),
        user.api_key.clone(),
        user.secret_key.clone(),
        sim.api_key().to_string(),
        sim.secret_key().to_string(),
    ];
    let output = tokio::task::spawn_blocking(move || {
        Command::new(py)
            .arg("-c")
            .arg(NET_STORAGE_SCRIPT)
            .args(args)
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
    let gib = |n: u64| serde_json::json!(n << 30);
    assert_eq!(out["cidr"], "10.90.0.0/24");
    assert_eq!(out["overlap"][0], 431, "{out}");
    assert_eq!(out["vm_state"], "Running");
    assert_eq!(out["fw_cidrs"], "198.51.100.0/24,203.0.113.0/24");
    assert_eq!(out["fw_overlap"][0], 537, "{out}");
    assert_eq!(out["pf_public"], "2222");
    assert_eq!(out["pf_opened"], serde_json::json!(["0.0.0.0/0"]));
    assert_eq!(out["lb_members"], 1);
    assert_eq!(
        out["sticky_params"],
        serde_json::json!({"cookie-name": "JSESSIONID", "holdtime": "3600"})
    );
    assert_eq!(out["hc_path"], "/up");
    assert_eq!(out["rules_left"], serde_json::json!([0, 0, 0]));
    assert_eq!(out["acl_dup"][0], 431, "{out}");
    assert_eq!(out["tier_acl"], "py-acl");
    assert_eq!(out["acl_items"], 5);
    assert_eq!(out["attached_to"], "py-vm");
    assert_eq!(out["shrink"][0], 431, "{out}");
    assert_eq!(out["grown"], gib(16));
    assert_eq!(out["snapshots"], 1);
    assert_eq!(
        out["policy"],
        serde_json::json!([2, "15:03:1", "Europe/Berlin"])
    );
    assert_eq!(out["policies"], 1);
    assert_eq!(out["vmsnap_type"], "DiskAndMemory");
    assert_eq!(out["vmsnaps"], 1);
    assert_eq!(out["detached"], true);
    assert_eq!(out["restored_size"], gib(16));
    assert_eq!(out["deleted"], true);
    assert_eq!(out["pools"], 2);
    assert_eq!(out["user_pools"][0], 401, "{out}");
    sim.shutdown().await;
}
