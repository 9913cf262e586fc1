//! Rating against hand-made usage records (exact figures) and against the simulator's usage
//! (the whole path to a computed GST invoice).

use akashone_billing::{CustomerKey, Meter, RateCard, RatingError, ServiceHours, lines_for, rate};
use akashone_cloudstack::model::UsageRecord;
use akashone_gst::{InvoiceDraft, Percent, UnitPrice, compute};
use serde_json::json;

fn record(v: serde_json::Value) -> UsageRecord {
    serde_json::from_value(v).unwrap()
}

fn card() -> RateCard {
    RateCard {
        vcpu_hour: UnitPrice::from_milli_rupees(1_250).unwrap(), // ₹1.25
        gb_ram_hour: UnitPrice::from_milli_rupees(417).unwrap(), // ₹0.417
        gb_storage_month: UnitPrice::from_milli_rupees(8_000).unwrap(), // ₹8
        public_ip_hour: UnitPrice::from_milli_rupees(500).unwrap(), // ₹0.50
        snapshot_gb_month: UnitPrice::from_milli_rupees(4_000).unwrap(),
        kubernetes_cluster_hour: UnitPrice::from_milli_rupees(6_000).unwrap(),
        database_instance_hour: UnitPrice::from_milli_rupees(3_500).unwrap(),
        discount: None,
    }
}

fn customer() -> CustomerKey {
    CustomerKey {
        domain_id: "d1".into(),
        account: "acme".into(),
    }
}

fn vm(hours: &str, cpus: i64, mem: i64) -> UsageRecord {
    record(
        json!({"account": "acme", "domainid": "d1", "usagetype": 1, "rawusage": hours,
                  "cpunumber": cpus, "memory": mem}),
    )
}

#[test]
fn meters_are_summed_exactly_and_rounded_once() {
    let records = vec![
        // 2 VMs × 24 h: 2 vCPU/3 GiB, and 4 vCPU/1.5 GiB for 12.5 h.
        vm("24", 2, 3072),
        vm("24.000000", 2, 3072),
        vm("12.5", 4, 1536),
        // An address all day, a 20 GiB volume for 730 h (one month), a 10 GiB snapshot half a month.
        record(json!({"account": "acme", "domainid": "d1", "usagetype": 3, "rawusage": "24"})),
        record(
            json!({"account": "acme", "domainid": "d1", "usagetype": 6, "rawusage": "730", "size": 21474836480i64}),
        ),
        record(
            json!({"account": "acme", "domainid": "d1", "usagetype": 9, "rawusage": "365", "size": 10737418240i64}),
        ),
        // Not sold: allocated-but-stopped VM, network bytes.
        record(json!({"account": "acme", "domainid": "d1", "usagetype": 2, "rawusage": "24"})),
        record(json!({"account": "acme", "domainid": "d1", "usagetype": 4, "rawusage": "1"})),
        // One third of an hour three times: 1 h exactly once summed (not 0.333 × 3).
        record(
            json!({"account": "acme", "domainid": "d1", "usagetype": 3, "rawusage": "0.333333"}),
        ),
        record(
            json!({"account": "acme", "domainid": "d1", "usagetype": 3, "rawusage": "0.333333"}),
        ),
        record(
            json!({"account": "acme", "domainid": "d1", "usagetype": 3, "rawusage": "0.333334"}),
        ),
    ];
    let services = vec![ServiceHours {
        customer: customer(),
        meter: Meter::KubernetesClusterHours,
        hours_milli: 48_000,
    }];
    let totals = rate(&records, &services).unwrap();
    let t = &totals[&customer()];
    let q = |m| t.milli(m).unwrap();
    assert_eq!(q(Meter::VcpuHours), (24 * 2 + 24 * 2) * 1000 + 12_500 * 4);
    assert_eq!(q(Meter::RamGbHours), 48 * 3 * 1000 + 12_500 * 3 / 2);
    assert_eq!(q(Meter::PublicIpHours), 25_000);
    assert_eq!(q(Meter::StorageGbMonths), 20_000);
    assert_eq!(q(Meter::SnapshotGbMonths), 5_000);
    assert_eq!(q(Meter::KubernetesClusterHours), 48_000);
    assert_eq!(q(Meter::DatabaseInstanceHours), 0);
    assert_eq!(t.records, 9, "the two unsold records are not counted");

    let lines = lines_for(t, &card(), "1–30 Nov 2025").unwrap();
    assert_eq!(lines.len(), 6, "no line for a meter without usage");
    assert!(lines.iter().all(|l| l.sac.to_string() == "998315"));
    assert!(lines[0].description.contains("1–30 Nov 2025"));
}

