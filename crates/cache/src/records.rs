//! Any list by its rows: a filtered, paged read (the Networks and Storage pages over tens of
//! thousands of rules), the rows matching one column (an IP's rules, a volume's snapshots), and
//! one row inserted, updated or removed after an action, without a resync.

use crate::Cache;
use crate::error::{Error, Result};
use crate::query::MAX_PAGE_SIZE;
use crate::record::{Record, Stored};
use rusqlite::params_from_iter;
use rusqlite::types::Value;
use serde::{Deserialize, Serialize};

/// A filtered page of one list.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct RecordQuery {
    /// `column = value` conditions, all of which must hold (columns of the list only).
    pub equal: Vec<(String, String)>,
    /// Text to find (case-insensitively) in any of `search_in`.
    pub search: Option<String>,
    /// The columns `search` looks in (columns of the list only).
    pub search_in: Vec<String>,
    /// Rows to skip.
    pub offset: u32,
    /// Rows to return (at most [`MAX_PAGE_SIZE`]; 0 means the most).
    pub limit: u32,
}

/// One page of a list and how many rows match in all.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RecordPage<R> {
    /// The rows, in the list's natural order.
    pub rows: Vec<R>,
    /// Rows matching the filter, on every page.
    pub total: u64,
}

fn known<R: Record>(column: &str) -> Result<&'static str> {
    R::COLUMNS
        .iter()
        .copied()
        .find(|c| *c == column)
        .ok_or_else(|| Error::NoSuchColumn {
            table: R::TABLE,
            column: column.to_owned(),
        })
}

/// `%`, `_` and the escape itself match literally.
fn like_pattern(text: &str) -> String {
    let mut p = String::with_capacity(text.len() + 2);
    p.push('%');
    for c in text.chars() {
        if matches!(c, '%' | '_' | '\\') {
            p.push('\\');
        }
        p.push(c);
    }
    p.push('%');
    p
}

impl Cache {
    /// A filtered page of `R`'s list, in its natural order, with the number of matching rows.
    /// Columns not in the list are refused.
    pub fn page<R: Record>(&self, q: &RecordQuery) -> Result<RecordPage<R>> {
        let mut conds = Vec::new();
        let mut args: Vec<Value> = Vec::new();
        for (column, value) in &q.equal {
            let c = known::<R>(column)?;
            args.push(Value::Text(value.clone()));
            conds.push(format!("{c} = ?{}", args.len()));
        }
        if let Some(text) = q.search.as_deref().map(str::trim).filter(|t| !t.is_empty()) {
            let mut any = Vec::new();
            args.push(Value::Text(like_pattern(text)));
            let n = args.len();
            for column in &q.search_in {
                let c = known::<R>(column)?;
                any.push(format!("{c} LIKE ?{n} ESCAPE '\\'"));
            }
            if !any.is_empty() {
                conds.push(format!("({})", any.join(" OR ")));
            }
        }
        let filter = if conds.is_empty() {
            String::new()
        } else {
            format!(" WHERE {}", conds.join(" AND "))
        };
        let limit = match q.limit {
            0 => MAX_PAGE_SIZE,
            n => n.min(MAX_PAGE_SIZE),
        };
        let conn = self.reader();
        let total: i64 = conn
            .prepare_cached(&format!("SELECT COUNT(*) FROM {}{filter}", R::TABLE))?
            .query_row(params_from_iter(args.iter()), |r| r.get(0))?;
        let sql = format!(
            "SELECT {} FROM {}{filter} ORDER BY {} LIMIT {limit} OFFSET {}",
            R::COLUMNS.join(", "),
            R::TABLE,
            R::ORDER_BY,
            q.offset
        );
        let rows = conn
            .prepare_cached(&sql)?
            .query_map(params_from_iter(args.iter()), R::from_row)?
            .collect::<rusqlite::Result<Vec<_>>>()?;
        Ok(RecordPage {
            rows,
            total: u64::try_from(total).unwrap_or(0),
        })
    }

    /// Every row of `R` whose `column` equals `value`, in the list's natural order.
    pub fn rows_where<R: Record>(&self, column: &str, value: &str) -> Result<Vec<R>> {
        let c = known::<R>(column)?;
        let sql = format!(
            "SELECT {} FROM {} WHERE {c} = ?1 ORDER BY {}",
            R::COLUMNS.join(", "),
            R::TABLE,
            R::ORDER_BY
        );
        let conn = self.reader();
        let rows = conn
            .prepare_cached(&sql)?
            .query_map([value], R::from_row)?
            .collect::<rusqlite::Result<Vec<_>>>()?;
        Ok(rows)
    }

    /// Inserts or updates one row (keyed by a single `id` column) with its document, after an
    /// action, without a resync.
    pub fn upsert<R: Record>(&self, row: &Stored<R>, id: &str) -> Result<()> {
        self.upsert_one(row, id)
    }

    /// Removes one row (keyed by a single `id` column) with its document. Returns false when it
    /// was not cached.
    pub fn remove<R: Record>(&self, id: &str) -> Result<bool> {
        let sql = format!("DELETE FROM {} WHERE {} = ?1", R::TABLE, R::KEY[0]);
        let n = self.write(|tx| Ok(tx.execute(&sql, [id])?))?;
        Ok(n > 0)
    }

    /// Removes every row of `R` whose `column` equals `value` (an IP's rules once it is
    /// released). Returns how many.
    pub fn remove_where<R: Record>(&self, column: &str, value: &str) -> Result<usize> {
        let c = known::<R>(column)?;
        let sql = format!("DELETE FROM {} WHERE {c} = ?1", R::TABLE);
        self.write(|tx| Ok(tx.execute(&sql, [value])?))
    }
}

impl Cache {
    /// The names of the VMs with a NIC on each network, by network id, from the VMs' stored
    /// documents (CloudStack's `nic` array), each list by name.
    pub fn vms_by_network(&self) -> Result<std::collections::HashMap<String, Vec<String>>> {
        let conn = self.reader();
        let mut stmt = conn.prepare_cached(
            "SELECT json_extract(n.value, '$.networkid') AS network, v.name \
             FROM vms v JOIN vms_raw r ON r.id = v.id, json_each(r.raw_json, '$.nic') n \
             WHERE network IS NOT NULL ORDER BY v.name, v.id",
        )?;
        let mut out: std::collections::HashMap<String, Vec<String>> = Default::default();
        let rows = stmt.query_map([], |r| {
            Ok((r.get::<_, String>(0)?, r.get::<_, Option<String>>(1)?))
        })?;
        for row in rows {
            let (network, name) = row?;
            if let Some(name) = name {
                let names = out.entry(network).or_default();
                if !names.contains(&name) {
                    names.push(name);
                }
            }
        }
        Ok(out)
    }
}
