//! Writes: replacing a whole list inside a transaction, recording sync state, and single-row
//! changes after an action.

use crate::error::{Error, Result};
use crate::model::{
    CreditNote, Invoice, KubernetesCluster, ListKind, ManagedDatabase, Vm, format_time,
};
use crate::record::{Record, Stored};
use crate::{Cache, schema};
use rusqlite::{Transaction, TransactionBehavior, params, params_from_iter};
use std::collections::HashSet;
use std::sync::Arc;
use time::OffsetDateTime;

/// How far a list replacement has got (inside its transaction).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Progress {
    /// The list being written.
    pub kind: ListKind,
    /// Rows written so far.
    pub written: usize,
    /// Rows to write.
    pub total: usize,
}

/// A progress callback, called every few hundred rows while a list is written.
pub type ProgressFn = Arc<dyn Fn(&Progress) + Send + Sync>;

/// Rows between two progress calls.
const PROGRESS_EVERY: usize = 256;

fn placeholders(n: usize) -> String {
    (1..=n)
        .map(|i| format!("?{i}"))
        .collect::<Vec<_>>()
        .join(", ")
}

/// Upserts a list row (the key columns and then the others, in [`Record::COLUMNS`] order).
fn upsert_sql<R: Record>() -> String {
    upsert(R::TABLE, R::KEY, R::COLUMNS)
}

/// Upserts a row's document into `<table>_raw` (the key columns, then `raw_json`).
fn raw_upsert_sql<R: Record>() -> String {
    let cols: Vec<&str> = R::KEY.iter().copied().chain(["raw_json"]).collect();
    upsert(&raw_table::<R>(), R::KEY, &cols)
}

/// The companion table holding the documents of `R`'s table.
pub(crate) fn raw_table<R: Record>() -> String {
    format!("{}_raw", R::TABLE)
}

fn upsert(t: &str, key: &[&str], columns: &[&str]) -> String {
    let cols = columns.join(", ");
    let placeholders = placeholders(columns.len());
    let rest: Vec<&str> = columns
        .iter()
        .copied()
        .filter(|c| !key.contains(c))
        .collect();
    let set = rest
        .iter()
        .map(|c| format!("{c} = excluded.{c}"))
        .collect::<Vec<_>>()
        .join(", ");
    // Unchanged rows are not rewritten: a resync of a quiet cloud touches no index.
    let changed = rest
        .iter()
        .map(|c| format!("{t}.{c} IS NOT excluded.{c}"))
        .collect::<Vec<_>>()
        .join(" OR ");
    format!(
        "INSERT INTO {t} ({cols}) VALUES ({placeholders}) \
         ON CONFLICT ({key}) DO UPDATE SET {set} WHERE {changed}",
        key = key.join(", ")
    )
}

/// Replaces the rows of `R`'s table with `rows` inside `tx`: upserts what came, deletes what
/// is not there any more. Returns the number of rows the table holds afterwards.
pub(crate) fn replace_rows<R: Record>(
    tx: &Transaction<'_>,
    kind: ListKind,
    rows: &[Stored<R>],
    progress: Option<&ProgressFn>,
) -> Result<u64> {
    let t = R::TABLE;
    let keep = format!("keep_{t}");
    let keys = R::KEY.join(", ");
    tx.execute_batch(&format!(
        "CREATE TEMP TABLE IF NOT EXISTS {keep} ({keys}, PRIMARY KEY ({keys})) WITHOUT ROWID;
         DELETE FROM temp.{keep};"
    ))?;
    let key_placeholders = placeholders(R::KEY.len());
    let mut keep_stmt = tx.prepare_cached(&format!(
        "INSERT OR IGNORE INTO temp.{keep} ({keys}) VALUES ({key_placeholders})"
    ))?;
    let mut upsert = tx.prepare_cached(&upsert_sql::<R>())?;
    let mut upsert_raw = tx.prepare_cached(&raw_upsert_sql::<R>())?;
    let key_idx: Vec<usize> = R::KEY
        .iter()
        .filter_map(|k| R::COLUMNS.iter().position(|c| c == k))
        .collect();
    let total = rows.len();
    for (i, Stored { record, raw }) in rows.iter().enumerate() {
        let raw = serde_json::to_string(raw)?;
        let values = record.values();
        keep_stmt.execute(params_from_iter(key_idx.iter().map(|&k| values[k])))?;
        upsert.execute(params_from_iter(values.iter()))?;
        let raw_values: Vec<&dyn rusqlite::ToSql> = key_idx
            .iter()
            .map(|&k| values[k])
            .chain([&raw as &dyn rusqlite::ToSql])
            .collect();
        upsert_raw.execute(params_from_iter(raw_values))?;
        if let Some(p) = progress
            && ((i + 1) % PROGRESS_EVERY == 0 || i + 1 == total)
        {
            p(&Progress {
                kind,
                written: i + 1,
                total,
            });
        }
    }
    let matches = R::KEY
        .iter()
        .map(|k| format!("k.{k} = {t}.{k}"))
        .collect::<Vec<_>>()
        .join(" AND ");
    tx.execute(
        &format!(
            "DELETE FROM {t} WHERE NOT EXISTS (SELECT 1 FROM temp.{keep} AS k WHERE {matches})"
        ),
        [],
    )?;
    tx.execute(&format!("DELETE FROM temp.{keep}"), [])?;
    let count: i64 = tx.query_row(&format!("SELECT count(*) FROM {t}"), [], |r| r.get(0))?;
    Ok(u64::try_from(count).unwrap_or(0))
}

