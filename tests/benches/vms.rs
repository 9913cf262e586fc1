//! The Virtual Machines page with 10,000 VMs, in the real app (demo profile seeded with 10,000
//! VMs), printed as figures:
//!
//! - from "Start the demo" to the whole list synced and shown;
//! - jumping to a scroll position until its rows are in the DOM (p50/p99 over many jumps) and
//!   each keystroke in the filter until the count answers the text typed, both timed inside
//!   the page so that WebDriver's own round trips are left out;
//! - peak resident memory of the app's process tree (app + WebKit processes) meanwhile.

use akashone_e2e::{app_pid, memory, open_app, require_app, start_display, start_driver};
use fantoccini::{Client, Locator};
use serde_json::Value;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

const VMS: usize = 10_000;

async fn js(client: &Client, script: &str) -> Value {
    client.execute(script, vec![]).await.expect(script)
}

async fn wait_js(client: &Client, script: &str, within: Duration) -> Duration {
    let start = Instant::now();
    loop {
        if js(client, script).await == Value::Bool(true) {
            return start.elapsed();
        }
        if start.elapsed() >= within {
            let seen = js(
                client,
                "return ['#vm-count', '#last-synced', '.toasts', 'h1'].map(s => { const e = document.querySelector(s); return s + ': ' + (e ? e.textContent : '-'); }).join(' | ')",
            )
            .await;
            panic!("timed out: {script}\nthe page shows: {seen}");
        }
        tokio::time::sleep(Duration::from_millis(5)).await;
    }
}

/// Runs an asynchronous script that reports a duration in milliseconds (-1: it never happened).
async fn in_page_ms(client: &Client, script: &str, what: &str) -> f64 {
    let ms = client
        .execute_async(script, vec![])
        .await
        .expect(what)
        .as_f64()
        .unwrap_or(-1.0);
    assert!(ms >= 0.0, "{what} never showed within 10 s");
    ms
}

fn pct(v: &mut [f64], p: f64) -> f64 {
    v.sort_by(f64::total_cmp);
    let i = ((v.len() as f64 - 1.0) * p).round() as usize;
    v[i]
}

