//! Versioned migrations, embedded in the binary and applied on open. The schema version is
//! SQLite's `PRAGMA user_version`: a file at version *n* gets migrations *n+1..* in one
//! transaction; a file newer than [`LATEST_VERSION`] is refused before anything is written.

use crate::error::{Error, Result};
use rusqlite::{Connection, ErrorCode as SqliteCode, TransactionBehavior};
use std::path::Path;
use std::time::Duration;

/// One schema step.
#[derive(Debug, Clone, Copy)]
pub struct Migration {
    /// The `user_version` after this step.
    pub version: i64,
    /// What it does, in a few words.
    pub name: &'static str,
    /// The SQL, run as one batch.
    pub sql: &'static str,
}

/// Every migration, oldest first; versions are 1, 2, 3... without gaps.
pub const MIGRATIONS: &[Migration] = &[
    Migration {
        version: 1,
        name: "cloud lists and sync state",
        sql: include_str!("migrations/0001_cloud_lists.sql"),
    },
    Migration {
        version: 2,
        name: "managed databases, invoices, credit notes, VM sort indexes",
        sql: include_str!("migrations/0002_billing_databases_vm_sorts.sql"),
    },
    Migration {
        version: 3,
        name: "profile facts kept for offline use; VMs by zone and state",
        sql: include_str!("migrations/0003_profile_facts.sql"),
    },
    Migration {
        version: 4,
        name: "Kubernetes clusters' offering, network, autoscaling and nodes",
        sql: include_str!("migrations/0004_kubernetes_detail.sql"),
    },
    Migration {
        version: 5,
        name: "firewall, port forwarding and load balancer rules, VPCs, snapshots and their policies, VM snapshots",
        sql: include_str!("migrations/0005_network_storage_rules.sql"),
    },
];

/// The newest schema this build knows.
pub const LATEST_VERSION: i64 = MIGRATIONS.len() as i64;

/// How long a statement waits for another connection's lock before failing.
pub const BUSY_TIMEOUT: Duration = Duration::from_secs(5);

fn not_a_database(path: &Path, e: &rusqlite::Error) -> Option<Error> {
    match e.sqlite_error_code() {
        Some(SqliteCode::NotADatabase | SqliteCode::DatabaseCorrupt) => Some(Error::NotADatabase {
            path: path.to_owned(),
            message: e.to_string(),
        }),
        _ => None,
    }
}

/// Maps "not a database" and "corrupt" to [`Error::NotADatabase`].
pub(crate) fn storage_error(path: &Path, e: rusqlite::Error) -> Error {
    not_a_database(path, &e).unwrap_or(Error::Sqlite(e))
}

/// The file's schema version.
pub fn user_version(conn: &Connection) -> rusqlite::Result<i64> {
    conn.query_row("PRAGMA user_version", [], |r| r.get(0))
}

/// Opens the writer connection: checks the version first (a newer file is refused untouched),
/// then sets WAL, foreign keys and the busy timeout, then migrates.
pub(crate) fn open_writer(path: &Path) -> Result<Connection> {
    let conn = Connection::open(path).map_err(|e| storage_error(path, e))?;
    conn.busy_timeout(BUSY_TIMEOUT)?;
    let found = user_version(&conn).map_err(|e| storage_error(path, e))?;
    refuse_newer(path, found)?;
    let mode: String = conn
        .query_row("PRAGMA journal_mode = WAL", [], |r| r.get(0))
        .map_err(|e| storage_error(path, e))?;
    if !mode.eq_ignore_ascii_case("wal") {
        tracing::warn!(%mode, path = %path.display(), "the cache could not switch to WAL mode");
    }
    // WAL with synchronous=NORMAL: a crash of the app never loses a committed transaction
    // (only a power cut can lose the last ones), and commits do not wait for fsync.
    // After a large sync is checkpointed, the WAL file is cut back to 8 MiB.
    conn.execute_batch(
        "PRAGMA synchronous = NORMAL; PRAGMA foreign_keys = ON; PRAGMA cache_size = -32768;
         PRAGMA journal_size_limit = 8388608;",
    )?;
    migrate(&conn, path)?;
    Ok(conn)
}

/// Opens a reader connection on an already migrated file.
pub(crate) fn open_reader(path: &Path) -> Result<Connection> {
    let conn = Connection::open(path).map_err(|e| storage_error(path, e))?;
    conn.busy_timeout(BUSY_TIMEOUT)?;
    // 32 MiB of page cache: a 10,000-VM list and its indexes stay in memory.
    conn.execute_batch(
        "PRAGMA foreign_keys = ON; PRAGMA query_only = ON; PRAGMA cache_size = -32768;",
    )?;
    Ok(conn)
}

fn refuse_newer(path: &Path, found: i64) -> Result<()> {
    if found > LATEST_VERSION {
        return Err(Error::SchemaTooNew {
            path: path.to_owned(),
            found,
            supported: LATEST_VERSION,
        });
    }
    Ok(())
}

/// Applies the pending migrations in one immediate transaction (another process opening the
/// same file waits, then finds nothing left to do).
pub(crate) fn migrate(conn: &Connection, path: &Path) -> Result<()> {
    let tx = rusqlite::Transaction::new_unchecked(conn, TransactionBehavior::Immediate)?;
    let found = user_version(&tx)?;
    refuse_newer(path, found)?;
    for m in MIGRATIONS.iter().filter(|m| m.version > found) {
        tracing::info!(version = m.version, name = m.name, path = %path.display(), "migrating the offline cache");
        tx.execute_batch(m.sql)?;
        tx.pragma_update(None, "user_version", m.version)?;
    }
    tx.commit()?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn versions_are_consecutive() {
        for (i, m) in MIGRATIONS.iter().enumerate() {
            assert_eq!(m.version, i as i64 + 1, "{}", m.name);
        }
    }

    #[test]
    fn every_migration_applies_to_an_empty_database() -> rusqlite::Result<()> {
        let conn = Connection::open_in_memory()?;
        for m in MIGRATIONS {
            conn.execute_batch(m.sql)?;
        }
        let n: i64 = conn.query_row(
            "SELECT count(*) FROM sqlite_schema WHERE type = 'table'",
            [],
            |r| r.get(0),
        )?;
        assert!(n >= 14, "{n} tables");
        Ok(())
    }
}
