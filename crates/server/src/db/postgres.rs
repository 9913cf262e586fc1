//! The PostgreSQL backend: a pool of `tokio-postgres` connections (deadpool) and statements
//! prepared once per connection. The statements, the decoding and the migrations are shared with
//! SQLite (`store.rs`, `record.rs`); this file connects, runs statements, and inserts VMs in
//! one statement of arrays.

use std::time::Duration;

use deadpool_postgres::{
    Manager, ManagerConfig, Object, Pool, PoolError, RecyclingMethod, Runtime,
};
use tokio_postgres::NoTls;
use tokio_postgres::error::SqlState;
use tokio_postgres::types::ToSql;

use super::dialect::{Backend, Conn, Dialect, POSTGRES, Work};
use super::record::{Arg, Columns, Cursor, Record, excluded_set};
use super::{CachedVm, DbError, DbResult};
use crate::config::{parse_postgres_url as parse_url, redact_url_password};

/// The newest schema version this build knows.
pub const SCHEMA_VERSION: u32 = POSTGRES.schema_version();

/// Time allowed to open one connection, unless the URL sets `connect_timeout`.
const CONNECT_TIMEOUT: Duration = Duration::from_secs(10);
/// Time a request waits for a free connection of the pool.
const WAIT_TIMEOUT: Duration = Duration::from_secs(30);

/// The PostgreSQL backend.
#[derive(Clone)]
pub struct Postgres {
    pool: Pool,
    /// The URL with its password masked, for messages.
    target: String,
}

impl std::fmt::Debug for Postgres {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Postgres")
            .field("target", &self.target)
            .finish_non_exhaustive()
    }
}

fn pool_error(e: PoolError) -> DbError {
    match e {
        PoolError::Backend(e) => DbError::Postgres(e),
        e => DbError::Unavailable(e.to_string()),
    }
}

impl Postgres {
    /// Connects to the database at `url` with a pool of up to `connections` connections and
    /// applies pending migrations. The URL's password never appears in errors.
    pub async fn connect(url: &str, connections: usize) -> DbResult<Self> {
        let target = redact_url_password(url);
        let mut config = parse_url(url).map_err(|message| DbError::Open {
            path: target.clone(),
            message,
        })?;
        if config.get_connect_timeout().is_none() {
            config.connect_timeout(CONNECT_TIMEOUT);
        }
        if config.get_application_name().is_none() {
            config.application_name("akashone-server");
        }
        let manager = Manager::from_config(
            config,
            NoTls,
            ManagerConfig {
                recycling_method: RecyclingMethod::Fast,
            },
        );
        let pool = Pool::builder(manager)
            .max_size(connections.max(1))
            .runtime(Runtime::Tokio1)
            .wait_timeout(Some(WAIT_TIMEOUT))
            .create_timeout(Some(CONNECT_TIMEOUT + Duration::from_secs(5)))
            .recycle_timeout(Some(Duration::from_secs(5)))
            .build()
            .map_err(|e| DbError::Open {
                path: target.clone(),
                message: e.to_string(),
            })?;
        let first = pool.get().await.map_err(|e| DbError::Open {
            path: target.clone(),
            message: match e {
                PoolError::Backend(e) => format!("cannot connect: {}", super::postgres_detail(&e)),
                PoolError::Timeout(_) => "no answer in time".to_owned(),
                e => e.to_string(),
            },
        })?;
        super::store::migrate(&mut PgConn::new(first)).await?;
        Ok(Postgres { pool, target })
    }

    /// The URL with its password masked.
    pub fn target(&self) -> &str {
        &self.target
    }
}

/// Whether `e` is a violated unique key or primary key.
pub(super) fn unique_violation(e: &tokio_postgres::Error) -> bool {
    e.code() == Some(&SqlState::UNIQUE_VIOLATION)
}

/// A pooled connection. One dropped inside a transaction (its request cancelled) is closed
/// rather than handed out again, which ends the transaction on the server.
pub(super) struct PgConn {
    client: Option<Object>,
    in_tx: bool,
}

impl PgConn {
    fn new(client: Object) -> Self {
        PgConn {
            client: Some(client),
            in_tx: false,
        }
    }

    fn client(&self) -> DbResult<&Object> {
        self.client
            .as_ref()
            .ok_or_else(|| DbError::Unavailable("connection closed".into()))
    }
}

impl Drop for PgConn {
    fn drop(&mut self) {
        if self.in_tx
            && let Some(client) = self.client.take()
        {
            drop(Object::take(client));
        }
    }
}

fn pg_args(args: &[Arg]) -> Vec<&(dyn ToSql + Sync)> {
    args.iter().map(Arg::pg).collect()
}

impl Conn for PgConn {
    const DIALECT: &'static Dialect = &POSTGRES;

    async fn all<T: Record>(&mut self, sql: &str, args: &[Arg]) -> DbResult<Vec<T>> {
        let c = self.client()?;
        let st = c.prepare_cached(sql).await?;
        let rows = c.query(&st, &pg_args(args)).await?;
        rows.iter()
            .map(|r| T::decode(&mut Cursor::new(r)))
            .collect()
    }

    async fn exec(&mut self, sql: &str, args: &[Arg]) -> DbResult<u64> {
        let c = self.client()?;
        let st = c.prepare_cached(sql).await?;
        Ok(c.execute(&st, &pg_args(args)).await?)
    }

    async fn batch(&mut self, sql: &str) -> DbResult<()> {
        Ok(self.client()?.batch_execute(sql).await?)
    }

    async fn begin(&mut self) -> DbResult<()> {
        // Marked first: cancelled while `BEGIN` is on its way, the connection is not reused.
        self.in_tx = true;
        self.batch(POSTGRES.begin).await
    }