#[tokio::main(flavor = "multi_thread", worker_threads = 2)]
async fn main() {
    let app = require_app();
    let data = tempfile::tempdir().unwrap();
    let keys = tempfile::tempdir().unwrap();
    let display = start_display();
    let vms = VMS.to_string();
    let driver = start_driver(
        &display,
        &[
            ("AKASHONE_DATA_DIR", data.path()),
            ("AKASHONE_VAULT", std::path::Path::new("file")),
            ("XDG_CONFIG_HOME", keys.path()),
            ("AKASHONE_DEMO_VMS", std::path::Path::new(&vms)),
        ],
    );
    let client = open_app(&driver, &app).await;
    client
        .wait()
        .at_most(Duration::from_secs(30))
        .for_element(Locator::Css("[data-nav=\"connect\"]"))
        .await
        .unwrap()
        .click()
        .await
        .unwrap();

    // Sample the tree's memory in the background for the whole run.
    let peak = Arc::new(Mutex::new(memory::TreeMemory::default()));
    let sampler = {
        let peak = peak.clone();
        let pid = loop {
            if let Some(p) = app_pid(&driver) {
                break p;
            }
            tokio::time::sleep(Duration::from_millis(50)).await;
        };
        tokio::spawn(async move {
            loop {
                let now = memory::read(pid);
                {
                    let mut p = peak.lock().unwrap();
                    if now.rss_kib > p.rss_kib {
                        *p = now;
                    }
                }
                tokio::time::sleep(Duration::from_millis(50)).await;
            }
        })
    };

    let start = Instant::now();
    client
        .wait()
        .at_most(Duration::from_secs(30))
        .for_element(Locator::Css("#add-demo"))
        .await
        .unwrap()
        .click()
        .await
        .unwrap();
    client
        .wait()
        .at_most(Duration::from_secs(30))
        .for_element(Locator::Css("[data-nav=\"virtual-machines\"]"))
        .await
        .unwrap()
        .click()
        .await
        .unwrap();
    wait_js(
        &client,
        &format!(
            "const c = document.querySelector('#vm-count'); return !!c && parseInt(c.textContent, 10) >= {VMS} && document.querySelectorAll('.vm-scroller .vm-row').length > 5 && !document.querySelector('#last-synced').textContent.includes('not synced')"
        ),
        Duration::from_secs(120),
    )
    .await;
    let synced = start.elapsed();
    let dom_rows = js(
        &client,
        "return document.querySelectorAll('.vm-scroller .vm-row').length",
    )
    .await;

    // Jumps through the list, timed inside the page (WebDriver's own round trips left out):
    // from setting the scroll position until the row at that position is in the DOM.
    let mut jumps = Vec::new();
    let positions: Vec<usize> = (0..60).map(|i| (i * 7919) % (VMS - 20)).collect();
    for idx in positions {
        let top = idx * 40;
        let script = format!(
            "const done = arguments[arguments.length - 1];
             const s = document.querySelector('#vm-scroller');
             const t0 = performance.now();
             s.scrollTop = {top};
             s.dispatchEvent(new Event('scroll'));
             const check = () => {{
                 if (document.querySelector('.vm-scroller .vm-row[style=\"top: {top}px\"]')) done(performance.now() - t0);
                 else if (performance.now() - t0 > 10000) done(-1);
                 else setTimeout(check, 1);
             }};
             check();"
        );
        jumps.push(in_page_ms(&client, &script, "a scroll jump").await);
    }
    js(&client, "const s = document.querySelector('#vm-scroller'); s.scrollTop = 0; s.dispatchEvent(new Event('scroll')); return 1").await;

    // Filter as you type, timed inside the page: from each keystroke's input event until the
    // count shown answers the text typed so far.
    let mut filters = Vec::new();
    let mut typed = String::new();
    for ch in "web-0".chars() {
        typed.push(ch);
        let script = format!(
            "const done = arguments[arguments.length - 1];
             const input = document.querySelector('#vm-filter');
             const t0 = performance.now();
             input.value = '{typed}';
             input.dispatchEvent(new InputEvent('input', {{ bubbles: true }}));
             const check = () => {{
                 const c = document.querySelector('#vm-count');
                 if (c.dataset.filter === '{typed}') done(performance.now() - t0);
                 else if (performance.now() - t0 > 10000) done(-1);
                 else setTimeout(check, 1);
             }};
             check();"
        );
        filters.push(in_page_ms(&client, &script, "a filter keystroke").await);
    }
    tokio::time::sleep(Duration::from_secs(1)).await;
    sampler.abort();
    let peak = peak.lock().unwrap().clone();
    client.close().await.ok();

    println!("Virtual Machines page with {VMS} VMs (demo profile, Xvfb)");
    println!(
        "  app binary                                   {}",
        app.display()
    );
    println!(
        "  start demo -> {VMS} VMs synced and listed   {:.2} s",
        synced.as_secs_f64()
    );
    println!("  rows in the DOM while listing {VMS}        {dom_rows}");
    println!(
        "  jump to a scroll position -> rows in DOM    p50 {:.1} ms, p99 {:.1} ms ({} jumps)",
        pct(&mut jumps.clone(), 0.5),
        pct(&mut jumps.clone(), 0.99),
        jumps.len()
    );
    println!(
        "  keystroke in the filter -> count answers it p50 {:.1} ms, max {:.1} ms ({} keys)",
        pct(&mut filters.clone(), 0.5),
        pct(&mut filters.clone(), 1.0),
        filters.len()
    );
    println!(
        "  peak RSS, whole app process tree             {:.1} MiB (PSS {:.1} MiB) over {} processes",
        peak.rss_kib as f64 / 1024.0,
        peak.pss_kib as f64 / 1024.0,
        peak.processes.len()
    );
}
