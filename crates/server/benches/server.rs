//! Server figures, printed: authenticated `GET /api/vms` answered from the server's cache under
//! concurrent load on loopback, on SQLite and on PostgreSQL (a throwaway cluster with PostgreSQL's
//! default durability, over its unix socket), and the cost of an argon2id sign-in.
//!
//! `cargo bench -p akashone-server --bench server` (`-- --seconds 10 --concurrency 64 --vms 200`).

use std::time::{Duration, Instant};

use akashone_cloudstack_sim::SimHandle;
use akashone_cloudstack_sim::{SimConfig, Simulator};
use akashone_server::config::{CloudStackConfig, DatabaseUrl, Secret};
use akashone_server::crypto;
use akashone_server::{Config, Server};
use akashone_testpg::{Cluster, Durability};
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

/// What one backend measured.
struct Figures {
    backend: &'static str,
    vm_count: usize,
    requests: usize,
    errors: u64,
    elapsed: Duration,
    lat: Vec<Duration>,
    login_times: Vec<Duration>,
    wrong_known: Vec<Duration>,
    wrong_unknown: Vec<Duration>,
}

impl Figures {
    fn per_second(&self) -> f64 {
        self.requests as f64 / self.elapsed.as_secs_f64()
    }
}

async fn measure(
    a: &Args,
    sim: &SimHandle,
    backend: &'static str,
    database: DatabaseUrl,
    connections: usize,
) -> Figures {
    let dir = tempfile::tempdir().unwrap();
    let password = "bench-admin-password";
    let mut config = Config::new(dir.path(), Secret::new("b".repeat(48)));
    config.database = database;
    config.db_connections = connections;
    config.bind = "127.0.0.1:0".parse().unwrap();
    config.cloudstack = Some(CloudStackConfig {
        url: sim.url(),
        api_key: Secret::new(sim.api_key()),
        secret_key: Secret::new(sim.secret_key()),
    });
    config.admin_password = Some(Secret::new(password));
    config.vm_cache_ttl = Duration::from_secs(24 * 3600);
    // The wrong-password figures below must not lock anything.
    config.login_limits.per_account = i64::MAX;
    config.login_limits.per_ip = i64::MAX;
    let server = Server::start(config).await.expect("server");
    let base = server.url();
    let http = reqwest::Client::builder()
        .pool_max_idle_per_host(a.concurrency)
        .build()
        .unwrap();

    // The whole password step over HTTP (argon2id, lockout checks, session stored).
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

    // Wrong passwords for a name that exists and one that does not, taken in turns: the two
    // should cost the same, so that time does not tell which names exist.
    let mut wrong = [Vec::new(), Vec::new()];
    for _ in 0..a.logins {
        for (i, name) in ["admin", "no-such-user"].into_iter().enumerate() {
            let t = Instant::now();
            let r = http
                .post(format!("{base}/api/auth/login"))
                .json(&json!({"username": name, "password": "not-the-password"}))
                .send()
                .await
                .unwrap();
            assert_eq!(r.status(), reqwest::StatusCode::UNAUTHORIZED);
            let _ = r.bytes().await;
            wrong[i].push(t.elapsed());
        }
    }
    for w in &mut wrong {
        w.sort();
    }
    let [wrong_known, wrong_unknown] = wrong;

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
    server.shutdown().await;
    Figures {
        backend,
        vm_count,
        requests: lat.len(),
        errors,
        elapsed,
        lat,
        login_times,
        wrong_known,
        wrong_unknown,
    }
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
    let cost = Config::new("/nonexistent", Secret::new("b".repeat(48))).password_cost;
    let password = "bench-admin-password";

    // argon2id alone.
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

    let sqlite_dir = tempfile::tempdir().unwrap();
    let sqlite = measure(
        &a,
        &sim,
        "SQLite",
        DatabaseUrl::Sqlite(sqlite_dir.path().join("server.db")),
        4,
    )
    .await;
    // A cluster of its own with PostgreSQL's default durability (the tests' cluster trades it
    // for speed); stopped and removed when this process ends.
    let cluster: &'static Cluster = Box::leak(Box::new(
        tokio::task::spawn_blocking(|| Cluster::start(Durability::Default))
            .await
            .unwrap()
            .unwrap_or_else(|e| panic!("{e}")),
    ));
    let db = cluster.create_database().await.unwrap();
    let postgres = measure(
        &a,
        &sim,
        "PostgreSQL",
        DatabaseUrl::parse(db.url()).unwrap(),
        16,
    )
    .await;

    println!("akashone-server bench (loopback; client, server and database share this machine)");
    println!(
        "GET /api/vms from the cache: {} VMs per response, {} concurrent clients, {} s each",
        sqlite.vm_count, a.concurrency, a.seconds
    );
    for f in [&sqlite, &postgres] {
        println!(
            "  {:<10} {} requests, {} errors, {:.0} requests/s, p50 {}, p99 {}, max {}",
            f.backend,
            f.requests,
            f.errors,
            f.per_second(),
            ms(percentile(&f.lat, 0.50)),
            ms(percentile(&f.lat, 0.99)),
            ms(f.lat.last().copied().unwrap_or_default())
        );
    }
    println!(
        "argon2id (m={} KiB, t={}, p={}): hash {} each, verify {} each",
        cost.memory_kib,
        cost.iterations,
        cost.parallelism,
        ms(hash_each),
        ms(verify_each)
    );
    for f in [&sqlite, &postgres] {
        println!(
            "POST /api/auth/login on {} ({} sequential sign-ins): p50 {}, max {}",
            f.backend,
            a.logins,
            ms(percentile(&f.login_times, 0.5)),
            ms(f.login_times.last().copied().unwrap_or_default())
        );
        let (known, unknown) = (
            percentile(&f.wrong_known, 0.5),
            percentile(&f.wrong_unknown, 0.5),
        );
        println!(
            "  wrong password, {} each in turns: name that exists p50 {}, name that does not p50 {} (ratio {:.2})",
            a.logins,
            ms(known),
            ms(unknown),
            unknown.as_secs_f64() / known.as_secs_f64().max(1e-9)
        );
    }
    drop(db);
    sim.shutdown().await;
}
