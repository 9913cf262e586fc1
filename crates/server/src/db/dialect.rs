//! What differs between the two backends, side by side, and the connection both are used
//! through ([`Conn`], [`Backend`]).
//!
//! Every statement is written once, in PostgreSQL's `$N` form, in `store.rs` and
//! `store_billing.rs`; SQLite gets it rewritten to `?N` ([`sqlite_sql`]). Both understand the
//! rest as written: prefix tests are `substr(x, 1, length($1)) = $1`, booleans bare expressions
//! (`NOT revoked`, `SET revoked = TRUE`), casts `CAST(… AS BIGINT)`, upserts
//! `ON CONFLICT … DO UPDATE`. What remains is the [`Dialect`] below (migrations, how a
//! transaction begins, row locks, the clock, a list parameter, the document serial) and the
//! batch insert of VMs, which PostgreSQL overrides ([`Conn::insert_vms`]).

use std::future::Future;

use futures::future::BoxFuture;

use super::record::{Arg, Record, upsert_sql};
use super::{CachedVm, DbError, DbResult};

/// The SQL in which the backends differ.
#[derive(Debug)]
pub(super) struct Dialect {
    /// For messages.
    pub name: &'static str,
    /// Migrations in order; the number is the schema version they bring the database to.
    pub migrations: &'static [(u32, &'static str)],
    /// Opens a transaction.
    pub begin: &'static str,
    /// Appended to a `SELECT` of rows the transaction writes back: a row lock where the
    /// transaction does not hold the whole database already.
    pub for_update: &'static str,
    /// Unix seconds now, as `BIGINT`.
    pub now: &'static str,
    /// The texts of `$1` ([`Arg::Texts`]) as a table of one column, `value`.
    pub texts: &'static str,
    /// Serialises the transactions that pass the same text `$1`, where `begin` does not already.
    pub key_lock: Option<&'static str>,
    /// Serialises migrations (`$1` a `BIGINT`), where `begin` does not already.
    pub migration_lock: Option<&'static str>,
    /// The document `serial` column and its value, each followed by `, `, where no identity
    /// column gives it.
    pub document_serial: Option<(&'static str, &'static str)>,
}

impl Dialect {
    /// The newest schema version this build knows.
    pub const fn schema_version(&self) -> u32 {
        self.migrations[self.migrations.len() - 1].0
    }
}

/// SQLite: one writer at a time (`BEGIN IMMEDIATE` takes the write lock), so no row locks.
pub(super) const SQLITE: Dialect = Dialect {
    name: "SQLite",
    migrations: &[
        (1, include_str!("../../migrations/sqlite/0001_init.sql")),
        (2, include_str!("../../migrations/sqlite/0002_billing.sql")),
        (
            3,
            include_str!("../../migrations/sqlite/0003_auth_throttle.sql"),
        ),
    ],
    begin: "BEGIN IMMEDIATE",
    for_update: "",
    now: "CAST(strftime('%s', 'now') AS BIGINT)",
    texts: "json_each($1)",
    key_lock: None,
    migration_lock: None,
    document_serial: Some((
        "serial, ",
        "(SELECT COALESCE(MAX(serial), 0) + 1 FROM billing_documents), ",
    )),
};

/// PostgreSQL: row and advisory locks; `serial` is an identity column.
pub(super) const POSTGRES: Dialect = Dialect {
    name: "PostgreSQL",
    migrations: &[
        (1, include_str!("../../migrations/postgres/0001_init.sql")),
        (
            2,
            include_str!("../../migrations/postgres/0002_billing.sql"),
        ),
        (
            3,
            include_str!("../../migrations/postgres/0003_auth_throttle.sql"),
        ),
    ],
    begin: "BEGIN",
    for_update: " FOR UPDATE",
    now: "CAST(extract(epoch FROM now()) AS BIGINT)",
    texts: "UNNEST(CAST($1 AS TEXT[])) AS l(value)",
    key_lock: Some("SELECT pg_advisory_xact_lock(hashtext($1))"),
    migration_lock: Some("SELECT pg_advisory_xact_lock($1)"),
    document_serial: None,
};