    async fn commit(&mut self) -> DbResult<()> {
        self.batch("COMMIT").await?;
        self.in_tx = false;
        Ok(())
    }

    /// One `INSERT … SELECT FROM UNNEST(…)` of one array per column.
    async fn insert_vms(&mut self, vms: &[CachedVm]) -> DbResult<()> {
        let columns = VmColumns::of(vms);
        if columns.id.is_empty() {
            return Ok(());
        }
        let sql = format!(
            "INSERT INTO vm_cache ({}) SELECT * FROM UNNEST($1::TEXT[], $2::TEXT[], \
             $3::TEXT[], $4::TEXT[], $5::TEXT[], $6::TEXT[], $7::TEXT[], $8::TEXT[], $9::TEXT[], \
             $10::TEXT[], $11::TEXT[], $12::BIGINT[], $13::BIGINT[], $14::TEXT[], $15::TEXT[], \
             $16::BIGINT[]) ON CONFLICT (id) DO UPDATE SET {}",
            CachedVm::cols(""),
            excluded_set::<CachedVm>("id")
        );
        let c = self.client()?;
        let st = c.prepare_cached(&sql).await?;
        c.execute(&st, &columns.params()).await?;
        Ok(())
    }
}

impl Backend for Postgres {
    type Conn = PgConn;

    async fn with<T: Send + 'static>(&self, f: impl Work<PgConn, T>) -> DbResult<T> {
        let mut conn = PgConn::new(self.pool.get().await.map_err(pool_error)?);
        let out = f(&mut conn).await;
        // Refused or failed: roll back. Should that fail too, the connection is closed.
        if conn.in_tx && conn.batch("ROLLBACK").await.is_ok() {
            conn.in_tx = false;
        }
        out
    }
}

/// The VMs as one array per column, for a single `INSERT … SELECT FROM UNNEST(…)`. A VM id
/// listed twice keeps its last row, as inserting one after the other would.
struct VmColumns {
    id: Vec<String>,
    tenant_id: Vec<String>,
    name: Vec<String>,
    display_name: Vec<String>,
    state: Vec<String>,
    zone_id: Vec<String>,
    zone_name: Vec<String>,
    template_id: Vec<String>,
    template_name: Vec<String>,
    service_offering_id: Vec<String>,
    service_offering_name: Vec<String>,
    cpu_number: Vec<i64>,
    memory_mb: Vec<i64>,
    ip_address: Vec<String>,
    created: Vec<String>,
    synced_at: Vec<i64>,
}

impl VmColumns {
    fn of(vms: &[CachedVm]) -> Self {
        let mut last = std::collections::HashMap::new();
        for (i, v) in vms.iter().enumerate() {
            last.insert(v.id.as_str(), i);
        }
        let kept: Vec<&CachedVm> = vms
            .iter()
            .enumerate()
            .filter(|(i, v)| last.get(v.id.as_str()) == Some(i))
            .map(|(_, v)| v)
            .collect();
        let text = |f: fn(&CachedVm) -> &String| kept.iter().map(|v| f(v).clone()).collect();
        VmColumns {
            id: text(|v| &v.id),
            tenant_id: text(|v| &v.tenant_id),
            name: text(|v| &v.name),
            display_name: text(|v| &v.display_name),
            state: text(|v| &v.state),
            zone_id: text(|v| &v.zone_id),
            zone_name: text(|v| &v.zone_name),
            template_id: text(|v| &v.template_id),
            template_name: text(|v| &v.template_name),
            service_offering_id: text(|v| &v.service_offering_id),
            service_offering_name: text(|v| &v.service_offering_name),
            cpu_number: kept.iter().map(|v| v.cpu_number).collect(),
            memory_mb: kept.iter().map(|v| v.memory_mb).collect(),
            ip_address: text(|v| &v.ip_address),
            created: text(|v| &v.created),
            synced_at: kept.iter().map(|v| v.synced_at).collect(),
        }
    }

    fn params(&self) -> [&(dyn ToSql + Sync); 16] {
        [
            &self.id,
            &self.tenant_id,
            &self.name,
            &self.display_name,
            &self.state,
            &self.zone_id,
            &self.zone_name,
            &self.template_id,
            &self.template_name,
            &self.service_offering_id,
            &self.service_offering_name,
            &self.cpu_number,
            &self.memory_mb,
            &self.ip_address,
            &self.created,
            &self.synced_at,
        ]
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn a_transaction_left_open_or_cancelled_is_not_kept() {
        let pg = akashone_testpg::fresh_database()
            .await
            .unwrap_or_else(|e| panic!("{e}"));
        let db = Postgres::connect(pg.url(), 1).await.unwrap();
        super::super::dialect::check_rollback_on_return(&db).await;
        // A request cancelled inside its transaction: the connection is closed, not reused
        // with the transaction open (the next call would wait on it, or see its row).
        let cancelled = tokio::time::timeout(
            Duration::from_millis(200),
            db.with(|c| {
                Box::pin(async move {
                    c.begin().await?;
                    c.exec(
                        "INSERT INTO auth_failures (subject, failures, window_start) VALUES ($1, 1, 1)",
                        &[Arg::Text("cancelled".into())],
                    )
                    .await?;
                    futures::future::pending::<DbResult<()>>().await
                })
            }),
        )
        .await;
        assert!(cancelled.is_err(), "still pending");
        let count = tokio::time::timeout(
            Duration::from_secs(10),
            db.one::<i64>(
                "SELECT COUNT(*) FROM auth_failures WHERE subject = $1",
                [Arg::Text("cancelled".into())],
            ),
        )
        .await
        .expect("the pool hands out a usable connection");
        assert_eq!(count.unwrap(), 0);
    }
}
