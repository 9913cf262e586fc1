//! Reads: the VM list's filtered, sorted pages, the dashboard figures, single rows and whole
//! lists. Everything runs in SQLite on the reader connection.

use crate::Cache;
use crate::error::{Error, Result};
use crate::model::{
    CreditNote, Dashboard, ListKind, StateCount, SyncState, Template, UNALLOCATED_STATES, Vm,
    VmDetail,
};
use crate::record::Record;
use rusqlite::types::Value;
use rusqlite::{OptionalExtension, params_from_iter};
use serde::{Deserialize, Serialize};
use std::fmt;
use std::str::FromStr;

/// A column the VM list sorts by. Text columns sort case-insensitively (ASCII); every sort
/// breaks ties by VM id, in the same direction.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum VmColumn {
    /// VM id.
    Id,
    /// Name.
    #[default]
    Name,
    /// Display name.
    DisplayName,
    /// State.
    State,
    /// Zone name.
    Zone,
    /// Template name.
    Template,
    /// Service offering name.
    Offering,
    /// vCPUs.
    CpuNumber,
    /// Memory.
    MemoryMb,
    /// Primary IP address (as text).
    Ip,
    /// Creation time.
    Created,
    /// Account.
    Account,
    /// Domain.
    Domain,
}

impl VmColumn {
    /// Every column.
    pub const ALL: [VmColumn; 13] = [
        Self::Id,
        Self::Name,
        Self::DisplayName,
        Self::State,
        Self::Zone,
        Self::Template,
        Self::Offering,
        Self::CpuNumber,
        Self::MemoryMb,
        Self::Ip,
        Self::Created,
        Self::Account,
        Self::Domain,
    ];

    /// The stable name (as serialised and parsed).
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Id => "id",
            Self::Name => "name",
            Self::DisplayName => "display_name",
            Self::State => "state",
            Self::Zone => "zone",
            Self::Template => "template",
            Self::Offering => "offering",
            Self::CpuNumber => "cpu_number",
            Self::MemoryMb => "memory_mb",
            Self::Ip => "ip",
            Self::Created => "created",
            Self::Account => "account",
            Self::Domain => "domain",
        }
    }

    /// The table column behind it.
    fn sql(self) -> &'static str {
        match self {
            Self::Id => "id",
            Self::Name => "name",
            Self::DisplayName => "display_name",
            Self::State => "state",
            Self::Zone => "zone_name",
            Self::Template => "template_name",
            Self::Offering => "offering_name",
            Self::CpuNumber => "cpu_number",
            Self::MemoryMb => "memory_mb",
            Self::Ip => "primary_ip",
            Self::Created => "created",
            Self::Account => "account",
            Self::Domain => "domain",
        }
    }
}

impl fmt::Display for VmColumn {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl FromStr for VmColumn {
    type Err = Error;
    fn from_str(s: &str) -> Result<Self> {
        Self::ALL
            .into_iter()
            .find(|c| c.as_str() == s)
            .ok_or_else(|| Error::UnknownColumn {
                given: s.to_owned(),
                expected: Self::ALL.map(Self::as_str).join(", "),
            })
    }
}

/// Sort direction.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum SortDirection {
    /// Ascending (missing values first).
    #[default]
    Asc,
    /// Descending (missing values last).
    Desc,
}

impl SortDirection {
    /// `asc` or `desc`.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Asc => "asc",
            Self::Desc => "desc",
        }
    }
}

impl FromStr for SortDirection {
    type Err = Error;
    fn from_str(s: &str) -> Result<Self> {
        match s {
            "asc" => Ok(Self::Asc),
            "desc" => Ok(Self::Desc),
            other => Err(Error::UnknownDirection(other.to_owned())),
        }
    }
}

/// The largest page [`Cache::vm_page`] returns.
pub const MAX_PAGE_SIZE: u32 = 1000;

