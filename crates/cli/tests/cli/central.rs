//! A central server profile end to end: a real central server (with the CloudStack simulator
//! behind it) on loopback, the administrator with 2FA on, the profile saved as the desktop app
//! saves it; the binary signs in with a TOTP code computed by an independent client, lists,
//! reads and stops VMs through the server, then answers from the cache with the server stopped.

use crate::central_fixture::{self, PASSWORD};
use crate::home::{Home, fails, show};
use assert_cmd::prelude::*;
use serde_json::Value;
use std::time::{SystemTime, UNIX_EPOCH};

/// The server on its own thread and runtime, until [`Server::stop`].
struct Server {
    url: String,
    totp: totp_rs::Totp,
    /// The number of the customer's issued invoice.
    invoice: String,
    stop: Option<tokio::sync::oneshot::Sender<()>>,
    thread: Option<std::thread::JoinHandle<()>>,
}

impl Server {
    /// Starts the server with 3 seeded VMs and a customer with one more and an issued invoice,
    /// and turns 2FA on for
    /// the administrator (enrolled with the code of the previous 30-second step, so the current
    /// one is left for the sign-in under test).
    fn start() -> Self {
        let (tx, rx) = std::sync::mpsc::channel();
        let (stop_tx, stop_rx) = tokio::sync::oneshot::channel::<()>();
        let thread = std::thread::spawn(move || {
            let rt = tokio::runtime::Builder::new_multi_thread()
                .worker_threads(2)
                .enable_all()
                .build()
                .unwrap();
            rt.block_on(async move {
                let running = central_fixture::start(3).await;
                let url = running.server.url();
                let (api, token) = central_fixture::admin(&url).await;
                let customer =
                    central_fixture::customer_with_vm(&api, "Customer A", "cust-web").await;
                let invoice =
                    central_fixture::issue_invoice(&url, &token, &running.sim, &customer).await;
                let setup = api.twofa_setup().await.unwrap();
                let totp = totp_rs::Totp::from_url(&setup.otpauth_uri).unwrap();
                let code = totp.generate(now() - 30).to_string();
                api.twofa_enable(&code).await.unwrap();
                tx.send((url, totp, invoice)).unwrap();
                let _ = stop_rx.await;
                let central_fixture::Running { server, sim, .. } = running;
                server.shutdown().await;
                drop(sim);
            });
        });
        let (url, totp, invoice) = rx.recv().unwrap();
        Server {
            url,
            totp,
            invoice,
            stop: Some(stop_tx),
            thread: Some(thread),
        }
    }

    /// The authenticator's code now.
    fn code(&self) -> String {
        self.totp.generate(now()).to_string()
    }

    /// A code of no step near now.
    fn wrong_code(&self) -> String {
        let right = [now() - 30, now(), now() + 30].map(|t| self.totp.generate(t).to_string());
        (0..)
            .map(|i| self.totp.generate(now() + 3600 + i * 30).to_string())
            .find(|c| !right.contains(c))
            .unwrap()
    }

    fn stop(&mut self) {
        if let Some(s) = self.stop.take() {
            let _ = s.send(());
        }
        if let Some(t) = self.thread.take() {
            t.join().unwrap();
        }
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        self.stop();
    }
}

fn now() -> u64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .unwrap()
        .as_secs()
}

/// Saves the central profile as the desktop app's Connect page does.
fn add_profile(home: &Home, url: &str) {
    let rt = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap();
    rt.block_on(async {
        let console = akashone_app::Console::open(
            &home.data_dir(),
            std::sync::Arc::new(akashone_app::NoEvents),
            home.app_options(),
        )
        .unwrap();
        console
            .add_central_profile(&akashone_types::NewCentralProfile {
                name: "Platform".into(),
                url: url.into(),
                username: "admin".into(),
            })
            .await
            .unwrap();
    });
}

fn names(list: &Value) -> Vec<String> {
    let mut n: Vec<String> = list
        .as_array()
        .unwrap()
        .iter()
        .map(|v| v["name"].as_str().unwrap().to_owned())
        .collect();
    n.sort();
    n
}

