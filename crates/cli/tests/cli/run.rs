//! End-to-end runs of the binary.

use crate::server::{API_KEY, SECRET, TestServer};
use assert_cmd::prelude::*;
use serde_json::Value;
use std::process::{Command, Output};

fn akashone(server: &TestServer, secret: &str) -> Command {
    let mut c = Command::new(env!("CARGO_BIN_EXE_akashone"));
    c.env_clear()
        .env("PATH", std::env::var_os("PATH").unwrap_or_default())
        .env("HOME", std::env::temp_dir())
        .env("CLOUDSTACK_API_URL", &server.url)
        .env("CLOUDSTACK_API_KEY", API_KEY)
        .env("CLOUDSTACK_SECRET_KEY", secret);
    c
}

fn stdout(o: &Output) -> String {
    String::from_utf8_lossy(&o.stdout).into_owned()
}

#[test]
fn zone_list_json() {
    let server = TestServer::start_on_own_thread(0);
    let out = akashone(&server, SECRET)
        .args(["zone", "list", "--output", "json"])
        .assert()
        .success()
        .get_output()
        .clone();
    let v: Value = serde_json::from_str(&stdout(&out)).unwrap();
    let zones = v.as_array().unwrap();
    assert_eq!(zones.len(), 2);
    assert_eq!(zones[0]["name"], "Mumbai");
}

#[test]
fn zone_list_table_and_csv() {
    let server = TestServer::start_on_own_thread(0);
    let out = akashone(&server, SECRET)
        .args(["zone", "list"])
        .assert()
        .success()
        .get_output()
        .clone();
    let text = stdout(&out);
    assert!(text.starts_with("ID "), "{text}");
    assert!(text.contains("Chennai"));
    let out = akashone(&server, SECRET)
        .args(["zone", "list", "-o", "csv"])
        .assert()
        .success()
        .get_output()
        .clone();
    assert_eq!(
        stdout(&out).lines().next(),
        Some("id,name,networktype,allocationstate")
    );
}

#[test]
fn vm_deploy_wait() {
    let server = TestServer::start_on_own_thread(0);
    let out = akashone(&server, SECRET)
        .args([
            "vm",
            "deploy",
            "--zone",
            "zone-1",
            "--template",
            "tpl-1",
            "--offering",
            "off-1",
            "--name",
            "web1",
            "--wait",
            "--output",
            "json",
        ])
        .assert()
        .success()
        .get_output()
        .clone();
    let vm: Value = serde_json::from_str(&stdout(&out)).unwrap();
    assert_eq!(vm["name"], "web1");
    assert_eq!(vm["state"], "Running");
    assert!(server.calls_of("queryAsyncJobResult").len() >= 3);
}

#[test]
fn vm_deploy_failure_exit_code() {
    let server = TestServer::start_on_own_thread(0);
    let out = akashone(&server, SECRET)
        .args([
            "vm",
            "deploy",
            "--zone",
            "zone-1",
            "--template",
            "tpl-1",
            "--offering",
            "off-1",
            "--name",
            "fail",
            "--wait",
        ])
        .assert()
        .code(6)
        .get_output()
        .clone();
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("533"), "{err}");
}

#[test]
fn vm_deploy_without_wait_prints_the_job() {
    let server = TestServer::start_on_own_thread(0);
    let out = akashone(&server, SECRET)
        .args([
            "vm",
            "deploy",
            "--zone",
            "z",
            "--template",
            "t",
            "--offering",
            "o",
            "-o",
            "json",
        ])
        .assert()
        .success()
        .get_output()
        .clone();
    let v: Value = serde_json::from_str(&stdout(&out)).unwrap();
    assert!(v["jobid"].as_str().unwrap().starts_with("job-"));
    assert_eq!(v["id"], "new-vm");
}

#[test]
fn vm_list_all_pages() {
    let server = TestServer::start_on_own_thread(1203);
    let out = akashone(&server, SECRET)
        .args(["vm", "list", "-o", "json"])
        .assert()
        .success()
        .get_output()
        .clone();
    let v: Value = serde_json::from_str(&stdout(&out)).unwrap();
    assert_eq!(v.as_array().unwrap().len(), 1203);
}

#[test]
fn bad_credentials_exit_3() {
    let server = TestServer::start_on_own_thread(0);
    let out = akashone(&server, "not-the-secret")
        .args(["zone", "list"])
        .assert()
        .code(3)
        .get_output()
        .clone();
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("unable to verify user credentials"), "{err}");
    assert!(!err.contains("not-the-secret"));
}

#[test]
fn api_verb_any_command() {
    let server = TestServer::start_on_own_thread(0);
    let out = akashone(&server, SECRET)
        .args([
            "api",
            "listTemplates",
            "templatefilter=executable",
            "zoneid=zone-9",
        ])
        .assert()
        .success()
        .get_output()
        .clone();
    let v: Value = serde_json::from_str(&stdout(&out)).unwrap();
    assert_eq!(v["template"][0]["zoneid"], "zone-9");
    let call = server.calls_of("listTemplates").pop().unwrap();
    assert_eq!(call.params["templatefilter"], "executable");
    // Unknown command: exit 4.
    akashone(&server, SECRET)
        .args(["api", "frobnicate"])
        .assert()
        .code(4);
    // Async command with --wait prints the job result.
    let out = akashone(&server, SECRET)
        .args([
            "api",
            "deployVirtualMachine",
            "zoneid=z",
            "serviceofferingid=o",
            "templateid=t",
            "name=x",
            "--wait",
        ])
        .assert()
        .success()
        .get_output()
        .clone();
    let v: Value = serde_json::from_str(&stdout(&out)).unwrap();
    assert_eq!(v["virtualmachine"]["name"], "x");
}

#[test]
fn unreachable_exit_5_and_missing_config_exit_2() {
    let port = {
        let l = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        l.local_addr().unwrap().port()
    };
    Command::new(env!("CARGO_BIN_EXE_akashone"))
        .env_clear()
        .env(
            "CLOUDSTACK_API_URL",
            format!("http://127.0.0.1:{port}/client/api"),
        )
        .env("CLOUDSTACK_API_KEY", "k")
        .env("CLOUDSTACK_SECRET_KEY", "s")
        .args(["zone", "list"])
        .assert()
        .code(5);
    let dir = tempfile::tempdir().unwrap();
    Command::new(env!("CARGO_BIN_EXE_akashone"))
        .env_clear()
        .env("HOME", dir.path())
        .env("XDG_CONFIG_HOME", dir.path())
        .args(["zone", "list"])
        .assert()
        .code(2);
}

#[test]
fn profile_file() {
    let server = TestServer::start_on_own_thread(0);
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("profiles.toml");
    std::fs::write(
        &path,
        format!(
            "[lab]\nurl = \"{}\"\napi_key = \"{API_KEY}\"\nsecret_key = \"{SECRET}\"\npost = true\n",
            server.url
        ),
    )
    .unwrap();
    Command::new(env!("CARGO_BIN_EXE_akashone"))
        .env_clear()
        .args(["--profile", "lab", "--config"])
        .arg(&path)
        .args(["offering", "list"])
        .assert()
        .success();
    let call = server.calls_of("listServiceOfferings").pop().unwrap();
    assert_eq!(call.method, axum::http::Method::POST);
    Command::new(env!("CARGO_BIN_EXE_akashone"))
        .env_clear()
        .args(["--profile", "missing", "--config"])
        .arg(&path)
        .args(["zone", "list"])
        .assert()
        .code(2);
}
