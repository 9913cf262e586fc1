//! Direct CloudStack profiles: a profiles.toml profile keeps working with a warning, `profile
//! import` moves it into the app's vault (the file no longer holds its secret), and the saved
//! profile then works the same, with its cache answering `--offline` once the cloud is gone.

use crate::home::{Home, fails, show};
use crate::sim::Sim;
use assert_cmd::prelude::*;
use std::time::{Duration, Instant};

fn write_toml(home: &Home, sim: &Sim, closed_port: u16) {
    let path = home.profiles_toml();
    std::fs::create_dir_all(path.parent().unwrap()).unwrap();
    std::fs::write(
        &path,
        format!(
            "# clouds\n[lab]\nurl = \"{}\"\napi_key = \"{}\"\nsecret_key = \"{}\"\n\n\
             [gone]\nurl = \"http://127.0.0.1:{closed_port}/client/api\"\napi_key = \"gk\"\nsecret_key = \"gone-secret\"\n",
            sim.url, sim.key, sim.secret
        ),
    )
    .unwrap();
}

fn closed_port() -> u16 {
    let l = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    l.local_addr().unwrap().port()
}

#[test]
fn a_profiles_toml_profile_warns_then_moves_into_the_vault_and_its_cache_answers_offline() {
    let sim = Sim::start();
    let home = Home::new();
    write_toml(&home, &sim, closed_port());

    // Read-only from profiles.toml, with a warning on stderr.
    let out = home
        .cmd()
        .args(["--profile", "lab", "zone", "list", "-o", "json"])
        .assert()
        .success()
        .get_output()
        .clone();
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("warning: profile [lab]"), "{err}");
    assert!(
        err.contains("plain text") && err.contains("akashone profile import"),
        "{err}"
    );
    let zones: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(zones.as_array().unwrap().len(), 3);
    // Without a saved profile there is no cache to read.
    fails(
        &home.run(&["--profile", "lab", "--offline", "vm", "list"]),
        2,
        "--offline reads a saved profile's cache",
    );
    let listed = home.json(&["profile", "list", "-o", "json"]);
    assert_eq!(listed[1]["name"], "lab");
    assert_eq!(listed[1]["kind"], "profiles.toml");

    // Import: lab moves into the vault; gone cannot be checked, so it stays in the file.
    let out = home.run(&["profile", "import"]);
    fails(&out, 2, "1 profile(s) were not imported");
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(
        text.contains("imported: secret key in the vault"),
        "{}",
        show(&out)
    );
    assert!(text.contains("not imported"), "{}", show(&out));
    let toml = std::fs::read_to_string(home.profiles_toml()).unwrap();
    assert!(
        !toml.contains("[lab]") && !toml.contains(&sim.secret),
        "{toml}"
    );
    assert!(
        toml.starts_with("# clouds\n") && toml.contains("[gone]"),
        "{toml}"
    );
    assert_eq!(
        home.files_holding(&sim.secret),
        Vec::<std::path::PathBuf>::new(),
        "the secret key is nowhere in clear"
    );
    let listed = home.json(&["profile", "list", "-o", "json"]);
    let lab = listed
        .as_array()
        .unwrap()
        .iter()
        .find(|p| p["name"] == "lab")
        .unwrap();
    assert_eq!(lab["kind"], "cloudstack");
    assert_eq!(lab["secret"], "encrypted file");

    // The saved profile works the same, without the warning; `vm list` fills its cache.
    let out = home
        .cmd()
        .args(["--profile", "lab", "vm", "list", "-o", "json"])
        .assert()
        .success()
        .get_output()
        .clone();
    assert!(!String::from_utf8_lossy(&out.stderr).contains("warning"));
    let vms: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let count = vms.as_array().unwrap().len();
    assert!(count > 0, "{vms}");
    let zones = home.json(&["--profile", "lab", "zone", "list", "-o", "json"]);
    assert_eq!(zones.as_array().unwrap().len(), 3);
    let raw = home.json(&["--profile", "lab", "api", "listZones"]);
    assert_eq!(raw["zone"].as_array().unwrap().len(), 3);
    let csv = home.run(&["--profile", "lab", "vm", "list", "-o", "csv"]);
    assert_eq!(
        String::from_utf8_lossy(&csv.stdout).lines().next(),
        Some("id,name,state,zonename,ipaddress,cpunumber,memory,templatename"),
        "{}",
        show(&csv)
    );

    // The cloud goes away: online commands exit as unreachable, --offline answers.
    let url = sim.url.clone();
    drop(sim);
    let addr = url::Url::parse(&url).unwrap();
    let port = addr.port().unwrap();
    let deadline = Instant::now() + Duration::from_secs(10);
    while std::net::TcpStream::connect(("127.0.0.1", port)).is_ok() {
        assert!(Instant::now() < deadline, "the simulator did not stop");
        std::thread::sleep(Duration::from_millis(50));
    }
    fails(
        &home.run(&["--profile", "lab", "vm", "list"]),
        5,
        "--offline",
    );
    let offline = home.json(&["--profile", "lab", "--offline", "vm", "list", "-o", "json"]);
    assert_eq!(offline.as_array().unwrap().len(), count);
}

#[test]
fn bad_profile_input_exits_with_its_own_codes() {
    let home = Home::new();
    // No profile anywhere.
    fails(
        &home.run(&["--profile", "nope", "vm", "list"]),
        2,
        "no profile named \"nope\"",
    );
    fails(&home.run(&["vm", "list"]), 2, "no profile chosen");
    fails(&home.run(&["profile", "import"]), 2, "no profile to import");
    // Legacy credentials have no cache.
    let out = home
        .cmd()
        .env("CLOUDSTACK_API_URL", "http://127.0.0.1:9/client/api")
        .env("CLOUDSTACK_API_KEY", "k")
        .env("CLOUDSTACK_SECRET_KEY", "s")
        .args(["--offline", "vm", "list"])
        .output()
        .unwrap();
    fails(&out, 2, "--offline reads a saved profile's cache");
    // login needs a central profile.
    fails(&home.run(&["login"]), 2, "--profile NAME");
}

#[test]
fn an_imported_default_profile_stays_the_default_and_the_emptied_file_goes() {
    let sim = Sim::start();
    let home = Home::new();
    let path = home.profiles_toml();
    std::fs::create_dir_all(path.parent().unwrap()).unwrap();
    std::fs::write(
        &path,
        format!(
            "[default]\nurl = \"{}\"\napi_key = \"{}\"\nsecret_key = \"{}\"\n",
            sim.url, sim.key, sim.secret
        ),
    )
    .unwrap();
    let out = home.run(&["zone", "list"]);
    assert!(out.status.success(), "{}", show(&out));
    assert!(String::from_utf8_lossy(&out.stderr).contains("warning: profile [default]"));
    let out = home.run(&["profile", "import", "default"]);
    assert!(out.status.success(), "{}", show(&out));
    assert!(
        String::from_utf8_lossy(&out.stderr).contains("was deleted"),
        "{}",
        show(&out)
    );
    assert!(!path.exists());
    let out = home.run(&["zone", "list", "-o", "json"]);
    assert!(out.status.success(), "{}", show(&out));
    assert!(!String::from_utf8_lossy(&out.stderr).contains("warning"));
    let zones: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(zones.as_array().unwrap().len(), 3);
    assert!(home.files_holding(&sim.secret).is_empty());
}
