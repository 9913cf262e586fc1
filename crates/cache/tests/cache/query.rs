//! VM pages (filter, sort, paging) against a reference computed in Rust; dashboard figures.

use crate::support::{Rng, cache, now, store_vms, synthetic_vms};
use akashone_cache::{Error, SortDirection, Vm, VmColumn, VmQuery};
use std::cmp::Ordering;

/// A sort key as SQLite compares it: NULL first, NOCASE text as ASCII-lower-cased bytes.
#[derive(PartialEq, Eq, PartialOrd, Ord, Debug)]
enum Key {
    Null,
    Int(i64),
    Text(String),
}

fn text(s: &Option<String>, nocase: bool) -> Key {
    match s {
        None => Key::Null,
        Some(s) if nocase => Key::Text(s.to_ascii_lowercase()),
        Some(s) => Key::Text(s.clone()),
    }
}

fn key(vm: &Vm, col: VmColumn) -> Key {
    match col {
        VmColumn::Id => Key::Text(vm.id.clone()),
        VmColumn::Name => text(&vm.name, true),
        VmColumn::DisplayName => text(&vm.display_name, true),
        VmColumn::State => text(&vm.state, true),
        VmColumn::Zone => text(&vm.zone_name, true),
        VmColumn::Template => text(&vm.template_name, true),
        VmColumn::Offering => text(&vm.offering_name, true),
        VmColumn::CpuNumber => vm.cpu_number.map_or(Key::Null, Key::Int),
        VmColumn::MemoryMb => vm.memory_mb.map_or(Key::Null, Key::Int),
        VmColumn::Ip => text(&vm.primary_ip, true),
        VmColumn::Created => text(&vm.created, false),
        VmColumn::Account => text(&vm.account, true),
        VmColumn::Domain => text(&vm.domain, true),
    }
}

fn matches(vm: &Vm, q: &VmQuery) -> bool {
    let text_ok = match q.text.as_deref().map(str::trim).filter(|t| !t.is_empty()) {
        None => true,
        Some(t) => {
            let t = t.to_ascii_lowercase();
            [
                &vm.name,
                &vm.display_name,
                &vm.state,
                &vm.zone_name,
                &vm.ip_addresses,
                &vm.template_name,
            ]
            .iter()
            .any(|f| {
                f.as_deref()
                    .is_some_and(|f| f.to_ascii_lowercase().contains(&t))
            })
        }
    };
    let state_ok = q.state.as_deref().is_none_or(|s| {
        vm.state
            .as_deref()
            .is_some_and(|v| v.eq_ignore_ascii_case(s))
    });
    let zone_ok = q
        .zone_id
        .as_deref()
        .is_none_or(|z| vm.zone_id.as_deref() == Some(z));
    text_ok && state_ok && zone_ok
}

fn reference(all: &[Vm], q: &VmQuery) -> (Vec<Vm>, u64) {
    let mut rows: Vec<Vm> = all.iter().filter(|v| matches(v, q)).cloned().collect();
    rows.sort_by(|a, b| {
        let o = key(a, q.sort)
            .cmp(&key(b, q.sort))
            .then_with(|| a.id.cmp(&b.id));
        match q.direction {
            SortDirection::Asc => o,
            SortDirection::Desc => o.reverse(),
        }
    });
    let total = rows.len() as u64;
    let page = rows
        .into_iter()
        .skip(q.offset as usize)
        .take(q.limit as usize)
        .collect();
    (page, total)
}

#[test]
fn pages_match_a_reference_for_random_queries() {
    let (_dir, cache) = cache();
    let vms = synthetic_vms(1500, 42);
    store_vms(&cache, vms.clone(), now());
    let all: Vec<Vm> = vms.iter().map(Vm::from).collect();
    let texts = [
        None,
        Some("web"),
        Some("WEB-0"),
        Some(" 10.1. "),
        Some("mumbai"),
        Some("ubuntu 2"),
        Some("running"),
        Some("db-0001"),
        Some("nothing-matches-this"),
        Some("%"),
        Some("_"),
        Some(""),
    ];
    let states = [None, Some("Running"), Some("stopped"), Some("Error")];
    let zones = [None, Some("z1"), Some("z3")];
    let mut rng = Rng(99);
    for i in 0..400 {
        let q = VmQuery {
            text: rng.pick(&texts).map(str::to_owned),
            state: rng.pick(&states).map(str::to_owned),
            zone_id: rng.pick(&zones).map(str::to_owned),
            sort: *rng.pick(&VmColumn::ALL),
            direction: *rng.pick(&[SortDirection::Asc, SortDirection::Desc]),
            offset: *rng.pick(&[0, 0, 10, 49, 200, 1499, 5000]),
            limit: *rng.pick(&[1, 10, 50, 100]),
        };
        let page = cache.vm_page(&q).unwrap();
        let (want, total) = reference(&all, &q);
        assert_eq!(page.total, total, "query {i}: {q:?}");
        let got_ids: Vec<&str> = page.rows.iter().map(|v| v.id.as_str()).collect();
        let want_ids: Vec<&str> = want.iter().map(|v| v.id.as_str()).collect();
        assert_eq!(got_ids, want_ids, "query {i}: {q:?}");
        assert_eq!(page.rows, want, "query {i}: {q:?}");
    }
}