/// Records a successful replacement of `kind`.
pub(crate) fn record_synced(
    tx: &Transaction<'_>,
    profile_id: &str,
    kind: ListKind,
    now: OffsetDateTime,
    row_count: u64,
) -> Result<()> {
    tx.execute(
        "INSERT INTO sync_state (profile_id, kind, last_synced, last_attempt, row_count, last_error)
         VALUES (?1, ?2, ?3, ?3, ?4, NULL)
         ON CONFLICT (profile_id, kind) DO UPDATE SET
             last_synced = excluded.last_synced, last_attempt = excluded.last_attempt,
             row_count = excluded.row_count, last_error = NULL",
        params![
            profile_id,
            kind.as_str(),
            format_time(now),
            i64::try_from(row_count).unwrap_or(i64::MAX)
        ],
    )?;
    Ok(())
}

/// Records a failed attempt at `kind`; the rows and the last success are kept.
pub(crate) fn record_failed(
    tx: &Transaction<'_>,
    profile_id: &str,
    kind: ListKind,
    now: OffsetDateTime,
    message: &str,
) -> Result<()> {
    tx.execute(
        "INSERT INTO sync_state (profile_id, kind, last_attempt, row_count, last_error)
         VALUES (?1, ?2, ?3, 0, ?4)
         ON CONFLICT (profile_id, kind) DO UPDATE SET
             last_attempt = excluded.last_attempt, last_error = excluded.last_error",
        params![profile_id, kind.as_str(), format_time(now), message],
    )?;
    Ok(())
}

