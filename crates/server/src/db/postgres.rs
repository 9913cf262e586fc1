//! The PostgreSQL backend: a pool of `tokio-postgres` connections (deadpool), statements
//! prepared once per connection, and migrations compiled into the binary and applied on start in
//! one transaction under an advisory lock, so that several instances starting together migrate
//! once.
//!
//! Every method is one statement or one transaction. One-time steps (TOTP steps, recovery codes)
//! are single conditional `UPDATE`s: under PostgreSQL's row locks, of two concurrent claims of
//! the same step the second re-reads the row the first wrote and matches nothing. Counters that
//! are read, computed and written back (failed logins per account and per address) lock their row
//! first (`SELECT … FOR UPDATE`).

use std::str::FromStr;
use std::time::Duration;

use async_trait::async_trait;
use deadpool_postgres::{
    GenericClient, Manager, ManagerConfig, Object, Pool, PoolError, RecyclingMethod, Runtime,
};
use tokio_postgres::config::SslMode;
use tokio_postgres::error::SqlState;
use tokio_postgres::types::ToSql;
use tokio_postgres::{NoTls, Row};

use super::{
    AuditEntry, CachedVm, Database, DbError, DbResult, NewAudit, Role, SessionContext, Tenant,
    Throttle, User,
};
use crate::config::redact_url_password;
use crate::rbac::Permission;

/// Migrations in order; the number is the schema version they bring the database to.
const MIGRATIONS: &[(u32, &str)] = &[
    (1, include_str!("../../migrations/postgres/0001_init.sql")),
    (
        2,
        include_str!("../../migrations/postgres/0002_billing.sql"),
    ),
];

/// The advisory lock taken while migrating (the bytes of "akashone").
const MIGRATION_LOCK: i64 = 0x616b_6173_686f_6e65;

/// The newest schema version this build knows.
pub const SCHEMA_VERSION: u32 = MIGRATIONS[MIGRATIONS.len() - 1].0;

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

/// Parses and checks a `postgres://` URL; the error never contains the password.
pub fn parse_url(url: &str) -> Result<tokio_postgres::Config, String> {
    let config = tokio_postgres::Config::from_str(url).map_err(|e| {
        format!(
            "{} is not a usable PostgreSQL URL: {e}",
            redact_url_password(url)
        )
    })?;
    if config.get_ssl_mode() == SslMode::Require {
        return Err(format!(
            "{}: sslmode=require is not supported by this build (it connects without TLS); \
             reach PostgreSQL over a unix socket, loopback or a private network",
            redact_url_password(url)
        ));
    }
    if config.get_hosts().is_empty() {
        return Err(format!(
            "{} names no host: write postgres://user:password@host/database \
             (or ?host=/run/postgresql for a unix socket)",
            redact_url_password(url)
        ));
    }
    Ok(config)
}

fn pool_error(e: PoolError) -> DbError {
    match e {
        PoolError::Backend(e) => DbError::Postgres(e),
        e => DbError::Unavailable(e.to_string()),
    }
}

pub(super) fn duplicate(e: tokio_postgres::Error, what: impl Into<String>) -> DbError {
    if e.code() == Some(&SqlState::UNIQUE_VIOLATION) {
        DbError::Duplicate(what.into())
    } else {
        DbError::Postgres(e)
    }
}

