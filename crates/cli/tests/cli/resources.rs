//! `akashone network|ip|firewall|volume|snapshot` on a saved direct profile against the
//! simulator: a network, an address, a rule set planned then applied (refused without source
//! CIDRs), a volume (its snapshot refused until it is Ready) with a daily policy read back,
//! deletes needing --yes,
//! unknown names with exit 4.

use crate::home::{Home, fails, show};
use crate::sim::Sim;
use serde_json::Value;

fn named<'a>(list: &'a Value, key: &str, name: &str) -> Option<&'a Value> {
    list.as_array().unwrap().iter().find(|c| c[key] == name)
}

#[test]
fn networks_addresses_rules_volumes_and_snapshots_on_a_saved_profile() {
    let sim = Sim::start_with(akashone_cloudstack_sim::SimConfig {
        vms: 1,
        ..akashone_cloudstack_sim::SimConfig::default()
    });
    let home = Home::new();
    home.save_cloudstack_profile("lab", &sim.url, &sim.key, &sim.secret);
    let with = |args: &[&str]| -> Vec<String> {
        ["--profile", "lab"]
            .iter()
            .chain(args)
            .map(|s| (*s).to_owned())
            .collect()
    };
    let run = |args: &[&str]| home.run(&with(args).iter().map(String::as_str).collect::<Vec<_>>());
    let json =
        |args: &[&str]| home.json(&with(args).iter().map(String::as_str).collect::<Vec<_>>());

    let zones = json(&["zone", "list", "-o", "json"]);
    let zone = zones[0]["name"].as_str().unwrap().to_owned();

    // A network: the offering by name, a bad CIDR refused, then created and listed.
    fails(
        &run(&[
            "network",
            "create",
            "lab-net",
            "--zone",
            &zone,
            "--offering",
            "nope",
        ]),
        4,
        "nope",
    );
    let out = run(&[
        "network",
        "create",
        "lab-net",
        "--zone",
        &zone,
        "--offering",
        "DefaultIsolatedNetworkOfferingWithSourceNatService",
        "--gateway",
        "8.8.8.1",
        "--netmask",
        "255.255.255.0",
    ]);
    fails(&out, 7, "CloudStack would refuse");
    let created = json(&[
        "network",
        "create",
        "lab-net",
        "--zone",
        &zone,
        "--offering",
        "DefaultIsolatedNetworkOfferingWithSourceNatService",
        "-o",
        "json",
    ]);
    assert_eq!(created["result"], "done", "{created}");
    let networks = json(&["network", "list", "-o", "json"]);
    assert!(named(&networks, "name", "lab-net").is_some(), "{networks}");

    // An address for it.
    let acquired = json(&["ip", "acquire", "--network", "lab-net", "-o", "json"]);
    let ip_id = acquired["id"].as_str().unwrap().to_owned();
    let ips = json(&["ip", "list", "-o", "json"]);
    let ip = ips
        .as_array()
        .unwrap()
        .iter()
        .find(|a| a["id"] == ip_id.as_str())
        .expect("the address is listed");
    let address = ip["address"].as_str().unwrap().to_owned();

    // A rule set: no source CIDRs is a usage error; the plan first, then applied by address.
    let out = run(&["firewall", "apply", "--ip", &address, "--ports", "22,443"]);
    assert_eq!(out.status.code(), Some(2), "{}", show(&out));
    let plan = json(&[
        "firewall",
        "apply",
        "--ip",
        &address,
        "--ports",
        "22, 443",
        "--cidrs",
        "198.51.100.0/24",
        "--dry-run",
        "-o",
        "json",
    ]);
    assert_eq!(plan["rules"].as_array().unwrap().len(), 2, "{plan}");
    assert_eq!(plan["opensToWorld"], false);
    let applied = json(&[
        "firewall",
        "apply",
        "--ip",
        &address,
        "--ports",
        "22, 443",
        "--cidrs",
        "198.51.100.0/24",
        "-o",
        "json",
    ]);
    assert!(
        applied["message"]
            .as_str()
            .unwrap()
            .contains("2 firewall rules created"),
        "{applied}"
    );
    let rules = json(&["firewall", "list", &address, "-o", "json"]);
    assert_eq!(rules.as_array().unwrap().len(), 2, "{rules}");

    // A volume and a daily policy.
    fails(
        &run(&[
            "volume",
            "create",
            "lab-data",
            "--zone",
            &zone,
            "--offering",
            "Custom Disk",
        ]),
        7,
        "size",
    );
    let made = json(&[
        "volume",
        "create",
        "lab-data",
        "--zone",
        &zone,
        "--offering",
        "Custom Disk",
        "--size",
        "8",
        "-o",
        "json",
    ]);
    assert_eq!(made["result"], "done", "{made}");
    let volumes = json(&["volume", "list", "-o", "json"]);
    assert_eq!(
        named(&volumes, "name", "lab-data").unwrap()["sizeBytes"],
        8u64 << 30
    );
    // Never attached, it is Allocated: CloudStack would not snapshot it, and says why first.
    fails(
        &run(&[
            "snapshot", "take", "--volume", "lab-data", "--name", "first",
        ]),
        7,
        "Ready",
    );
    // Attached to a VM it is Ready.
    let vms = json(&["vm", "list", "-o", "json"]);
    let vm = vms[0]["name"].as_str().unwrap().to_owned();
    json(&["volume", "attach", "lab-data", "--vm", &vm, "-o", "json"]);
    json(&[
        "snapshot", "take", "--volume", "lab-data", "--name", "first", "-o", "json",
    ]);
    let snaps = json(&["snapshot", "list", "--volume", "lab-data", "-o", "json"]);
    assert!(named(&snaps, "name", "first").is_some(), "{snaps}");
    fails(
        &run(&[
            "snapshot", "policy", "--volume", "lab-data", "--daily", "25:00",
        ]),
        7,
        "hour",
    );
    json(&[
        "snapshot", "policy", "--volume", "lab-data", "--daily", "02:30", "--keep", "7", "-o",
        "json",
    ]);
    let table = run(&["snapshot", "policies", "--volume", "lab-data"]);
    let text = String::from_utf8_lossy(&table.stdout);
    assert!(
        text.contains("30:02") && text.contains("Asia/Kolkata"),
        "{text}"
    );

    // Deletes need --yes, an attached volume cannot go, unknown names are exit 4.
    fails(&run(&["volume", "delete", "lab-data"]), 2, "--yes");
    fails(
        &run(&["volume", "delete", "lab-data", "--yes"]),
        7,
        "detached",
    );
    json(&["volume", "detach", "lab-data", "-o", "json"]);
    fails(&run(&["volume", "delete", "ghost", "--yes"]), 4, "ghost");
    json(&["volume", "delete", "lab-data", "--yes", "-o", "json"]);
    let volumes = json(&["volume", "list", "-o", "json"]);
    assert!(named(&volumes, "name", "lab-data").is_none());
    fails(&run(&["ip", "release", &address]), 2, "--yes");
    json(&["ip", "release", &address, "--yes", "-o", "json"]);
}
