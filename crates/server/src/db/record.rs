//! Values in and rows out, declared once for both drivers.
//!
//! - [`Arg`]: a statement parameter, bound by rusqlite (`ToSql`) and by tokio-postgres
//!   ([`Arg::pg`]).
//! - [`Col`]: reading column `i` of a row, for `rusqlite::Row` and `tokio_postgres::Row`.
//! - [`Record`]: a row type decoded from consecutive columns through a [`Cursor`];
//!   [`Columns`] adds its column list, so that `SELECT` and `INSERT` name the columns once.

use std::str::FromStr;

use akashone_billing::RateCard;
use akashone_gst::{Percent, UnitPrice};
use akashone_types::central::DocumentKind;
use rusqlite::types::{ToSqlOutput, Value as SqlValue};
use tokio_postgres::types::ToSql as PgToSql;

use super::billing::{
    CustomerRecord, DocumentHead, IrnRecord, RateCardRecord, RunRecord, SellerRecord,
};
use super::{
    AuditEntry, CachedVm, DbError, DbResult, NewAudit, Role, SessionContext, Tenant, User,
};
use crate::rbac::Permission;

/// A statement parameter, owned, so that a statement can be handed to a blocking task.
#[derive(Debug, Clone)]
pub(super) enum Arg {
    /// `BIGINT`.
    Int(i64),
    /// `INTEGER` (PostgreSQL's four bytes).
    Int4(i32),
    /// `BIGINT` or `NULL`.
    OptInt(Option<i64>),
    /// `BOOLEAN` (0 or 1 in SQLite).
    Bool(bool),
    /// `TEXT`.
    Text(String),
    /// `TEXT` or `NULL`.
    OptText(Option<String>),
    /// `BYTEA` / `BLOB`.
    Bytes(Vec<u8>),
    /// `BYTEA` / `BLOB` or `NULL`.
    OptBytes(Option<Vec<u8>>),
    /// A list of texts: `TEXT[]` in PostgreSQL, a JSON array (for `json_each`) in SQLite.
    Texts(Vec<String>),
}

impl Arg {
    /// The value as tokio-postgres binds it.
    pub(super) fn pg(&self) -> &(dyn PgToSql + Sync) {
        match self {
            Arg::Int(v) => v,
            Arg::Int4(v) => v,
            Arg::OptInt(v) => v,
            Arg::Bool(v) => v,
            Arg::Text(v) => v,
            Arg::OptText(v) => v,
            Arg::Bytes(v) => v,
            Arg::OptBytes(v) => v,
            Arg::Texts(v) => v,
        }
    }
}

impl rusqlite::ToSql for Arg {
    fn to_sql(&self) -> rusqlite::Result<ToSqlOutput<'_>> {
        let null = || ToSqlOutput::Owned(SqlValue::Null);
        Ok(match self {
            Arg::Int(v) => ToSqlOutput::from(*v),
            Arg::Int4(v) => ToSqlOutput::from(*v),
            Arg::OptInt(v) => v.map_or_else(null, ToSqlOutput::from),
            Arg::Bool(v) => ToSqlOutput::from(*v),
            Arg::Text(v) => ToSqlOutput::from(v.as_str()),
            Arg::OptText(v) => v.as_deref().map_or_else(null, ToSqlOutput::from),
            Arg::Bytes(v) => ToSqlOutput::from(v.as_slice()),
            Arg::OptBytes(v) => v.as_deref().map_or_else(null, ToSqlOutput::from),
            Arg::Texts(v) => ToSqlOutput::Owned(SqlValue::Text(
                serde_json::to_string(v)
                    .map_err(|e| rusqlite::Error::ToSqlConversionFailure(e.into()))?,
            )),
        })
    }
}

/// Conversions into [`Arg`], for [`args!`].
pub(super) trait AsArg {
    /// The parameter.
    fn as_arg(&self) -> Arg;
}

macro_rules! as_arg {
    ($($ty:ty => |$v:ident| $e:expr;)*) => {
        $(impl AsArg for $ty {
            fn as_arg(&self) -> Arg {
                let $v = self;
                $e
            }
        })*
    };
}