async fn migrate(conn: &mut Object) -> DbResult<()> {
    let tx = conn.transaction().await?;
    // Held until this transaction ends: a second instance waits here, then finds the work done.
    tx.execute("SELECT pg_advisory_xact_lock($1)", &[&MIGRATION_LOCK])
        .await?;
    tx.batch_execute(
        "CREATE TABLE IF NOT EXISTS schema_migrations \
         (version INTEGER PRIMARY KEY, applied_at BIGINT NOT NULL)",
    )
    .await?;
    let newest: Option<i32> = tx
        .query_one("SELECT max(version) FROM schema_migrations", &[])
        .await?
        .try_get(0)?;
    if let Some(found) = newest
        && i64::from(found) > i64::from(SCHEMA_VERSION)
    {
        return Err(DbError::SchemaTooNew {
            found: i64::from(found),
            known: SCHEMA_VERSION,
        });
    }
    for &(version, sql) in MIGRATIONS {
        let v = version as i32;
        let done = tx
            .query_opt("SELECT 1 FROM schema_migrations WHERE version = $1", &[&v])
            .await?
            .is_some();
        if done {
            continue;
        }
        tx.batch_execute(sql)
            .await
            .map_err(|source| DbError::PostgresMigration { version, source })?;
        tx.execute(
            "INSERT INTO schema_migrations (version, applied_at) \
             VALUES ($1, extract(epoch FROM now())::BIGINT)",
            &[&v],
        )
        .await?;
        tracing::info!(version, "PostgreSQL schema migrated");
    }
    tx.commit().await?;
    Ok(())
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
        let mut first = pool.get().await.map_err(|e| DbError::Open {
            path: target.clone(),
            message: match e {
                PoolError::Backend(e) => format!("cannot connect: {}", super::postgres_detail(&e)),
                PoolError::Timeout(_) => "no answer in time".to_owned(),
                e => e.to_string(),
            },
        })?;
        migrate(&mut first).await?;
        drop(first);
        Ok(Postgres { pool, target })
    }

    /// The URL with its password masked.
    pub fn target(&self) -> &str {
        &self.target
    }

    pub(super) async fn conn(&self) -> DbResult<Object> {
        self.pool.get().await.map_err(pool_error)
    }

    pub(super) async fn opt<T>(
        &self,
        sql: &str,
        params: &[&(dyn ToSql + Sync)],
        map: impl Fn(&Row) -> Result<T, tokio_postgres::Error>,
    ) -> DbResult<Option<T>> {
        let c = self.conn().await?;
        let st = c.prepare_cached(sql).await?;
        match c.query_opt(&st, params).await? {
            Some(row) => Ok(Some(map(&row)?)),
            None => Ok(None),
        }
    }

    pub(super) async fn all<T>(
        &self,
        sql: &str,
        params: &[&(dyn ToSql + Sync)],
        map: impl Fn(&Row) -> Result<T, tokio_postgres::Error>,
    ) -> DbResult<Vec<T>> {
        let c = self.conn().await?;
        let st = c.prepare_cached(sql).await?;
        let rows = c.query(&st, params).await?;
        Ok(rows.iter().map(map).collect::<Result<_, _>>()?)
    }

    pub(super) async fn exec(&self, sql: &str, params: &[&(dyn ToSql + Sync)]) -> DbResult<u64> {
        let c = self.conn().await?;
        let st = c.prepare_cached(sql).await?;
        Ok(c.execute(&st, params).await?)
    }
}

/// Runs one prepared statement on a transaction.
pub(super) async fn tx_exec(
    tx: &deadpool_postgres::Transaction<'_>,
    sql: &str,
    params: &[&(dyn ToSql + Sync)],
) -> DbResult<u64> {
    let st = tx.prepare_cached(sql).await?;
    Ok(tx.execute(&st, params).await?)
}

const TENANT_COLS: &str =
    "id, parent_id, name, path, cs_domain_id, cs_account, suspended, created_at";

fn tenant_at(r: &Row, o: usize) -> Result<Tenant, tokio_postgres::Error> {
    Ok(Tenant {
        id: r.try_get(o)?,
        parent_id: r.try_get(o + 1)?,
        name: r.try_get(o + 2)?,
        path: r.try_get(o + 3)?,
        cs_domain_id: r.try_get(o + 4)?,
        cs_account: r.try_get(o + 5)?,
        suspended: r.try_get(o + 6)?,
        created_at: r.try_get(o + 7)?,
    })
}

fn tenant_row(r: &Row) -> Result<Tenant, tokio_postgres::Error> {
    tenant_at(r, 0)
}

const USER_COLS: &str = "u.id, u.tenant_id, u.username, u.password_hash, u.role_id, u.totp_secret, \
     u.totp_pending, u.totp_enabled, u.totp_last_step, u.failed_logins, u.locked_until, u.created_at";

