//! Opening, migrations, refusal of newer files.

use crate::support::{self, PROFILE};
use akashone_cache::schema::{LATEST_VERSION, MIGRATIONS};
use akashone_cache::{Cache, Error, ManagedDatabase, Stored, Zone};
use akashone_types::ErrorCode;
use rusqlite::Connection;

#[test]
fn open_creates_the_file_in_wal_mode_at_the_latest_version() {
    let dir = tempfile::tempdir().unwrap();
    let nested = dir.path().join("a").join("b");
    let cache = Cache::open(&nested, "prod-mumbai_1.x").unwrap();
    assert_eq!(cache.path(), nested.join("prod-mumbai_1.x.sqlite3"));
    assert_eq!(cache.schema_version().unwrap(), LATEST_VERSION);
    assert_eq!(cache.profile_id(), "prod-mumbai_1.x");
    let conn = Connection::open(cache.path()).unwrap();
    let mode: String = conn
        .query_row("PRAGMA journal_mode", [], |r| r.get(0))
        .unwrap();
    assert_eq!(mode, "wal");
    cache.integrity_check().unwrap();
    // Reopening an up-to-date file changes nothing.
    drop(cache);
    let again = Cache::open(&nested, "prod-mumbai_1.x").unwrap();
    assert_eq!(again.schema_version().unwrap(), LATEST_VERSION);
}

#[test]
fn profile_ids_that_cannot_name_a_file_are_refused() {
    let dir = tempfile::tempdir().unwrap();
    for bad in ["", "../x", "a/b", ".hidden", "a b", "é", &"x".repeat(129)] {
        let err = Cache::open(dir.path(), bad).unwrap_err();
        assert!(matches!(err, Error::InvalidProfileId(_)), "{bad:?}: {err}");
        assert_eq!(err.code(), ErrorCode::InvalidInput);
    }
}

#[test]
fn an_older_cache_is_migrated_and_keeps_its_rows() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("old.sqlite3");
    {
        // What version 1 of the app left behind.
        let conn = Connection::open(&path).unwrap();
        conn.execute_batch(MIGRATIONS[0].sql).unwrap();
        conn.pragma_update(None, "user_version", 1).unwrap();
        conn.execute_batch(
            "INSERT INTO zones (id, name) VALUES ('z1', 'Mumbai-1');
             INSERT INTO zones_raw (id, raw_json) VALUES ('z1', '{\"id\":\"z1\"}');",
        )
        .unwrap();
        conn.execute(
            "INSERT INTO sync_state (profile_id, kind, last_synced, row_count) VALUES (?1, 'zones', '2025-01-01T00:00:00Z', 1)",
            [PROFILE],
        )
        .unwrap();
    }
    let cache = Cache::open_path(&path, PROFILE).unwrap();
    assert_eq!(cache.schema_version().unwrap(), LATEST_VERSION);
    let zones = cache.list::<Zone>().unwrap();
    assert_eq!(zones.len(), 1);
    assert_eq!(zones[0].name.as_deref(), Some("Mumbai-1"));
    assert_eq!(
        cache.raw::<Zone>(&["z1"]).unwrap(),
        Some(serde_json::json!({"id": "z1"}))
    );
    let state = cache
        .sync_state(akashone_cache::ListKind::Zones)
        .unwrap()
        .unwrap();
    assert_eq!(state.row_count, 1);
    // Version 2's tables work.
    let db = ManagedDatabase {
        id: "db1".into(),
        name: Some("orders".into()),
        ..ManagedDatabase::default()
    };
    let n = cache
        .replace_databases(&[Stored::new(db, serde_json::json!({}))], support::now())
        .unwrap();
    assert_eq!(n, 1);
    cache.integrity_check().unwrap();
}

#[test]
fn a_cache_from_a_newer_app_is_refused_and_left_untouched() {
    let dir = tempfile::tempdir().unwrap();
    // One in WAL mode, written by this app and then by a newer one...
    let wal = dir.path().join("wal.sqlite3");
    drop(Cache::open_path(&wal, PROFILE).unwrap());
    {
        let conn = Connection::open(&wal).unwrap();
        conn.pragma_update(None, "user_version", LATEST_VERSION + 1)
            .unwrap();
    }
    // ...and one in rollback-journal mode that a newer app created.
    let plain = dir.path().join("plain.sqlite3");
    {
        let conn = Connection::open(&plain).unwrap();
        conn.execute_batch("CREATE TABLE future (x); INSERT INTO future VALUES (1);")
            .unwrap();
        conn.pragma_update(None, "user_version", LATEST_VERSION + 7)
            .unwrap();
    }
    for (path, found) in [(&wal, LATEST_VERSION + 1), (&plain, LATEST_VERSION + 7)] {
        let before = std::fs::read(path).unwrap();
        let err = Cache::open_path(path, PROFILE).unwrap_err();
        match &err {
            Error::SchemaTooNew {
                found: f,
                supported,
                ..
            } => {
                assert_eq!(*f, found);
                assert_eq!(*supported, LATEST_VERSION);
            }
            other => panic!("expected SchemaTooNew, got {other:?}"),
        }
        let msg = err.to_string();
        assert!(msg.contains("newer version of AkashOne Console"), "{msg}");
        assert_eq!(err.code(), ErrorCode::Conflict);
        assert_eq!(std::fs::read(path).unwrap(), before, "{}", path.display());
    }
    // The rollback-journal file was not switched to WAL either.
    let conn = Connection::open(&plain).unwrap();
    let mode: String = conn
        .query_row("PRAGMA journal_mode", [], |r| r.get(0))
        .unwrap();
    assert_eq!(mode, "delete");
}

#[test]
fn a_file_that_is_not_a_database_is_a_typed_error() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("junk.sqlite3");
    std::fs::write(&path, vec![0x5a; 8192]).unwrap();
    let err = Cache::open_path(&path, PROFILE).unwrap_err();
    assert!(matches!(err, Error::NotADatabase { .. }), "{err:?}");
    assert_eq!(err.code(), ErrorCode::Storage);
}