as_arg! {
    i64 => |v| Arg::Int(*v);
    i32 => |v| Arg::Int4(*v);
    u32 => |v| Arg::Int(i64::from(*v));
    bool => |v| Arg::Bool(*v);
    String => |v| Arg::Text(v.clone());
    str => |v| Arg::Text(v.to_owned());
    [u8] => |v| Arg::Bytes(v.to_vec());
    Vec<u8> => |v| Arg::Bytes(v.clone());
    [String] => |v| Arg::Texts(v.to_vec());
    Vec<String> => |v| Arg::Texts(v.clone());
    Option<i64> => |v| Arg::OptInt(*v);
    Option<String> => |v| Arg::OptText(v.clone());
    Option<&str> => |v| Arg::OptText(v.map(str::to_owned));
    Option<Vec<u8>> => |v| Arg::OptBytes(v.clone());
    Option<&[u8]> => |v| Arg::OptBytes(v.map(<[u8]>::to_vec));
}

impl<T: AsArg + ?Sized> AsArg for &T {
    fn as_arg(&self) -> Arg {
        (**self).as_arg()
    }
}

/// `args![a, b]`: the parameters `$1`, `$2` of a statement, as an array.
macro_rules! args {
    ($($e:expr),* $(,)?) => {
        [$($crate::db::record::AsArg::as_arg(&$e)),*]
    };
}
pub(super) use args;

/// A column type both drivers read.
pub(super) trait Value:
    rusqlite::types::FromSql + for<'a> tokio_postgres::types::FromSql<'a>
{
}
impl<T: rusqlite::types::FromSql + for<'a> tokio_postgres::types::FromSql<'a>> Value for T {}

/// A row of either driver.
pub(super) trait Col {
    /// Column `i`.
    fn col<T: Value>(&self, i: usize) -> DbResult<T>;
}

impl Col for rusqlite::Row<'_> {
    fn col<T: Value>(&self, i: usize) -> DbResult<T> {
        Ok(self.get(i)?)
    }
}

impl Col for tokio_postgres::Row {
    fn col<T: Value>(&self, i: usize) -> DbResult<T> {
        Ok(self.try_get(i)?)
    }
}

/// Reads a row's columns in order.
pub(super) struct Cursor<'r, R> {
    row: &'r R,
    next: usize,
}

impl<'r, R: Col> Cursor<'r, R> {
    pub(super) fn new(row: &'r R) -> Self {
        Cursor { row, next: 0 }
    }

    /// The next column.
    pub(super) fn next<T: Value>(&mut self) -> DbResult<T> {
        let v = self.row.col(self.next)?;
        self.next += 1;
        Ok(v)
    }

    /// The next column, through a conversion that may find it corrupt.
    fn next_as<T: Value, U, E: std::fmt::Display>(
        &mut self,
        f: impl FnOnce(T) -> Result<U, E>,
    ) -> DbResult<U> {
        f(self.next()?).map_err(|e| DbError::Corrupt(e.to_string()))
    }
}

/// A value made of consecutive columns.
pub(super) trait Record: Sized + Send + 'static {
    /// Reads the value from the cursor's next columns.
    fn decode<R: Col>(r: &mut Cursor<'_, R>) -> DbResult<Self>;
}

/// A record stored as one row, with its column list in field order.
pub(super) trait Columns: Record {
    /// The table's columns, in field order.
    const COLUMNS: &'static [&'static str];

    /// The columns, each prefixed with `alias.` when an alias is given.
    fn cols(alias: &str) -> String {
        let sep = if alias.is_empty() { "" } else { "." };
        Self::COLUMNS
            .iter()
            .map(|c| format!("{alias}{sep}{c}"))
            .collect::<Vec<_>>()
            .join(", ")
    }

    /// `SELECT` of the columns (prefixed with `alias.` when given) `FROM` `rest`.
    fn select(alias: &str, rest: &str) -> String {
        format!("SELECT {} FROM {rest}", Self::cols(alias))
    }
}

/// The column list and `$1, $2, …` for inserting a [`Columns`] record.
pub(super) fn insert_sql<T: Columns>(table: &str) -> String {
    let marks = (1..=T::COLUMNS.len())
        .map(|i| format!("${i}"))
        .collect::<Vec<_>>()
        .join(", ");
    format!("INSERT INTO {table} ({}) VALUES ({marks})", T::cols(""))
}

/// `SET col = excluded.col` for every column of a [`Columns`] record but `key`.
pub(super) fn excluded_set<T: Columns>(key: &str) -> String {
    T::COLUMNS
        .iter()
        .filter(|c| **c != key)
        .map(|c| format!("{c} = excluded.{c}"))
        .collect::<Vec<_>>()
        .join(", ")
}

/// Inserts a [`Columns`] record, or updates the row with the same `key`.
pub(super) fn upsert_sql<T: Columns>(table: &str, key: &str) -> String {
    format!(
        "{} ON CONFLICT ({key}) DO UPDATE SET {}",
        insert_sql::<T>(table),
        excluded_set::<T>(key)
    )
}

