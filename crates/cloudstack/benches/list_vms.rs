//! Lists 10,000 VMs over loopback with the Rust client and with the Python `cs` client, each in
//! its own child process (wall time and peak resident memory, VmHWM), then measures signing
//! throughput. Prints a table; asserts nothing.
//!
//! Run: `cargo bench -p akashone-cloudstack --bench list_vms` (Python found through
//! `AKASHONE_PYTHON` or `$HOME/.cache/akashone/pyenv/bin/python`).

#![recursion_limit = "256"]

use akashone_cloudstack::api::ListVirtualMachines;
use akashone_cloudstack::{Client, ClientConfig, sign};
use std::path::PathBuf;
use std::process::Command;
use std::time::Instant;

const VMS: usize = 10_000;
const RUNS: usize = 3;

mod backend {
    //! A loopback CloudStack stand-in with 10,000 VMs shaped like a real 4.x answer: signed
    //! requests are verified and every page is serialised on request.
    use akashone_cloudstack::sign;
    use axum::Router;
    use axum::body::Bytes;
    use axum::extract::{RawQuery, State};
    use axum::http::{Method, header};
    use axum::response::{IntoResponse, Response};
    use axum::routing::any;
    use serde_json::{Value, json};
    use std::sync::Arc;

    pub const API_KEY: &str = "bench-api-key";
    pub const SECRET: &str = "bench-secret-key";

    pub struct Backend {
        pub url: String,
        pub api_key: String,
        pub secret: String,
        _stop: tokio::sync::oneshot::Sender<()>,
    }

    pub fn vm(i: usize) -> Value {
        json!({
            "id": format!("4f6d7879-8e9d-40cb-9390-{i:012}"),
            "name": format!("vm-{i:05}"), "displayname": format!("Web server {i}"),
            "account": format!("acct{}", i % 40), "userid": "27f2484f-5fe0-11ea-9a56-1e006800018c",
            "username": "admin", "domainid": "e4874e10-5fdf-11ea-9a56-1e006800018c", "domain": "ROOT",
            "created": "2024-10-04T09:24:38+0000", "state": if i.is_multiple_of(7) { "Stopped" } else { "Running" },
            "haenable": false, "zoneid": "1d8d87d4-1425-459c-8d81-c6f57dca2bd2", "zonename": "Mumbai-1",
            "hostid": "8e8e68e7-19ea-4a78-bbdb-6e79d27729c9", "hostname": "kvm-host-07",
            "templateid": "50459b99-5fe0-11ea-9a56-1e006800018c", "templatename": "Ubuntu 24.04 LTS",
            "templatedisplaytext": "Ubuntu 24.04 LTS (64-bit)", "passwordenabled": false,
            "serviceofferingid": "498ce071-a077-4237-9492-e55c42553327", "serviceofferingname": "Medium",
            "cpunumber": 2, "cpuspeed": 2000, "memory": 4096, "cpuused": "12.5%",
            "networkkbsread": 917504, "networkkbswrite": 458752, "diskkbsread": 1024, "diskkbswrite": 2048,
            "diskioread": 10, "diskiowrite": 20, "guestosid": "e53f7606-5fdf-11ea-9a56-1e006800018c",
            "rootdeviceid": 0, "rootdevicetype": "ROOT", "securitygroup": [], "affinitygroup": [],
            "nic": [{"id": format!("47d79da1-2fe1-4a44-a503-{i:012}"), "networkid": "87503ba2-d59d-4a5e-8f7f-b3f486cedbd8",
                     "networkname": "tier-web", "netmask": "255.255.0.0", "gateway": "10.1.0.1",
                     "ipaddress": format!("10.1.{}.{}", i / 250, i % 250 + 2), "isolationuri": "vlan://1994",
                     "broadcasturi": "vlan://1994", "traffictype": "Guest", "type": "Isolated", "isdefault": true,
                     "macaddress": "02:00:34:fb:00:01", "secondaryip": [], "extradhcpoption": []}],
            "hypervisor": "KVM", "instancename": format!("i-2-{i}-VM"), "isdynamicallyscalable": true,
            "ostypeid": "e53f7606-5fdf-11ea-9a56-1e006800018c", "osdisplayname": "Ubuntu 24.04",
            "details": {"Message.ReservedCapacityFreed.Flag": "false"},
            "tags": [{"key": "env", "value": "prod", "resourcetype": "UserVm", "resourceid": format!("{i}")}]
        })
    }

    struct Data {
        /// Each VM already serialised, so that the server costs little next to the clients.
        vms: Vec<String>,
        /// Added to every answer, like a management server's own work per page.
        latency: std::time::Duration,
    }