/// One page request of the VM list.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct VmQuery {
    /// Free text, trimmed, matched case-insensitively (ASCII) as a substring of the name,
    /// display name, state, zone name, any IP address or the template name. Empty: no filter.
    pub text: Option<String>,
    /// Exact state (case-insensitive), e.g. `Running`.
    pub state: Option<String>,
    /// Exact zone id.
    pub zone_id: Option<String>,
    /// Sort column.
    pub sort: VmColumn,
    /// Sort direction.
    pub direction: SortDirection,
    /// Rows to skip.
    pub offset: u64,
    /// Rows to return (at most [`MAX_PAGE_SIZE`]).
    pub limit: u32,
}

impl Default for VmQuery {
    fn default() -> Self {
        VmQuery {
            text: None,
            state: None,
            zone_id: None,
            sort: VmColumn::Name,
            direction: SortDirection::Asc,
            offset: 0,
            limit: 50,
        }
    }
}

/// One page of the VM list.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct VmPage {
    /// The rows of this page.
    pub rows: Vec<Vm>,
    /// How many VMs match the filters (all pages).
    pub total: u64,
    /// The offset asked for.
    pub offset: u64,
    /// The limit applied.
    pub limit: u32,
}

fn to_i64(n: u64) -> i64 {
    i64::try_from(n).unwrap_or(i64::MAX)
}

fn to_u64(n: i64) -> u64 {
    u64::try_from(n).unwrap_or(0)
}

impl Cache {
    /// A filtered, sorted page of the VM list and the number of matching VMs.
    pub fn vm_page(&self, q: &VmQuery) -> Result<VmPage> {
        let mut conds: Vec<&str> = Vec::new();
        let mut args: Vec<Value> = Vec::new();
        if let Some(text) = q.text.as_deref().map(str::trim).filter(|t| !t.is_empty()) {
            if text.contains('\n') {
                // The search column separates fields with newlines: no single field matches.
                conds.push("0");
            } else {
                conds.push("instr(search, ?) > 0");
                args.push(Value::Text(text.to_ascii_lowercase()));
            }
        }
        if let Some(state) = q.state.as_deref().filter(|s| !s.is_empty()) {
            conds.push("state = ?");
            args.push(Value::Text(state.to_owned()));
        }
        if let Some(zone) = q.zone_id.as_deref().filter(|s| !s.is_empty()) {
            conds.push("zone_id = ?");
            args.push(Value::Text(zone.to_owned()));
        }
        let filter = if conds.is_empty() {
            String::new()
        } else {
            format!(" WHERE {}", conds.join(" AND "))
        };
        let limit = q.limit.min(MAX_PAGE_SIZE);
        let conn = self.reader();
        let total: i64 = conn
            .prepare_cached(&format!("SELECT count(*) FROM vms{filter}"))?
            .query_row(params_from_iter(args.iter()), |r| r.get(0))?;
        let dir = match q.direction {
            SortDirection::Asc => "ASC",
            SortDirection::Desc => "DESC",
        };
        let col = q.sort.sql();
        let order = if col == "id" {
            format!("id {dir}")
        } else {
            format!("{col} {dir}, id {dir}")
        };
        let sql = format!(
            "SELECT {} FROM vms{filter} ORDER BY {order} LIMIT ? OFFSET ?",
            Vm::COLUMNS.join(", ")
        );
        args.push(Value::Integer(i64::from(limit)));
        args.push(Value::Integer(to_i64(q.offset)));
        let mut stmt = conn.prepare_cached(&sql)?;
        let rows = stmt
            .query_map(params_from_iter(args.iter()), Vm::from_row)?
            .collect::<rusqlite::Result<Vec<_>>>()?;
        Ok(VmPage {
            rows,
            total: to_u64(total),
            offset: q.offset,
            limit,
        })
    }

    /// One VM with CloudStack's full answer.
    pub fn vm(&self, id: &str) -> Result<Option<VmDetail>> {
        let conn = self.reader();
        let sql = format!(
            "SELECT {}, (SELECT raw_json FROM vms_raw AS r WHERE r.id = vms.id) FROM vms WHERE id = ?1",
            Vm::COLUMNS.join(", ")
        );
        let found = conn
            .prepare_cached(&sql)?
            .query_row([id], |r| {
                let vm = Vm::from_row(r)?;
                let raw: Option<String> = r.get(Vm::COLUMNS.len())?;
                Ok((vm, raw))
            })
            .optional()?;
        match found {
            Some((vm, raw)) => Ok(Some(VmDetail {
                vm,
                raw: match raw {
                    Some(raw) => serde_json::from_str(&raw)?,
                    None => serde_json::Value::Null,
                },
            })),
            None => Ok(None),
        }
    }

