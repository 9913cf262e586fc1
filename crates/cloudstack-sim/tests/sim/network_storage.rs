//! Networks, VPCs, public addresses and their rules, volumes and snapshots over HTTP: CloudStack's
//! validation and error codes, and state kept consistent across commands.

use akashone_cloudstack_sim::{SimConfig, SimHandle};
use serde_json::Value;

use crate::support::{Client, ids, start};

/// The ids a test needs from the catalogue.
struct Cat {
    zone: String,
    template: String,
    offering: String,
    isolated: String,
    disk: Vec<(String, String)>,
}

impl Cat {
    fn disk(&self, name: &str) -> &str {
        &self.disk.iter().find(|(n, _)| n == name).unwrap().1
    }
}

async fn catalogue(c: &Client) -> Cat {
    let zone = str_of(&c.ok("listZones", &[]).await["zone"][0]["id"]);
    let template = str_of(
        &c.ok(
            "listTemplates",
            &[("templatefilter", "executable"), ("zoneid", &zone)],
        )
        .await["template"][0]["id"],
    );
    let offering = str_of(&c.ok("listServiceOfferings", &[]).await["serviceoffering"][0]["id"]);
    let isolated = str_of(
        &c.ok("listNetworkOfferings", &[("guestiptype", "Isolated")])
            .await["networkoffering"][0]["id"],
    );
    let disks = c.ok("listDiskOfferings", &[]).await;
    let disk = disks["diskoffering"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| (str_of(&d["name"]), str_of(&d["id"])))
        .collect();
    Cat {
        zone,
        template,
        offering,
        isolated,
        disk,
    }
}

fn str_of(v: &Value) -> String {
    v.as_str()
        .unwrap_or_else(|| panic!("not a string: {v}"))
        .to_string()
}

/// A fresh user account with its own client.
fn tenant(sim: &SimHandle, domain: &str, account: &str) -> Client {
    let u = sim.create_user(domain, account).unwrap();
    Client::new(sim, &u.api_key, &u.secret_key)
}

/// Runs an async command and returns its job result (panics when the job fails).
async fn done(c: &Client, command: &str, params: &[(&str, &str)]) -> Value {
    let reply = c.ok(command, params).await;
    let job = c.wait_job(reply["jobid"].as_str().unwrap()).await;
    assert_eq!(job["jobstatus"], 1, "{command}: {job}");
    job["jobresult"].clone()
}

/// Calls a command that must be refused; returns the HTTP status and the error text.
async fn refused(c: &Client, command: &str, params: &[(&str, &str)]) -> (u16, String) {
    let (status, body) = c.get(command, params).await;
    assert_ne!(status, 200, "{command} was accepted: {body}");
    let inner = &body[format!("{}response", command.to_lowercase())];
    assert_eq!(inner["errorcode"], status, "{body}");
    (status, str_of(&inner["errortext"]))
}

async fn network(c: &Client, cat: &Cat, name: &str, gateway: &str, netmask: &str) -> String {
    let n = c
        .ok(
            "createNetwork",
            &[
                ("name", name),
                ("zoneid", &cat.zone),
                ("networkofferingid", &cat.isolated),
                ("gateway", gateway),
                ("netmask", netmask),
            ],
        )
        .await;
    str_of(&n["network"]["id"])
}

async fn deploy(c: &Client, cat: &Cat, name: &str, network: &str) -> String {
    let vm = done(
        c,
        "deployVirtualMachine",
        &[
            ("zoneid", &cat.zone),
            ("templateid", &cat.template),
            ("serviceofferingid", &cat.offering),
            ("networkids", network),
            ("name", name),
        ],
    )
    .await;
    str_of(&vm["virtualmachine"]["id"])
}

fn count(list: &Value) -> u64 {
    list["count"].as_u64().unwrap_or(0)
}