    async fn handle(
        State(data): State<Arc<Data>>,
        method: Method,
        RawQuery(q): RawQuery,
        body: Bytes,
    ) -> Response {
        let raw = if method == Method::POST {
            String::from_utf8_lossy(&body).into_owned()
        } else {
            q.unwrap_or_default()
        };
        let pairs: Vec<(String, String)> = url::form_urlencoded::parse(raw.as_bytes())
            .map(|(k, v)| (k.into_owned(), v.into_owned()))
            .collect();
        let get = |n: &str| {
            pairs
                .iter()
                .find(|(k, _)| k.eq_ignore_ascii_case(n))
                .map(|(_, v)| v.as_str())
        };
        if get("signature") != Some(sign::signature(&pairs, SECRET).as_str())
            || get("apikey") != Some(API_KEY)
        {
            return (axum::http::StatusCode::UNAUTHORIZED, "{}").into_response();
        }
        let page: usize = get("page").and_then(|p| p.parse().ok()).unwrap_or(1).max(1);
        let size: usize = get("pagesize")
            .and_then(|p| p.parse().ok())
            .unwrap_or(500)
            .clamp(1, 500);
        let start = (page - 1) * size;
        let vms = &data.vms;
        let rows = &vms[start.min(vms.len())..(start + size).min(vms.len())];
        let body = if rows.is_empty() {
            r#"{"listvirtualmachinesresponse":{}}"#.to_owned()
        } else {
            let mut b = String::with_capacity(rows.iter().map(|r| r.len() + 1).sum::<usize>() + 80);
            b.push_str(&format!(
                r#"{{"listvirtualmachinesresponse":{{"count":{},"virtualmachine":["#,
                vms.len()
            ));
            for (i, r) in rows.iter().enumerate() {
                if i > 0 {
                    b.push(',');
                }
                b.push_str(r);
            }
            b.push_str("]}}");
            b
        };
        if !data.latency.is_zero() {
            tokio::time::sleep(data.latency).await;
        }
        (
            [(header::CONTENT_TYPE, "application/json; charset=UTF-8")],
            body,
        )
            .into_response()
    }

    pub fn start(n: usize, latency: std::time::Duration) -> Backend {
        let (tx, rx) = std::sync::mpsc::channel();
        let (stop_tx, stop_rx) = tokio::sync::oneshot::channel::<()>();
        std::thread::spawn(move || {
            let rt = tokio::runtime::Builder::new_multi_thread()
                .worker_threads(1)
                .enable_all()
                .build()
                .expect("runtime");
            rt.block_on(async move {
                let vms = (0..n).map(|i| vm(i).to_string()).collect();
                let data = Arc::new(Data { vms, latency });
                let app = Router::new()
                    .route("/client/api", any(handle))
                    .with_state(data);
                let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
                    .await
                    .expect("bind");
                tx.send(listener.local_addr().expect("addr")).expect("send");
                let _ = axum::serve(listener, app)
                    .with_graceful_shutdown(async {
                        let _ = stop_rx.await;
                    })
                    .await;
            });
        });
        let addr = rx.recv().expect("address");
        Backend {
            url: format!("http://{addr}/client/api"),
            api_key: API_KEY.into(),
            secret: SECRET.into(),
            _stop: stop_tx,
        }
    }
}

fn python() -> PathBuf {
    if let Some(p) = std::env::var_os("AKASHONE_PYTHON").filter(|p| !p.is_empty()) {
        return PathBuf::from(p);
    }
    let home = std::env::var_os("HOME")
        .map(PathBuf::from)
        .unwrap_or_default();
    let p = home.join(".cache/akashone/pyenv/bin/python");
    assert!(
        p.exists(),
        "no Python with `cs`: set AKASHONE_PYTHON or run `cargo xtask setup`"
    );
    p
}

/// Peak resident set size of this process, in KiB.
fn vm_hwm_kib() -> u64 {
    std::fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|s| {
            s.lines()
                .find(|l| l.starts_with("VmHWM:"))
                .and_then(|l| l.split_whitespace().nth(1))
                .and_then(|n| n.parse().ok())
        })
        .unwrap_or(0)
}

/// CPU time (user + system, all threads) of this process, in clock ticks.
fn cpu_ticks() -> u64 {
    let stat = std::fs::read_to_string("/proc/self/stat").unwrap_or_default();
    // Fields after the command name (which is in parentheses): utime is the 12th, stime the 13th.
    let rest = stat.rsplit_once(')').map(|(_, r)| r).unwrap_or("");
    let f: Vec<&str> = rest.split_whitespace().collect();
    let get = |i: usize| f.get(i).and_then(|v| v.parse::<u64>().ok()).unwrap_or(0);
    get(11) + get(12)
}