/// One connection of either backend: one statement a call, rows decoded through [`Record`].
pub(super) trait Conn: Send {
    /// The backend's differences.
    const DIALECT: &'static Dialect;

    /// Every row.
    fn all<T: Record>(
        &mut self,
        sql: &str,
        args: &[Arg],
    ) -> impl Future<Output = DbResult<Vec<T>>> + Send;

    /// The number of rows changed.
    fn exec(&mut self, sql: &str, args: &[Arg]) -> impl Future<Output = DbResult<u64>> + Send;

    /// Statements without parameters (migrations, `BEGIN`, `COMMIT`…).
    fn batch(&mut self, sql: &str) -> impl Future<Output = DbResult<()>> + Send;

    /// The first row, if any.
    fn opt<T: Record>(
        &mut self,
        sql: &str,
        args: &[Arg],
    ) -> impl Future<Output = DbResult<Option<T>>> + Send {
        async move { Ok(self.all(sql, args).await?.into_iter().next()) }
    }

    /// The one row a statement always gives (an aggregate, `RETURNING`).
    fn one<T: Record>(
        &mut self,
        sql: &str,
        args: &[Arg],
    ) -> impl Future<Output = DbResult<T>> + Send {
        async move {
            self.opt(sql, args)
                .await?
                .ok_or_else(|| DbError::Corrupt(format!("no row from {}", sql.trim())))
        }
    }

    /// Opens a transaction. One still open when the connection goes back to its pool is rolled
    /// back.
    fn begin(&mut self) -> impl Future<Output = DbResult<()>> + Send {
        self.batch(Self::DIALECT.begin)
    }

    /// Commits the open transaction.
    fn commit(&mut self) -> impl Future<Output = DbResult<()>> + Send {
        self.batch("COMMIT")
    }

    /// Inserts or replaces VMs, one statement each; a VM listed twice keeps its last row.
    fn insert_vms(&mut self, vms: &[CachedVm]) -> impl Future<Output = DbResult<()>> + Send {
        async move {
            let sql = upsert_sql::<CachedVm>("vm_cache", "id");
            for v in vms {
                self.exec(&sql, &v.args()).await?;
            }
            Ok(())
        }
    }
}

/// Work on one connection: `f(conn)`, a future borrowing it.
pub(super) trait Work<C, T>:
    for<'c> FnOnce(&'c mut C) -> BoxFuture<'c, DbResult<T>> + Send + 'static
{
}

impl<C, T, F> Work<C, T> for F where
    F: for<'c> FnOnce(&'c mut C) -> BoxFuture<'c, DbResult<T>> + Send + 'static
{
}

/// Backend methods that run one statement of [`Conn`] (same name) on a connection of the pool.
macro_rules! one_statement {
    ($($(#[$doc:meta])* fn $name:ident$(<$t:ident: $bound:ident>)?() -> $out:ty;)*) => {$(
        $(#[$doc])*
        fn $name$(<$t: $bound>)?(
            &self,
            sql: impl Into<String>,
            args: impl Into<Vec<Arg>>,
        ) -> impl Future<Output = DbResult<$out>> + Send {
            let (sql, args) = (sql.into(), args.into());
            self.with(move |c| Box::pin(async move { c.$name(&sql, &args).await }))
        }
    )*};
}

/// A pool of [`Conn`]s. Single statements go through the provided methods; several in one
/// step through [`Backend::with`] or [`Backend::tx`].
pub(super) trait Backend: Send + Sync + 'static {
    /// Its connection.
    type Conn: Conn;

    /// The backend's differences.
    const DIALECT: &'static Dialect = <Self::Conn as Conn>::DIALECT;

    /// Runs `f` on a connection of the pool; a transaction `f` left open is rolled back.
    fn with<T: Send + 'static>(
        &self,
        f: impl Work<Self::Conn, T>,
    ) -> impl Future<Output = DbResult<T>> + Send;

    /// Runs `f` in a transaction, committed when `f` succeeds.
    fn tx<T: Send + 'static>(
        &self,
        f: impl Work<Self::Conn, T>,
    ) -> impl Future<Output = DbResult<T>> + Send {
        self.with(move |c| {
            Box::pin(async move {
                c.begin().await?;
                let out = f(&mut *c).await?;
                c.commit().await?;
                Ok(out)
            })
        })
    }

    one_statement! {
        /// Every row of one statement.
        fn all<T: Record>() -> Vec<T>;
        /// The first row of one statement, if any.
        fn opt<T: Record>() -> Option<T>;
        /// The one row of one statement.
        fn one<T: Record>() -> T;
        /// The rows one statement changed.
        fn exec() -> u64;
    }

    /// One statement, however many rows it changes.
    fn run(
        &self,
        sql: impl Into<String>,
        args: impl Into<Vec<Arg>>,
    ) -> impl Future<Output = DbResult<()>> + Send {
        let changed = self.exec(sql, args);
        async move { changed.await.map(|_| ()) }
    }
}