#[tokio::test]
async fn networks_and_vpcs_follow_cloudstack() {
    let sim = start(SimConfig::default()).await;
    let admin = Client::admin(&sim);
    let c = tenant(&sim, "ROOT/Net", "net-team");
    let other = tenant(&sim, "ROOT/Net", "neighbour");
    let cat = catalogue(&c).await;

    // createNetwork: gateway/netmask checked, CIDR from them, overlaps refused.
    let n1 = c
        .ok(
            "createNetwork",
            &[
                ("name", "web"),
                ("displaytext", "Web tier"),
                ("zoneid", &cat.zone),
                ("networkofferingid", &cat.isolated),
                ("gateway", "10.50.0.1"),
                ("netmask", "255.255.255.0"),
            ],
        )
        .await;
    let net = &n1["network"];
    assert_eq!(net["cidr"], "10.50.0.0/24");
    assert_eq!(net["gateway"], "10.50.0.1");
    assert_eq!(net["state"], "Allocated");
    let n1 = str_of(&net["id"]);
    let base = [
        ("name", "x"),
        ("zoneid", cat.zone.as_str()),
        ("networkofferingid", cat.isolated.as_str()),
    ];
    let with = |extra: &[(&'static str, &'static str)]| {
        let mut v: Vec<(&str, &str)> = base.to_vec();
        v.extend_from_slice(extra);
        v
    };
    let (code, text) = refused(
        &c,
        "createNetwork",
        &with(&[("gateway", "10.51.0.1"), ("netmask", "255.0.255.0")]),
    )
    .await;
    assert_eq!((code, text.as_str()), (431, "Invalid netmask"));
    let (code, _) = refused(&c, "createNetwork", &with(&[("gateway", "10.51.0.1")])).await;
    assert_eq!(code, 431);
    let (code, text) = refused(
        &c,
        "createNetwork",
        &with(&[("gateway", "10.50.0.129"), ("netmask", "255.255.255.128")]),
    )
    .await;
    assert_eq!(code, 431);
    assert!(
        text.contains("overlaps with the CIDR 10.50.0.0/24"),
        "{text}"
    );
    // Another account may use the same CIDR.
    network(&other, &cat, "same", "10.50.0.1", "255.255.255.0").await;

    // updateNetwork: name and a guest VM range inside the CIDR.
    let (code, text) = refused(
        &c,
        "updateNetwork",
        &[("id", &n1), ("guestvmcidr", "10.60.0.0/25")],
    )
    .await;
    assert_eq!(code, 431);
    assert!(
        text.contains("should be a subset of network CIDR"),
        "{text}"
    );
    let up = done(
        &c,
        "updateNetwork",
        &[
            ("id", &n1),
            ("name", "web-renamed"),
            ("guestvmcidr", "10.50.0.0/25"),
        ],
    )
    .await;
    assert_eq!(up["network"]["name"], "web-renamed");
    assert_eq!(up["network"]["cidr"], "10.50.0.0/25");
    assert_eq!(up["network"]["networkcidr"], "10.50.0.0/24");

    // restartNetwork needs an implemented network; a VM deploy implements it.
    let (code, _) = refused(&c, "restartNetwork", &[("id", &n1)]).await;
    assert_eq!(code, 431);
    let vm = deploy(&c, &cat, "web-1", &n1).await;
    let vms = c.ok("listVirtualMachines", &[("id", &vm)]).await;
    let ip = str_of(&vms["virtualmachine"][0]["nic"][0]["ipaddress"]);
    assert!(ip.starts_with("10.50.0."), "{ip}");
    let nat = c
        .ok(
            "listPublicIpAddresses",
            &[("associatednetworkid", &n1), ("issourcenat", "true")],
        )
        .await;
    assert_eq!(count(&nat), 1, "{nat}");
    let r = done(&c, "restartNetwork", &[("id", &n1), ("cleanup", "true")]).await;
    assert_eq!(r["success"], true);

    // deleteNetwork: refused naming the VM, then frees the CIDR once the VM is expunged.
    let (code, text) = refused(&c, "deleteNetwork", &[("id", &n1)]).await;
    assert_eq!(code, 431);
    assert!(
        text.contains("web-1") && text.contains("active Nics"),
        "{text}"
    );
    let (code, _) = refused(&other, "deleteNetwork", &[("id", &n1)]).await;
    assert_eq!(code, 531);
    done(
        &admin,
        "destroyVirtualMachine",
        &[("id", &vm), ("expunge", "true")],
    )
    .await;
    let gone = done(&c, "deleteNetwork", &[("id", &n1)]).await;
    assert_eq!(gone["success"], true);
    assert_eq!(count(&c.ok("listNetworks", &[("id", &n1)]).await), 0);
    assert_eq!(
        count(
            &c.ok("listPublicIpAddresses", &[("associatednetworkid", &n1)])
                .await
        ),
        0
    );
    network(&c, &cat, "web-again", "10.50.0.1", "255.255.255.0").await;
    assert_eq!(
        count(&other.ok("listNetworks", &[("name", "web-again")]).await),
        0
    );

    // VPCs: tiers inside the VPC CIDR, not overlapping each other.
    let vpcoff = str_of(&c.ok("listVPCOfferings", &[]).await["vpcoffering"][0]["id"]);
    let (code, text) = refused(
        &c,
        "createVPC",
        &[
            ("name", "bad"),
            ("zoneid", &cat.zone),
            ("vpcofferingid", &vpcoff),
            ("cidr", "8.8.0.0/16"),
        ],
    )
    .await;
    assert_eq!(code, 431);
    assert!(text.contains("RFC 1918"), "{text}");
    let vpc = done(
        &c,
        "createVPC",
        &[
            ("name", "shop"),
            ("zoneid", &cat.zone),
            ("vpcofferingid", &vpcoff),
            ("cidr", "172.16.0.0/16"),
        ],
    )
    .await;
    assert_eq!(vpc["vpc"]["cidr"], "172.16.0.0/16");
    let vpc = str_of(&vpc["vpc"]["id"]);
    let tier = |name: &'static str, gw: &'static str| {
        let (c, cat, vpc) = (c.clone(), &cat, vpc.clone());
        async move {
            c.get(
                "createNetwork",
                &[
                    ("name", name),
                    ("zoneid", &cat.zone),
                    ("networkofferingid", &cat.isolated),
                    ("vpcid", &vpc),
                    ("gateway", gw),
                    ("netmask", "255.255.255.0"),
                ],
            )
            .await
        }
    };
    let (status, body) = tier("front", "172.16.1.1").await;
    assert_eq!(status, 200, "{body}");
    let front = str_of(&body["createnetworkresponse"]["network"]["id"]);
    assert_eq!(
        body["createnetworkresponse"]["network"]["aclname"],
        "default_deny"
    );
    let (status, body) = tier("outside", "172.17.1.1").await;
    assert_eq!(status, 431);
    assert!(
        str_of(&body["createnetworkresponse"]["errortext"]).contains("is not within vpc"),
        "{body}"
    );
    let (status, body) = tier("cross", "172.16.1.129").await;
    assert_eq!(status, 431);
    assert!(
        str_of(&body["createnetworkresponse"]["errortext"]).contains("crosses other network cidr"),
        "{body}"
    );
    let listed = c.ok("listVPCs", &[("id", &vpc)]).await;
    assert_eq!(listed["vpc"][0]["network"][0]["id"], front.as_str());
    assert_eq!(count(&other.ok("listVPCs", &[]).await), 0);

    // ACL lists and rules.
    let acl = done(
        &c,
        "createNetworkACLList",
        &[("name", "web-acl"), ("vpcid", &vpc), ("description", "web")],
    )
    .await;
    let acl = str_of(&acl["networkacllist"]["id"]);
    let rule = |extra: &[(&'static str, &'static str)]| {
        let mut v = vec![("aclid", acl.clone())];
        v.extend(extra.iter().map(|(k, x)| (*k, x.to_string())));
        v
    };
    let call = |v: &Vec<(&'static str, String)>| {
        v.iter()
            .map(|(k, x)| (*k, x.clone()))
            .collect::<Vec<(&str, String)>>()
    };
    let r10 = rule(&[
        ("number", "10"),
        ("protocol", "tcp"),
        ("startport", "443"),
        ("endport", "443"),
        ("traffictype", "Ingress"),
        ("action", "Allow"),
        ("cidrlist", "0.0.0.0/0"),
    ]);
    let pairs = call(&r10);
    let refs: Vec<(&str, &str)> = pairs.iter().map(|(k, v)| (*k, v.as_str())).collect();
    let item = done(&c, "createNetworkACL", &refs).await;
    assert_eq!(item["networkacl"]["number"], 10);
    let i10 = str_of(&item["networkacl"]["id"]);
    let (code, text) = refused(&c, "createNetworkACL", &refs).await;
    assert_eq!(code, 431);
    assert!(
        text.starts_with("ACL item with number 10 already exists in ACL"),
        "{text}"
    );
    for (bad, expect) in [
        (
            vec![("protocol", "icmp"), ("startport", "1")],
            "Can't specify start/end port when protocol is ICMP",
        ),
        (
            vec![("protocol", "tcp"), ("icmptype", "8")],
            "Can specify icmpCode and icmpType for ICMP protocol only",
        ),
        (
            vec![("protocol", "tcp"), ("action", "Maybe")],
            "Invalid action. Allowed actions are Allow and Deny",
        ),
    ] {
        let mut v = vec![("aclid", acl.as_str())];
        v.extend(bad);
        let (code, text) = refused(&c, "createNetworkACL", &v).await;
        assert_eq!((code, text.as_str()), (431, expect));
    }
    let (code, _) = refused(
        &c,
        "createNetworkACL",
        &[
            ("aclid", &acl),
            ("protocol", "tcp"),
            ("traffictype", "Sideways"),
        ],
    )
    .await;
    assert_eq!(code, 431);
    let ping = done(
        &c,
        "createNetworkACL",
        &[
            ("aclid", &acl),
            ("protocol", "icmp"),
            ("icmptype", "8"),
            ("icmpcode", "0"),
            ("traffictype", "Egress"),
            ("action", "Deny"),
        ],
    )
    .await;
    assert_eq!(ping["networkacl"]["number"], 11);
    let moved = done(
        &c,
        "updateNetworkACLItem",
        &[("id", &i10), ("number", "20")],
    )
    .await;
    assert_eq!(moved["networkacl"]["number"], 20);
    let widened = done(
        &c,
        "updateNetworkACLItem",
        &[
            ("id", &i10),
            ("startport", "8443"),
            ("endport", "8444"),
            ("action", "Deny"),
        ],
    )
    .await;
    assert_eq!(widened["networkacl"]["startport"], "8443");
    assert_eq!(widened["networkacl"]["action"], "Deny");
    assert_eq!(widened["networkacl"]["protocol"], "tcp");
    assert_eq!(
        refused(
            &c,
            "updateNetworkACLItem",
            &[("id", &i10), ("number", "11")],
        )
        .await
        .0,
        431
    );
    let rules = c.ok("listNetworkACLs", &[("aclid", &acl)]).await;
    let numbers: Vec<u64> = rules["networkacl"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["number"].as_u64().unwrap())
        .collect();
    assert_eq!(numbers, vec![11, 20]);
    done(
        &c,
        "replaceNetworkACLList",
        &[("aclid", &acl), ("networkid", &front)],
    )
    .await;
    let tiers = c.ok("listNetworks", &[("id", &front)]).await;
    assert_eq!(tiers["network"][0]["aclid"], acl.as_str());
    let (code, text) = refused(&c, "deleteNetworkACLList", &[("id", &acl)]).await;
    assert_eq!(code, 431);
    assert!(
        text.starts_with("ACL is still associated with 1 tier(s)"),
        "{text}"
    );
    let lists = c.ok("listNetworkACLLists", &[("vpcid", &vpc)]).await;
    assert!(count(&lists) >= 3, "{lists}");
    done(&c, "deleteNetworkACL", &[("id", &i10)]).await;
    assert_eq!(count(&c.ok("listNetworkACLs", &[("aclid", &acl)]).await), 1);
    let (code, _) = refused(
        &other,
        "deleteNetworkACL",
        &[("id", &str_of(&ping["networkacl"]["id"]))],
    )
    .await;
    assert_eq!(code, 531);

    // A VPC address; deleteVPC refused while it has tiers, then it goes with its address.
    let ip = done(&c, "associateIpAddress", &[("vpcid", &vpc)]).await;
    assert_eq!(ip["ipaddress"]["vpcid"], vpc.as_str());
    let (code, text) = refused(&c, "deleteVPC", &[("id", &vpc)]).await;
    assert_eq!(code, 431);
    assert!(text.contains("used by 1 networks"), "{text}");
    done(&c, "restartVPC", &[("id", &vpc)]).await;
    done(&c, "deleteNetwork", &[("id", &front)]).await;
    done(&c, "deleteVPC", &[("id", &vpc)]).await;
    assert_eq!(count(&c.ok("listVPCs", &[]).await), 0);
    assert_eq!(
        count(&c.ok("listPublicIpAddresses", &[("vpcid", &vpc)]).await),
        0
    );
    sim.shutdown().await;
}

