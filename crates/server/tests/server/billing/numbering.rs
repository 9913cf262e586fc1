//! Document numbers: consecutive per seller, kind and financial year, with no gap and no
//! duplicate under concurrent issuing, restarting each 1 April.

use akashone_gst::SeriesFormat;
use akashone_server::db::{IssueOutcome, NewDocument, Tenant};
use akashone_types::central::DocumentKind;
use reqwest::StatusCode;
use serde_json::json;
use time::Date;
use time::macros::date;

use super::{Scenario, row};
use crate::support::{Backend, TestStore, on_both};

fn tenant(id: &str, parent: Option<&Tenant>) -> Tenant {
    Tenant {
        id: id.into(),
        parent_id: parent.map(|p| p.id.clone()),
        name: id.to_uppercase(),
        path: Tenant::child_path(parent.map_or("/", |p| &p.path), id),
        cs_domain_id: None,
        cs_account: None,
        suspended: false,
        created_at: 1,
    }
}

fn invoice(customer: &str, period: &str, date: Date) -> NewDocument {
    NewDocument {
        id: format!("{customer}-{period}-{date}"),
        seller_tenant_id: "seller".into(),
        customer_tenant_id: customer.into(),
        kind: DocumentKind::Invoice,
        original_id: None,
        period: Some(period.into()),
        run_id: None,
        issue_date: date,
        series: SeriesFormat::new("NCS", 6).unwrap(),
        requires_irn: false,
        seller_name: "Seller".into(),
        customer_name: customer.into(),
        taxable_paise: 100_000,
        tax_paise: 18_000,
        total_paise: 118_000,
        draft: "{}".into(),
        snapshot: "{}".into(),
        created_at: 1,
        created_by: "test".into(),
        credit_limit: None,
    }
}

fn issued(o: IssueOutcome) -> (String, u64) {
    match o {
        IssueOutcome::Issued { number, sequence } => (number, sequence),
        other => panic!("not issued: {other:?}"),
    }
}

async fn fifty_concurrent_issues_are_numbered_without_gap_or_duplicate(backend: Backend) {
    let store = TestStore::new(backend).await;
    let db = akashone_server::db::open(&store.url(), 8).await.unwrap();
    let root = tenant("root", None);
    let seller = tenant("seller", Some(&root));
    db.insert_tenant(&root).await.unwrap();
    db.insert_tenant(&seller).await.unwrap();
    for i in 0..50 {
        db.insert_tenant(&tenant(&format!("c{i:02}"), Some(&seller)))
            .await
            .unwrap();
    }
    let day = date!(2026 - 11 - 02);
    let tasks = (0..50).map(|i| {
        let db = db.clone();
        tokio::spawn(async move {
            db.issue_document(&invoice(&format!("c{i:02}"), "2026-10", day))
                .await
                .unwrap()
        })
    });
    let mut all: Vec<(String, u64)> = futures::future::join_all(tasks)
        .await
        .into_iter()
        .map(|r| issued(r.unwrap()))
        .collect();
    all.sort_by_key(|(_, s)| *s);
    assert_eq!(
        all.iter().map(|(_, s)| *s).collect::<Vec<_>>(),
        (1..=50).collect::<Vec<_>>()
    );
    assert_eq!(all[0].0, "NCS/26-27/000001");
    assert_eq!(all[49].0, "NCS/26-27/000050");

    // The same customer and period again: nothing issued, no number used.
    let again = db
        .issue_document(&invoice("c07", "2026-10", day))
        .await
        .unwrap();
    assert!(
        matches!(again, IssueOutcome::AlreadyIssued { .. }),
        "{again:?}"
    );

    // 31 March is still the old year; 1 April starts a new series at 1.
    let (n, s) = issued(
        db.issue_document(&invoice("c00", "2027-02", date!(2027 - 03 - 31)))
            .await
            .unwrap(),
    );
    assert_eq!((n.as_str(), s), ("NCS/26-27/000051", 51));
    let (n, s) = issued(
        db.issue_document(&invoice("c00", "2027-03", date!(2027 - 04 - 01)))
            .await
            .unwrap(),
    );
    assert_eq!((n.as_str(), s), ("NCS/27-28/000001", 1));
    // A date before the series' last one is refused, and uses no number.
    let early = db
        .issue_document(&invoice("c01", "2027-02", date!(2027 - 03 - 30)))
        .await
        .unwrap();
    assert_eq!(
        early,
        IssueOutcome::DateBeforeSeries {
            last_date: "2027-03-31".into()
        }
    );
    let (n, _) = issued(
        db.issue_document(&invoice("c01", "2027-02", date!(2027 - 03 - 31)))
            .await
            .unwrap(),
    );
    assert_eq!(n, "NCS/26-27/000052");
    let (heads, total) = db
        .documents(&akashone_server::db::DocumentFilter {
            scope_path: seller.path.clone(),
            limit: 200,
            ..Default::default()
        })
        .await
        .unwrap();
    assert_eq!((heads.len(), total), (53, 53));
}

