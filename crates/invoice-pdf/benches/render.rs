//! Rendering speed and size: one invoice (median of N), a batch of 1,000 on 2 threads, and the
//! PDF size. Prints figures; run with `cargo bench -p akashone-invoice-pdf`.

#[path = "../tests/pdf/support.rs"]
mod support;

use akashone_invoice_pdf::{Branding, InvoiceCopy, render};
use std::time::{Duration, Instant};

fn median(mut v: Vec<Duration>) -> Duration {
    v.sort();
    v[v.len() / 2]
}

fn main() {
    let example = support::example_issued();
    let branding = Branding::for_seller(example.invoice().seller()).with_logo_png(support::logo());
    // Warm up: parses the embedded fonts once.
    let pdf = render(&example, &branding, InvoiceCopy::Original).expect("render");

    const N: usize = 51;
    let times: Vec<Duration> = (0..N)
        .map(|_| {
            let t = Instant::now();
            let bytes = render(&example, &branding, InvoiceCopy::Original).expect("render");
            std::hint::black_box(bytes);
            t.elapsed()
        })
        .collect();
    println!(
        "one invoice (worked example, 4 lines, logo + UPI QR): median {:.2} ms of {N}",
        median(times).as_secs_f64() * 1e3
    );
    println!("  PDF size: {} bytes", pdf.len());

    let long = support::long_issued(120);
    let long_pdf = render(&long, &branding, InvoiceCopy::Original).expect("render");
    let times: Vec<Duration> = (0..11)
        .map(|_| {
            let t = Instant::now();
            std::hint::black_box(render(&long, &branding, InvoiceCopy::Original).expect("render"));
            t.elapsed()
        })
        .collect();
    println!(
        "one 120-line invoice: median {:.2} ms of 11, {} bytes",
        median(times).as_secs_f64() * 1e3,
        long_pdf.len()
    );

    let irn = support::example_with_irn();
    let irn_pdf = render(&irn, &branding, InvoiceCopy::Original).expect("render");
    println!("  e-invoice with signed QR: {} bytes", irn_pdf.len());

    const BATCH: usize = 1000;
    const THREADS: usize = 2;
    let t = Instant::now();
    let total_bytes: usize = std::thread::scope(|s| {
        let handles: Vec<_> = (0..THREADS)
            .map(|k| {
                let (example, branding) = (&example, &branding);
                s.spawn(move || {
                    (k..BATCH)
                        .step_by(THREADS)
                        .map(|_| {
                            render(example, branding, InvoiceCopy::Original)
                                .expect("render")
                                .len()
                        })
                        .sum::<usize>()
                })
            })
            .collect();
        handles.into_iter().map(|h| h.join().expect("thread")).sum()
    });
    let elapsed = t.elapsed();
    println!(
        "batch: {BATCH} invoices on {THREADS} threads in {:.2} s ({:.1} invoices/s, {:.1} MB written)",
        elapsed.as_secs_f64(),
        BATCH as f64 / elapsed.as_secs_f64(),
        total_bytes as f64 / 1e6
    );
}