fn user_at(r: &Row, o: usize) -> Result<User, tokio_postgres::Error> {
    Ok(User {
        id: r.try_get(o)?,
        tenant_id: r.try_get(o + 1)?,
        username: r.try_get(o + 2)?,
        password_hash: r.try_get(o + 3)?,
        role_id: r.try_get(o + 4)?,
        totp_secret: r.try_get(o + 5)?,
        totp_pending: r.try_get(o + 6)?,
        totp_enabled: r.try_get(o + 7)?,
        totp_last_step: r.try_get(o + 8)?,
        failed_logins: r.try_get(o + 9)?,
        locked_until: r.try_get(o + 10)?,
        created_at: r.try_get(o + 11)?,
    })
}

fn user_row(r: &Row) -> Result<User, tokio_postgres::Error> {
    user_at(r, 0)
}

const ROLE_COLS: &str = "id, tenant_id, name, permissions, builtin";

fn role_at(r: &Row, o: usize) -> Result<Role, tokio_postgres::Error> {
    let perms: String = r.try_get(o + 3)?;
    Ok(Role {
        id: r.try_get(o)?,
        tenant_id: r.try_get(o + 1)?,
        name: r.try_get(o + 2)?,
        // Permissions unknown to this build (written by a newer one) grant nothing here.
        permissions: perms
            .split(',')
            .filter_map(|p| Permission::from_str(p).ok())
            .collect(),
        builtin: r.try_get(o + 4)?,
    })
}

fn role_row(r: &Row) -> Result<Role, tokio_postgres::Error> {
    role_at(r, 0)
}

fn join_permissions(p: &[Permission]) -> String {
    p.iter().map(|p| p.as_str()).collect::<Vec<_>>().join(",")
}

const VM_COLS: &str = "id, tenant_id, name, display_name, state, zone_id, zone_name, template_id, \
     template_name, service_offering_id, service_offering_name, cpu_number, memory_mb, ip_address, \
     created, synced_at";

/// `SET col = excluded.col` for every VM column but the id.
const VM_UPDATE: &str = "tenant_id = excluded.tenant_id, name = excluded.name, \
     display_name = excluded.display_name, state = excluded.state, zone_id = excluded.zone_id, \
     zone_name = excluded.zone_name, template_id = excluded.template_id, \
     template_name = excluded.template_name, service_offering_id = excluded.service_offering_id, \
     service_offering_name = excluded.service_offering_name, cpu_number = excluded.cpu_number, \
     memory_mb = excluded.memory_mb, ip_address = excluded.ip_address, created = excluded.created, \
     synced_at = excluded.synced_at";

fn vm_row(r: &Row) -> Result<CachedVm, tokio_postgres::Error> {
    Ok(CachedVm {
        id: r.try_get(0)?,
        tenant_id: r.try_get(1)?,
        name: r.try_get(2)?,
        display_name: r.try_get(3)?,
        state: r.try_get(4)?,
        zone_id: r.try_get(5)?,
        zone_name: r.try_get(6)?,
        template_id: r.try_get(7)?,
        template_name: r.try_get(8)?,
        service_offering_id: r.try_get(9)?,
        service_offering_name: r.try_get(10)?,
        cpu_number: r.try_get(11)?,
        memory_mb: r.try_get(12)?,
        ip_address: r.try_get(13)?,
        created: r.try_get(14)?,
        synced_at: r.try_get(15)?,
    })
}