async fn the_financial_year_restarts_numbering_in_april(backend: Backend) {
    // Resources old enough to have run through February and March.
    let s = Scenario::new(backend, 480).await;
    let today = super::today();
    let year = if u8::from(today.month()) >= 4 {
        today.year()
    } else {
        today.year() - 1
    };
    let (old, new) = (
        format!("{:02}-{:02}", (year - 1) % 100, year % 100),
        format!("{:02}-{:02}", year % 100, (year + 1) % 100),
    );
    let run = async |period: String, date: String| {
        let r = s
            .app
            .post(
                &s.r_admin,
                "/api/billing/runs",
                json!({"period": period, "invoiceDate": date}),
            )
            .await;
        assert_eq!(r.status, StatusCode::CREATED, "{}", r.text);
        r.body
    };
    let feb = run(format!("{year}-02"), format!("{year}-03-31")).await;
    assert_eq!(feb["issued"], 2, "{feb}");
    assert_eq!(
        row(&feb, &s.blr)["invoiceNumber"],
        format!("RSM/{old}/000001")
    );
    assert_eq!(
        row(&feb, &s.pune)["invoiceNumber"],
        format!("RSM/{old}/000002")
    );
    let mar = run(format!("{year}-03"), format!("{year}-04-01")).await;
    assert_eq!(
        row(&mar, &s.blr)["invoiceNumber"],
        format!("RSM/{new}/000001")
    );
    assert_eq!(
        row(&mar, &s.pune)["invoiceNumber"],
        format!("RSM/{new}/000002")
    );
    let inv = s
        .detail(
            &s.r_admin,
            row(&mar, &s.pune)["invoiceId"].as_str().unwrap(),
        )
        .await;
    assert_eq!(
        inv["summary"]["financialYear"],
        format!("{year}-{:02}", (year + 1) % 100)
    );

    // January dated before the old series' last document: refused, numbers unused.
    let jan = run(format!("{year}-01"), format!("{year}-03-30")).await;
    assert_eq!(jan["failed"], 2, "{jan}");
    assert!(
        row(&jan, &s.pune)["message"]
            .as_str()
            .unwrap()
            .contains("precedes")
    );
    let jan = run(format!("{year}-01"), format!("{year}-03-31")).await;
    assert_eq!(
        row(&jan, &s.blr)["invoiceNumber"],
        format!("RSM/{old}/000003")
    );
    assert_eq!(
        row(&jan, &s.pune)["invoiceNumber"],
        format!("RSM/{old}/000004")
    );
    s.app.shutdown().await;
}

on_both!(the_financial_year_restarts_numbering_in_april);

on_both!(multi_thread: fifty_concurrent_issues_are_numbered_without_gap_or_duplicate);
