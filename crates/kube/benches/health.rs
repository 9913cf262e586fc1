//! Health checks of 50 clusters at once: wall time and peak memory.
//!
//! Starts the CloudStack simulator in this process, creates 50 running clusters (one control
//! node and one worker each) through the signed API, fetches their kubeconfigs, then times
//! `check_many` of all of them at concurrency 50 (three rounds, then one round one at a time
//! for comparison). Peak memory is the process's VmHWM, reset just before each round (so it
//! is the simulator plus the checks, not the setup). `AKASHONE_BENCH_CLUSTERS` changes the
//! count. Run with `cargo bench -p akashone-kube --bench health`.

#[path = "../tests/kube/support.rs"]
mod support;

use std::time::{Duration, Instant};

use akashone_kube::{Kubeconfig, check_many};
use akashone_types::kubernetes::ApiReach;

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

#[tokio::main]
async fn main() {
    let n: usize = std::env::var("AKASHONE_BENCH_CLUSTERS")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(50);
    let timeout = Duration::from_secs(10);

    let setup = Instant::now();
    let (sim, cloud) = support::start().await;
    let mut items = Vec::with_capacity(n);
    for i in 0..n {
        let cluster = cloud.create(&format!("bench-{i:02}"), 1).await;
        let id = cluster.id.clone().expect("an id");
        let yaml = cloud.kubeconfig(&id).await;
        items.push((id, Kubeconfig::parse(&yaml).expect("a usable kubeconfig")));
    }
    println!(
        "setup: {n} running clusters and their kubeconfigs in {:.2} s, RSS {}",
        setup.elapsed().as_secs_f64(),
        mib(status_kib("VmRSS"))
    );

    let rounds: [(usize, &str); 4] = [(n, "1"), (n, "2"), (n, "3"), (1, "sequential")];
    for (concurrency, label) in rounds {
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