macro_rules! scalar {
    ($($ty:ty),*) => {
        $(impl Record for $ty {
            fn decode<R: Col>(r: &mut Cursor<'_, R>) -> DbResult<Self> {
                r.next()
            }
        })*
    };
}
scalar!(
    String,
    i64,
    i32,
    bool,
    Vec<u8>,
    Option<String>,
    Option<i64>,
    Option<i32>
);

impl<A: Value + Send + 'static, B: Value + Send + 'static> Record for (A, B) {
    fn decode<R: Col>(r: &mut Cursor<'_, R>) -> DbResult<Self> {
        Ok((r.next()?, r.next()?))
    }
}

impl<A: Value + Send + 'static, B: Value + Send + 'static, C: Value + Send + 'static> Record
    for (A, B, C)
{
    fn decode<R: Col>(r: &mut Cursor<'_, R>) -> DbResult<Self> {
        Ok((r.next()?, r.next()?, r.next()?))
    }
}

/// `Record` for a struct read field by field in column order; `field => f` reads that column
/// through `f`, which may find it corrupt.
macro_rules! decoded {
    (@next $r:ident) => { $r.next()? };
    (@next $r:ident $conv:expr) => { $r.next_as($conv)? };
    ($ty:ident { $($field:ident $(=> $conv:expr)?),* $(,)? }) => {
        impl Record for $ty {
            fn decode<R: Col>(r: &mut Cursor<'_, R>) -> DbResult<Self> {
                Ok($ty { $($field: decoded!(@next r $($conv)?)),* })
            }
        }
    };
}

/// A struct whose columns are its fields, read and written as they are.
macro_rules! plain {
    ($ty:ident { $($field:ident),* }) => {
        decoded!($ty { $($field),* });
        impl Columns for $ty {
            const COLUMNS: &'static [&'static str] = &[$(stringify!($field)),*];
        }
        impl $ty {
            /// The field values in column order.
            pub(super) fn args(&self) -> Vec<Arg> {
                vec![$(AsArg::as_arg(&self.$field)),*]
            }
        }
    };
}

plain!(Tenant {
    id,
    parent_id,
    name,
    path,
    cs_domain_id,
    cs_account,
    suspended,
    created_at
});
plain!(User {
    id,
    tenant_id,
    username,
    password_hash,
    role_id,
    totp_secret,
    totp_pending,
    totp_enabled,
    totp_last_step,
    created_at
});
plain!(CachedVm {
    id,
    tenant_id,
    name,
    display_name,
    state,
    zone_id,
    zone_name,
    template_id,
    template_name,
    service_offering_id,
    service_offering_name,
    cpu_number,
    memory_mb,
    ip_address,
    created,
    synced_at
});
plain!(NewAudit {
    at,
    actor_id,
    actor,
    tenant_id,
    action,
    target,
    result,
    ip
});
plain!(IrnRecord {
    irn,
    ack_no,
    ack_date,
    signed_qr_code,
    signed_invoice,
    imported_at,
    imported_by
});

impl Record for Role {
    fn decode<R: Col>(r: &mut Cursor<'_, R>) -> DbResult<Self> {
        Ok(Role {
            id: r.next()?,
            tenant_id: r.next()?,
            name: r.next()?,
            // Permissions unknown to this build (written by a newer one) grant nothing here.
            permissions: r
                .next::<String>()?
                .split(',')
                .filter_map(|p| Permission::from_str(p).ok())
                .collect(),
            builtin: r.next()?,
        })
    }
}

impl Columns for Role {
    const COLUMNS: &'static [&'static str] = &["id", "tenant_id", "name", "permissions", "builtin"];
}

/// Permissions as stored: comma-separated names.
pub(super) fn join_permissions(p: &[Permission]) -> String {
    p.iter().map(|p| p.as_str()).collect::<Vec<_>>().join(",")
}

impl Record for AuditEntry {
    fn decode<R: Col>(r: &mut Cursor<'_, R>) -> DbResult<Self> {
        Ok(AuditEntry {
            id: r.next()?,
            entry: NewAudit::decode(r)?,
        })
    }
}

impl Record for SessionContext {
    fn decode<R: Col>(r: &mut Cursor<'_, R>) -> DbResult<Self> {
        Ok(SessionContext {
            user: User::decode(r)?,
            tenant: Tenant::decode(r)?,
            role: Role::decode(r)?,
            suspended: r.next()?,
        })
    }
}

fn price(milli: i64) -> Result<UnitPrice, String> {
    UnitPrice::from_milli_rupees(milli).map_err(|e| e.to_string())
}

