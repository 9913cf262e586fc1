//! Start-up benchmark of the real desktop app, printed as figures (never a timed test):
//!
//! - time from launching the app to the dashboard being rendered (the UI reports it through the
//!   `ui_ready` command; the app prints `akashone-ready <ms>` when `AKASHONE_REPORT_READY` is set),
//!   measured from outside as the wall time from `spawn` to that line, median and spread of runs;
//! - the wasm bundle size, raw and gzip (level 9), from `ui/dist`;
//! - the peak resident memory of the app's whole process tree (the app plus WebKit's processes),
//!   sampled from `/proc` while it starts and settles.
//!
//! `AKASHONE_BENCH_RUNS` sets the number of launches (default 7).

use akashone_e2e::{Guard, memory, require_app, start_display};
use flate2::{Compression, write::GzEncoder};
use std::io::{BufRead, BufReader, Write};
use std::path::PathBuf;
use std::process::{Command, Stdio};
use std::sync::mpsc;
use std::time::{Duration, Instant};

/// How long the app is left running after it reports ready, to catch the settled peak.
const SETTLE: Duration = Duration::from_secs(3);

struct Run {
    wall_ms: f64,
    ui_ms: u64,
    peak: memory::TreeMemory,
}

fn ui_dist() -> PathBuf {
    std::env::var_os("AKASHONE_UI_DIST")
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../ui/dist"))
}

fn launch(app: &std::path::Path, display: &str) -> Run {
    let data = tempfile::tempdir().expect("a temporary data folder");
    let start = Instant::now();
    let child = Command::new(app)
        .env("DISPLAY", display)
        .env("AKASHONE_DATA_DIR", data.path())
        .env("AKASHONE_REPORT_READY", "1")
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .unwrap_or_else(|e| panic!("cannot launch {}: {e}", app.display()));
    let mut guard = Guard(child);
    let pid = guard.0.id();
    let stdout = guard.0.stdout.take().expect("piped stdout");
    let (tx, rx) = mpsc::channel();
    std::thread::spawn(move || {
        for line in BufReader::new(stdout).lines().map_while(Result::ok) {
            if let Some(ms) = line.strip_prefix("akashone-ready ") {
                let _ = tx.send((start.elapsed(), ms.trim().parse::<u64>().unwrap_or(0)));
            }
        }
    });

    let mut peak = memory::TreeMemory::default();
    let sample = |peak: &mut memory::TreeMemory| {
        let now = memory::read(pid);
        if now.rss_kib > peak.rss_kib {
            *peak = now;
        }
    };
    let deadline = start + Duration::from_secs(60);
    let (wall, ui_ms) = loop {
        sample(&mut peak);
        match rx.recv_timeout(Duration::from_millis(20)) {
            Ok(ready) => break ready,
            Err(mpsc::RecvTimeoutError::Timeout) if Instant::now() < deadline => {}
            Err(_) => panic!("the app did not report the dashboard as rendered within 60 s"),
        }
    };
    let settle_until = Instant::now() + SETTLE;
    while Instant::now() < settle_until {
        sample(&mut peak);
        std::thread::sleep(Duration::from_millis(50));
    }
    drop(guard);
    Run {
        wall_ms: wall.as_secs_f64() * 1000.0,
        ui_ms,
        peak,
    }
}

fn median(mut v: Vec<f64>) -> f64 {
    v.sort_by(f64::total_cmp);
    let n = v.len();
    if n % 2 == 1 {
        v[n / 2]
    } else {
        (v[n / 2 - 1] + v[n / 2]) / 2.0
    }
}

fn mib(kib: u64) -> f64 {
    kib as f64 / 1024.0
}

fn main() {
    // `cargo bench` passes `--bench`; a plain `cargo test` run of benches passes nothing useful.
    let runs: usize = std::env::var("AKASHONE_BENCH_RUNS")
        .ok()
        .and_then(|r| r.parse().ok())
        .filter(|&r| r > 0)
        .unwrap_or(7);

    let dist = ui_dist();
    let wasm_path = dist.join("akashone-ui_bg.wasm");
    let wasm = std::fs::read(&wasm_path).unwrap_or_else(|e| {
        panic!(
            "no UI bundle at {} ({e}): run `cargo xtask ui --release` first",
            wasm_path.display()
        )
    });
    let mut gz = GzEncoder::new(Vec::new(), Compression::best());
    gz.write_all(&wasm).expect("gzip in memory");
    let gz = gz.finish().expect("gzip in memory");
    let js_len = std::fs::metadata(dist.join("akashone-ui.js"))
        .map(|m| m.len())
        .unwrap_or(0);

    let app = require_app();
    let display = start_display();
    // One unmeasured launch warms the page cache, so every measured run starts alike.
    let _ = launch(&app, &display.name);
    let results: Vec<Run> = (0..runs).map(|_| launch(&app, &display.name)).collect();

    let walls: Vec<f64> = results.iter().map(|r| r.wall_ms).collect();
    let uis: Vec<f64> = results.iter().map(|r| r.ui_ms as f64).collect();
    let worst = results
        .iter()
        .max_by_key(|r| r.peak.rss_kib)
        .expect("at least one run");
    let peaks: Vec<f64> = results.iter().map(|r| mib(r.peak.rss_kib)).collect();
    let pss: Vec<f64> = results.iter().map(|r| mib(r.peak.pss_kib)).collect();

    println!("AkashOne Console start-up ({runs} launches after one warm-up, Xvfb)");
    println!("  app binary                     {}", app.display());
    println!(
        "  launch -> dashboard rendered   median {:.0} ms, min {:.0} ms, max {:.0} ms",
        median(walls.clone()),
        walls.iter().copied().fold(f64::MAX, f64::min),
        walls.iter().copied().fold(0.0, f64::max)
    );
    println!(
        "  (as the UI itself reports it)  median {:.0} ms since process start",
        median(uis)
    );
    println!(
        "  wasm bundle                    {} bytes raw, {} bytes gzip -9 ({:.0} KiB / {:.0} KiB); JS glue {} bytes",
        wasm.len(),
        gz.len(),
        wasm.len() as f64 / 1024.0,
        gz.len() as f64 / 1024.0,
        js_len
    );
    println!(
        "  peak RSS, whole process tree   median {:.1} MiB, max {:.1} MiB (PSS at that moment: median {:.1} MiB)",
        median(peaks),
        mib(worst.peak.rss_kib),
        median(pss)
    );
    println!("  processes in the tree at peak:");
    for (pid, name) in &worst.peak.processes {
        println!("    {pid:>7} {name}");
    }
}