#[test]
fn central_profile_signs_in_with_2fa_lists_acts_and_reads_the_cache_offline() {
    let mut server = Server::start();
    let home = Home::new();
    add_profile(&home, &server.url);
    let p = ["--profile", "Platform"];
    let with =
        |args: &[&str]| -> Vec<String> { p.iter().chain(args).map(|s| (*s).to_owned()).collect() };
    let run = |args: &[&str]| home.run(&with(args).iter().map(String::as_str).collect::<Vec<_>>());
    let json =
        |args: &[&str]| home.json(&with(args).iter().map(String::as_str).collect::<Vec<_>>());

    // Not signed in yet: told to log in; nothing cached for --offline.
    let err = fails(&run(&["vm", "list"]), 3, "not signed in");
    assert!(
        err.contains("akashone login --profile \"Platform\""),
        "{err}"
    );
    fails(&run(&["--offline", "vm", "list"]), 4, "nothing is cached");

    // A wrong code is refused as an authentication failure; a code of the wrong shape as input.
    let login =
        |code: &str| home.run_stdin(&with(&["login", "--code", code]), &format!("{PASSWORD}\n"));
    fails(&login(&server.wrong_code()), 3, "sign-in refused");
    fails(&login("12ab56"), 2, "6 digits");
    let out = home.run_stdin(
        &with(&["login", "--code", &server.code()]),
        "not-the-password\n",
    );
    fails(&out, 3, "sign-in refused");

    // The right code signs in; the token is in the vault, never in clear on disk.
    let out = login(&server.code());
    assert!(out.status.success(), "{}", show(&out));
    assert!(String::from_utf8_lossy(&out.stderr).contains("signed in to \"Platform\" as admin"));
    assert!(home.files_holding(PASSWORD).is_empty());

    // VMs through the server: the seeded ones and the customer's.
    let vms = json(&["vm", "list", "-o", "json"]);
    assert_eq!(vms.as_array().unwrap().len(), 4, "{vms}");
    assert!(names(&vms).contains(&"cust-web".to_owned()), "{vms}");
    let web = vms
        .as_array()
        .unwrap()
        .iter()
        .find(|v| v["name"] == "cust-web")
        .unwrap()
        .clone();
    assert_eq!(web["state"], "Running");
    let id = web["id"].as_str().unwrap().to_owned();
    let one = json(&["vm", "get", &id, "-o", "json"]);
    assert_eq!(one["name"], "cust-web");
    let out = run(&["vm", "list"]);
    let table = String::from_utf8_lossy(&out.stdout);
    assert!(table.starts_with("ID "), "{}", show(&out));
    assert!(table.contains("cust-web"));
    fails(&run(&["vm", "get", "no-such-vm"]), 4, "no-such-vm");

    // The catalogue through the server.
    let zones = json(&["zone", "list", "-o", "json"]);
    assert!(!zones.as_array().unwrap().is_empty(), "{zones}");
    let zone = zones[0]["id"].as_str().unwrap().to_owned();
    let templates = json(&["template", "list", "--zone", &zone, "-o", "json"]);
    assert!(!templates.as_array().unwrap().is_empty(), "{templates}");
    assert_eq!(templates[0]["zoneid"], zone.as_str());
    let offerings = json(&["offering", "list", "-o", "json"]);
    assert!(!offerings.as_array().unwrap().is_empty(), "{offerings}");
    let invoices = json(&["invoice", "list", "-o", "json"]);
    assert!(
        invoices
            .as_array()
            .unwrap()
            .iter()
            .any(|i| i["number"] == server.invoice.as_str()),
        "{invoices}"
    );
    let shown = json(&["invoice", "show", &server.invoice]);
    assert_eq!(shown["summary"]["number"], server.invoice.as_str());

    // An action through the server, waited for; refusals say why.
    let stopped = json(&["vm", "stop", &id, "--wait", "-o", "json"]);
    assert_eq!(stopped["state"], "Stopped", "{stopped}");
    fails(
        &run(&["vm", "destroy", &id, "--expunge"]),
        7,
        "without expunging",
    );
    fails(
        &run(&["api", "listZones"]),
        2,
        "raw API calls need a direct CloudStack",
    );
    fails(
        &run(&["offering", "list", "--kind", "disk"]),
        2,
        "compute offerings only",
    );

    // Too many wrong passwords lock the account: the authentication exit, and the message says
    // so.
    let locked = (0..8)
        .map(|_| home.run_stdin(&with(&["login", "--code", "000000"]), "wrong-password\n"))
        .find(|o| String::from_utf8_lossy(&o.stderr).contains("Too many failed sign-in"))
        .expect("the account locks");
    fails(&locked, 3, "locked for");

    // The server stops: online commands say so and point to --offline, which answers from the
    // cache.
    server.stop();
    let err = fails(&run(&["vm", "list"]), 5, "--offline");
    assert!(
        err.contains("cannot be reached") || err.contains("unreachable"),
        "{err}"
    );
    let out = home
        .cmd()
        .args(with(&["--offline", "vm", "list", "-o", "json"]))
        .assert()
        .success()
        .get_output()
        .clone();
    let cached: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(names(&cached), names(&vms));
    let web = cached
        .as_array()
        .unwrap()
        .iter()
        .find(|v| v["name"] == "cust-web")
        .unwrap();
    assert_eq!(web["state"], "Stopped", "the action's result is cached");
    assert!(String::from_utf8_lossy(&out.stderr).contains("offline: data of profile \"Platform\""));
    let one = json(&["--offline", "vm", "get", &id, "-o", "json"]);
    assert_eq!(one["name"], "cust-web");
    fails(
        &run(&["--offline", "vm", "start", &id]),
        2,
        "needs the cloud",
    );
    // The catalogue of the last sync answers offline too, as it was listed online.
    let offline_zones = json(&["--offline", "zone", "list", "-o", "json"]);
    let ids = |v: &Value| -> Vec<String> {
        let mut ids: Vec<String> = v
            .as_array()
            .unwrap()
            .iter()
            .map(|x| x["id"].as_str().unwrap().to_owned())
            .collect();
        ids.sort();
        ids
    };
    assert_eq!(ids(&offline_zones), ids(&zones));
    let offline_templates = json(&[
        "--offline",
        "template",
        "list",
        "--zone",
        &zone,
        "-o",
        "json",
    ]);
    assert_eq!(ids(&offline_templates), ids(&templates));
    let offline_offerings = json(&["--offline", "offering", "list", "-o", "json"]);
    assert_eq!(ids(&offline_offerings), ids(&offerings));
    assert!(
        offline_offerings[0]["cpunumber"]
            .as_str()
            .is_some_and(|c| !c.is_empty()),
        "{offline_offerings}"
    );
    fails(
        &run(&["--offline", "offering", "list", "--zone", &zone]),
        2,
        "drop --zone",
    );
    let pdf = home.path().join("invoice.pdf");
    let pdf_arg = pdf.to_str().unwrap();
    let out = run(&[
        "--offline",
        "invoice",
        "pdf",
        "--number",
        &server.invoice,
        "--out",
        pdf_arg,
    ]);
    assert!(out.status.success(), "{}", show(&out));
    assert!(std::fs::read(&pdf).unwrap().starts_with(b"%PDF-"));
    fails(
        &run(&["--offline", "invoice", "show", "NO/SUCH/1"]),
        4,
        "NO/SUCH/1",
    );

    // Signing out deletes the session (the server being gone, only here): online commands ask
    // to log in again, the cache stays readable.
    let out = run(&["logout"]);
    assert!(out.status.success(), "{}", show(&out));
    fails(&run(&["vm", "list"]), 3, "not signed in");
    let cached = json(&["--offline", "vm", "list", "-o", "json"]);
    assert_eq!(names(&cached), names(&vms));

    // Unknown profiles.
    let out = home.run(&["--profile", "nope", "vm", "list"]);
    let err = fails(&out, 2, "no profile named \"nope\"");
    assert!(err.contains("Platform"), "{err}");
}