/// `sql` with each `$N` written `?N`. SQLite numbers `$AAA` parameters by order of first
/// appearance, so `SET name = $2 WHERE id = $1` would bind the wrong values; `?N` is the N-th
/// argument whatever the order. Quoted text is left alone.
pub(super) fn sqlite_sql(sql: &str) -> String {
    let mut out = String::with_capacity(sql.len());
    let mut quoted = false;
    let mut chars = sql.chars().peekable();
    while let Some(c) = chars.next() {
        if c == '\'' {
            quoted = !quoted;
        }
        if c == '$' && !quoted && chars.peek().is_some_and(char::is_ascii_digit) {
            out.push('?');
        } else {
            out.push(c);
        }
    }
    out
}

/// A transaction its work left open, refused or failed, is rolled back when the connection
/// goes back, and the connection serves the next call. `db` has one connection.
#[cfg(test)]
pub(super) async fn check_rollback_on_return<B: Backend>(db: &B) {
    const INSERT: &str =
        "INSERT INTO auth_failures (subject, failures, window_start) VALUES ($1, 1, 1)";
    const COUNT: &str = "SELECT COUNT(*) FROM auth_failures";
    let failed = db
        .with(|c| {
            Box::pin(async move {
                c.begin().await?;
                c.exec(INSERT, &[Arg::Text("failed".into())]).await?;
                Err::<(), _>(DbError::Corrupt("stop".into()))
            })
        })
        .await;
    assert!(matches!(failed, Err(DbError::Corrupt(_))), "{failed:?}");
    db.with(|c| {
        Box::pin(async move {
            c.begin().await?;
            c.exec(INSERT, &[Arg::Text("refused".into())]).await?;
            Ok(())
        })
    })
    .await
    .unwrap();
    assert_eq!(db.one::<i64>(COUNT, []).await.unwrap(), 0);
    db.tx(|c| Box::pin(async move { c.exec(INSERT, &[Arg::Text("kept".into())]).await }))
        .await
        .unwrap();
    assert_eq!(db.one::<i64>(COUNT, []).await.unwrap(), 1);
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dollar_parameters_become_numbered_question_marks() {
        assert_eq!(
            sqlite_sql("UPDATE t SET name = $2 WHERE id = $1 AND n < $12"),
            "UPDATE t SET name = ?2 WHERE id = ?1 AND n < ?12"
        );
        // Quoted text, and a `$` not followed by a digit, are kept.
        assert_eq!(
            sqlite_sql("SELECT '$1', a$b, $ FROM t WHERE x = $3"),
            "SELECT '$1', a$b, $ FROM t WHERE x = ?3"
        );
    }

    /// Bound as SQLite binds them: `$2` written before `$1` still takes the second argument.
    #[test]
    fn rewritten_parameters_bind_by_number_not_by_appearance() {
        let c = rusqlite::Connection::open_in_memory().unwrap();
        let sql = "SELECT $2 || '-' || $1 || '-' || $2";
        let args = [Arg::Text("a".into()), Arg::Text("b".into())];
        let got: String = c
            .query_row(&sqlite_sql(sql), rusqlite::params_from_iter(&args), |r| {
                r.get(0)
            })
            .unwrap();
        assert_eq!(got, "b-a-b");
        // As written, SQLite would have numbered `$2` first.
        let raw: String = c
            .query_row(sql, rusqlite::params_from_iter(&args), |r| r.get(0))
            .unwrap();
        assert_eq!(raw, "a-b-a");
    }
}