    /// Dashboard figures from the cached VMs and zones.
    pub fn dashboard(&self) -> Result<Dashboard> {
        let conn = self.reader();
        let mut by_state: Vec<StateCount> = conn
            .prepare_cached("SELECT ifnull(state, ''), count(*) FROM vms GROUP BY state")?
            .query_map([], |r| {
                Ok(StateCount {
                    state: r.get(0)?,
                    count: to_u64(r.get(1)?),
                })
            })?
            .collect::<rusqlite::Result<_>>()?;
        by_state.sort_by(|a, b| b.count.cmp(&a.count).then_with(|| a.state.cmp(&b.state)));
        let zone_count: i64 = conn.query_row("SELECT count(*) FROM zones", [], |r| r.get(0))?;
        let placeholders = UNALLOCATED_STATES.map(|_| "?").join(", ");
        let (allocated_vcpus, allocated_memory_mb): (i64, i64) = conn
            .prepare_cached(&format!(
                "SELECT ifnull(sum(cpu_number), 0), ifnull(sum(memory_mb), 0) FROM vms
                 WHERE state IS NULL OR state NOT IN ({placeholders})"
            ))?
            .query_row(UNALLOCATED_STATES, |r| Ok((r.get(0)?, r.get(1)?)))?;
        let (running_vcpus, running_memory_mb): (i64, i64) = conn
            .prepare_cached(
                "SELECT ifnull(sum(cpu_number), 0), ifnull(sum(memory_mb), 0) FROM vms
                 WHERE state = 'Running'",
            )?
            .query_row([], |r| Ok((r.get(0)?, r.get(1)?)))?;
        Ok(Dashboard {
            vm_total: by_state.iter().map(|s| s.count).sum(),
            vms_by_state: by_state,
            zone_count: to_u64(zone_count),
            allocated_vcpus,
            allocated_memory_mb,
            running_vcpus,
            running_memory_mb,
        })
    }

    /// Every cached row of a list, in the list's natural order (e.g. `cache.list::<Zone>()`).
    pub fn list<R: Record>(&self) -> Result<Vec<R>> {
        let conn = self.reader();
        let sql = format!(
            "SELECT {} FROM {} ORDER BY {}",
            R::COLUMNS.join(", "),
            R::TABLE,
            R::ORDER_BY
        );
        let mut stmt = conn.prepare_cached(&sql)?;
        let rows = stmt
            .query_map([], R::from_row)?
            .collect::<rusqlite::Result<Vec<_>>>()?;
        Ok(rows)
    }

    /// The stored JSON documents of every row of `R`'s table, in the list's natural order.
    pub fn list_raw<R: Record>(&self) -> Result<Vec<serde_json::Value>> {
        let on = R::KEY
            .iter()
            .map(|k| format!("r.{k} = t.{k}"))
            .collect::<Vec<_>>()
            .join(" AND ");
        let sql = format!(
            "SELECT (SELECT r.raw_json FROM {raw} r WHERE {on}) FROM {table} t ORDER BY {order}",
            raw = crate::store::raw_table::<R>(),
            table = R::TABLE,
            order = R::ORDER_BY
        );
        let conn = self.reader();
        let mut stmt = conn.prepare_cached(&sql)?;
        let texts = stmt
            .query_map([], |r| r.get::<_, Option<String>>(0))?
            .collect::<rusqlite::Result<Vec<_>>>()?;
        texts
            .into_iter()
            .flatten()
            .map(|t| serde_json::from_str(&t).map_err(Error::from))
            .collect()
    }

