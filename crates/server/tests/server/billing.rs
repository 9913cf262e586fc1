//! GST billing through the server: a reseller and two customers with VMs in the simulator, whose
//! usage of last month is billed by the reseller (at its prices) and by the platform (the
//! reseller's whole subtree, at the platform's prices). Amounts are checked against the rating
//! and GST libraries run independently on the same usage records.

mod documents;
mod numbering;
mod scenario;
mod supply;
mod validation;

pub use scenario::*;

use std::time::Duration;

use akashone_billing::{MeterTotals, RateCard, lines_for, rate};
use akashone_cloudstack::api::ListUsageRecords;
use akashone_cloudstack::{Client, ClientConfig};
use akashone_gst::{InvoiceDraft, compute};
use reqwest::StatusCode;
use serde_json::{Value, json};

use crate::support::{Backend, TestApp, on_both};

/// Rates a domain's usage independently and computes the invoice the GST library gives.
async fn independent_totals(
    app: &TestApp,
    domain: &str,
    card: &RateCard,
    seller: (&str, &str),
    buyer: (&str, &str),
) -> (akashone_gst::Totals, Vec<akashone_gst::LineDraft>) {
    let (_, first, last) = last_month();
    let cs = Client::new(ClientConfig::new(
        app.sim.url(),
        app.sim.api_key(),
        app.sim.secret_key(),
    ))
    .unwrap();
    let records = cs
        .list_usage_records(&ListUsageRecords {
            startdate: Some(first.to_string()),
            enddate: Some(last.to_string()),
            domainid: Some(domain.to_owned()),
            isrecursive: Some(true),
            ..Default::default()
        })
        .await
        .unwrap();
    let mut totals = MeterTotals::default();
    for t in rate(&records, &[]).unwrap().values() {
        totals.absorb(t).unwrap();
    }
    let lines = lines_for(&totals, card, "period").unwrap();
    let party = |gstin: &str, state: &str| {
        json!({"legal_name": "Party", "address": {"line1": "x", "city": "y", "pin": "400001"},
               "gstin": gstin, "state": state})
    };
    let draft = json!({
        "date": today().to_string(),
        "seller": party(seller.0, seller.1),
        "buyer": party(buyer.0, buyer.1),
        "lines": serde_json::to_value(&lines).unwrap(),
    });
    let draft = InvoiceDraft::from_json(&draft.to_string()).unwrap();
    (*compute(&draft).unwrap().totals(), lines)
}

fn assert_totals(invoice: &Value, t: &akashone_gst::Totals) {
    let totals = &invoice["document"]["totals"];
    for (field, want) in [
        ("taxableValue", t.taxable_value),
        ("cgst", t.cgst),
        ("sgst", t.sgst),
        ("igst", t.igst),
        ("totalTax", t.total_tax),
        ("roundOff", t.round_off),
        ("total", t.total),
    ] {
        assert_eq!(totals[field], want.to_rupee_string(), "{field}");
    }
    assert_eq!(invoice["summary"]["total"], t.total.to_rupee_string());
}

fn vcpu_line(invoice: &Value) -> &Value {
    invoice["document"]["lines"]
        .as_array()
        .unwrap()
        .iter()
        .find(|l| l["unit"] == "vCPU-hr")
        .expect("a vCPU line")
}