#[tokio::test]
async fn addresses_and_rules_follow_cloudstack() {
    let sim = start(SimConfig::default()).await;
    let c = tenant(&sim, "ROOT/Rules", "rules-team");
    let other = tenant(&sim, "ROOT/Rules", "stranger");
    let cat = catalogue(&c).await;
    let net = network(&c, &cat, "app", "10.70.0.1", "255.255.255.0").await;
    let elsewhere = network(&c, &cat, "db", "10.71.0.1", "255.255.255.0").await;
    let vm1 = deploy(&c, &cat, "app-1", &net).await;
    let vm2 = deploy(&c, &cat, "app-2", &net).await;
    let vm3 = deploy(&c, &cat, "db-1", &elsewhere).await;
    let nat = c
        .ok(
            "listPublicIpAddresses",
            &[("associatednetworkid", &net), ("issourcenat", "true")],
        )
        .await;
    let nat = str_of(&nat["publicipaddress"][0]["id"]);
    let ip = done(&c, "associateIpAddress", &[("networkid", &net)]).await;
    assert_eq!(ip["ipaddress"]["associatednetworkid"], net.as_str());
    let ip = str_of(&ip["ipaddress"]["id"]);
    let (code, _) = refused(&other, "associateIpAddress", &[("networkid", &net)]).await;
    assert_eq!(code, 531);

    // Firewall rules: CIDR, ports, ICMP checked; overlaps refused with CloudStack's text.
    let fw = done(
        &c,
        "createFirewallRule",
        &[
            ("ipaddressid", &ip),
            ("protocol", "tcp"),
            ("startport", "8000"),
            ("endport", "8100"),
            ("cidrlist", "198.51.100.0/24"),
        ],
    )
    .await;
    assert_eq!(fw["firewallrule"]["cidrlist"], "198.51.100.0/24");
    assert_eq!(fw["firewallrule"]["state"], "Active");
    let fw = str_of(&fw["firewallrule"]["id"]);
    let (code, text) = refused(
        &c,
        "createFirewallRule",
        &[
            ("ipaddressid", &ip),
            ("protocol", "tcp"),
            ("startport", "8050"),
            ("endport", "8200"),
            ("cidrlist", "198.51.100.0/24"),
        ],
    )
    .await;
    assert_eq!(code, 537);
    assert_eq!(
        text,
        format!("The range specified, 8050-8200, conflicts with rule {fw} which has 8000-8100")
    );
    // The same ports for another CIDR are another rule.
    done(
        &c,
        "createFirewallRule",
        &[
            ("ipaddressid", &ip),
            ("protocol", "tcp"),
            ("startport", "8050"),
            ("cidrlist", "192.0.2.0/24"),
        ],
    )
    .await;
    for (bad, code) in [
        (vec![("protocol", "icmp"), ("startport", "22")], 431),
        (vec![("protocol", "tcp"), ("cidrlist", "300.1.1.0/24")], 431),
        (
            vec![("protocol", "tcp"), ("startport", "90"), ("endport", "80")],
            431,
        ),
        (vec![("protocol", "gre")], 431),
        (vec![("protocol", "icmp"), ("icmptype", "300")], 431),
    ] {
        let mut v = vec![("ipaddressid", ip.as_str())];
        v.extend(bad);
        assert_eq!(refused(&c, "createFirewallRule", &v).await.0, code);
    }
    let icmp = done(
        &c,
        "createFirewallRule",
        &[
            ("ipaddressid", &ip),
            ("protocol", "icmp"),
            ("icmptype", "8"),
            ("icmpcode", "0"),
        ],
    )
    .await;
    assert_eq!(icmp["firewallrule"]["icmptype"], 8);

    // Port forwarding: opens the firewall by default, to the given CIDRs.
    let pf = done(
        &c,
        "createPortForwardingRule",
        &[
            ("ipaddressid", &ip),
            ("protocol", "tcp"),
            ("publicport", "2222"),
            ("privateport", "22"),
            ("virtualmachineid", &vm1),
            ("cidrlist", "203.0.113.7/32"),
        ],
    )
    .await;
    let pf = str_of(&pf["portforwardingrule"]["id"]);
    let opened = c.ok("listFirewallRules", &[("ipaddressid", &ip)]).await;
    let opened: Vec<&Value> = opened["firewallrule"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|r| r["startport"] == 2222)
        .collect();
    assert_eq!(opened.len(), 1);
    assert_eq!(opened[0]["cidrlist"], "203.0.113.7/32");
    let quiet = done(
        &c,
        "createPortForwardingRule",
        &[
            ("ipaddressid", &ip),
            ("protocol", "tcp"),
            ("publicport", "3306"),
            ("privateport", "3306"),
            ("virtualmachineid", &vm2),
            ("openfirewall", "false"),
        ],
    )
    .await;
    assert_eq!(
        quiet["portforwardingrule"]["virtualmachineid"],
        vm2.as_str()
    );
    let all_fw = c.ok("listFirewallRules", &[("ipaddressid", &ip)]).await;
    assert!(
        all_fw["firewallrule"]
            .as_array()
            .unwrap()
            .iter()
            .all(|r| r["startport"] != 3306)
    );
    // An open-by-default PF opens 0.0.0.0/0.
    done(
        &c,
        "createPortForwardingRule",
        &[
            ("ipaddressid", &ip),
            ("protocol", "udp"),
            ("publicport", "5000"),
            ("publicendport", "5010"),
            ("privateport", "6000"),
            ("privateendport", "6010"),
            ("virtualmachineid", &vm2),
        ],
    )
    .await;
    let udp = c.ok("listFirewallRules", &[("ipaddressid", &ip)]).await;
    assert!(
        udp["firewallrule"]
            .as_array()
            .unwrap()
            .iter()
            .any(|r| r["protocol"] == "udp" && r["cidrlist"] == "0.0.0.0/0")
    );
    let pf_base = |port: &'static str, vm: &str| {
        vec![
            ("ipaddressid", ip.clone()),
            ("protocol", "tcp".to_string()),
            ("publicport", port.to_string()),
            ("privateport", "22".to_string()),
            ("virtualmachineid", vm.to_string()),
            ("openfirewall", "false".to_string()),
        ]
    };
    let as_refs = |v: &Vec<(&'static str, String)>| -> Vec<(&'static str, String)> { v.clone() };
    let send = |v: Vec<(&'static str, String)>| {
        let c = c.clone();
        async move {
            let refs: Vec<(&str, &str)> = v.iter().map(|(k, x)| (*k, x.as_str())).collect();
            refused(&c, "createPortForwardingRule", &refs).await
        }
    };
    let (code, text) = send(as_refs(&pf_base("2222", &vm2))).await;
    assert_eq!(code, 537);
    assert!(
        text.contains(&format!("conflicts with rule {pf}")),
        "{text}"
    );
    let (code, text) = send(pf_base("2300", &vm3)).await;
    assert_eq!(code, 431);
    assert!(
        text.contains("is not in the network of the IP address"),
        "{text}"
    );
    let mut ranged = pf_base("2400", &vm1);
    ranged.push(("publicendport", "2410".into()));
    ranged.push(("privateendport", "2405".into()));
    assert_eq!(send(ranged).await.0, 431);

    // Static NAT: not on the source NAT address, not where PF rules exist.
    let (code, text) = refused(
        &c,
        "enableStaticNat",
        &[("ipaddressid", &nat), ("virtualmachineid", &vm1)],
    )
    .await;
    assert_eq!(code, 431);
    assert!(text.contains("is a sourceNat ip address"), "{text}");
    let (code, text) = refused(
        &c,
        "enableStaticNat",
        &[("ipaddressid", &ip), ("virtualmachineid", &vm1)],
    )
    .await;
    assert_eq!(code, 537);
    assert!(text.contains("already has PortForwarding rules"), "{text}");
    let snat =
        str_of(&done(&c, "associateIpAddress", &[("networkid", &net)]).await["ipaddress"]["id"]);
    let (code, _) = refused(
        &c,
        "enableStaticNat",
        &[("ipaddressid", &snat), ("virtualmachineid", &vm3)],
    )
    .await;
    assert_eq!(code, 431);
    let ok = c
        .ok(
            "enableStaticNat",
            &[("ipaddressid", &snat), ("virtualmachineid", &vm1)],
        )
        .await;
    assert_eq!(ok["success"], true);
    let shown = c.ok("listPublicIpAddresses", &[("id", &snat)]).await;
    assert_eq!(shown["publicipaddress"][0]["isstaticnat"], true);
    assert_eq!(
        shown["publicipaddress"][0]["virtualmachineid"],
        vm1.as_str()
    );
    assert_eq!(shown["publicipaddress"][0]["virtualmachinename"], "app-1");
    done(&c, "disableStaticNat", &[("ipaddressid", &snat)]).await;
    let shown = c.ok("listPublicIpAddresses", &[("id", &snat)]).await;
    assert_eq!(shown["publicipaddress"][0]["isstaticnat"], false);
    assert!(
        shown["publicipaddress"][0]
            .get("virtualmachineid")
            .is_none()
    );
    assert_eq!(
        refused(&c, "disableStaticNat", &[("ipaddressid", &snat)])
            .await
            .0,
        431
    );

    // Load balancers: members from the network, policies, algorithm updates.
    let (code, text) = refused(
        &c,
        "createLoadBalancerRule",
        &[
            ("publicipid", &ip),
            ("name", "bad"),
            ("algorithm", "random"),
            ("publicport", "80"),
            ("privateport", "8080"),
        ],
    )
    .await;
    assert_eq!((code, text.as_str()), (431, "Invalid algorithm: random"));
    let lb = done(
        &c,
        "createLoadBalancerRule",
        &[
            ("publicipid", &ip),
            ("name", "web"),
            ("algorithm", "roundrobin"),
            ("publicport", "80"),
            ("privateport", "8080"),
            ("cidrlist", "0.0.0.0/0"),
        ],
    )
    .await;
    assert_eq!(lb["loadbalancer"]["algorithm"], "roundrobin");
    let lb = str_of(&lb["loadbalancer"]["id"]);
    let (code, _) = refused(
        &c,
        "createPortForwardingRule",
        &[
            ("ipaddressid", &ip),
            ("protocol", "tcp"),
            ("publicport", "80"),
            ("privateport", "80"),
            ("virtualmachineid", &vm1),
        ],
    )
    .await;
    assert_eq!(code, 537);
    let both = format!("{vm1},{vm2}");
    done(
        &c,
        "assignToLoadBalancerRule",
        &[("id", &lb), ("virtualmachineids", &both)],
    )
    .await;
    let (code, text) = refused(
        &c,
        "assignToLoadBalancerRule",
        &[("id", &lb), ("virtualmachineids", &vm3)],
    )
    .await;
    assert_eq!(code, 431);
    assert!(text.contains("doesn't belong to the network"), "{text}");
    assert_eq!(
        refused(
            &c,
            "assignToLoadBalancerRule",
            &[("id", &lb), ("virtualmachineids", &vm1)]
        )
        .await
        .0,
        431
    );
    let members = c
        .ok(
            "listLoadBalancerRuleInstances",
            &[("id", &lb), ("lbvmips", "true")],
        )
        .await;
    assert_eq!(count(&members), 2);
    let first = &members["lbrulevmidip"][0];
    assert_eq!(first["loadbalancerruleinstance"]["servicestate"], "Active");
    assert!(
        first["lbvmipaddresses"][0]
            .as_str()
            .unwrap()
            .starts_with("10.70.0.")
    );
    done(
        &c,
        "removeFromLoadBalancerRule",
        &[("id", &lb), ("virtualmachineids", &vm2)],
    )
    .await;
    let members = c.ok("listLoadBalancerRuleInstances", &[("id", &lb)]).await;
    assert_eq!(ids(&members, "loadbalancerruleinstance"), vec![vm1.clone()]);
    let up = done(
        &c,
        "updateLoadBalancerRule",
        &[("id", &lb), ("algorithm", "leastconn"), ("name", "web-2")],
    )
    .await;
    assert_eq!(up["loadbalancer"]["algorithm"], "leastconn");
    assert_eq!(up["loadbalancer"]["name"], "web-2");
    let hc = done(
        &c,
        "createLBHealthCheckPolicy",
        &[
            ("lbruleid", &lb),
            ("pingpath", "/healthz"),
            ("intervaltime", "10"),
            ("responsetimeout", "3"),
        ],
    )
    .await;
    let hc_item = &hc["healthcheckpolicies"]["healthcheckpolicy"][0];
    assert_eq!(hc_item["pingpath"], "/healthz");
    assert_eq!(
        refused(&c, "createLBHealthCheckPolicy", &[("lbruleid", &lb)])
            .await
            .0,
        431
    );
    let sticky = done(
        &c,
        "createLBStickinessPolicy",
        &[
            ("lbruleid", &lb),
            ("name", "cookie"),
            ("methodname", "LbCookie"),
            ("param[0].name", "cookie-name"),
            ("param[0].value", "SRV"),
        ],
    )
    .await;
    let sp = &sticky["stickinesspolicies"]["stickinesspolicy"][0];
    assert_eq!(sp["methodname"], "LbCookie");
    assert_eq!(sp["params"]["cookie-name"], "SRV");
    let (code, _) = refused(
        &c,
        "createLBStickinessPolicy",
        &[
            ("lbruleid", &lb),
            ("name", "x"),
            ("methodname", "SourceBased"),
            ("param[0].name", "cookie-name"),
            ("param[0].value", "SRV"),
        ],
    )
    .await;
    assert_eq!(code, 431);
    let listed = c.ok("listLBStickinessPolicies", &[("lbruleid", &lb)]).await;
    assert_eq!(
        listed["stickinesspolicies"][0]["stickinesspolicy"][0]["name"],
        "cookie"
    );
    done(
        &c,
        "deleteLBHealthCheckPolicy",
        &[("id", &str_of(&hc_item["id"]))],
    )
    .await;
    let listed = c
        .ok("listLBHealthCheckPolicies", &[("lbruleid", &lb)])
        .await;
    assert_eq!(
        listed["healthcheckpolicies"][0]["healthcheckpolicy"],
        serde_json::json!([])
    );
    assert_eq!(count(&other.ok("listLoadBalancerRules", &[]).await), 0);

    // Egress rules per network.
    let eg = done(
        &c,
        "createEgressFirewallRule",
        &[
            ("networkid", &net),
            ("protocol", "tcp"),
            ("startport", "25"),
            ("destcidrlist", "0.0.0.0/0"),
        ],
    )
    .await;
    assert_eq!(eg["firewallrule"]["traffictype"], "Egress");
    assert_eq!(eg["firewallrule"]["cidrlist"], "10.70.0.0/24");
    let (code, _) = refused(
        &c,
        "createEgressFirewallRule",
        &[
            ("networkid", &net),
            ("protocol", "tcp"),
            ("cidrlist", "10.99.0.0/24"),
        ],
    )
    .await;
    assert_eq!(code, 431);
    let egress = c
        .ok("listEgressFirewallRules", &[("networkid", &net)])
        .await;
    assert_eq!(count(&egress), 1);
    done(
        &c,
        "deleteEgressFirewallRule",
        &[("id", &str_of(&eg["firewallrule"]["id"]))],
    )
    .await;
    assert_eq!(
        count(
            &c.ok("listEgressFirewallRules", &[("networkid", &net)])
                .await
        ),
        0
    );

    // Deleting a PF rule takes the firewall rule it opened.
    done(&c, "deletePortForwardingRule", &[("id", &pf)]).await;
    let after = c.ok("listFirewallRules", &[("ipaddressid", &ip)]).await;
    assert!(
        after["firewallrule"]
            .as_array()
            .unwrap()
            .iter()
            .all(|r| r["startport"] != 2222)
    );
    done(&c, "deleteFirewallRule", &[("id", &fw)]).await;

    // Releasing the address drops every rule on it; the source NAT address stays.
    let (code, text) = refused(&c, "disassociateIpAddress", &[("id", &nat)]).await;
    assert_eq!(
        (code, text.as_str()),
        (
            431,
            "ip address is used for source nat purposes and can not be disassociated."
        )
    );
    done(&c, "disassociateIpAddress", &[("id", &ip)]).await;
    for (cmd, key) in [
        ("listFirewallRules", "firewallrule"),
        ("listPortForwardingRules", "portforwardingrule"),
        ("listLoadBalancerRules", "loadbalancerrule"),
    ] {
        let left = c
            .ok(cmd, &[("ipaddressid", &ip), ("publicipid", &ip)])
            .await;
        assert!(ids(&left, key).is_empty(), "{cmd}: {left}");
    }
    assert_eq!(
        refused(&c, "listLoadBalancerRuleInstances", &[("id", &lb)])
            .await
            .0,
        431
    );
    assert_eq!(
        count(&c.ok("listPublicIpAddresses", &[("id", &ip)]).await),
        0
    );

    // A removed account takes its addresses, rules and load balancers with it.
    let admin = Client::admin(&sim);
    let ip2 =
        str_of(&done(&c, "associateIpAddress", &[("networkid", &net)]).await["ipaddress"]["id"]);
    let fw2 = done(
        &c,
        "createFirewallRule",
        &[
            ("ipaddressid", &ip2),
            ("protocol", "udp"),
            ("startport", "53"),
        ],
    )
    .await;
    let fw2 = str_of(&fw2["firewallrule"]["id"]);
    let lb2 = done(
        &c,
        "createLoadBalancerRule",
        &[
            ("publicipid", &ip2),
            ("name", "last"),
            ("algorithm", "source"),
            ("publicport", "443"),
            ("privateport", "443"),
        ],
    )
    .await;
    let lb2 = str_of(&lb2["loadbalancer"]["id"]);
    let me = sim.user_of("rules-team").unwrap();
    done(&admin, "deleteAccount", &[("id", &me.account_id)]).await;
    let all = |id: &str| vec![("id", id.to_string()), ("listall", "true".to_string())];
    for (cmd, id) in [
        ("listFirewallRules", &fw2),
        ("listLoadBalancerRules", &lb2),
        ("listPublicIpAddresses", &ip2),
    ] {
        let q = all(id);
        let refs: Vec<(&str, &str)> = q.iter().map(|(k, v)| (*k, v.as_str())).collect();
        assert_eq!(count(&admin.ok(cmd, &refs).await), 0, "{cmd}");
    }
    sim.shutdown().await;
}

