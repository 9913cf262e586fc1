//! Any list by its rows: filtered pages, rows by one column, single rows after an action.

use crate::support::{cache, now};
use akashone_cache::sync::{Snapshot, store};
use akashone_cache::{Error, FirewallRule, PortForward, RecordQuery, Stored};
use serde_json::json;

fn rule(i: usize, ip: usize) -> Stored<FirewallRule> {
    Stored::new(
        FirewallRule {
            id: format!("fw-{i:05}"),
            traffic: "ingress".into(),
            ip_id: Some(format!("ip-{ip}")),
            ip_address: Some(format!("203.0.113.{ip}")),
            network_id: Some("net-1".into()),
            protocol: Some(if i.is_multiple_of(2) { "tcp" } else { "udp" }.into()),
            start_port: Some(1000 + i as i64),
            end_port: Some(1000 + i as i64),
            cidrs: Some(
                if i.is_multiple_of(7) {
                    "0.0.0.0/0"
                } else {
                    "198.51.100.0/24"
                }
                .into(),
            ),
            dest_cidrs: None,
            icmp_type: None,
            icmp_code: None,
            state: Some("Active".into()),
        },
        json!({"id": format!("fw-{i:05}")}),
    )
}

fn with_rules(n: usize) -> Snapshot {
    Snapshot {
        firewall_rules: Some(Ok((0..n).map(|i| rule(i, i % 10)).collect())),
        ..Snapshot::default()
    }
}

#[test]
fn filtered_pages_count_every_match_and_refuse_unknown_columns() {
    let (_dir, cache) = cache();
    store(&cache, &with_rules(500), now(), None).unwrap();

    let all = cache.page::<FirewallRule>(&RecordQuery::default()).unwrap();
    assert_eq!(all.total, 500);
    assert_eq!(all.rows.len(), 500);

    let q = RecordQuery {
        equal: vec![("ip_id".into(), "ip-3".into())],
        limit: 20,
        offset: 20,
        ..RecordQuery::default()
    };
    let page = cache.page::<FirewallRule>(&q).unwrap();
    assert_eq!(page.total, 50);
    assert_eq!(page.rows.len(), 20);
    assert!(page.rows.iter().all(|r| r.ip_id.as_deref() == Some("ip-3")));

    // Search is case-insensitive and `%`/`_` are literal.
    let open = RecordQuery {
        search: Some("0.0.0.0/0".into()),
        search_in: vec!["cidrs".into()],
        ..RecordQuery::default()
    };
    assert_eq!(cache.page::<FirewallRule>(&open).unwrap().total, 72);
    let udp = RecordQuery {
        search: Some("UDP".into()),
        search_in: vec!["protocol".into()],
        ..RecordQuery::default()
    };
    assert_eq!(cache.page::<FirewallRule>(&udp).unwrap().total, 250);
    let literal = RecordQuery {
        search: Some("_".into()),
        search_in: vec!["protocol".into()],
        ..RecordQuery::default()
    };
    assert_eq!(cache.page::<FirewallRule>(&literal).unwrap().total, 0);

    let bad = RecordQuery {
        equal: vec![("ip_id; DROP TABLE firewall_rules".into(), "x".into())],
        ..RecordQuery::default()
    };
    let err = cache.page::<FirewallRule>(&bad).unwrap_err();
    assert!(matches!(err, Error::NoSuchColumn { .. }), "{err}");
    assert!(err.to_string().contains("firewall_rules"), "{err}");
    // Nothing was lost.
    assert_eq!(
        cache
            .page::<FirewallRule>(&RecordQuery::default())
            .unwrap()
            .total,
        500
    );
}

#[test]
fn single_rows_change_and_an_ips_rules_go_with_it() {
    let (_dir, cache) = cache();
    store(&cache, &with_rules(30), now(), None).unwrap();
    assert_eq!(
        cache
            .rows_where::<FirewallRule>("ip_id", "ip-4")
            .unwrap()
            .len(),
        3
    );

    let fresh = rule(999, 4);
    cache.upsert(&fresh, &fresh.record.id).unwrap();
    assert_eq!(
        cache
            .rows_where::<FirewallRule>("ip_id", "ip-4")
            .unwrap()
            .len(),
        4
    );
    assert!(cache.raw::<FirewallRule>(&["fw-00999"]).unwrap().is_some());

    assert!(cache.remove::<FirewallRule>("fw-00999").unwrap());
    assert!(!cache.remove::<FirewallRule>("fw-00999").unwrap());
    assert!(cache.raw::<FirewallRule>(&["fw-00999"]).unwrap().is_none());

    assert_eq!(
        cache.remove_where::<FirewallRule>("ip_id", "ip-4").unwrap(),
        3
    );
    assert!(
        cache
            .rows_where::<FirewallRule>("ip_id", "ip-4")
            .unwrap()
            .is_empty()
    );
    assert_eq!(cache.list::<FirewallRule>().unwrap().len(), 27);
    assert!(
        cache
            .rows_where::<PortForward>("vm_id", "x")
            .unwrap()
            .is_empty()
    );
    assert!(cache.rows_where::<FirewallRule>("nope", "x").is_err());
}