async fn a_run_invoices_each_customer_of_a_reseller_and_the_platform_invoices_the_reseller(
    backend: Backend,
) {
    let s = Scenario::new(backend, 70).await;
    let (period, first, last) = last_month();
    let days = i64::from(last.day());
    let hours = |cpus: i64| (cpus * 24 * days).to_string();

    let run = s.run(&s.r_admin, None).await;
    assert_eq!(run["period"], period.as_str());
    assert_eq!(run["issued"], 2, "{run}");
    assert_eq!(
        (&run["skipped"], &run["noUsage"], &run["failed"]),
        (&json!(0), &json!(0), &json!(0))
    );
    assert!(run["usageRecords"].as_u64().unwrap() > 0);
    let fy = fy_label(today());
    // Customers in name order: Bengaluru first.
    assert_eq!(
        row(&run, &s.blr)["invoiceNumber"],
        format!("RSM/{fy}/000001")
    );
    assert_eq!(
        row(&run, &s.pune)["invoiceNumber"],
        format!("RSM/{fy}/000002")
    );

    // Pune: same State as the reseller, CGST + SGST; amounts as rated independently.
    let pune_inv = row(&run, &s.pune)["invoiceId"].as_str().unwrap().to_owned();
    let pune = s.detail(&s.r_admin, &pune_inv).await;
    let doc = &pune["document"];
    assert_eq!(doc["title"], "Tax Invoice");
    assert_eq!(doc["supply"]["regime"], "cgst_sgst");
    assert_eq!(doc["supply"]["placeOfSupplyCode"], "27");
    assert_eq!(doc["seller"]["gstin"], s.reseller_gstin.as_str());
    assert_eq!(doc["buyer"]["gstin"], s.pune_gstin.as_str());
    assert_eq!(doc["buyer"]["legalName"], "Pune Analytics LLP");
    assert_eq!(doc["billingPeriod"]["from"], first.to_string());
    assert_eq!(doc["billingPeriod"]["to"], last.to_string());
    assert_eq!(vcpu_line(&pune)["quantity"], hours(s.vcpus.0));
    assert_eq!(vcpu_line(&pune)["sac"], "998315");
    assert_eq!(vcpu_line(&pune)["unitPrice"], "1.25");
    let heads: Vec<&str> = vcpu_line(&pune)["taxes"]
        .as_array()
        .unwrap()
        .iter()
        .map(|t| t["head"].as_str().unwrap())
        .collect();
    assert_eq!(heads, ["CGST", "SGST"]);
    assert_eq!(vcpu_line(&pune)["taxes"][0]["rate"], "9");
    let reseller_card = card(RESELLER_PRICES, Some("5"));
    let (want, lines) = independent_totals(
        &s.app,
        s.pune["cloudstackDomainId"].as_str().unwrap(),
        &reseller_card,
        (&s.reseller_gstin, "27"),
        (&s.pune_gstin, "27"),
    )
    .await;
    assert_totals(&pune, &want);
    assert_eq!(doc["lines"].as_array().unwrap().len(), lines.len());
    assert!(want.igst.as_i64() == 0 && want.cgst.as_i64() > 0);
    assert!(
        doc["amountInWords"]
            .as_str()
            .unwrap()
            .starts_with("Rupees ")
    );
    assert_eq!(doc["payment"]["upiId"], "seller@exbank");
    assert_eq!(pune["branding"]["displayName"], "Sahyadri Cloud");
    assert_eq!(pune["einvoice"]["status"], "not_required");
    assert_eq!(pune["printable"], true);

    // Bengaluru: another State, IGST.
    let blr_inv = row(&run, &s.blr)["invoiceId"].as_str().unwrap().to_owned();
    let blr = s.detail(&s.r_admin, &blr_inv).await;
    assert_eq!(blr["document"]["supply"]["regime"], "igst");
    assert_eq!(blr["document"]["supply"]["placeOfSupplyName"], "Karnataka");
    assert_eq!(vcpu_line(&blr)["quantity"], hours(s.vcpus.1));
    assert_eq!(vcpu_line(&blr)["taxes"][0]["head"], "IGST");
    assert_eq!(vcpu_line(&blr)["taxes"][0]["rate"], "18");
    let (want, _) = independent_totals(
        &s.app,
        s.blr["cloudstackDomainId"].as_str().unwrap(),
        &reseller_card,
        (&s.reseller_gstin, "27"),
        (&s.blr_gstin, "29"),
    )
    .await;
    assert_totals(&blr, &want);
    assert!(want.cgst.as_i64() == 0 && want.igst.as_i64() > 0);

    // A re-run issues nothing and says what it skipped.
    let again = s.run(&s.r_admin, None).await;
    assert_eq!(again["issued"], 0);
    assert_eq!(again["skipped"], 2);
    assert_eq!(row(&again, &s.pune)["invoiceId"], pune_inv.as_str());
    assert_eq!(row(&again, &s.pune)["outcome"], "skipped");
    let runs = s.app.get(&s.r_admin, "/api/billing/runs").await;
    assert_eq!(runs.body.as_array().unwrap().len(), 2);

    // The platform invoices the reseller for its whole subtree at the platform's prices.
    let platform_run = s.run(&s.app.admin, None).await;
    assert_eq!(platform_run["issued"], 1, "{platform_run}");
    let to_reseller = row(&platform_run, &s.reseller)["invoiceId"]
        .as_str()
        .unwrap()
        .to_owned();
    assert_eq!(
        row(&platform_run, &s.reseller)["invoiceNumber"],
        format!("AKP/{fy}/000001")
    );
    let inv = s.detail(&s.app.admin, &to_reseller).await;
    assert_eq!(vcpu_line(&inv)["quantity"], hours(s.vcpus.0 + s.vcpus.1));
    assert_eq!(vcpu_line(&inv)["unitPrice"], "0.90");
    assert_eq!(inv["document"]["supply"]["regime"], "igst");
    let (want, _) = independent_totals(
        &s.app,
        s.reseller["cloudstackDomainId"].as_str().unwrap(),
        &card(PLATFORM_PRICES, None),
        (PLATFORM_GSTIN, "29"),
        (&s.reseller_gstin, "27"),
    )
    .await;
    assert_totals(&inv, &want);

    // Who sees what: a customer only what is addressed to it; the reseller what it issued
    // and what it was issued; another reseller nothing.
    let list = |token: String, query: &'static str| {
        let app = &s.app;
        async move {
            let r = app
                .get(&token, &format!("/api/billing/invoices{query}"))
                .await;
            assert_eq!(r.status, StatusCode::OK, "{}", r.text);
            r.body
        }
    };
    let mine = list(s.pune_admin.clone(), "").await;
    assert_eq!(mine["total"], 1);
    assert_eq!(mine["items"][0]["id"], pune_inv.as_str());
    for hidden in [&blr_inv, &to_reseller] {
        let r = s
            .app
            .get(&s.pune_admin, &format!("/api/billing/invoices/{hidden}"))
            .await;
        assert_eq!(r.status, StatusCode::NOT_FOUND);
        assert!(!r.text.contains("Sahyadri") && !r.text.contains("RSM/"));
    }
    let theirs = list(s.blr_admin.clone(), "").await;
    assert_eq!(theirs["total"], 1);
    assert_eq!(theirs["items"][0]["id"], blr_inv.as_str());
    assert_eq!(list(s.r_admin.clone(), "").await["total"], 3);
    let received = s
        .app
        .get(
            &s.r_admin,
            &format!("/api/billing/invoices?customerId={}", id(&s.reseller)),
        )
        .await;
    assert_eq!(received.body["items"][0]["id"], to_reseller.as_str());
    assert_eq!(list(s.app.admin.clone(), "").await["total"], 3);
    let by_period = format!("/api/billing/invoices?period={period}&documentType=invoice&limit=2");
    let page = s.app.get(&s.app.admin, &by_period).await;
    assert_eq!(page.body["total"], 3);
    assert_eq!(page.body["items"].as_array().unwrap().len(), 2);

    let other = s.app.tenant(&s.app.admin, None, "Reseller Delhi").await;
    let other_admin = s
        .app
        .user(&s.app.admin, id(&other), "delhi-admin", "reseller-admin")
        .await;
    assert_eq!(list(other_admin.clone(), "").await["total"], 0);
    let r = s
        .app
        .get(&other_admin, &format!("/api/billing/invoices/{pune_inv}"))
        .await;
    assert_eq!(r.status, StatusCode::NOT_FOUND);
    let r = s
        .app
        .get(
            &other_admin,
            &format!("/api/billing/invoices?tenantId={}", id(&s.reseller)),
        )
        .await;
    assert_eq!(r.status, StatusCode::NOT_FOUND);

    // Every step is in the audit log.
    let audit = s.app.get(&s.r_admin, "/api/audit?limit=500").await;
    for action in [
        "billing.run",
        "invoice.issue",
        "seller.update",
        "ratecard.update",
        "customer.update",
    ] {
        assert!(
            audit
                .body
                .as_array()
                .unwrap()
                .iter()
                .any(|a| a["action"] == action),
            "{action} audited"
        );
    }
    s.app.shutdown().await;
}