fn percent(bp: Option<i64>) -> Result<Option<Percent>, String> {
    bp.map(|bp| {
        let bp = u32::try_from(bp).map_err(|e| e.to_string())?;
        Percent::from_basis_points(bp).map_err(|e| e.to_string())
    })
    .transpose()
}

fn json<T: serde::de::DeserializeOwned>(
    what: &'static str,
) -> impl FnOnce(String) -> Result<T, String> {
    move |s| serde_json::from_str(&s).map_err(|e| format!("{what}: {e}"))
}

impl Record for RateCardRecord {
    fn decode<R: Col>(r: &mut Cursor<'_, R>) -> DbResult<Self> {
        Ok(RateCardRecord {
            seller_tenant_id: r.next()?,
            effective_from: r.next()?,
            card: RateCard {
                vcpu_hour: r.next_as(price)?,
                gb_ram_hour: r.next_as(price)?,
                gb_storage_month: r.next_as(price)?,
                public_ip_hour: r.next_as(price)?,
                snapshot_gb_month: r.next_as(price)?,
                kubernetes_cluster_hour: r.next_as(price)?,
                database_instance_hour: r.next_as(price)?,
                discount: r.next_as(percent)?,
            },
            created_at: r.next()?,
            created_by: r.next()?,
        })
    }
}

impl Columns for RateCardRecord {
    const COLUMNS: &'static [&'static str] = &[
        "seller_tenant_id",
        "effective_from",
        "vcpu_hour_milli",
        "gb_ram_hour_milli",
        "gb_storage_month_milli",
        "public_ip_hour_milli",
        "snapshot_gb_month_milli",
        "kubernetes_cluster_hour_milli",
        "database_instance_hour_milli",
        "discount_bp",
        "created_at",
        "created_by",
    ];
}

impl RateCardRecord {
    /// The column values in [`Columns::COLUMNS`] order.
    pub(super) fn args(&self) -> Vec<Arg> {
        let k = &self.card;
        let mut args = Vec::from(args![self.seller_tenant_id, self.effective_from]);
        args.extend(
            [
                k.vcpu_hour,
                k.gb_ram_hour,
                k.gb_storage_month,
                k.public_ip_hour,
                k.snapshot_gb_month,
                k.kubernetes_cluster_hour,
                k.database_instance_hour,
            ]
            .map(|p| Arg::Int(p.milli_rupees())),
        );
        args.extend(args![
            k.discount.map(|d| i64::from(d.basis_points())),
            self.created_at,
            self.created_by
        ]);
        args
    }
}

/// Columns of a document head: `d` is `billing_documents`, `i` its `billing_irns` row.
pub(super) const HEAD_COLS: &str = "d.id, d.seller_tenant_id, d.customer_tenant_id, d.doc_type, \
     d.original_id, d.period, d.run_id, d.number, d.issue_date, d.fy_start, d.seq, d.seller_name, \
     d.customer_name, d.taxable_paise, d.tax_paise, d.total_paise, d.requires_irn, \
     (i.document_id IS NOT NULL), d.created_at, d.created_by";

fn unsigned(v: i64) -> Result<u64, std::num::TryFromIntError> {
    u64::try_from(v)
}

fn count(v: i64) -> Result<u32, std::num::TryFromIntError> {
    u32::try_from(v)
}

fn kind(s: String) -> Result<DocumentKind, String> {
    DocumentKind::parse(&s).ok_or_else(|| format!("document type {s}"))
}

decoded!(DocumentHead {
    id, seller_tenant_id, customer_tenant_id, kind => kind, original_id, period, run_id, number,
    issue_date, fy_start, sequence => unsigned, seller_name, customer_name, taxable_paise,
    tax_paise, total_paise, requires_irn, registered, created_at, created_by,
});

/// Columns of a run, in [`RunRecord`]'s field order.
pub(super) const RUN_COLS: &str = "id, seller_tenant_id, period, invoice_date, started_at, \
     finished_at, actor_id, actor, usage_records, issued, skipped, no_usage, failed, \
     issued_total_paise, customers";

decoded!(RunRecord {
    id, seller_tenant_id, period, invoice_date, started_at, finished_at, actor_id, actor,
    usage_records => unsigned, issued => count, skipped => count, no_usage => count,
    failed => count, issued_total_paise, customers => json("run customers"),
});

decoded!(SellerRecord {
    tenant_id, profile => json("seller profile"), logo_sha256, updated_at, updated_by,
});

decoded!(CustomerRecord {
    tenant_id, profile => json("customer profile"), updated_at, updated_by,
});