#[test]
fn customers_are_kept_apart() {
    let records = vec![
        vm("10", 1, 1024),
        record(
            json!({"account": "other", "domainid": "d2", "usagetype": 1, "rawusage": "10", "cpunumber": 8, "memory": 8192}),
        ),
    ];
    let totals = rate(&records, &[]).unwrap();
    assert_eq!(totals.len(), 2);
    assert_eq!(totals[&customer()].milli(Meter::VcpuHours).unwrap(), 10_000);
}

#[test]
fn absorbed_accounts_round_once_like_one_account() {
    // 0.0004 h × 1 vCPU in each of three accounts: 0 each when rounded apart, 1.2 thousandths
    // together, which rounds to 1.
    let tiny = |account: &str| {
        record(
            json!({"account": account, "domainid": "d1", "usagetype": 1, "rawusage": "0.0004", "cpunumber": 1, "memory": 1024}),
        )
    };
    let totals = rate(&[tiny("a"), tiny("b"), tiny("c")], &[]).unwrap();
    assert!(
        totals
            .values()
            .all(|t| t.milli(Meter::VcpuHours).unwrap() == 0)
    );
    let mut all = akashone_billing::MeterTotals::default();
    for t in totals.values() {
        all.absorb(t).unwrap();
    }
    assert_eq!(all.milli(Meter::VcpuHours).unwrap(), 1);
    assert_eq!(all.records, 3);
}

#[test]
fn bad_records_are_refused_not_guessed() {
    for (bad, field) in [
        (
            json!({"account": "acme", "domainid": "d1", "usagetype": 1, "rawusage": "24", "memory": 1024}),
            "cpunumber",
        ),
        (
            json!({"account": "acme", "domainid": "d1", "usagetype": 1, "rawusage": "-3", "cpunumber": 1, "memory": 1024}),
            "rawusage",
        ),
        (
            json!({"account": "acme", "domainid": "d1", "usagetype": 6, "rawusage": "1"}),
            "size",
        ),
        (
            json!({"domainid": "d1", "usagetype": 3, "rawusage": "1"}),
            "account",
        ),
        (
            json!({"account": "acme", "usagetype": 3, "rawusage": "1"}),
            "domainid",
        ),
    ] {
        let err = rate(&[record(bad)], &[]).unwrap_err();
        assert!(
            matches!(&err, RatingError::BadRecord { field: f, .. } if *f == field),
            "{err}"
        );
    }
}

