//! A billing run over 10,000 VMs' usage: fetch a month of usage records from the simulator,
//! rate them per account and price every account's lines into a computed GST invoice. Printed as
//! figures (never a timed test).

use akashone_billing::{RateCard, lines_for, rate};
use akashone_cloudstack::api::ListUsageRecords;
use akashone_cloudstack::{Client, ClientConfig};
use akashone_cloudstack_sim::{SimConfig, Simulator};
use akashone_gst::{InvoiceDraft, UnitPrice, compute};
use std::time::Instant;

#[tokio::main]
async fn main() {
    let vms = 10_000;
    let sim = Simulator::start(SimConfig {
        vms,
        accounts: 200,
        ..SimConfig::default()
    })
    .await
    .expect("simulator");
    let client = Client::new(ClientConfig::new(
        sim.url(),
        sim.api_key(),
        sim.secret_key(),
    ))
    .expect("client");
    let today = time::OffsetDateTime::now_utc().date();
    let t0 = Instant::now();
    let records = client
        .list_usage_records(&ListUsageRecords {
            startdate: Some((today - time::Duration::days(30)).to_string()),
            enddate: Some(today.to_string()),
            ..Default::default()
        })
        .await
        .expect("usage");
    let fetched = t0.elapsed();

    let card = RateCard {
        vcpu_hour: UnitPrice::from_milli_rupees(1_250).unwrap(),
        gb_ram_hour: UnitPrice::from_milli_rupees(417).unwrap(),
        gb_storage_month: UnitPrice::from_milli_rupees(8_000).unwrap(),
        public_ip_hour: UnitPrice::from_milli_rupees(500).unwrap(),
        snapshot_gb_month: UnitPrice::from_milli_rupees(4_000).unwrap(),
        kubernetes_cluster_hour: UnitPrice::from_milli_rupees(6_000).unwrap(),
        database_instance_hour: UnitPrice::from_milli_rupees(3_500).unwrap(),
        discount: None,
    };
    let template =
        InvoiceDraft::from_json(include_str!("../../gst/examples/draft.json")).expect("draft");
    let t1 = Instant::now();
    let totals = rate(&records, &[]).expect("rating");
    let rated = t1.elapsed();
    let t2 = Instant::now();
    let mut grand = 0i64;
    for t in totals.values() {
        let mut draft = template.clone();
        draft.lines = lines_for(t, &card, "last 30 days").expect("lines");
        grand += compute(&draft).expect("invoice").totals().total.as_i64();
    }
    let priced = t2.elapsed();
    sim.shutdown().await;

    println!("Billing run over {vms} VMs' usage (30 days, simulator on loopback, one thread)");
    println!(
        "  usage records fetched           {} in {:.2} s",
        records.len(),
        fetched.as_secs_f64()
    );
    println!(
        "  rated per account               {} accounts in {:.1} ms ({:.0} records/s)",
        totals.len(),
        rated.as_secs_f64() * 1000.0,
        records.len() as f64 / rated.as_secs_f64()
    );
    println!(
        "  priced into GST invoices        {} invoices in {:.1} ms; grand total ₹{}.{:02}",
        totals.len(),
        priced.as_secs_f64() * 1000.0,
        grand / 100,
        grand % 100
    );
}
