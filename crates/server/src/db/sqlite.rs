//! The embedded SQLite backend: a file in WAL mode and a few connections, each used from a
//! blocking task. The statements, the decoding and the migrations are shared with PostgreSQL
//! (`store.rs`, `record.rs`); this file opens the database and runs statements.

use std::future::Future;
use std::path::Path;
use std::sync::{Arc, Mutex};

use rusqlite::{Connection, params_from_iter};
use tokio::sync::Semaphore;

use super::dialect::{Backend, Conn, Dialect, SQLITE, Work, sqlite_sql};
use super::record::{Arg, Cursor, Record};
use super::{DbError, DbResult};

/// The newest schema version this build knows.
pub const SCHEMA_VERSION: u32 = SQLITE.schema_version();

/// The SQLite backend.
#[derive(Clone)]
pub struct Sqlite {
    pool: Arc<Pool>,
}

impl std::fmt::Debug for Sqlite {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Sqlite").finish_non_exhaustive()
    }
}

struct Pool {
    conns: Mutex<Vec<Connection>>,
    permits: Semaphore,
}

/// Gives the connection back to the pool, with no transaction left open, even if the work on
/// it failed or panicked.
struct Lease {
    conn: Option<Connection>,
    pool: Arc<Pool>,
}

impl Drop for Lease {
    fn drop(&mut self) {
        if let Some(c) = self.conn.take() {
            if !c.is_autocommit() {
                // As dropping a rusqlite transaction does, whether or not it succeeds.
                let _ = c.execute_batch("ROLLBACK");
            }
            self.pool
                .conns
                .lock()
                .unwrap_or_else(|e| e.into_inner())
                .push(c);
        }
    }
}

fn configure(conn: &Connection) -> rusqlite::Result<()> {
    conn.pragma_update(None, "journal_mode", "WAL")?;
    conn.pragma_update(None, "synchronous", "NORMAL")?;
    conn.pragma_update(None, "foreign_keys", "ON")?;
    conn.busy_timeout(std::time::Duration::from_secs(10))?;
    Ok(())
}

/// Whether `e` is a violated unique key or primary key.
pub(super) fn unique_violation(e: &rusqlite::Error) -> bool {
    matches!(e, rusqlite::Error::SqliteFailure(f, _)
        if f.code == rusqlite::ErrorCode::ConstraintViolation
            && (f.extended_code == rusqlite::ffi::SQLITE_CONSTRAINT_UNIQUE
                || f.extended_code == rusqlite::ffi::SQLITE_CONSTRAINT_PRIMARYKEY))
}

impl Sqlite {
    /// Opens (creating if needed) the database file at `path` with `connections` connections,
    /// and applies pending migrations.
    pub async fn open(path: &Path, connections: usize) -> DbResult<Self> {
        let path = path.to_owned();
        let connections = connections.max(1);
        let conns = tokio::task::spawn_blocking(move || -> DbResult<Vec<Connection>> {
            let open_error = |e: &dyn std::fmt::Display| DbError::Open {
                path: path.display().to_string(),
                message: e.to_string(),
            };
            if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
                crate::config::create_private_dir(dir).map_err(|e| open_error(&e))?;
            }
            let mut first = Connection::open(&path).map_err(|e| open_error(&e))?;
            configure(&first)?;
            // The connection's calls never wait, so the runner's future completes when polled.
            futures::executor::block_on(super::store::migrate(&mut first))?;
            let mut all = vec![first];
            for _ in 1..connections {
                let c = Connection::open(&path)?;
                configure(&c)?;
                all.push(c);
            }
            Ok(all)
        })
        .await
        .map_err(|e| DbError::Task(e.to_string()))??;
        Ok(Sqlite {
            pool: Arc::new(Pool {
                conns: Mutex::new(conns),
                permits: Semaphore::new(connections),
            }),
        })
    }
}

/// Runs statements at once: every future of this connection is ready when first polled.
impl Conn for Connection {
    const DIALECT: &'static Dialect = &SQLITE;

    async fn all<T: Record>(&mut self, sql: &str, args: &[Arg]) -> DbResult<Vec<T>> {
        let mut st = self.prepare_cached(&sqlite_sql(sql))?;
        let mut rows = st.query(params_from_iter(args))?;
        let mut out = Vec::new();
        while let Some(row) = rows.next()? {
            out.push(T::decode(&mut Cursor::new(row))?);
        }
        Ok(out)
    }

    async fn exec(&mut self, sql: &str, args: &[Arg]) -> DbResult<u64> {
        let mut st = self.prepare_cached(&sqlite_sql(sql))?;
        Ok(st.execute(params_from_iter(args))? as u64)
    }

    async fn batch(&mut self, sql: &str) -> DbResult<()> {
        Ok(self.execute_batch(sql)?)
    }
}

impl Backend for Sqlite {
    type Conn = Connection;

    fn with<T: Send + 'static>(
        &self,
        f: impl Work<Connection, T>,
    ) -> impl Future<Output = DbResult<T>> + Send {
        let pool = self.pool.clone();
        async move {
            let _permit = pool
                .permits
                .acquire()
                .await
                .map_err(|e| DbError::Task(e.to_string()))?;
            let lent = pool.clone();
            tokio::task::spawn_blocking(move || {
                let conn = lent
                    .conns
                    .lock()
                    .unwrap_or_else(|e| e.into_inner())
                    .pop()
                    .ok_or_else(|| DbError::Task("no free connection".into()))?;
                let mut lease = Lease {
                    conn: Some(conn),
                    pool: lent,
                };
                let conn = lease
                    .conn
                    .as_mut()
                    .ok_or_else(|| DbError::Task("no free connection".into()))?;
                futures::executor::block_on(f(conn))
            })
            .await
            .map_err(|e| DbError::Task(e.to_string()))?
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn a_transaction_left_open_is_rolled_back() {
        let dir = tempfile::tempdir().unwrap();
        let db = Sqlite::open(&dir.path().join("server.db"), 1)
            .await
            .unwrap();
        super::super::dialect::check_rollback_on_return(&db).await;
    }
}
