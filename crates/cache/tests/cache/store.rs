//! Writes: list replacement, invoices and credit notes, single VM changes, sync errors.

use crate::support::{self, cache, now, store_vms, synthetic_vms};
use akashone_cache::{CreditNote, Error, Invoice, ListKind, ManagedDatabase, Stored, Vm, VmQuery};
use akashone_cloudstack::model::VirtualMachine;
use serde_json::json;
use time::Duration;

fn db(id: &str, state: &str) -> Stored<ManagedDatabase> {
    Stored::new(
        ManagedDatabase {
            id: id.into(),
            name: Some(format!("db {id}")),
            engine: Some("postgresql".into()),
            version: Some("16".into()),
            state: Some(state.into()),
            zone: Some("Mumbai-1".into()),
            plan: Some("small".into()),
            created: Some("2026-01-01T00:00:00Z".into()),
        },
        json!({"id": id, "state": state}),
    )
}

#[test]
fn replacing_a_list_upserts_and_deletes_what_vanished() {
    let (_dir, cache) = cache();
    let t1 = now();
    assert_eq!(
        cache
            .replace_databases(
                &[db("a", "Running"), db("b", "Running"), db("c", "Stopped")],
                t1
            )
            .unwrap(),
        3
    );
    let t2 = t1 + Duration::minutes(5);
    assert_eq!(
        cache
            .replace_databases(&[db("b", "Stopped"), db("d", "Creating")], t2)
            .unwrap(),
        2
    );
    let rows = cache.list::<ManagedDatabase>().unwrap();
    let got: Vec<(&str, &str)> = rows
        .iter()
        .map(|r| (r.id.as_str(), r.state.as_deref().unwrap_or("")))
        .collect();
    assert_eq!(got, [("b", "Stopped"), ("d", "Creating")]);
    assert_eq!(
        cache.raw::<ManagedDatabase>(&["b"]).unwrap(),
        Some(json!({"id": "b", "state": "Stopped"}))
    );
    assert!(cache.raw::<ManagedDatabase>(&["a"]).unwrap().is_none());
    assert!(matches!(
        cache.raw::<ManagedDatabase>(&["a", "b"]),
        Err(Error::KeyArity { .. })
    ));
    let state = cache.sync_state(ListKind::Databases).unwrap().unwrap();
    assert_eq!(state.row_count, 2);
    assert_eq!(state.last_synced.as_deref(), Some("2026-03-01T10:05:00Z"));
    assert_eq!(state.profile_id, support::PROFILE);
    assert!(state.last_error.is_none());
}

fn invoice(number: &str, total: i64) -> Stored<Invoice> {
    Stored::new(
        Invoice {
            number: number.into(),
            seller_gstin: "27AAPFU0939F1ZV".into(),
            buyer_name: Some("Acme".into()),
            buyer_gstin: None,
            invoice_date: "2026-02-01".into(),
            taxable_paise: total * 100 / 118,
            tax_paise: total - total * 100 / 118,
            total_paise: total,
            status: "issued".into(),
        },
        json!({"number": number}),
    )
}

fn note(number: &str, invoice: &str) -> Stored<CreditNote> {
    Stored::new(
        CreditNote {
            number: number.into(),
            invoice_number: invoice.into(),
            note_date: "2026-02-10".into(),
            taxable_paise: 1000,
            tax_paise: 180,
            total_paise: 1180,
            reason: Some("refund".into()),
            status: "issued".into(),
        },
        json!({"number": number}),
    )
}

#[test]
fn credit_notes_reference_invoices() {
    let (_dir, cache) = cache();
    let err = cache
        .replace_invoices(
            &[invoice("INV-1", 118_000)],
            &[note("CN-1", "INV-9")],
            now(),
        )
        .unwrap_err();
    assert!(matches!(err, Error::UnknownInvoice { .. }), "{err}");
    cache
        .replace_invoices(
            &[invoice("INV-1", 118_000), invoice("INV-2", 59_000)],
            &[note("CN-1", "INV-1"), note("CN-2", "INV-2")],
            now(),
        )
        .unwrap();
    assert_eq!(cache.credit_notes_of("INV-1").unwrap().len(), 1);
    assert_eq!(cache.list::<Invoice>().unwrap().len(), 2);
    // INV-1 vanishes: its credit note goes with it, even if the caller still lists it... which
    // is refused, so the caller sends the consistent list.
    cache
        .replace_invoices(&[invoice("INV-2", 59_000)], &[note("CN-2", "INV-2")], now())
        .unwrap();
    let notes = cache.list::<CreditNote>().unwrap();
    assert_eq!(notes.len(), 1);
    assert_eq!(notes[0].number, "CN-2");
    assert!(cache.credit_notes_of("INV-1").unwrap().is_empty());
    assert_eq!(cache.list::<Invoice>().unwrap()[0].total_paise, 59_000);
    cache.integrity_check().unwrap();
}