async fn customers_without_usage_or_details_get_no_invoice_and_use_no_number(backend: Backend) {
    let s = Scenario::new(backend, 70).await;
    // A third customer with no VM, and a fourth with a VM but no billing details.
    let idle = s
        .app
        .tenant(&s.r_admin, Some(id(&s.reseller)), "Customer Idle")
        .await;
    let nodetails = s
        .app
        .tenant(&s.r_admin, Some(id(&s.reseller)), "Customer Anonymous")
        .await;
    let anon_admin = s
        .app
        .user(&s.r_admin, id(&nodetails), "anon-admin", "customer-admin")
        .await;
    s.app.deploy(&anon_admin, "anon-vm").await;
    let account = nodetails["cloudstackAccount"].as_str().unwrap();
    let user = s.app.sim.user_of(account).unwrap();
    s.app
        .sim
        .backdate_account(&user.account_id, Duration::from_secs(70 * 86_400));

    let run = s.run(&s.r_admin, None).await;
    assert_eq!(run["issued"], 2, "{run}");
    assert_eq!(run["noUsage"], 1);
    assert_eq!(run["failed"], 1);
    assert_eq!(row(&run, &idle)["outcome"], "no_usage");
    let failed = row(&run, &nodetails);
    assert_eq!(failed["outcome"], "failed");
    assert!(
        failed["message"]
            .as_str()
            .unwrap()
            .contains("no billing details"),
        "{failed}"
    );
    // Numbers stay consecutive: the failure used none.
    let fy = fy_label(today());
    let mut numbers: Vec<String> = run["customers"]
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|c| c["invoiceNumber"].as_str().map(str::to_owned))
        .collect();
    numbers.sort();
    assert_eq!(
        numbers,
        [format!("RSM/{fy}/000001"), format!("RSM/{fy}/000002")]
    );

    // CloudStack failing: the customers still to invoice fail with the reason, nothing else.
    s.app.sim.set_error_rate(1.0);
    let again = s.run(&s.r_admin, None).await;
    s.app.sim.set_error_rate(0.0);
    assert_eq!(
        (&again["issued"], &again["skipped"]),
        (&json!(0), &json!(2))
    );
    let failed = row(&again, &nodetails);
    assert_eq!(failed["outcome"], "failed");
    assert!(
        failed["message"].as_str().unwrap().contains("CloudStack"),
        "{failed}"
    );
    s.app.shutdown().await;
}