/// Pairs stored records with their JSON text.
impl Cache {
    /// Runs `f` in an immediate write transaction and commits when it returns `Ok`; on error
    /// (or a panic, or the process dying) nothing of it is kept.
    pub(crate) fn write<T>(&self, f: impl FnOnce(&Transaction<'_>) -> Result<T>) -> Result<T> {
        let mut conn = self.writer();
        let tx = conn.transaction_with_behavior(TransactionBehavior::Immediate)?;
        let out = f(&tx)?;
        tx.commit()?;
        Ok(out)
    }

    /// Replaces the managed database list (the rows come from the DBaaS API) and records the
    /// sync. Returns the number of rows stored.
    pub fn replace_databases(
        &self,
        rows: &[Stored<ManagedDatabase>],
        now: OffsetDateTime,
    ) -> Result<u64> {
        self.write(|tx| {
            let n = replace_rows(tx, ListKind::Databases, rows, None)?;
            record_synced(tx, self.profile_id(), ListKind::Databases, now, n)?;
            Ok(n)
        })
    }

    /// Replaces the invoices and their credit notes together and records the sync. Every
    /// credit note must refer to an invoice of `invoices` ([`Error::UnknownInvoice`]); a
    /// vanished invoice takes its credit notes with it. Returns the number of invoices stored.
    pub fn replace_invoices(
        &self,
        invoices: &[Stored<Invoice>],
        credit_notes: &[Stored<CreditNote>],
        now: OffsetDateTime,
    ) -> Result<u64> {
        let numbers: HashSet<&str> = invoices.iter().map(|i| i.record.number.as_str()).collect();
        if let Some(bad) = credit_notes
            .iter()
            .find(|n| !numbers.contains(n.record.invoice_number.as_str()))
        {
            return Err(Error::UnknownInvoice {
                note: bad.record.number.clone(),
                invoice: bad.record.invoice_number.clone(),
            });
        }
        self.write(|tx| {
            // Invoices first: new notes need their invoices, and a vanished invoice's notes go
            // with it (ON DELETE CASCADE).
            let n = replace_rows(tx, ListKind::Invoices, invoices, None)?;
            replace_rows(tx, ListKind::Invoices, credit_notes, None)?;
            record_synced(tx, self.profile_id(), ListKind::Invoices, now, n)?;
            Ok(n)
        })
    }

    /// Records that syncing `kind` failed with `message` at `now`; the cached rows stay.
    pub fn record_sync_error(
        &self,
        kind: ListKind,
        now: OffsetDateTime,
        message: &str,
    ) -> Result<()> {
        self.write(|tx| record_failed(tx, self.profile_id(), kind, now, message))
    }

    /// Inserts or updates one VM from an action's answer (deploy, start, stop...), without a
    /// resync.
    pub fn upsert_vm(&self, vm: &Stored<Vm>) -> Result<()> {
        self.upsert_one(vm, &vm.record.id)
    }

    /// Inserts or updates one Kubernetes cluster from an action's answer, without a resync.
    pub fn upsert_cluster(&self, c: &Stored<KubernetesCluster>) -> Result<()> {
        self.upsert_one(c, &c.record.id)
    }

    /// Removes one Kubernetes cluster (deleted) with its document. Returns false when it was
    /// not cached.
    pub fn remove_cluster(&self, id: &str) -> Result<bool> {
        let n = self
            .write(|tx| Ok(tx.execute("DELETE FROM kubernetes_clusters WHERE id = ?1", [id])?))?;
        Ok(n > 0)
    }

    /// One row of a list keyed by `id`, with its document.
    pub(crate) fn upsert_one<R: Record>(&self, row: &Stored<R>, id: &str) -> Result<()> {
        let raw = serde_json::to_string(&row.raw)?;
        self.write(|tx| {
            tx.prepare_cached(&upsert_sql::<R>())?
                .execute(params_from_iter(row.record.values()))?;
            tx.prepare_cached(&raw_upsert_sql::<R>())?
                .execute(params![id, raw])?;
            Ok(())
        })
    }

    /// Sets the state of one cached VM (the raw JSON's `state` too). Returns false when the VM
    /// is not cached.
    pub fn set_vm_state(&self, id: &str, state: &str) -> Result<bool> {
        let n = self.write(|tx| {
            let n = tx.execute(
                "UPDATE vms SET state = ?2 WHERE id = ?1",
                params![id, state],
            )?;
            tx.execute(
                "UPDATE vms_raw SET raw_json = json_set(raw_json, '$.state', ?2) WHERE id = ?1",
                params![id, state],
            )?;
            Ok(n)
        })?;
        Ok(n > 0)
    }

    /// Removes one VM (destroyed and expunged) with its document. Returns false when it was not
    /// cached.
    pub fn remove_vm(&self, id: &str) -> Result<bool> {
        let n = self.write(|tx| Ok(tx.execute("DELETE FROM vms WHERE id = ?1", [id])?))?;
        Ok(n > 0)
    }

    /// Keeps `value` under `key` for this profile (replacing what was there); `None` forgets
    /// the key.
    pub fn put_fact(&self, key: &str, value: Option<&str>, now: OffsetDateTime) -> Result<()> {
        let profile = self.profile_id().to_owned();
        self.write(|tx| {
            match value {
                Some(v) => tx.execute(
                    "INSERT INTO profile_facts (profile_id, key, value, updated_at)
                     VALUES (?1, ?2, ?3, ?4)
                     ON CONFLICT (profile_id, key) DO UPDATE SET
                         value = excluded.value, updated_at = excluded.updated_at",
                    params![profile, key, v, format_time(now)],
                )?,
                None => tx.execute(
                    "DELETE FROM profile_facts WHERE profile_id = ?1 AND key = ?2",
                    params![profile, key],
                )?,
            };
            Ok(())
        })
    }

    /// Refreshes the query planner's statistics after a sync changed the lists, so that a
    /// filtered, sorted page picks the narrowest index. Bounded work (`analysis_limit`); a
    /// failure only costs speed, so it is logged, not returned.
    pub fn refresh_statistics(&self) {
        let done = self
            .writer()
            .execute_batch("PRAGMA analysis_limit = 1000; PRAGMA optimize = 0x10002;");
        if let Err(e) = done {
            tracing::warn!(error = %e, "the cache's query statistics were not refreshed");
        }
    }

    /// Checkpoints the WAL into the main file (e.g. before a backup); not needed for safety.
    pub fn checkpoint(&self) -> Result<()> {
        self.writer()
            .execute_batch("PRAGMA wal_checkpoint(TRUNCATE);")
            .map_err(|e| schema::storage_error(self.path(), e))
    }
}