#[test]
fn walking_every_page_visits_every_match_once() {
    let (_dir, cache) = cache();
    store_vms(&cache, synthetic_vms(777, 5), now());
    for sort in [VmColumn::MemoryMb, VmColumn::Name, VmColumn::Ip] {
        let mut seen = Vec::new();
        let mut q = VmQuery {
            state: Some("running".into()),
            sort,
            direction: SortDirection::Desc,
            limit: 50,
            ..VmQuery::default()
        };
        let total = cache.vm_page(&q).unwrap().total;
        loop {
            let page = cache.vm_page(&q).unwrap();
            if page.rows.is_empty() {
                break;
            }
            seen.extend(page.rows.into_iter().map(|v| v.id));
            q.offset += 50;
        }
        assert_eq!(seen.len() as u64, total);
        seen.sort();
        seen.dedup();
        assert_eq!(seen.len() as u64, total, "{sort}");
    }
}

#[test]
fn sort_columns_parse_and_refuse_unknown_names() {
    for c in VmColumn::ALL {
        assert_eq!(c.as_str().parse::<VmColumn>().unwrap(), c);
        let json = serde_json::to_string(&c).unwrap();
        assert_eq!(json, format!("\"{}\"", c.as_str()));
    }
    let err = "name; DROP TABLE vms".parse::<VmColumn>().unwrap_err();
    match &err {
        Error::UnknownColumn { given, expected } => {
            assert_eq!(given, "name; DROP TABLE vms");
            assert!(expected.contains("memory_mb"));
        }
        other => panic!("{other:?}"),
    }
    assert!("Name".parse::<VmColumn>().is_err());
    assert!(serde_json::from_str::<VmColumn>("\"raw_json\"").is_err());
    assert_eq!(
        "desc".parse::<SortDirection>().unwrap(),
        SortDirection::Desc
    );
    assert!("down".parse::<SortDirection>().is_err());
    // A query from the UI as JSON, with defaults for what it leaves out.
    let q: VmQuery = serde_json::from_str(r#"{"text":"web","sort":"memory_mb"}"#).unwrap();
    assert_eq!(q.sort, VmColumn::MemoryMb);
    assert_eq!(q.limit, 50);
}

#[test]
fn page_size_is_capped() {
    let (_dir, cache) = cache();
    store_vms(&cache, synthetic_vms(1200, 8), now());
    let page = cache
        .vm_page(&VmQuery {
            limit: 5000,
            ..VmQuery::default()
        })
        .unwrap();
    assert_eq!(page.limit, 1000);
    assert_eq!(page.rows.len(), 1000);
    assert_eq!(page.total, 1200);
}

#[test]
fn dashboard_aggregates_match_the_rows() {
    let (_dir, cache) = cache();
    let vms = synthetic_vms(900, 11);
    store_vms(&cache, vms.clone(), now());
    let rows: Vec<Vm> = vms.iter().map(Vm::from).collect();
    let d = cache.dashboard().unwrap();
    assert_eq!(d.vm_total, 900);
    // States group case-insensitively ("running" and "Running" are one state).
    let mut counts: std::collections::BTreeMap<String, u64> = Default::default();
    for v in &rows {
        *counts
            .entry(v.state.clone().unwrap_or_default().to_ascii_lowercase())
            .or_default() += 1;
    }
    assert_eq!(d.vms_by_state.len(), counts.len());
    for s in &d.vms_by_state {
        assert_eq!(
            Some(&s.count),
            counts.get(&s.state.to_ascii_lowercase()),
            "{s:?}"
        );
    }
    assert!(
        d.vms_by_state
            .windows(2)
            .all(|w| w[0].count.cmp(&w[1].count) != Ordering::Less)
    );
    let allocated = |v: &&Vm| {
        !["destroyed", "expunging", "error"].contains(
            &v.state
                .as_deref()
                .unwrap_or("")
                .to_ascii_lowercase()
                .as_str(),
        )
    };
    let running = |v: &&Vm| {
        v.state
            .as_deref()
            .is_some_and(|s| s.eq_ignore_ascii_case("running"))
    };
    let sum = |f: &dyn Fn(&&Vm) -> bool, g: fn(&Vm) -> Option<i64>| -> i64 {
        rows.iter().filter(|v| f(v)).filter_map(g).sum()
    };
    assert_eq!(d.allocated_vcpus, sum(&allocated, |v| v.cpu_number));
    assert_eq!(d.allocated_memory_mb, sum(&allocated, |v| v.memory_mb));
    assert_eq!(d.running_vcpus, sum(&running, |v| v.cpu_number));
    assert_eq!(d.running_memory_mb, sum(&running, |v| v.memory_mb));
    assert_eq!(d.zone_count, 0);
    // Serialisable for the UI.
    let json = serde_json::to_value(&d).unwrap();
    assert_eq!(json["vm_total"], 900);
}