/// An address, a data volume and a snapshot made with `POST /api/operations` are in the usage
/// the cloud reports (public-IP hours, volume and snapshot GB-months, by their ids) and on the
/// customer's invoice, priced from the reseller's rate card as the rating library prices them.
async fn addresses_volumes_and_snapshots_made_here_are_metered_and_invoiced(backend: Backend) {
    use akashone_types::network::{AcquireIp, NetworkRow};
    use akashone_types::ops::Operation;
    use akashone_types::storage::{CreateVolume, DiskOfferingInfo, VolumeAction, VolumeSource};
    let s = Scenario::new(backend, 0).await;
    let app = &s.app;
    let token = &s.pune_admin;
    let run_op = async |o: Operation| -> Option<String> {
        let r = crate::network_storage::op(app, token, &o).await;
        assert_eq!(r.status, StatusCode::OK, "{}: {}", o.name(), r.text);
        r.body["id"].as_str().map(str::to_owned)
    };
    let nets: Vec<NetworkRow> =
        serde_json::from_value(app.get(token, "/api/networks").await.body).unwrap();
    let net = nets
        .iter()
        .find(|n| n.vm_names.iter().any(|v| v == "pune-web-1"))
        .expect("pune-web-1's network");
    let ip = run_op(Operation::IpAcquire {
        request: AcquireIp::Network {
            network_id: net.id.clone(),
        },
    })
    .await
    .expect("the address's id");
    let offerings: Vec<DiskOfferingInfo> =
        serde_json::from_value(app.get(token, "/api/disk-offerings").await.body).unwrap();
    let custom = offerings.iter().find(|o| o.size_gib.is_none()).unwrap();
    let volume = run_op(Operation::VolumeCreate {
        request: CreateVolume {
            name: "pune-data".into(),
            zone_id: net.zone_id.clone(),
            source: VolumeSource::Offering {
                disk_offering_id: custom.id.clone(),
                size_gib: Some(100),
                min_iops: None,
                max_iops: None,
            },
        },
    })
    .await
    .expect("the volume's id");
    let vms = app.get(token, "/api/vms").await.body;
    let web = vms
        .as_array()
        .unwrap()
        .iter()
        .find(|v| v["name"] == "pune-web-1")
        .unwrap()["id"]
        .as_str()
        .unwrap()
        .to_owned();
    run_op(Operation::VolumeAction {
        id: volume.clone(),
        action: VolumeAction::Attach {
            vm_id: web,
            device_id: None,
        },
    })
    .await;
    let snapshot = run_op(Operation::SnapshotCreate {
        volume_id: volume.clone(),
        name: Some("pune-data-daily".into()),
    })
    .await
    .expect("the snapshot's id");

    // All of it has been there since before last month.
    let account = s.pune["cloudstackAccount"].as_str().unwrap();
    let user = app.sim.user_of(account).unwrap();
    assert!(
        app.sim
            .backdate_account(&user.account_id, Duration::from_secs(70 * 86_400))
    );

    // The cloud reports each by its id.
    let (_, first, last) = last_month();
    let cs = Client::new(ClientConfig::new(
        app.sim.url(),
        app.sim.api_key(),
        app.sim.secret_key(),
    ))
    .unwrap();
    let records = cs
        .list_usage_records(&ListUsageRecords {
            startdate: Some(first.to_string()),
            enddate: Some(last.to_string()),
            domainid: Some(s.pune["cloudstackDomainId"].as_str().unwrap().to_owned()),
            isrecursive: Some(true),
            ..Default::default()
        })
        .await
        .unwrap();
    for (kind, id) in [(3, &ip), (6, &volume), (9, &snapshot)] {
        assert!(
            records
                .iter()
                .any(|r| r.usagetype == Some(kind) && r.usageid.as_deref() == Some(id.as_str())),
            "no usage record of type {kind} for {id}"
        );
    }

    // The invoice has a line for each, priced as the rating library prices them.
    let run = s.run(&s.r_admin, None).await;
    let inv = row(&run, &s.pune)["invoiceId"].as_str().unwrap().to_owned();
    let pune = s.detail(&s.r_admin, &inv).await;
    let lines = pune["document"]["lines"].as_array().unwrap();
    for what in [
        "Public IPv4 addresses",
        "Block storage (volumes)",
        "Snapshot storage",
    ] {
        assert!(
            lines
                .iter()
                .any(|l| l["description"].as_str().unwrap_or_default().contains(what)),
            "no {what:?} line: {lines:?}"
        );
    }
    let (want, _) = independent_totals(
        app,
        s.pune["cloudstackDomainId"].as_str().unwrap(),
        &card(RESELLER_PRICES, Some("5")),
        (&s.reseller_gstin, "27"),
        (&s.pune_gstin, "27"),
    )
    .await;
    assert_totals(&pune, &want);
    s.app.shutdown().await;
}

on_both!(
    a_run_invoices_each_customer_of_a_reseller_and_the_platform_invoices_the_reseller,
    addresses_volumes_and_snapshots_made_here_are_metered_and_invoiced,
    customers_without_usage_or_details_get_no_invoice_and_use_no_number
);
