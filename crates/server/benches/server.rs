//! Server figures, printed: authenticated `GET /api/vms` answered from the server's cache under
//! concurrent load on loopback (SQLite), and the cost of an argon2id sign-in.
//!
//! `cargo bench -p akashone-server --bench server` (`-- --seconds 10 --concurrency 64 --vms 200`).

use std::time::{Duration, Instant};

use akashone_cloudstack_sim::{SimConfig, Simulator};
use akashone_server::config::{CloudStackConfig, Secret};
use akashone_server::crypto;
use akashone_server::{Config, Server};
use serde_json::{Value, json};

struct Args {
    seconds: u64,
    concurrency: usize,
    vms: usize,
    logins: usize,
}

fn args() -> Args {
    let mut a = Args {
        seconds: 5,
        concurrency: 32,
        vms: 100,
        logins: 10,
    };
    let argv: Vec<String> = std::env::args().skip(1).collect();
    let mut it = argv.iter();
    while let Some(flag) = it.next() {
        let mut value = || {
            it.next()
                .and_then(|v| v.parse::<u64>().ok())
                .unwrap_or_else(|| panic!("{flag} needs a number"))
        };
        match flag.as_str() {
            "--seconds" => a.seconds = value(),
            "--concurrency" => a.concurrency = value() as usize,
            "--vms" => a.vms = value() as usize,
            "--logins" => a.logins = value() as usize,
            // Flags cargo passes to every bench target.
            "--bench" => {}
            other => panic!("unknown argument {other}"),
        }
    }
    a
}

fn percentile(sorted: &[Duration], p: f64) -> Duration {
    if sorted.is_empty() {
        return Duration::ZERO;
    }
    let i = ((sorted.len() as f64 - 1.0) * p).round() as usize;
    sorted[i.min(sorted.len() - 1)]
}

fn ms(d: Duration) -> String {
    format!("{:.2} ms", d.as_secs_f64() * 1000.0)
}

#[tokio::main]
async fn main() {
    let a = args();
    let sim = Simulator::start(SimConfig {
        vms: a.vms,
        ..SimConfig::default()
    })
    .await
    .expect("simulator");
    let dir = tempfile::tempdir().unwrap();
    let password = "bench-admin-password";
    let mut config = Config::new(dir.path(), Secret::new("b".repeat(48)));
    config.bind = "127.0.0.1:0".parse().unwrap();
    config.cloudstack = Some(CloudStackConfig {
        url: sim.url(),
        api_key: Secret::new(sim.api_key()),
        secret_key: Secret::new(sim.secret_key()),
    });
    config.admin_password = Some(Secret::new(password));
    config.vm_cache_ttl = Duration::from_secs(24 * 3600);
    let cost = config.password_cost;
    let server = Server::start(config).await.expect("server");
    let base = server.url();
    let http = reqwest::Client::builder()
        .pool_max_idle_per_host(a.concurrency)
        .build()
        .unwrap();

    // Sign-in cost: argon2id alone, then the whole password step over HTTP.
    let mut hashes = Vec::new();
    let t = Instant::now();
    for _ in 0..a.logins {
        hashes.push(crypto::hash_password(password, cost).unwrap());
    }
    let hash_each = t.elapsed() / a.logins as u32;
    let t = Instant::now();
    for h in &hashes {
        assert!(crypto::verify_password(password, h));
    }
    let verify_each = t.elapsed() / a.logins as u32;
    let mut login_times = Vec::new();
    let mut token = String::new();
    for _ in 0..a.logins {
        let t = Instant::now();
        let r: Value = http
            .post(format!("{base}/api/auth/login"))
            .json(&json!({"username": "admin", "password": password}))
            .send()
            .await
            .unwrap()
            .json()
            .await
            .unwrap();
        login_times.push(t.elapsed());
        token = r["token"].as_str().expect("signed in").to_owned();
    }
    login_times.sort();

    // Fill the cache once, then measure reads from it.
    let first: Value = http
        .get(format!("{base}/api/vms"))
        .bearer_auth(&token)
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let vm_count = first.as_array().map_or(0, Vec::len);
    let deadline = Instant::now() + Duration::from_secs(a.seconds);
    let mut workers = Vec::new();
    for _ in 0..a.concurrency {
        let (http, url, token) = (http.clone(), format!("{base}/api/vms"), token.clone());
        workers.push(tokio::spawn(async move {
            let mut lat = Vec::new();
            let mut errors = 0u64;
            while Instant::now() < deadline {
                let t = Instant::now();
                match http.get(&url).bearer_auth(&token).send().await {
                    Ok(r) if r.status().is_success() => {
                        let _ = r.bytes().await;
                        lat.push(t.elapsed());
                    }
                    _ => errors += 1,
                }
            }
            (lat, errors)
        }));
    }
    let started = Instant::now();
    let mut lat = Vec::new();
    let mut errors = 0;
    for w in workers {
        let (l, e) = w.await.unwrap();
        lat.extend(l);
        errors += e;
    }
    let elapsed = started.elapsed();
    lat.sort();

    println!("akashone-server bench (SQLite, loopback; client and server share this machine)");
    println!(
        "GET /api/vms from the cache: {} VMs per response, {} concurrent clients, {:.1} s",
        vm_count,
        a.concurrency,
        elapsed.as_secs_f64()
    );
    println!(
        "  {} requests, {} errors, {:.0} requests/s, p50 {}, p99 {}, max {}",
        lat.len(),
        errors,
        lat.len() as f64 / elapsed.as_secs_f64(),
        ms(percentile(&lat, 0.50)),
        ms(percentile(&lat, 0.99)),
        ms(lat.last().copied().unwrap_or_default())
    );
    println!(
        "argon2id (m={} KiB, t={}, p={}): hash {} each, verify {} each",
        cost.memory_kib,
        cost.iterations,
        cost.parallelism,
        ms(hash_each),
        ms(verify_each)
    );
    println!(
        "POST /api/auth/login ({} sequential sign-ins): p50 {}, max {}",
        a.logins,
        ms(percentile(&login_times, 0.5)),
        ms(login_times.last().copied().unwrap_or_default())
    );
    server.shutdown().await;
    sim.shutdown().await;
}