    /// The stored JSON document of one row of `R`'s table, by its key values (in
    /// [`Record::KEY`] order).
    pub fn raw<R: Record>(&self, key: &[&str]) -> Result<Option<serde_json::Value>> {
        if key.len() != R::KEY.len() {
            return Err(Error::KeyArity {
                table: R::TABLE,
                expected: R::KEY.len(),
                given: key.len(),
            });
        }
        let cond = R::KEY
            .iter()
            .enumerate()
            .map(|(i, k)| format!("{k} = ?{}", i + 1))
            .collect::<Vec<_>>()
            .join(" AND ");
        let conn = self.reader();
        let raw: Option<String> = conn
            .prepare_cached(&format!(
                "SELECT raw_json FROM {} WHERE {cond}",
                crate::store::raw_table::<R>()
            ))?
            .query_row(params_from_iter(key.iter()), |r| r.get(0))
            .optional()?;
        raw.map(|s| serde_json::from_str(&s))
            .transpose()
            .map_err(Error::from)
    }

    /// The templates the caller can deploy, optionally in one zone, by name.
    pub fn deployable_templates(&self, zone_id: Option<&str>) -> Result<Vec<Template>> {
        let conn = self.reader();
        let sql = format!(
            "SELECT {} FROM templates WHERE executable AND (?1 IS NULL OR zone_id = ?1)
             ORDER BY {}",
            Template::COLUMNS.join(", "),
            Template::ORDER_BY
        );
        let mut stmt = conn.prepare_cached(&sql)?;
        let rows = stmt
            .query_map([zone_id], Template::from_row)?
            .collect::<rusqlite::Result<Vec<_>>>()?;
        Ok(rows)
    }

    /// The credit notes of one invoice, newest first.
    pub fn credit_notes_of(&self, invoice_number: &str) -> Result<Vec<CreditNote>> {
        let conn = self.reader();
        let sql = format!(
            "SELECT {} FROM credit_notes WHERE invoice_number = ?1 ORDER BY {}",
            CreditNote::COLUMNS.join(", "),
            CreditNote::ORDER_BY
        );
        let mut stmt = conn.prepare_cached(&sql)?;
        let rows = stmt
            .query_map([invoice_number], CreditNote::from_row)?
            .collect::<rusqlite::Result<Vec<_>>>()?;
        Ok(rows)
    }

    /// The sync state of every list synced (or tried) so far, in [`ListKind`] order.
    pub fn sync_states(&self) -> Result<Vec<SyncState>> {
        let conn = self.reader();
        let mut stmt = conn.prepare_cached(
            "SELECT kind, last_synced, last_attempt, row_count, last_error FROM sync_state
             WHERE profile_id = ?1",
        )?;
        let raw = stmt
            .query_map([self.profile_id()], |r| {
                Ok((
                    r.get::<_, String>(0)?,
                    r.get::<_, Option<String>>(1)?,
                    r.get::<_, Option<String>>(2)?,
                    r.get::<_, i64>(3)?,
                    r.get::<_, Option<String>>(4)?,
                ))
            })?
            .collect::<rusqlite::Result<Vec<_>>>()?;
        let mut out = Vec::with_capacity(raw.len());
        for (kind, last_synced, last_attempt, row_count, last_error) in raw {
            // Rows of kinds this build does not know (written by a newer app) are skipped.
            let Ok(kind) = kind.parse::<ListKind>() else {
                continue;
            };
            out.push(SyncState {
                profile_id: self.profile_id().to_owned(),
                kind,
                last_synced,
                last_attempt,
                row_count: to_u64(row_count),
                last_error,
            });
        }
        out.sort_by_key(|s| s.kind);
        Ok(out)
    }

    /// The value kept under `key` for this profile, if any.
    pub fn fact(&self, key: &str) -> Result<Option<String>> {
        let conn = self.reader();
        Ok(conn
            .prepare_cached("SELECT value FROM profile_facts WHERE profile_id = ?1 AND key = ?2")?
            .query_row([self.profile_id(), key], |r| r.get(0))
            .optional()?)
    }

    /// The sync state of one list.
    pub fn sync_state(&self, kind: ListKind) -> Result<Option<SyncState>> {
        Ok(self.sync_states()?.into_iter().find(|s| s.kind == kind))
    }
}