/// Child mode: list every VM, print `count seconds peak_kib cpu_ticks`.
fn child_rust(url: &str, key: &str, secret: &str) {
    let rt = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .expect("runtime");
    let client = Client::new(ClientConfig::new(url, key, secret)).expect("client");
    let start = Instant::now();
    let vms = rt
        .block_on(client.list_virtual_machines(&ListVirtualMachines {
            listall: Some(true),
            ..Default::default()
        }))
        .expect("listing works");
    let secs = start.elapsed().as_secs_f64();
    println!("{} {secs} {} {}", vms.len(), vm_hwm_kib(), cpu_ticks());
}

const PY_LIST: &str = r#"
import sys, time
from cs import CloudStack
url, key, secret = sys.argv[1:4]
cs = CloudStack(endpoint=url, key=key, secret=secret, timeout=120)
t = time.perf_counter()
vms = cs.listVirtualMachines(fetch_list=True, listall=True)
secs = time.perf_counter() - t
hwm = 0
for line in open("/proc/self/status"):
    if line.startswith("VmHWM:"):
        hwm = int(line.split()[1])
f = open("/proc/self/stat").read().rsplit(")", 1)[1].split()
print(len(vms), secs, hwm, int(f[11]) + int(f[12]))
"#;

const PY_SIGN: &str = r#"
import sys, time
from cs import CloudStack
n = int(sys.argv[1])
cs = CloudStack(endpoint="http://127.0.0.1/client/api", key="k", secret="s3cr3t")
base = {"command": "listVirtualMachines", "apikey": "Hf3-AbC_9xyz-0123456789", "response": "json",
        "signatureversion": "3", "expires": "2030-01-01T00:00:00+0000", "listall": "true",
        "page": "1", "pagesize": "500", "zoneid": "1d8d87d4-1425-459c-8d81-c6f57dca2bd2",
        "keyword": "web server 1"}
t = time.perf_counter()
for i in range(n):
    d = dict(base)
    cs._sign(d)
print(n / (time.perf_counter() - t))
"#;

struct Run {
    count: usize,
    secs: f64,
    peak_kib: u64,
    cpu_ticks: u64,
}

