//! `akashone k8s` on a saved direct profile against the simulator: the create's refusals (bad
//! flags, unknown names, the plan's problems with --dry-run and without), a real create with
//! --wait, the list as JSON and CSV, scale, autoscale, removing a chosen worker, upgrade, the
//! kubeconfig to stdout and to a 0600 file, stop and start, a scale failing in a full zone (the
//! job's exit, the cluster in Alert, scaling then refused up front), and delete with --yes.

use crate::home::{Home, fails, show};
use crate::sim::Sim;
use serde_json::Value;

fn find<'a>(list: &'a Value, name: &str) -> Option<&'a Value> {
    list.as_array().unwrap().iter().find(|c| c["name"] == name)
}

#[test]
fn k8s_create_list_scale_kubeconfig_stop_start_delete_on_a_saved_profile() {
    // Room for 4 VMs in each zone: the cluster grows to 3 nodes, a scale to 6 fails.
    let sim = Sim::start_with(akashone_cloudstack_sim::SimConfig {
        vms: 0,
        zone_capacity: Some(4),
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

    // What there is to choose from.
    let zones = json(&["zone", "list", "-o", "json"]);
    let zone = zones[0]["name"].as_str().unwrap().to_owned();
    let versions = json(&["k8s", "versions", "--zone", &zone, "-o", "json"]);
    assert!(
        versions
            .as_array()
            .unwrap()
            .iter()
            .any(|v| v["semanticVersion"] == "1.29.2" && v["enabled"] == true),
        "{versions}"
    );
    let table = run(&["k8s", "versions"]);
    assert!(table.status.success(), "{}", show(&table));
    let text = String::from_utf8_lossy(&table.stdout);
    assert!(
        text.starts_with("ID ") && text.contains("AUTOSCALING") && text.contains("v1.29.2"),
        "{}",
        show(&table)
    );
    let create = |extra: &[&str]| {
        let mut args = vec![
            "k8s",
            "create",
            "shop",
            "--zone",
            &zone,
            "--version",
            "1.29.2",
            "--offering",
            "CKS Node",
        ];
        args.extend_from_slice(extra);
        run(&args)
    };

    // Malformed command lines exit 2; unknown names 4; the plan's problems 7.
    fails(
        &create(&["--workers", "1", "--autoscale", "1-3"]),
        2,
        "cannot be used with",
    );
    fails(&create(&[]), 2, "--workers");
    fails(&create(&["--autoscale", "three"]), 2, "MIN-MAX");
    fails(
        &run(&[
            "k8s",
            "create",
            "shop",
            "--zone",
            "Atlantis",
            "--version",
            "1.29.2",
            "--offering",
            "CKS Node",
            "--workers",
            "1",
        ]),
        4,
        "no zone \"Atlantis\"",
    );
    fails(
        &run(&[
            "k8s",
            "create",
            "shop",
            "--zone",
            &zone,
            "--version",
            "1.99.0",
            "--offering",
            "CKS Node",
            "--workers",
            "1",
        ]),
        4,
        "no Kubernetes version \"1.99.0\"",
    );
    fails(
        &run(&[
            "k8s",
            "create",
            "shop",
            "--zone",
            &zone,
            "--version",
            "1.29.2",
            "--offering",
            "Huge",
            "--workers",
            "1",
        ]),
        4,
        "no compute offering \"Huge\"",
    );
    let out = create(&["--autoscale", "3-2", "--dry-run"]);
    fails(&out, 7, "problem");
    assert!(
        String::from_utf8_lossy(&out.stdout)
            .contains("The largest size (2) must be greater than the smallest (3)."),
        "{}",
        show(&out)
    );
    let err = fails(
        &run(&[
            "k8s",
            "create",
            "shop",
            "--zone",
            &zone,
            "--version",
            "1.29.2",
            "--offering",
            "Small Instance",
            "--control-nodes",
            "2",
            "--workers",
            "1",
        ]),
        7,
        "CloudStack would refuse the cluster \"shop\":",
    );
    assert!(
        err.contains("  - 2 control nodes cannot keep a quorum"),
        "{err}"
    );
    assert!(
        err.contains("  - The node offering Small Instance"),
        "{err}"
    );
    let plan = json(&[
        "k8s",
        "create",
        "shop",
        "--zone",
        &zone,
        "--version",
        "v1.29.2",
        "--offering",
        "CKS Node",
        "--workers",
        "1",
        "--dry-run",
        "-o",
        "json",
    ]);
    assert_eq!(plan["plan"]["problems"], serde_json::json!([]), "{plan}");
    assert_eq!(plan["plan"]["needs"]["vms"], 2, "{plan}");
    let out = create(&["--workers", "1", "--dry-run"]);
    assert!(out.status.success(), "{}", show(&out));
    assert!(
        String::from_utf8_lossy(&out.stdout).contains("problems   none"),
        "{}",
        show(&out)
    );
    let listed = json(&["k8s", "list", "-o", "json"]);
    assert!(find(&listed, "shop").is_none(), "nothing was created");

    // Create until Running.
    let shop = json(&[
        "k8s",
        "create",
        "shop",
        "--zone",
        &zone,
        "--version",
        "1.29.2",
        "--offering",
        "CKS Node",
        "--workers",
        "1",
        "--wait",
        "-o",
        "json",
    ]);
    assert_eq!(shop["name"], "shop", "{shop}");
    assert_eq!(shop["state"], "Running", "{shop}");
    assert_eq!(
        (shop["controlNodes"].clone(), shop["workers"].clone()),
        (1.into(), 1.into())
    );
    let listed = json(&["k8s", "list", "-o", "json"]);
    let row = find(&listed, "shop").unwrap();
    assert_eq!(row["state"], "Running");
    assert_eq!(row["version"], "v1.29.2");
    let csv = run(&["k8s", "list", "-o", "csv"]);
    let csv_text = String::from_utf8_lossy(&csv.stdout).into_owned();
    assert_eq!(
        csv_text.lines().next(),
        Some("name,state,version,control,workers,autoscale,zone,endpoint"),
        "{}",
        show(&csv)
    );
    assert!(
        csv_text
            .lines()
            .any(|l| l.starts_with(&format!("shop,Running,v1.29.2,1,1,-,{zone},"))),
        "{csv_text}"
    );
    fails(
        &run(&["k8s", "get", "nope"]),
        4,
        "no Kubernetes cluster \"nope\"",
    );

    // Scale to a size, autoscale and back, then remove a chosen worker by name.
    let scaled = json(&[
        "k8s", "scale", "shop", "--size", "2", "--wait", "-o", "json",
    ]);
    assert_eq!(scaled["workers"], 2, "{scaled}");
    let auto = json(&["k8s", "autoscale", "shop", "1", "3", "--wait", "-o", "json"]);
    assert_eq!(auto["autoscale"], serde_json::json!([1, 3]), "{auto}");
    fails(
        &run(&["k8s", "autoscale", "shop", "3", "3"]),
        7,
        "Autoscaling needs",
    );
    fails(&run(&["k8s", "autoscale", "shop", "--off"]), 2, "--size");
    let fixed = json(&[
        "k8s",
        "autoscale",
        "shop",
        "--off",
        "--size",
        "2",
        "--wait",
        "-o",
        "json",
    ]);
    assert_eq!(fixed["autoscale"], Value::Null, "{fixed}");
    assert_eq!(fixed["workers"], 2, "{fixed}");
    let worker = fixed["nodes"]
        .as_array()
        .unwrap()
        .iter()
        .rev()
        .find(|n| n["role"] == "worker")
        .unwrap()["name"]
        .as_str()
        .unwrap()
        .to_owned();
    fails(
        &run(&["k8s", "scale", "shop", "--remove", "ghost"]),
        4,
        "no node \"ghost\"",
    );
    let removed = json(&[
        "k8s", "scale", "shop", "--remove", &worker, "--wait", "-o", "json",
    ]);
    assert_eq!(removed["workers"], 1, "{removed}");
    assert!(
        removed["nodes"]
            .as_array()
            .unwrap()
            .iter()
            .all(|n| n["name"] != worker.as_str()),
        "{removed}"
    );

    // Upgrade: two minors at once refused, the next minor done.
    fails(
        &run(&["k8s", "upgrade", "shop", "--version", "1.31.1"]),
        7,
        "next minor",
    );
    let upgraded = json(&[
        "k8s",
        "upgrade",
        "shop",
        "--version",
        "1.30.4",
        "--wait",
        "-o",
        "json",
    ]);
    assert_eq!(upgraded["version"], "v1.30.4", "{upgraded}");

    // The kubeconfig: to stdout only, and to a file readable by its owner only.
    let out = run(&["k8s", "kubeconfig", "shop"]);
    assert!(out.status.success(), "{}", show(&out));
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(text.contains("apiVersion"), "{}", show(&out));
    assert!(out.stderr.is_empty(), "{}", show(&out));
    let path = home.path().join("kube").join("shop.yaml");
    let out = run(&[
        "k8s",
        "kubeconfig",
        "shop",
        "--file",
        path.to_str().unwrap(),
    ]);
    assert!(out.status.success(), "{}", show(&out));
    assert!(out.stdout.is_empty(), "{}", show(&out));
    assert!(
        String::from_utf8_lossy(&out.stderr).contains(path.to_str().unwrap()),
        "{}",
        show(&out)
    );
    assert!(
        std::fs::read_to_string(&path)
            .unwrap()
            .contains("apiVersion")
    );
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = std::fs::metadata(&path).unwrap().permissions().mode() & 0o777;
        assert_eq!(mode, 0o600);
    }

    // Stop (again: refused up front), start.
    let stopped = json(&["k8s", "stop", "shop", "--wait", "-o", "json"]);
    assert_eq!(stopped["state"], "Stopped", "{stopped}");
    fails(&run(&["k8s", "stop", "shop"]), 7, "cannot stop");
    let started = json(&["k8s", "start", "shop", "--wait", "-o", "json"]);
    assert_eq!(started["state"], "Running", "{started}");

    // The cache answers offline; changes need the cloud.
    let offline = json(&["--offline", "k8s", "list", "-o", "json"]);
    assert_eq!(find(&offline, "shop").unwrap()["state"], "Running");
    fails(
        &run(&["--offline", "k8s", "stop", "shop"]),
        2,
        "needs the cloud",
    );

    // A scale beyond the zone's room fails in CloudStack's job: the job's exit with its reason,
    // the cluster in Alert, where scaling is refused up front.
    let out = run(&["k8s", "scale", "shop", "--size", "5", "--wait"]);
    fails(&out, 6, "scale shop failed:");
    let listed = json(&["k8s", "list", "-o", "json"]);
    assert_eq!(find(&listed, "shop").unwrap()["state"], "Alert", "{listed}");
    fails(
        &run(&["k8s", "scale", "shop", "--size", "1"]),
        7,
        "state Alert cannot scale",
    );

    // Delete (what CloudStack offers a cluster in Alert): --yes is required.
    fails(&run(&["k8s", "delete", "shop"]), 2, "add --yes");
    let out = run(&["k8s", "delete", "shop", "--yes", "--wait"]);
    assert!(out.status.success(), "{}", show(&out));
    let listed = json(&["k8s", "list", "-o", "json"]);
    assert!(find(&listed, "shop").is_none(), "{listed}");
    fails(
        &run(&["k8s", "delete", "shop", "--yes"]),
        4,
        "no Kubernetes cluster",
    );
}

#[test]
fn k8s_refuses_legacy_credentials() {
    let home = Home::new();
    let out = home
        .cmd()
        .env("CLOUDSTACK_API_URL", "http://127.0.0.1:9/client/api")
        .env("CLOUDSTACK_API_KEY", "k")
        .env("CLOUDSTACK_SECRET_KEY", "s")
        .args(["k8s", "list"])
        .output()
        .unwrap();
    fails(&out, 2, "akashone profile import");
}