#[tokio::test]
async fn volumes_and_snapshots_follow_cloudstack() {
    let sim = start(SimConfig::default()).await;
    let admin = Client::admin(&sim);
    let c = tenant(&sim, "ROOT/Disks", "disk-team");
    let other = tenant(&sim, "ROOT/Disks", "outsider");
    let cat = catalogue(&c).await;
    let net = network(&c, &cat, "disks", "10.80.0.1", "255.255.255.0").await;
    let vm1 = deploy(&c, &cat, "disk-1", &net).await;
    let vm2 = deploy(&c, &cat, "disk-2", &net).await;
    let root = c
        .ok(
            "listVolumes",
            &[("virtualmachineid", &vm1), ("type", "ROOT")],
        )
        .await;
    let root = str_of(&root["volume"][0]["id"]);

    // createVolume: size only for custom offerings, IOPS only for custom-IOPS ones.
    let (custom, small, iops) = (
        cat.disk("Custom Disk").to_string(),
        cat.disk("Small Disk").to_string(),
        cat.disk("Custom IOPS Disk").to_string(),
    );
    let vol = |extra: Vec<(&'static str, String)>| {
        let mut v = vec![("zoneid", cat.zone.clone()), ("name", "data".to_string())];
        v.extend(extra);
        v
    };
    for (params, expect) in [
        (
            vol(vec![("diskofferingid", custom.clone())]),
            "This disk offering requires a custom size specified",
        ),
        (
            vol(vec![
                ("diskofferingid", small.clone()),
                ("size", "20".into()),
            ]),
            "is not customizable",
        ),
        (
            vol(vec![
                ("diskofferingid", small.clone()),
                ("miniops", "100".into()),
            ]),
            "does not support customization of the 'Min IOPS' or 'Max IOPS'",
        ),
        (
            vol(vec![
                ("diskofferingid", iops.clone()),
                ("miniops", "900".into()),
                ("maxiops", "100".into()),
            ]),
            "must be less than or equal to the 'Max IOPS'",
        ),
    ] {
        let refs: Vec<(&str, &str)> = params.iter().map(|(k, v)| (*k, v.as_str())).collect();
        let (code, text) = refused(&c, "createVolume", &refs).await;
        assert_eq!(code, 431);
        assert!(text.contains(expect), "{text}");
    }
    let fast = done(
        &c,
        "createVolume",
        &[
            ("zoneid", &cat.zone),
            ("name", "fast"),
            ("diskofferingid", &iops),
            ("miniops", "500"),
            ("maxiops", "1000"),
        ],
    )
    .await;
    assert_eq!(fast["volume"]["miniops"], 500);
    let data = done(
        &c,
        "createVolume",
        &[
            ("zoneid", &cat.zone),
            ("name", "data"),
            ("diskofferingid", &custom),
            ("size", "20"),
        ],
    )
    .await;
    assert_eq!(data["volume"]["size"], 20u64 << 30);
    let data = str_of(&data["volume"]["id"]);

    // attach / detach.
    let (code, _) = refused(
        &c,
        "attachVolume",
        &[("id", &root), ("virtualmachineid", &vm2)],
    )
    .await;
    assert_eq!(code, 431);
    assert_eq!(
        refused(
            &c,
            "attachVolume",
            &[("id", &data), ("virtualmachineid", &vm1), ("deviceid", "3")]
        )
        .await
        .0,
        431
    );
    let at = done(
        &c,
        "attachVolume",
        &[("id", &data), ("virtualmachineid", &vm1), ("deviceid", "2")],
    )
    .await;
    assert_eq!(at["volume"]["virtualmachineid"], vm1.as_str());
    assert_eq!(at["volume"]["deviceid"], 2);
    let (code, text) = refused(
        &c,
        "attachVolume",
        &[("id", &data), ("virtualmachineid", &vm2)],
    )
    .await;
    assert_eq!(code, 431);
    assert!(text.contains("is already attached"), "{text}");
    assert_eq!(refused(&c, "detachVolume", &[("id", &root)]).await.0, 431);
    let (code, text) = refused(&c, "deleteVolume", &[("id", &data)]).await;
    assert_eq!(
        (code, text.as_str()),
        (
            431,
            "Please specify a volume that is not attached to any VM."
        )
    );
    assert_eq!(
        refused(&other, "detachVolume", &[("id", &data)]).await.0,
        531
    );
    let det = done(&c, "detachVolume", &[("id", &data)]).await;
    assert!(det["volume"].get("virtualmachineid").is_none());
    assert_eq!(refused(&c, "detachVolume", &[("id", &data)]).await.0, 431);
    let at = done(
        &c,
        "attachVolume",
        &[("id", &data), ("virtualmachineid", &vm2)],
    )
    .await;
    assert_eq!(at["volume"]["virtualmachineid"], vm2.as_str());
    let doomed = deploy(&c, &cat, "disk-3", &net).await;
    done(&c, "destroyVirtualMachine", &[("id", &doomed)]).await;
    let (code, text) = refused(
        &c,
        "attachVolume",
        &[
            ("id", &str_of(&fast["volume"]["id"])),
            ("virtualmachineid", &doomed),
        ],
    )
    .await;
    assert_eq!(
        (code, text.as_str()),
        (
            431,
            "Please specify a VM that is either running or stopped."
        )
    );

    // resize: grow, shrink only with shrinkok.
    let grown = done(&c, "resizeVolume", &[("id", &data), ("size", "30")]).await;
    assert_eq!(grown["volume"]["size"], 30u64 << 30);
    let (code, text) = refused(&c, "resizeVolume", &[("id", &data), ("size", "10")]).await;
    assert_eq!(code, 431);
    assert_eq!(
        text,
        format!(
            "Going from existing size of {} to size of {} would shrink the volume.Need to sign off by supplying the shrinkok parameter with value of true.",
            30u64 << 30,
            10u64 << 30
        )
    );
    let shrunk = done(
        &c,
        "resizeVolume",
        &[("id", &data), ("size", "10"), ("shrinkok", "true")],
    )
    .await;
    assert_eq!(shrunk["volume"]["size"], 10u64 << 30);
    let small_vol = str_of(
        &done(
            &c,
            "createVolume",
            &[("zoneid", &cat.zone), ("diskofferingid", &small)],
        )
        .await["volume"]["id"],
    );
    let (code, text) = refused(&c, "resizeVolume", &[("id", &small_vol), ("size", "40")]).await;
    assert_eq!(code, 431);
    assert!(
        text.starts_with("To change a volume's size without providing a new disk offering"),
        "{text}"
    );

    // migrate (root admins) between the zone's pools.
    let (code, _) = c.get("listStoragePools", &[]).await;
    assert_eq!(code, 401);
    let pools = admin.ok("listStoragePools", &[("zoneid", &cat.zone)]).await;
    assert_eq!(count(&pools), 2);
    // An Allocated (never attached) volume has no storage yet; the attached one moves live.
    let (code, _) = refused(
        &admin,
        "migrateVolume",
        &[
            ("volumeid", &small_vol),
            ("storageid", &str_of(&pools["storagepool"][0]["id"])),
        ],
    )
    .await;
    assert_eq!(code, 431);
    let now_on = admin
        .ok("listVolumes", &[("id", &data), ("listall", "true")])
        .await;
    let target = pools["storagepool"]
        .as_array()
        .unwrap()
        .iter()
        .find(|p| p["id"] != now_on["volume"][0]["storageid"])
        .unwrap()["id"]
        .clone();
    let target = str_of(&target);
    let (code, _) = c
        .get(
            "migrateVolume",
            &[("volumeid", &data), ("storageid", &target)],
        )
        .await;
    assert_eq!(code, 401);
    let (code, text) = refused(
        &admin,
        "migrateVolume",
        &[("volumeid", &data), ("storageid", &target)],
    )
    .await;
    assert_eq!(code, 431);
    assert!(text.contains("livemigrate"), "{text}");
    let moved = done(
        &admin,
        "migrateVolume",
        &[
            ("volumeid", &data),
            ("storageid", &target),
            ("livemigrate", "true"),
        ],
    )
    .await;
    assert_eq!(moved["volume"]["storageid"], target.as_str());
    let deleted = c.ok("deleteVolume", &[("id", &small_vol)]).await;
    assert_eq!(deleted["success"], true);
    assert_eq!(count(&c.ok("listVolumes", &[("id", &small_vol)]).await), 0);

    // Snapshots: list by volume, revert only the latest with the VM stopped.
    let s1 = done(
        &c,
        "createSnapshot",
        &[("volumeid", &data), ("name", "first")],
    )
    .await;
    let s1 = str_of(&s1["snapshot"]["id"]);
    done(&c, "resizeVolume", &[("id", &data), ("size", "12")]).await;
    let s2 = done(
        &c,
        "createSnapshot",
        &[("volumeid", &data), ("name", "second")],
    )
    .await;
    let s2 = str_of(&s2["snapshot"]["id"]);
    let listed = c.ok("listSnapshots", &[("volumeid", &data)]).await;
    assert_eq!(count(&listed), 2);
    let (code, text) = refused(&c, "revertSnapshot", &[("id", &s2)]).await;
    assert_eq!(
        (code, text.as_str()),
        (
            431,
            "The VM the specified disk is attached to is not in the shutdown state."
        )
    );
    done(&c, "stopVirtualMachine", &[("id", &vm2)]).await;
    let (code, text) = refused(&c, "revertSnapshot", &[("id", &s1)]).await;
    assert_eq!(code, 431);
    assert!(text.contains("only the latest snapshot"), "{text}");
    done(&c, "resizeVolume", &[("id", &data), ("size", "15")]).await;
    done(&c, "revertSnapshot", &[("id", &s2)]).await;
    let back = c.ok("listVolumes", &[("id", &data)]).await;
    assert_eq!(back["volume"][0]["size"], 12u64 << 30);

    // A volume and a template from a snapshot.
    let restored = done(
        &c,
        "createVolume",
        &[("snapshotid", &s1), ("name", "restored")],
    )
    .await;
    assert_eq!(restored["volume"]["size"], 10u64 << 30);
    assert_eq!(restored["volume"]["snapshotid"], s1.as_str());
    let ostype = c
        .ok(
            "listTemplates",
            &[("templatefilter", "executable"), ("id", &cat.template)],
        )
        .await;
    let ostype = str_of(&ostype["template"][0]["ostypeid"]);
    let tpl = done(
        &c,
        "createTemplate",
        &[
            ("snapshotid", &s1),
            ("name", "golden"),
            ("displaytext", "Golden image"),
            ("ostypeid", &ostype),
        ],
    )
    .await;
    assert_eq!(tpl["template"]["isready"], true);
    let tpl = str_of(&tpl["template"]["id"]);
    let mine = c.ok("listTemplates", &[("templatefilter", "self")]).await;
    assert_eq!(ids(&mine, "template"), vec![tpl.clone()]);
    let theirs = other
        .ok(
            "listTemplates",
            &[("templatefilter", "executable"), ("id", &tpl)],
        )
        .await;
    assert_eq!(count(&theirs), 0);
    let restored_id = str_of(&restored["volume"]["id"]);
    let from_tpl = c
        .ok("listTemplates", &[("templatefilter", "self"), ("id", &tpl)])
        .await;
    assert_eq!(from_tpl["template"][0]["snapshotid"], s1.as_str());
    assert_eq!(
        refused(&other, "deleteTemplate", &[("id", &tpl)]).await.0,
        531
    );
    done(&c, "deleteTemplate", &[("id", &tpl)]).await;
    assert_eq!(
        count(&c.ok("listTemplates", &[("templatefilter", "self")]).await),
        0
    );
    c.ok("deleteVolume", &[("id", &restored_id)]).await;
    done(&c, "deleteSnapshot", &[("id", &s1)]).await;
    assert_eq!(
        count(&c.ok("listSnapshots", &[("volumeid", &data)]).await),
        1
    );

    // Snapshot policies: schedule format per interval, one per interval type.
    let policy = |interval: &'static str, schedule: &'static str, max: &'static str| {
        let c = c.clone();
        let data = data.clone();
        async move {
            c.get(
                "createSnapshotPolicy",
                &[
                    ("volumeid", &data),
                    ("intervaltype", interval),
                    ("schedule", schedule),
                    ("timezone", "Asia/Kolkata"),
                    ("maxsnaps", max),
                ],
            )
            .await
        }
    };
    for (interval, schedule, max) in [
        ("HOURLY", "61", "3"),
        ("DAILY", "30", "3"),
        ("WEEKLY", "30:02:8", "3"),
        ("MONTHLY", "30:02:29", "3"),
        ("YEARLY", "30:02:1", "3"),
        ("DAILY", "30:02", "9"),
    ] {
        let (status, body) = policy(interval, schedule, max).await;
        assert_eq!(status, 431, "{interval} {schedule}: {body}");
    }
    let (status, daily) = policy("DAILY", "30:02", "5").await;
    assert_eq!(status, 200, "{daily}");
    let daily = &daily["createsnapshotpolicyresponse"]["snapshotpolicy"];
    assert_eq!(daily["intervaltype"], 1);
    let (_, again) = policy("DAILY", "45:23", "7").await;
    let again = &again["createsnapshotpolicyresponse"]["snapshotpolicy"];
    assert_eq!(again["id"], daily["id"]);
    assert_eq!(again["schedule"], "45:23");
    let (status, weekly) = policy("WEEKLY", "00:04:7", "4").await;
    assert_eq!(status, 200);
    let (status, _) = policy("MONTHLY", "00:04:28", "2").await;
    assert_eq!(status, 200);
    let listed = c.ok("listSnapshotPolicies", &[("volumeid", &data)]).await;
    assert_eq!(count(&listed), 3);
    let ids_param = format!(
        "{},{}",
        str_of(&daily["id"]),
        str_of(&weekly["createsnapshotpolicyresponse"]["snapshotpolicy"]["id"])
    );
    c.ok("deleteSnapshotPolicies", &[("ids", &ids_param)]).await;
    assert_eq!(
        count(&c.ok("listSnapshotPolicies", &[("volumeid", &data)]).await),
        1
    );
    assert_eq!(refused(&c, "deleteSnapshotPolicies", &[]).await.0, 431);
    assert_eq!(
        refused(&other, "listSnapshotPolicies", &[("volumeid", &data)])
            .await
            .0,
        531
    );

    // VM snapshots: memory only while running; a revert brings back the state it holds.
    let (code, text) = refused(
        &c,
        "createVMSnapshot",
        &[("virtualmachineid", &vm2), ("snapshotmemory", "true")],
    )
    .await;
    assert_eq!(
        (code, text.as_str()),
        (
            431,
            "Can not snapshot memory when VM is not in Running state"
        )
    );
    let disk_only = done(
        &c,
        "createVMSnapshot",
        &[("virtualmachineid", &vm2), ("name", "cold")],
    )
    .await;
    assert_eq!(disk_only["vmsnapshot"]["type"], "Disk");
    let cold = str_of(&disk_only["vmsnapshot"]["id"]);
    let warm = done(
        &c,
        "createVMSnapshot",
        &[
            ("virtualmachineid", &vm1),
            ("name", "warm"),
            ("snapshotmemory", "true"),
        ],
    )
    .await;
    assert_eq!(warm["vmsnapshot"]["type"], "DiskAndMemory");
    assert_eq!(warm["vmsnapshot"]["current"], true);
    let warm = str_of(&warm["vmsnapshot"]["id"]);
    let root1 = c
        .ok(
            "listVolumes",
            &[("virtualmachineid", &vm1), ("type", "ROOT")],
        )
        .await;
    let root1 = str_of(&root1["volume"][0]["id"]);
    let from_vs = done(
        &c,
        "createSnapshotFromVMSnapshot",
        &[
            ("vmsnapshotid", &warm),
            ("volumeid", &root1),
            ("name", "from-warm"),
        ],
    )
    .await;
    assert_eq!(from_vs["snapshot"]["volumeid"], root1.as_str());
    assert_eq!(
        refused(
            &c,
            "createSnapshotFromVMSnapshot",
            &[("vmsnapshotid", &warm), ("volumeid", &data)],
        )
        .await
        .0,
        431
    );
    let listed = c.ok("listVMSnapshot", &[("virtualmachineid", &vm1)]).await;
    assert_eq!(ids(&listed, "vmSnapshot"), vec![warm.clone()]);
    let reverted = done(&c, "revertToVMSnapshot", &[("vmsnapshotid", &cold)]).await;
    assert_eq!(reverted["virtualmachine"]["state"], "Stopped");
    done(&c, "startVirtualMachine", &[("id", &vm2)]).await;
    let (code, text) = refused(&c, "revertToVMSnapshot", &[("vmsnapshotid", &cold)]).await;
    assert_eq!(code, 431);
    assert!(text.starts_with("VM Snapshot revert not allowed"), "{text}");
    let reverted = done(&c, "revertToVMSnapshot", &[("vmsnapshotid", &warm)]).await;
    assert_eq!(reverted["virtualmachine"]["state"], "Running");
    done(&c, "deleteVMSnapshot", &[("vmsnapshotid", &cold)]).await;
    assert_eq!(
        count(&c.ok("listVMSnapshot", &[("virtualmachineid", &vm2)]).await),
        0
    );

    // Account limits of the network and storage types are enforced (535).
    let me = sim.user_of("disk-team").unwrap();
    let limit = |kind: &'static str, max: &'static str| {
        let (admin, domain) = (admin.clone(), me.domain_id.clone());
        async move {
            admin
                .ok(
                    "updateResourceLimit",
                    &[
                        ("account", "disk-team"),
                        ("domainid", &domain),
                        ("resourcetype", kind),
                        ("max", max),
                    ],
                )
                .await
        }
    };
    limit("2", "0").await;
    let (code, text) = refused(
        &c,
        "createVolume",
        &[("zoneid", &cat.zone), ("diskofferingid", &small)],
    )
    .await;
    assert_eq!(code, 535);
    assert!(
        text.starts_with(
            "Maximum amount of resources of Type = 'volume' for Account Name = disk-team"
        ),
        "{text}"
    );
    limit("2", "-1").await;
    limit("1", "1").await;
    let (code, _) = refused(&c, "associateIpAddress", &[("networkid", &net)]).await;
    assert_eq!(code, 535);
    limit("1", "-1").await;
    limit("10", "1").await;
    let (code, _) = refused(&c, "resizeVolume", &[("id", &data), ("size", "200")]).await;
    assert_eq!(code, 535);
    limit("10", "-1").await;

    // The work shows in the account's events.
    let events = c.ok("listEvents", &[("pagesize", "-1")]).await;
    let kinds: Vec<&str> = events["event"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["type"].as_str().unwrap())
        .collect();
    for kind in [
        "VOLUME.CREATE",
        "VOLUME.ATTACH",
        "VOLUME.DETACH",
        "VOLUME.RESIZE",
        "SNAPSHOT.CREATE",
        "SNAPSHOT.REVERT",
        "VMSNAPSHOT.CREATE",
    ] {
        assert!(kinds.contains(&kind), "{kind} in {kinds:?}");
    }

    // Usage knows the new volumes, snapshots, addresses and VM snapshots.
    let today = time::OffsetDateTime::now_utc().date().to_string();
    for (kind, id) in [
        ("6", data.as_str()),
        ("9", s2.as_str()),
        ("25", warm.as_str()),
    ] {
        let rec = admin
            .ok(
                "listUsageRecords",
                &[
                    ("startdate", &today),
                    ("enddate", &today),
                    ("type", kind),
                    ("accountid", &me.account_id),
                ],
            )
            .await;
        assert!(
            rec["usagerecord"]
                .as_array()
                .is_some_and(|a| a.iter().any(|r| r["usageid"] == id)),
            "type {kind}: {rec}"
        );
    }
    let ips = admin
        .ok(
            "listUsageRecords",
            &[
                ("startdate", &today),
                ("enddate", &today),
                ("type", "3"),
                ("accountid", &me.account_id),
            ],
        )
        .await;
    assert_eq!(count(&ips), 1, "{ips}");
    sim.shutdown().await;
}