fn parse_run(out: &std::process::Output, who: &str) -> Run {
    assert!(
        out.status.success(),
        "{who} child failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    let text = String::from_utf8_lossy(&out.stdout);
    let mut it = text.split_whitespace();
    let count = it.next().and_then(|s| s.parse().ok()).expect("count");
    let secs = it.next().and_then(|s| s.parse().ok()).expect("seconds");
    let peak_kib = it.next().and_then(|s| s.parse().ok()).expect("peak");
    let cpu_ticks = it.next().and_then(|s| s.parse().ok()).expect("cpu");
    Run {
        count,
        secs,
        peak_kib,
        cpu_ticks,
    }
}

fn median(mut v: Vec<f64>) -> f64 {
    v.sort_by(f64::total_cmp);
    v[v.len() / 2]
}

fn rust_signing_rate() -> f64 {
    let signer = sign::Signer::new("s3cr3t");
    let params: Vec<(&str, &str)> = vec![
        ("command", "listVirtualMachines"),
        ("apikey", "Hf3-AbC_9xyz-0123456789"),
        ("response", "json"),
        ("signatureversion", "3"),
        ("expires", "2030-01-01T00:00:00+0000"),
        ("listall", "true"),
        ("page", "1"),
        ("pagesize", "500"),
        ("zoneid", "1d8d87d4-1425-459c-8d81-c6f57dca2bd2"),
        ("keyword", "web server 1"),
    ];
    let n = 300_000;
    let start = Instant::now();
    let mut total = 0usize;
    for _ in 0..n {
        total += std::hint::black_box(signer.sign(std::hint::black_box(&params))).len();
    }
    let secs = start.elapsed().as_secs_f64();
    assert!(total > 0);
    f64::from(n) / secs
}

/// Ticks per second of /proc CPU times (USER_HZ, 100 on Linux).
const TICKS: f64 = 100.0;

fn scenario(py: &PathBuf, exe: &PathBuf, latency_ms: u64) {
    let backend = backend::start(VMS, std::time::Duration::from_millis(latency_ms));
    let mut rust = Vec::new();
    let mut python_runs = Vec::new();
    for round in 0..RUNS {
        eprintln!("  latency {latency_ms} ms, round {}/{RUNS}", round + 1);
        let out = Command::new(exe)
            .args([
                "--child-rust",
                &backend.url,
                &backend.api_key,
                &backend.secret,
            ])
            .output()
            .expect("run rust child");
        rust.push(parse_run(&out, "Rust"));
        let out = Command::new(py)
            .args([
                "-c",
                PY_LIST,
                &backend.url,
                &backend.api_key,
                &backend.secret,
            ])
            .output()
            .expect("run python child");
        python_runs.push(parse_run(&out, "Python cs"));
    }
    for r in rust.iter().chain(&python_runs) {
        assert_eq!(r.count, VMS, "every VM must be listed");
    }
    let r_secs = median(rust.iter().map(|r| r.secs).collect());
    let p_secs = median(python_runs.iter().map(|r| r.secs).collect());
    let r_cpu = median(rust.iter().map(|r| r.cpu_ticks as f64 / TICKS).collect());
    let p_cpu = median(
        python_runs
            .iter()
            .map(|r| r.cpu_ticks as f64 / TICKS)
            .collect(),
    );
    let r_mem = rust.iter().map(|r| r.peak_kib).max().unwrap_or(0) as f64 / 1024.0;
    let p_mem = python_runs.iter().map(|r| r.peak_kib).max().unwrap_or(0) as f64 / 1024.0;
    println!();
    println!(
        "List {VMS} VMs over loopback HTTP, {latency_ms} ms server latency per page \
         (20 pages of 500; median of {RUNS} runs, each client in a fresh process)"
    );
    println!(
        "{:<34} {:>12} {:>12} {:>8}",
        "", "Rust", "Python cs", "ratio"
    );
    println!(
        "{:<34} {:>12.3} {:>12.3} {:>7.1}x",
        "wall time (s)",
        r_secs,
        p_secs,
        p_secs / r_secs
    );
    println!(
        "{:<34} {:>12.2} {:>12.2} {:>7.1}x",
        "client CPU time, user+sys (s)",
        r_cpu,
        p_cpu,
        p_cpu / r_cpu.max(0.01)
    );
    println!(
        "{:<34} {:>12.1} {:>12.1} {:>7.1}x",
        "peak RSS of the client (MiB)",
        r_mem,
        p_mem,
        p_mem / r_mem.max(0.001)
    );
    let fmt = |v: &[Run]| {
        v.iter()
            .map(|r| format!("{:.3}", r.secs))
            .collect::<Vec<_>>()
            .join(" ")
    };
    println!(
        "runs (s): Rust {}  |  Python {}",
        fmt(&rust),
        fmt(&python_runs)
    );
}

fn main() {
    let args: Vec<String> = std::env::args().collect();
    if let Some(i) = args.iter().position(|a| a == "--child-rust") {
        child_rust(&args[i + 1], &args[i + 2], &args[i + 3]);
        return;
    }
    if args.iter().any(|a| a == "--list" || a == "--exact") {
        // `cargo test --benches` probes: nothing to list.
        return;
    }
    let py = python();
    let exe = std::env::current_exe().expect("current exe");
    eprintln!("listing {VMS} VMs with both clients...");
    scenario(&py, &exe, 0);
    scenario(&py, &exe, 100);

    // Parsing alone: the 20 page bodies of 500 VMs into typed models, no network.
    let bodies: Vec<String> = (0..VMS.div_ceil(500))
        .map(|p| {
            let rows: Vec<String> = (p * 500..((p + 1) * 500).min(VMS))
                .map(|i| backend::vm(i).to_string())
                .collect();
            format!(
                r#"{{"listvirtualmachinesresponse":{{"count":{VMS},"virtualmachine":[{}]}}}}"#,
                rows.join(",")
            )
        })
        .collect();
    let mb = bodies.iter().map(String::len).sum::<usize>() as f64 / 1e6;
    let t = Instant::now();
    let mut n = 0;
    for b in &bodies {
        let page = akashone_cloudstack::response::parse_list::<
            akashone_cloudstack::model::VirtualMachine,
        >(
            "listVirtualMachines",
            200,
            None,
            b.as_bytes(),
            Some("virtualmachine"),
        )
        .expect("parses");
        n += page.items.len();
    }
    let parse_secs = t.elapsed().as_secs_f64();
    assert_eq!(n, VMS);
    println!();
    println!(
        "Parsing only (Rust, typed models, one thread): {VMS} VMs, {mb:.1} MB of JSON in {:.1} ms ({:.0} MB/s)",
        parse_secs * 1000.0,
        mb / parse_secs
    );

    let r_sign = rust_signing_rate();
    let out = Command::new(&py)
        .args(["-c", PY_SIGN, "50000"])
        .output()
        .expect("python signing");
    let p_sign: f64 = String::from_utf8_lossy(&out.stdout)
        .trim()
        .parse()
        .unwrap_or(0.0);
    println!();
    println!("Signing (10 parameters, one thread)");
    println!(
        "{:<34} {:>12} {:>12} {:>8}",
        "", "Rust", "Python cs", "ratio"
    );
    println!(
        "{:<34} {:>12.0} {:>12.0} {:>7.1}x",
        "signatures per second",
        r_sign,
        p_sign,
        r_sign / p_sign.max(1.0)
    );
}
