//! Health checks of 50 clusters at once: wall time and peak memory.
//!
//! Starts the CloudStack simulator in this process, creates 50 running clusters (one control
//! node and one worker each) through the signed API, fetches their kubeconfigs, then times
//! `check_many` of all of them at concurrency 50 (three rounds, then one round one at a time
//! for comparison). Peak memory is the process's VmHWM, reset just before each round (so it
//! is the simulator plus the checks, not the setup). Then the same through loopback relays that
//! hold every chunk 25 ms each way, as a cluster behind a VPN would be, where checking at once
//! is what keeps the list page quick. `AKASHONE_BENCH_CLUSTERS` changes the count. Run with
//! `cargo bench -p akashone-kube --bench health`.

#[path = "../tests/kube/support.rs"]
mod support;

use std::time::{Duration, Instant};

use akashone_kube::{Kubeconfig, check_many};
use akashone_types::kubernetes::ApiReach;
use tokio::io::{AsyncReadExt as _, AsyncWriteExt as _};
use tokio::net::{TcpListener, TcpStream};

/// A field of /proc/self/status in KiB (`VmHWM`, `VmRSS`).
fn status_kib(field: &str) -> Option<u64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    status
        .lines()
        .find_map(|l| l.strip_prefix(field)?.strip_prefix(':'))
        .and_then(|v| v.trim().trim_end_matches("kB").trim().parse().ok())
}

/// Resets VmHWM to the current RSS (Linux: write 5 to clear_refs).
fn reset_peak() -> bool {
    std::fs::write("/proc/self/clear_refs", "5").is_ok()
}

fn mib(kib: Option<u64>) -> String {
    kib.map(|k| format!("{:.1} MiB", k as f64 / 1024.0))
        .unwrap_or_else(|| "unknown".into())
}

/// Copies `from` to `to`, holding every chunk `delay` first.
async fn pump(
    mut from: tokio::net::tcp::OwnedReadHalf,
    mut to: tokio::net::tcp::OwnedWriteHalf,
    delay: Duration,
) {
    let mut buf = vec![0u8; 16 * 1024];
    while let Ok(n) = from.read(&mut buf).await {
        if n == 0 {
            break;
        }
        tokio::time::sleep(delay).await;
        if to.write_all(&buf[..n]).await.is_err() {
            break;
        }
    }
    let _ = to.shutdown().await;
}

/// A loopback relay to 127.0.0.1:`upstream` adding `delay` each way; returns its port. It
/// lives as long as the process.
async fn slow_relay(upstream: u16, delay: Duration) -> u16 {
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let port = listener.local_addr().unwrap().port();
    tokio::spawn(async move {
        while let Ok((client, _)) = listener.accept().await {
            tokio::spawn(async move {
                let Ok(server) = TcpStream::connect(("127.0.0.1", upstream)).await else {
                    return;
                };
                let (cr, cw) = client.into_split();
                let (sr, sw) = server.into_split();
                tokio::join!(pump(cr, sw, delay), pump(sr, cw, delay));
            });
        }
    });
    port
}

#[tokio::main]
async fn main() {
    let n: usize = std::env::var("AKASHONE_BENCH_CLUSTERS")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(50);
    let timeout = Duration::from_secs(10);

    let setup = Instant::now();
    let (sim, cloud) = support::start().await;
    let delay = Duration::from_millis(25);
    let mut items = Vec::with_capacity(n);
    let mut relayed = Vec::with_capacity(n);
    for i in 0..n {
        let cluster = cloud.create(&format!("bench-{i:02}"), 1).await;
        let id = cluster.id.clone().expect("an id");
        let yaml = cloud.kubeconfig(&id).await;
        let port = sim.kube_api(&id).expect("an API").port;
        let relay = slow_relay(port, delay).await;
        let slow = support::with_port(&yaml, relay);
        relayed.push((
            id.clone(),
            Kubeconfig::parse(&slow).expect("a usable kubeconfig"),
        ));
        items.push((id, Kubeconfig::parse(&yaml).expect("a usable kubeconfig")));
    }
    println!(
        "setup: {n} running clusters and their kubeconfigs in {:.2} s, RSS {}",
        setup.elapsed().as_secs_f64(),
        mib(status_kib("VmRSS"))
    );

    let rounds = [
        (&items, n, "1"),
        (&items, n, "2"),
        (&items, n, "3"),
        (&items, 1, "sequential"),
        (&relayed, n, "25 ms relays"),
        (&relayed, 1, "25 ms relays, sequential"),
    ];
    for (items, concurrency, label) in rounds {
        let reset = reset_peak();
        let rss_before = status_kib("VmRSS");
        let t = Instant::now();
        let out = check_many(items.clone(), concurrency, timeout).await;
        let wall = t.elapsed();
        let peak = status_kib("VmHWM");
        let reachable = out.iter().filter(|h| h.api == ApiReach::Reachable).count();
        let healthy = out
            .iter()
            .filter(|h| h.ready && h.nodes == 2 && h.nodes_ready == 2)
            .count();
        println!(
            "round {label}: check_many of {n} clusters at concurrency {concurrency}: wall {:.1} ms \
             ({:.2} ms per cluster), {reachable} reachable, {healthy} healthy; RSS before {}, \
             peak {}{}",
            wall.as_secs_f64() * 1e3,
            wall.as_secs_f64() * 1e3 / n as f64,
            mib(rss_before),
            mib(peak),
            if reset {
                ""
            } else {
                " (peak not reset: since start)"
            },
        );
        assert_eq!(reachable, n, "every cluster answers");
        assert_eq!(healthy, n, "every cluster is healthy");
    }
    sim.shutdown().await;
}