#[test]
fn single_vm_changes_without_a_resync() {
    let (_dir, cache) = cache();
    let vms = synthetic_vms(20, 7);
    store_vms(&cache, vms.clone(), now());
    let id = vms[3].id.clone().unwrap();

    assert!(cache.set_vm_state(&id, "Stopping").unwrap());
    let detail = cache.vm(&id).unwrap().unwrap();
    assert_eq!(detail.vm.state.as_deref(), Some("Stopping"));
    assert_eq!(detail.raw["state"], "Stopping");
    assert!(!cache.set_vm_state("no-such-vm", "Stopped").unwrap());

    let mut changed: VirtualMachine = vms[3].clone();
    changed.state = Some("Stopped".into());
    changed.memory = Some(16384);
    let stored = akashone_cache::cloudstack::vm(&changed).unwrap();
    cache.upsert_vm(&stored).unwrap();
    let row: Vm = stored.record;
    assert_eq!(row.memory_mb, Some(16384));
    let detail = cache.vm(&id).unwrap().unwrap();
    assert_eq!(detail.vm, row);
    assert_eq!(detail.raw["memory"], 16384);

    let mut new_vm = vms[0].clone();
    new_vm.id = Some("brand-new".into());
    new_vm.name = Some("fresh".into());
    cache
        .upsert_vm(&akashone_cache::cloudstack::vm(&new_vm).unwrap())
        .unwrap();
    let all = cache
        .vm_page(&VmQuery {
            limit: 1000,
            ..VmQuery::default()
        })
        .unwrap();
    assert_eq!(all.total, 21);

    assert!(cache.raw::<Vm>(&[&id]).unwrap().is_some());
    assert!(cache.remove_vm(&id).unwrap());
    assert!(!cache.remove_vm(&id).unwrap());
    assert!(cache.vm(&id).unwrap().is_none());
    // The document went with the row.
    assert!(cache.raw::<Vm>(&[&id]).unwrap().is_none());
    assert_eq!(cache.dashboard().unwrap().vm_total, 20);
}

#[test]
fn a_failed_sync_keeps_rows_and_records_the_error() {
    let (_dir, cache) = cache();
    cache
        .replace_databases(&[db("a", "Running")], now())
        .unwrap();
    let later = now() + Duration::hours(1);
    cache
        .record_sync_error(ListKind::Databases, later, "the DBaaS API is unreachable")
        .unwrap();
    assert_eq!(cache.list::<ManagedDatabase>().unwrap().len(), 1);
    let s = cache.sync_state(ListKind::Databases).unwrap().unwrap();
    assert_eq!(s.last_synced.as_deref(), Some("2026-03-01T10:00:00Z"));
    assert_eq!(s.last_attempt.as_deref(), Some("2026-03-01T11:00:00Z"));
    assert_eq!(
        s.last_error.as_deref(),
        Some("the DBaaS API is unreachable")
    );
    assert_eq!(s.row_count, 1);
    // A list never synced can fail too.
    cache
        .record_sync_error(ListKind::Invoices, later, "offline")
        .unwrap();
    let s = cache.sync_state(ListKind::Invoices).unwrap().unwrap();
    assert!(s.last_synced.is_none());
    // The next success clears the error.
    cache
        .replace_databases(&[db("a", "Running")], later + Duration::hours(1))
        .unwrap();
    let s = cache.sync_state(ListKind::Databases).unwrap().unwrap();
    assert!(s.last_error.is_none());
    assert_eq!(s.last_synced.as_deref(), Some("2026-03-01T12:00:00Z"));
}

#[test]
fn readers_see_the_last_commit_while_a_write_is_open() {
    let (_dir, cache) = cache();
    store_vms(&cache, synthetic_vms(10, 3), now());
    let (tx_started, started) = std::sync::mpsc::channel();
    let (tx_release, release) = std::sync::mpsc::channel::<()>();
    let writer = {
        let cache = cache.clone();
        std::thread::spawn(move || {
            let release = std::sync::Mutex::new(release);
            let progress: akashone_cache::ProgressFn = std::sync::Arc::new(move |_p| {
                let _ = tx_started.send(());
                if let Ok(r) = release.lock() {
                    let _ = r.recv();
                }
            });
            let snapshot = akashone_cache::sync::Snapshot {
                vms: Some(Ok(synthetic_vms(300, 4)
                    .iter()
                    .map(|v| akashone_cache::cloudstack::vm(v).unwrap())
                    .collect())),
                ..Default::default()
            };
            akashone_cache::sync::store(&cache, &snapshot, now(), Some(&progress)).unwrap();
        })
    };
    started.recv().unwrap();
    // Mid-transaction: the reader still sees the 10 VMs, without waiting.
    assert_eq!(cache.dashboard().unwrap().vm_total, 10);
    drop(tx_release);
    writer.join().unwrap();
    assert_eq!(cache.dashboard().unwrap().vm_total, 300);
}

#[test]
fn facts_are_kept_per_profile_replaced_and_forgotten() {
    let dir = tempfile::tempdir().unwrap();
    let a = akashone_cache::Cache::open(dir.path(), "profile-a").unwrap();
    assert_eq!(a.fact("brand").unwrap(), None);
    a.put_fact("brand", Some(r#"{"displayName":"Sahyadri"}"#), now())
        .unwrap();
    a.put_fact("brand", Some(r#"{"displayName":"Deccan"}"#), now())
        .unwrap();
    assert_eq!(
        a.fact("brand").unwrap().as_deref(),
        Some(r#"{"displayName":"Deccan"}"#)
    );
    // Reopened: still there. Another profile's cache has its own.
    drop(a);
    let a = akashone_cache::Cache::open(dir.path(), "profile-a").unwrap();
    assert!(a.fact("brand").unwrap().unwrap().contains("Deccan"));
    let b = akashone_cache::Cache::open(dir.path(), "profile-b").unwrap();
    assert_eq!(b.fact("brand").unwrap(), None);
    a.put_fact("brand", None, now()).unwrap();
    assert_eq!(a.fact("brand").unwrap(), None);
}
