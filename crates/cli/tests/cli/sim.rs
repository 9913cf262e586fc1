//! The binary against the CloudStack simulator.

use akashone_cloudstack_sim::{SimConfig, Simulator};
use assert_cmd::prelude::*;
use serde_json::Value;
use std::process::Command;

/// A simulator on its own thread and runtime; stops when dropped.
pub struct Sim {
    pub url: String,
    pub key: String,
    pub secret: String,
    _stop: tokio::sync::oneshot::Sender<()>,
}

impl Sim {
    pub fn start() -> Self {
        Self::start_with(SimConfig::default())
    }

    /// A simulator with this configuration.
    pub fn start_with(config: SimConfig) -> Self {
        let (tx, rx) = std::sync::mpsc::channel();
        let (stop_tx, stop_rx) = tokio::sync::oneshot::channel::<()>();
        std::thread::spawn(move || {
            let rt = tokio::runtime::Builder::new_current_thread()
                .enable_all()
                .build()
                .unwrap();
            rt.block_on(async move {
                let sim = Simulator::start(config).await.unwrap();
                tx.send((
                    sim.url(),
                    sim.api_key().to_owned(),
                    sim.secret_key().to_owned(),
                ))
                .unwrap();
                let _ = stop_rx.await;
                drop(sim);
            });
        });
        let (url, key, secret) = rx.recv().unwrap();
        Sim {
            url,
            key,
            secret,
            _stop: stop_tx,
        }
    }

    fn cmd(&self, secret: &str) -> Command {
        let mut c = Command::new(env!("CARGO_BIN_EXE_akashone"));
        c.env_clear()
            .env("CLOUDSTACK_API_URL", &self.url)
            .env("CLOUDSTACK_API_KEY", &self.key)
            .env("CLOUDSTACK_SECRET_KEY", secret);
        c
    }

    fn json(&self, args: &[&str]) -> Value {
        let out = self
            .cmd(&self.secret)
            .args(args)
            .assert()
            .success()
            .get_output()
            .clone();
        serde_json::from_slice(&out.stdout).unwrap()
    }
}

#[test]
fn zone_list_json_against_the_simulator() {
    let sim = Sim::start();
    let zones = sim.json(&["zone", "list", "--output", "json"]);
    assert_eq!(zones.as_array().unwrap().len(), 3);
    assert!(zones[0]["id"].is_string());
}

#[test]
fn vm_deploy_wait_against_the_simulator() {
    let sim = Sim::start();
    let zones = sim.json(&["zone", "list", "-o", "json"]);
    let zone = zones[0]["id"].as_str().unwrap().to_owned();
    let templates = sim.json(&["template", "list", "--zone", &zone, "-o", "json"]);
    let template = templates[0]["id"].as_str().unwrap().to_owned();
    let offerings = sim.json(&["offering", "list", "-o", "json"]);
    let offering = offerings[0]["id"].as_str().unwrap().to_owned();
    let vm = sim.json(&[
        "vm",
        "deploy",
        "--zone",
        &zone,
        "--template",
        &template,
        "--offering",
        &offering,
        "--name",
        "cli-vm",
        "--wait",
        "-o",
        "json",
    ]);
    assert_eq!(vm["name"], "cli-vm");
    assert_eq!(vm["state"], "Running");
    let id = vm["id"].as_str().unwrap().to_owned();
    let stopped = sim.json(&["vm", "stop", &id, "--force", "--wait", "-o", "json"]);
    assert_eq!(stopped["state"], "Stopped");
    let listed = sim.json(&["api", "listVirtualMachines", &format!("id={id}")]);
    assert_eq!(listed["virtualmachine"][0]["state"], "Stopped");
}

#[test]
fn bad_credentials_against_the_simulator_exit_3() {
    let sim = Sim::start();
    sim.cmd("wrong").args(["zone", "list"]).assert().code(3);
}