#[tokio::test]
async fn demo_dataset_has_rules_and_storage_to_show() {
    let sim = start(SimConfig::demo()).await;
    let c = Client::admin(&sim);
    let all = [("listall", "true")];
    let fw = c.ok("listFirewallRules", &all).await;
    assert!(count(&fw) >= 4, "{fw}");
    assert!(
        fw["firewallrule"]
            .as_array()
            .unwrap()
            .iter()
            .any(|r| r["cidrlist"] == "203.0.113.0/24")
    );
    assert!(count(&c.ok("listPortForwardingRules", &all).await) >= 1);
    let lbs = c.ok("listLoadBalancerRules", &all).await;
    assert_eq!(lbs["loadbalancerrule"][0]["name"], "web-lb");
    let lb = str_of(&lbs["loadbalancerrule"][0]["id"]);
    let members = c.ok("listLoadBalancerRuleInstances", &[("id", &lb)]).await;
    assert!(count(&members) >= 1, "{members}");
    let clusters = c.ok("listKubernetesClusters", &all).await;
    let nodes: Vec<&Value> = clusters["kubernetescluster"]
        .as_array()
        .into_iter()
        .flatten()
        .flat_map(|k| k["virtualmachines"].as_array().into_iter().flatten())
        .collect();
    for m in members["loadbalancerruleinstance"].as_array().unwrap() {
        assert!(
            nodes.iter().all(|n| n["id"] != m["id"]),
            "a Kubernetes node behind web-lb"
        );
    }
    let hc = c
        .ok("listLBHealthCheckPolicies", &[("lbruleid", &lb)])
        .await;
    assert_eq!(
        hc["healthcheckpolicies"][0]["healthcheckpolicy"][0]["pingpath"],
        "/healthz"
    );
    assert!(count(&c.ok("listSnapshots", &all).await) >= 1);
    let policies = c.ok("listSnapshotPolicies", &all).await;
    assert_eq!(policies["snapshotpolicy"][0]["schedule"], "30:02");
    assert_eq!(policies["snapshotpolicy"][0]["timezone"], "Asia/Kolkata");
    sim.shutdown().await;
}