/// `cols` with each column prefixed by `alias.`.
fn prefixed(cols: &str, alias: &str) -> String {
    cols.split(", ")
        .map(|c| format!("{alias}.{c}"))
        .collect::<Vec<_>>()
        .join(", ")
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

fn insert_vms_sql() -> String {
    format!(
        "INSERT INTO vm_cache ({VM_COLS}) SELECT * FROM UNNEST($1::TEXT[], $2::TEXT[], \
         $3::TEXT[], $4::TEXT[], $5::TEXT[], $6::TEXT[], $7::TEXT[], $8::TEXT[], $9::TEXT[], \
         $10::TEXT[], $11::TEXT[], $12::BIGINT[], $13::BIGINT[], $14::TEXT[], $15::TEXT[], \
         $16::BIGINT[]) ON CONFLICT (id) DO UPDATE SET {VM_UPDATE}"
    )
}

#[async_trait]
impl Database for Postgres {
    async fn root_tenant(&self) -> DbResult<Option<Tenant>> {
        self.opt(
            &format!("SELECT {TENANT_COLS} FROM tenants WHERE parent_id IS NULL"),
            &[],
            tenant_row,
        )
        .await
    }

    async fn insert_tenant(&self, t: &Tenant) -> DbResult<()> {
        self.exec(
            &format!("INSERT INTO tenants ({TENANT_COLS}) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)"),
            &[
                &t.id,
                &t.parent_id,
                &t.name,
                &t.path,
                &t.cs_domain_id,
                &t.cs_account,
                &t.suspended,
                &t.created_at,
            ],
        )
        .await
        .map_err(|e| match e {
            DbError::Postgres(e) => duplicate(e, format!("tenant {}", t.id)),
            e => e,
        })?;
        Ok(())
    }

    async fn tenant(&self, id: &str) -> DbResult<Option<Tenant>> {
        self.opt(
            &format!("SELECT {TENANT_COLS} FROM tenants WHERE id = $1"),
            &[&id],
            tenant_row,
        )
        .await
    }

    async fn subtree(&self, path: &str) -> DbResult<Vec<Tenant>> {
        self.all(
            &format!("SELECT {TENANT_COLS} FROM tenants WHERE starts_with(path, $1) ORDER BY path"),
            &[&path],
            tenant_row,
        )
        .await
    }

    async fn rename_tenant(&self, id: &str, name: &str) -> DbResult<()> {
        self.exec("UPDATE tenants SET name = $2 WHERE id = $1", &[&id, &name])
            .await?;
        Ok(())
    }

    async fn set_tenant_suspended(&self, id: &str, suspended: bool) -> DbResult<()> {
        self.exec(
            "UPDATE tenants SET suspended = $2 WHERE id = $1",
            &[&id, &suspended],
        )
        .await?;
        Ok(())
    }

    async fn move_tenant(
        &self,
        id: &str,
        new_parent_id: &str,
        old_path: &str,
        new_path: &str,
    ) -> DbResult<()> {
        let mut c = self.conn().await?;
        let tx = c.transaction().await?;
        tx_exec(
            &tx,
            "UPDATE tenants SET parent_id = $2 WHERE id = $1",
            &[&id, &new_parent_id],
        )
        .await?;
        tx_exec(
            &tx,
            "UPDATE tenants SET path = $2 || substr(path, length($1) + 1) \
             WHERE starts_with(path, $1)",
            &[&old_path, &new_path],
        )
        .await?;
        tx.commit().await?;
        Ok(())
    }

    async fn set_tenant_cloudstack(
        &self,
        id: &str,
        domain_id: &str,
        account: Option<&str>,
    ) -> DbResult<()> {
        self.exec(
            "UPDATE tenants SET cs_domain_id = $2, cs_account = $3 WHERE id = $1",
            &[&id, &domain_id, &account],
        )
        .await?;
        Ok(())
    }

    async fn suspended_in_path(&self, path: &str) -> DbResult<bool> {
        // Ancestors-or-self: every tenant whose path is a prefix of `path`.
        let found = self
            .opt(
                "SELECT EXISTS (SELECT 1 FROM tenants WHERE suspended AND starts_with($1, path))",
                &[&path],
                |r| r.try_get::<_, bool>(0),
            )
            .await?;
        Ok(found.unwrap_or(false))
    }

    async fn count_users(&self) -> DbResult<i64> {
        Ok(self
            .opt("SELECT COUNT(*) FROM users", &[], |r| r.try_get(0))
            .await?
            .unwrap_or(0))
    }

    async fn insert_user(&self, u: &User) -> DbResult<()> {
        self.exec(
            "INSERT INTO users (id, tenant_id, username, password_hash, role_id, totp_secret, \
             totp_pending, totp_enabled, totp_last_step, failed_logins, locked_until, created_at) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12)",
            &[
                &u.id,
                &u.tenant_id,
                &u.username,
                &u.password_hash,
                &u.role_id,
                &u.totp_secret,
                &u.totp_pending,
                &u.totp_enabled,
                &u.totp_last_step,
                &u.failed_logins,
                &u.locked_until,
                &u.created_at,
            ],
        )
        .await
        .map_err(|e| match e {
            DbError::Postgres(e) => duplicate(e, format!("user {}", u.username)),
            e => e,
        })?;
        Ok(())
    }

    async fn user(&self, id: &str) -> DbResult<Option<User>> {
        self.opt(
            &format!("SELECT {USER_COLS} FROM users u WHERE u.id = $1"),
            &[&id],
            user_row,
        )
        .await
    }

    async fn user_by_name(&self, username: &str) -> DbResult<Option<User>> {
        self.opt(
            &format!("SELECT {USER_COLS} FROM users u WHERE u.username = $1"),
            &[&username],
            user_row,
        )
        .await
    }

    async fn users_under(&self, path: &str) -> DbResult<Vec<User>> {
        self.all(
            &format!(
                "SELECT {USER_COLS} FROM users u JOIN tenants t ON t.id = u.tenant_id \
                 WHERE starts_with(t.path, $1) ORDER BY u.username"
            ),
            &[&path],
            user_row,
        )
        .await
    }

    async fn set_user_role(&self, user_id: &str, role_id: &str) -> DbResult<()> {
        self.exec(
            "UPDATE users SET role_id = $2 WHERE id = $1",
            &[&user_id, &role_id],
        )
        .await?;
        Ok(())
    }

    async fn record_user_failure(
        &self,
        user_id: &str,
        now: i64,
        max: i64,
        lock_secs: i64,
    ) -> DbResult<Throttle> {
        let mut c = self.conn().await?;
        let tx = c.transaction().await?;
        let st = tx
            .prepare_cached(
                "SELECT failed_logins, locked_until FROM users WHERE id = $1 FOR UPDATE",
            )
            .await?;
        let row = tx.query_one(&st, &[&user_id]).await?;
        let (failures, locked): (i64, Option<i64>) = (row.try_get(0)?, row.try_get(1)?);
        // A lock that has run out starts a fresh count.
        let failures = match locked {
            Some(until) if until <= now => 1,
            _ => failures + 1,
        };
        let locked_until = match locked {
            Some(until) if until > now => Some(until),
            _ if failures >= max => Some(now + lock_secs),
            _ => None,
        };
        tx_exec(
            &tx,
            "UPDATE users SET failed_logins = $2, locked_until = $3 WHERE id = $1",
            &[&user_id, &failures, &locked_until],
        )
        .await?;
        tx.commit().await?;
        Ok(Throttle {
            failures,
            locked_until,
        })
    }

    async fn clear_user_failures(&self, user_id: &str) -> DbResult<()> {
        self.exec(
            "UPDATE users SET failed_logins = 0, locked_until = NULL WHERE id = $1",
            &[&user_id],
        )
        .await?;
        Ok(())
    }

    async fn set_password(&self, user_id: &str, password_hash: &str) -> DbResult<()> {
        let mut c = self.conn().await?;
        let tx = c.transaction().await?;
        tx_exec(
            &tx,
            "UPDATE users SET password_hash = $2 WHERE id = $1",
            &[&user_id, &password_hash],
        )
        .await?;
        tx_exec(
            &tx,
            "UPDATE sessions SET revoked = TRUE WHERE user_id = $1",
            &[&user_id],
        )
        .await?;
        tx_exec(
            &tx,
            "DELETE FROM login_challenges WHERE user_id = $1",
            &[&user_id],
        )
        .await?;
        tx.commit().await?;
        Ok(())
    }

    async fn set_totp_pending(&self, user_id: &str, secret: Option<&[u8]>) -> DbResult<()> {
        self.exec(
            "UPDATE users SET totp_pending = $2 WHERE id = $1",
            &[&user_id, &secret],
        )
        .await?;
        Ok(())
    }

    async fn enable_totp(
        &self,
        user_id: &str,
        secret: &[u8],
        step: i64,
        recovery_hashes: &[String],
    ) -> DbResult<()> {
        let mut c = self.conn().await?;
        let tx = c.transaction().await?;
        tx_exec(
            &tx,
            "UPDATE users SET totp_secret = $2, totp_pending = NULL, totp_enabled = TRUE, \
             totp_last_step = $3 WHERE id = $1",
            &[&user_id, &secret, &step],
        )
        .await?;
        tx_exec(
            &tx,
            "DELETE FROM recovery_codes WHERE user_id = $1",
            &[&user_id],
        )
        .await?;
        tx_exec(
            &tx,
            "INSERT INTO recovery_codes (user_id, code_hash) \
             SELECT $1, h FROM UNNEST($2::TEXT[]) AS h",
            &[&user_id, &recovery_hashes],
        )
        .await?;
        tx.commit().await?;
        Ok(())
    }

    async fn disable_totp(&self, user_id: &str) -> DbResult<()> {
        let mut c = self.conn().await?;
        let tx = c.transaction().await?;
        tx_exec(
            &tx,
            "UPDATE users SET totp_secret = NULL, totp_pending = NULL, totp_enabled = FALSE \
             WHERE id = $1",
            &[&user_id],
        )
        .await?;
        tx_exec(
            &tx,
            "DELETE FROM recovery_codes WHERE user_id = $1",
            &[&user_id],
        )
        .await?;
        tx.commit().await?;
        Ok(())
    }

    async fn claim_totp_step(&self, user_id: &str, step: i64) -> DbResult<bool> {
        // A concurrent claim of the same step waits for this row lock, re-reads the row and no
        // longer matches: one winner.
        let n = self
            .exec(
                "UPDATE users SET totp_last_step = $2 WHERE id = $1 \
                 AND (totp_last_step IS NULL OR totp_last_step < $2)",
                &[&user_id, &step],
            )
            .await?;
        Ok(n == 1)
    }

    async fn use_recovery_code(&self, user_id: &str, code_hash: &str, now: i64) -> DbResult<bool> {
        let n = self
            .exec(
                "UPDATE recovery_codes SET used_at = $3 WHERE user_id = $1 AND code_hash = $2 \
                 AND used_at IS NULL",
                &[&user_id, &code_hash, &now],
            )
            .await?;
        Ok(n == 1)
    }

    async fn recovery_codes_left(&self, user_id: &str) -> DbResult<i64> {
        Ok(self
            .opt(
                "SELECT COUNT(*) FROM recovery_codes WHERE user_id = $1 AND used_at IS NULL",
                &[&user_id],
                |r| r.try_get(0),
            )
            .await?
            .unwrap_or(0))
    }

    async fn ip_locked_until(&self, ip: &str, now: i64) -> DbResult<Option<i64>> {
        Ok(self
            .opt(
                "SELECT locked_until FROM ip_failures WHERE ip = $1 AND locked_until > $2",
                &[&ip, &now],
                |r| r.try_get::<_, Option<i64>>(0),
            )
            .await?
            .flatten())
    }

    async fn record_ip_failure(
        &self,
        ip: &str,
        now: i64,
        window_secs: i64,
        max: i64,
        lock_secs: i64,
    ) -> DbResult<Throttle> {
        let mut c = self.conn().await?;
        let tx = c.transaction().await?;
        // Make sure the row exists, then lock it: concurrent failures of one address queue here.
        tx_exec(
            &tx,
            "INSERT INTO ip_failures (ip, failures, window_start, locked_until) \
             VALUES ($1, 0, $2, NULL) ON CONFLICT (ip) DO NOTHING",
            &[&ip, &now],
        )
        .await?;
        let st = tx
            .prepare_cached(
                "SELECT failures, window_start, locked_until FROM ip_failures WHERE ip = $1 \
                 FOR UPDATE",
            )
            .await?;
        let row = tx.query_one(&st, &[&ip]).await?;
        let (f, s, l): (i64, i64, Option<i64>) =
            (row.try_get(0)?, row.try_get(1)?, row.try_get(2)?);
        let (failures, start, locked) = if s + window_secs > now || l.is_some_and(|l| l > now) {
            (f + 1, s, l.filter(|&l| l > now))
        } else {
            (1, now, None)
        };
        let locked = locked.or((failures >= max).then_some(now + lock_secs));
        tx_exec(
            &tx,
            "UPDATE ip_failures SET failures = $2, window_start = $3, locked_until = $4 \
             WHERE ip = $1",
            &[&ip, &failures, &start, &locked],
        )
        .await?;
        tx.commit().await?;
        Ok(Throttle {
            failures,
            locked_until: locked,
        })
    }

    async fn insert_session(
        &self,
        token_hash: &str,
        user_id: &str,
        now: i64,
        expires_at: i64,
    ) -> DbResult<()> {
        self.exec(
            "INSERT INTO sessions (token_hash, user_id, created_at, expires_at) \
             VALUES ($1, $2, $3, $4)",
            &[&token_hash, &user_id, &now, &expires_at],
        )
        .await?;
        Ok(())
    }

    async fn session_user(&self, token_hash: &str, now: i64) -> DbResult<Option<User>> {
        self.opt(
            &format!(
                "SELECT {USER_COLS} FROM sessions s JOIN users u ON u.id = s.user_id \
                 WHERE s.token_hash = $1 AND NOT s.revoked AND s.expires_at > $2"
            ),
            &[&token_hash, &now],
            user_row,
        )
        .await
    }

    async fn session_context(
        &self,
        token_hash: &str,
        now: i64,
    ) -> DbResult<Option<SessionContext>> {
        self.opt(
            &format!(
                "SELECT {USER_COLS}, {}, {}, \
                 EXISTS (SELECT 1 FROM tenants a WHERE a.suspended AND starts_with(t.path, a.path)) \
                 FROM sessions s JOIN users u ON u.id = s.user_id \
                 JOIN tenants t ON t.id = u.tenant_id JOIN roles r ON r.id = u.role_id \
                 WHERE s.token_hash = $1 AND NOT s.revoked AND s.expires_at > $2",
                prefixed(TENANT_COLS, "t"),
                prefixed(ROLE_COLS, "r"),
            ),
            &[&token_hash, &now],
            |r| {
                Ok(SessionContext {
                    user: user_at(r, 0)?,
                    tenant: tenant_at(r, 12)?,
                    role: role_at(r, 20)?,
                    suspended: r.try_get(25)?,
                })
            },
        )
        .await
    }

    async fn revoke_session(&self, token_hash: &str) -> DbResult<()> {
        self.exec(
            "UPDATE sessions SET revoked = TRUE WHERE token_hash = $1",
            &[&token_hash],
        )
        .await?;
        Ok(())
    }

    async fn insert_challenge(
        &self,
        token_hash: &str,
        user_id: &str,
        expires_at: i64,
    ) -> DbResult<()> {
        self.exec(
            "INSERT INTO login_challenges (token_hash, user_id, expires_at) VALUES ($1, $2, $3)",
            &[&token_hash, &user_id, &expires_at],
        )
        .await?;
        Ok(())
    }

    async fn challenge_user(&self, token_hash: &str, now: i64) -> DbResult<Option<String>> {
        self.opt(
            "SELECT user_id FROM login_challenges WHERE token_hash = $1 AND expires_at > $2",
            &[&token_hash, &now],
            |r| r.try_get(0),
        )
        .await
    }

    async fn delete_challenge(&self, token_hash: &str) -> DbResult<()> {
        self.exec(
            "DELETE FROM login_challenges WHERE token_hash = $1",
            &[&token_hash],
        )
        .await?;
        Ok(())
    }

    async fn insert_role(&self, role: &Role) -> DbResult<()> {
        self.exec(
            "INSERT INTO roles (id, tenant_id, name, permissions, builtin, created_at) \
             VALUES ($1, $2, $3, $4, $5, extract(epoch FROM now())::BIGINT)",
            &[
                &role.id,
                &role.tenant_id,
                &role.name,
                &join_permissions(&role.permissions),
                &role.builtin,
            ],
        )
        .await
        .map_err(|e| match e {
            DbError::Postgres(e) => duplicate(e, format!("role {}", role.name)),
            e => e,
        })?;
        Ok(())
    }

    async fn upsert_builtin_role(&self, role: &Role) -> DbResult<()> {
        self.exec(
            "INSERT INTO roles (id, tenant_id, name, permissions, builtin, created_at) \
             VALUES ($1, NULL, $2, $3, TRUE, extract(epoch FROM now())::BIGINT) \
             ON CONFLICT (id) DO UPDATE SET name = excluded.name, \
             permissions = excluded.permissions",
            &[&role.id, &role.name, &join_permissions(&role.permissions)],
        )
        .await?;
        Ok(())
    }

    async fn role(&self, id: &str) -> DbResult<Option<Role>> {
        self.opt(
            &format!("SELECT {ROLE_COLS} FROM roles WHERE id = $1"),
            &[&id],
            role_row,
        )
        .await
    }

    async fn roles_of(&self, tenant_ids: &[String]) -> DbResult<Vec<Role>> {
        self.all(
            &format!(
                "SELECT {ROLE_COLS} FROM roles WHERE builtin OR tenant_id = ANY($1) \
                 ORDER BY builtin DESC, name"
            ),
            &[&tenant_ids],
            role_row,
        )
        .await
    }

    async fn insert_audit(&self, e: &NewAudit) -> DbResult<()> {
        self.exec(
            "INSERT INTO audit_log (at, actor_id, actor, tenant_id, action, target, result) \
             VALUES ($1, $2, $3, $4, $5, $6, $7)",
            &[
                &e.at,
                &e.actor_id,
                &e.actor,
                &e.tenant_id,
                &e.action,
                &e.target,
                &e.result,
            ],
        )
        .await?;
        Ok(())
    }

    async fn audit_under(
        &self,
        path: &str,
        limit: i64,
        before_id: Option<i64>,
    ) -> DbResult<Vec<AuditEntry>> {
        self.all(
            "SELECT a.id, a.at, a.actor_id, a.actor, a.tenant_id, a.action, a.target, a.result \
             FROM audit_log a JOIN tenants t ON t.id = a.tenant_id \
             WHERE starts_with(t.path, $1) AND ($2::BIGINT IS NULL OR a.id < $2) \
             ORDER BY a.id DESC LIMIT $3",
            &[&path, &before_id, &limit],
            |r| {
                Ok(AuditEntry {
                    id: r.try_get(0)?,
                    entry: NewAudit {
                        at: r.try_get(1)?,
                        actor_id: r.try_get(2)?,
                        actor: r.try_get(3)?,
                        tenant_id: r.try_get(4)?,
                        action: r.try_get(5)?,
                        target: r.try_get(6)?,
                        result: r.try_get(7)?,
                    },
                })
            },
        )
        .await
    }

    async fn vms_synced_at(&self, tenant_id: &str) -> DbResult<Option<i64>> {
        self.opt(
            "SELECT synced_at FROM vm_sync WHERE tenant_id = $1",
            &[&tenant_id],
            |r| r.try_get(0),
        )
        .await
    }

    async fn replace_tenant_vms(
        &self,
        tenant_id: &str,
        vms: &[CachedVm],
        now: i64,
    ) -> DbResult<()> {
        let columns = VmColumns::of(vms);
        let mut c = self.conn().await?;
        let tx = c.transaction().await?;
        tx_exec(
            &tx,
            "DELETE FROM vm_cache WHERE tenant_id = $1",
            &[&tenant_id],
        )
        .await?;
        if !columns.id.is_empty() {
            tx_exec(&tx, &insert_vms_sql(), &columns.params()).await?;
        }
        tx_exec(
            &tx,
            "INSERT INTO vm_sync (tenant_id, synced_at) VALUES ($1, $2) \
             ON CONFLICT (tenant_id) DO UPDATE SET synced_at = excluded.synced_at",
            &[&tenant_id, &now],
        )
        .await?;
        tx.commit().await?;
        Ok(())
    }

    async fn vms_under(&self, path: &str) -> DbResult<Vec<CachedVm>> {
        self.all(
            &format!(
                "SELECT {} FROM vm_cache v JOIN tenants t ON t.id = v.tenant_id \
                 WHERE starts_with(t.path, $1) ORDER BY v.name, v.id",
                prefixed(VM_COLS, "v")
            ),
            &[&path],
            vm_row,
        )
        .await
    }

    async fn vm(&self, id: &str) -> DbResult<Option<CachedVm>> {
        self.opt(
            &format!("SELECT {VM_COLS} FROM vm_cache WHERE id = $1"),
            &[&id],
            vm_row,
        )
        .await
    }

    async fn upsert_vm(&self, vm: &CachedVm) -> DbResult<()> {
        let columns = VmColumns::of(std::slice::from_ref(vm));
        self.exec(&insert_vms_sql(), &columns.params()).await?;
        Ok(())
    }

    async fn delete_vm(&self, id: &str) -> DbResult<()> {
        self.exec("DELETE FROM vm_cache WHERE id = $1", &[&id])
            .await?;
        Ok(())
    }
}