#[test]
fn priced_lines_make_a_gst_invoice_whose_lines_add_up() {
    let records = vec![vm("720", 2, 4096), vm("100.25", 1, 1024)];
    let totals = rate(&records, &[]).unwrap();
    let mut card = card();
    card.discount = Some(Percent::from_basis_points(1_000).unwrap()); // 10 %
    let lines = lines_for(&totals[&customer()], &card, "Nov 2025").unwrap();
    let example = include_str!("../../../gst/examples/draft.json");
    let mut draft = InvoiceDraft::from_json(example).unwrap();
    draft.lines = lines;
    let inv = compute(&draft).unwrap();
    let t = inv.totals();
    // vCPU: (1440 + 100.25) h × ₹1.25 = ₹1925.3125 → ₹1925.31; RAM: (2880 + 100.25) GB-h × ₹0.417.
    assert_eq!(inv.lines().len(), 2);
    // = ₹1242.76425 → ₹1242.76.
    assert_eq!(t.gross.as_i64(), 192_531 + 124_276);
    assert_eq!(
        t.taxable_value.as_i64(),
        t.gross.as_i64() - t.discount.as_i64()
    );
    assert_eq!(
        t.total_tax.as_i64(),
        t.cgst.as_i64() + t.sgst.as_i64() + t.utgst.as_i64() + t.igst.as_i64()
    );
    assert!(t.round_off.as_i64().abs() <= 50);
    assert_eq!(t.total.as_i64() % 100, 0);
}

#[tokio::test]
async fn the_simulators_usage_rates_per_account() {
    use akashone_cloudstack::api::ListUsageRecords;
    use akashone_cloudstack::{Client, ClientConfig};
    use akashone_cloudstack_sim::{SimConfig, Simulator};
    let sim = Simulator::start(SimConfig {
        vms: 60,
        ..SimConfig::default()
    })
    .await
    .unwrap();
    let client = Client::new(ClientConfig::new(
        sim.url(),
        sim.api_key(),
        sim.secret_key(),
    ))
    .unwrap();
    let today = time::OffsetDateTime::now_utc().date();
    let records = client
        .list_usage_records(&ListUsageRecords {
            startdate: Some((today - time::Duration::days(30)).to_string()),
            enddate: Some(today.to_string()),
            ..Default::default()
        })
        .await
        .unwrap();
    assert!(!records.is_empty(), "the simulator reports usage");
    let totals = rate(&records, &[]).unwrap();
    assert!(totals.len() > 1, "several accounts used the cloud");
    let running: u64 = records.iter().filter(|r| r.usagetype == Some(1)).count() as u64;
    assert!(running > 0);
    for t in totals.values() {
        let lines = lines_for(t, &card(), "last 30 days").unwrap();
        assert!(
            lines
                .iter()
                .all(|l| l.quantity.is_some_and(|q| q.milli() > 0))
        );
    }
    sim.shutdown().await;
}

#[test]
fn a_cluster_is_billed_its_control_plane_hours_once_and_its_nodes_as_vms() {
    let node = |vm: &str, hours: &str| {
        record(
            json!({"account": "acme", "domainid": "d1", "usagetype": 1, "rawusage": hours,
                      "cpunumber": 2, "memory": 2048, "virtualmachineid": vm}),
        )
    };
    // An HA cluster: three control nodes and two workers, 100.5 h; a plain VM beside it.
    let records = vec![
        node("c1", "100.5"),
        node("c2", "100.5"),
        node("c3", "100.5"),
        node("w1", "100.5"),
        node("w2", "80.25"),
        node("plain", "10"),
    ];
    let first: std::collections::HashSet<String> = ["c1".to_owned()].into();
    let hours = akashone_billing::cluster_hours(&records, &first);
    assert_eq!(
        hours,
        [ServiceHours {
            customer: customer(),
            meter: Meter::KubernetesClusterHours,
            hours_milli: 100_500
        }]
    );
    let totals = rate(&records, &hours).unwrap();
    let t = &totals[&customer()];
    // Every node's vCPU hours are billed as VMs, once: (4 × 100.5 + 80.25 + 10) × 2 = 984.5.
    assert_eq!(t.milli(Meter::VcpuHours).unwrap(), 984_500);
    assert_eq!(t.milli(Meter::KubernetesClusterHours).unwrap(), 100_500);
    let lines = lines_for(t, &card(), "1–30 Nov 2026").unwrap();
    let k8s = lines
        .iter()
        .find(|l| l.description.starts_with("Managed Kubernetes clusters"))
        .expect("a Kubernetes line");
    assert_eq!(k8s.quantity.unwrap().to_string(), "100.5");
}
