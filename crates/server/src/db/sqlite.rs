//! The embedded SQLite backend: a file in WAL mode, a few connections used from blocking tasks,
//! and migrations compiled into the binary and applied on open.

use std::path::Path;
use std::str::FromStr;
use std::sync::{Arc, Mutex};

use async_trait::async_trait;
use rusqlite::{Connection, OptionalExtension, Row, TransactionBehavior, params};
use tokio::sync::Semaphore;

use super::{
    AuditEntry, CachedVm, Database, DbError, DbResult, NewAudit, Role, SessionContext, Tenant,
    Throttle, User,
};
use crate::rbac::Permission;

/// Migrations in order; the number is the schema version they bring the database to.
const MIGRATIONS: &[(u32, &str)] = &[
    (1, include_str!("../../migrations/sqlite/0001_init.sql")),
    (2, include_str!("../../migrations/sqlite/0002_billing.sql")),
];

/// The newest schema version this build knows.
pub const SCHEMA_VERSION: u32 = MIGRATIONS[MIGRATIONS.len() - 1].0;

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

/// Gives the connection back to the pool even if the closure panicked.
struct Lease {
    conn: Option<Connection>,
    pool: Arc<Pool>,
}

impl Drop for Lease {
    fn drop(&mut self) {
        if let Some(c) = self.conn.take() {
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

fn migrate(conn: &mut Connection) -> DbResult<()> {
    conn.execute_batch(
        "CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY, applied_at INTEGER NOT NULL)",
    )?;
    let known = SCHEMA_VERSION;
    let newest: Option<i64> =
        conn.query_row("SELECT max(version) FROM schema_migrations", [], |r| {
            r.get(0)
        })?;
    if let Some(found) = newest.filter(|&v| v > i64::from(known)) {
        return Err(DbError::SchemaTooNew { found, known });
    }
    for &(version, sql) in MIGRATIONS {
        let tx = conn.transaction_with_behavior(TransactionBehavior::Immediate)?;
        let done: bool = tx
            .query_row(
                "SELECT 1 FROM schema_migrations WHERE version = ?1",
                [version],
                |_| Ok(()),
            )
            .optional()?
            .is_some();
        if !done {
            tx.execute_batch(sql)
                .map_err(|source| DbError::Migration { version, source })?;
            tx.execute(
                "INSERT INTO schema_migrations (version, applied_at) VALUES (?1, strftime('%s','now'))",
                [version],
            )?;
        }
        tx.commit()?;
    }
    Ok(())
}

pub(super) fn duplicate(e: rusqlite::Error, what: impl Into<String>) -> DbError {
    match &e {
        rusqlite::Error::SqliteFailure(f, _)
            if f.code == rusqlite::ErrorCode::ConstraintViolation
                && (f.extended_code == rusqlite::ffi::SQLITE_CONSTRAINT_UNIQUE
                    || f.extended_code == rusqlite::ffi::SQLITE_CONSTRAINT_PRIMARYKEY) =>
        {
            DbError::Duplicate(what.into())
        }
        _ => DbError::Sqlite(e),
    }
}

impl Sqlite {
    /// Opens (creating if needed) the database file at `path` with `connections` connections,
    /// and applies pending migrations.
    pub async fn open(path: &Path, connections: usize) -> DbResult<Self> {
        let path = path.to_owned();
        let connections = connections.max(1);
        let conns = tokio::task::spawn_blocking(move || -> DbResult<Vec<Connection>> {
            if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
                crate::config::create_private_dir(dir).map_err(|e| DbError::Open {
                    path: path.display().to_string(),
                    message: e.to_string(),
                })?;
            }
            let mut first = Connection::open(&path).map_err(|e| DbError::Open {
                path: path.display().to_string(),
                message: e.to_string(),
            })?;
            configure(&first)?;
            migrate(&mut first)?;
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

    pub(super) async fn run<T, F>(&self, f: F) -> DbResult<T>
    where
        T: Send + 'static,
        F: FnOnce(&mut Connection) -> DbResult<T> + Send + 'static,
    {
        let _permit = self
            .pool
            .permits
            .acquire()
            .await
            .map_err(|e| DbError::Task(e.to_string()))?;
        let pool = self.pool.clone();
        tokio::task::spawn_blocking(move || {
            let conn = pool
                .conns
                .lock()
                .unwrap_or_else(|e| e.into_inner())
                .pop()
                .ok_or_else(|| DbError::Task("no free connection".into()))?;
            let mut lease = Lease {
                conn: Some(conn),
                pool: pool.clone(),
            };
            let conn = lease
                .conn
                .as_mut()
                .ok_or_else(|| DbError::Task("no free connection".into()))?;
            f(conn)
        })
        .await
        .map_err(|e| DbError::Task(e.to_string()))?
    }
}

const TENANT_COLS: &str =
    "id, parent_id, name, path, cs_domain_id, cs_account, suspended, created_at";

fn tenant_row(r: &Row<'_>) -> rusqlite::Result<Tenant> {
    tenant_at(r, 0)
}

fn tenant_at(r: &Row<'_>, o: usize) -> rusqlite::Result<Tenant> {
    Ok(Tenant {
        id: r.get(o)?,
        parent_id: r.get(o + 1)?,
        name: r.get(o + 2)?,
        path: r.get(o + 3)?,
        cs_domain_id: r.get(o + 4)?,
        cs_account: r.get(o + 5)?,
        suspended: r.get(o + 6)?,
        created_at: r.get(o + 7)?,
    })
}

const USER_COLS: &str = "u.id, u.tenant_id, u.username, u.password_hash, u.role_id, u.totp_secret, \
     u.totp_pending, u.totp_enabled, u.totp_last_step, u.failed_logins, u.locked_until, u.created_at";

fn user_row(r: &Row<'_>) -> rusqlite::Result<User> {
    user_at(r, 0)
}

fn user_at(r: &Row<'_>, o: usize) -> rusqlite::Result<User> {
    Ok(User {
        id: r.get(o)?,
        tenant_id: r.get(o + 1)?,
        username: r.get(o + 2)?,
        password_hash: r.get(o + 3)?,
        role_id: r.get(o + 4)?,
        totp_secret: r.get(o + 5)?,
        totp_pending: r.get(o + 6)?,
        totp_enabled: r.get(o + 7)?,
        totp_last_step: r.get(o + 8)?,
        failed_logins: r.get(o + 9)?,
        locked_until: r.get(o + 10)?,
        created_at: r.get(o + 11)?,
    })
}

fn role_row(r: &Row<'_>) -> rusqlite::Result<Role> {
    role_at(r, 0)
}

fn role_at(r: &Row<'_>, o: usize) -> rusqlite::Result<Role> {
    let perms: String = r.get(o + 3)?;
    Ok(Role {
        id: r.get(o)?,
        tenant_id: r.get(o + 1)?,
        name: r.get(o + 2)?,
        // Permissions unknown to this build (written by a newer one) grant nothing here.
        permissions: perms
            .split(',')
            .filter_map(|p| Permission::from_str(p).ok())
            .collect(),
        builtin: r.get(o + 4)?,
    })
}

fn join_permissions(p: &[Permission]) -> String {
    p.iter().map(|p| p.as_str()).collect::<Vec<_>>().join(",")
}

const VM_COLS: &str = "id, tenant_id, name, display_name, state, zone_id, zone_name, template_id, \
     template_name, service_offering_id, service_offering_name, cpu_number, memory_mb, ip_address, \
     created, synced_at";

fn vm_row(r: &Row<'_>) -> rusqlite::Result<CachedVm> {
    Ok(CachedVm {
        id: r.get(0)?,
        tenant_id: r.get(1)?,
        name: r.get(2)?,
        display_name: r.get(3)?,
        state: r.get(4)?,
        zone_id: r.get(5)?,
        zone_name: r.get(6)?,
        template_id: r.get(7)?,
        template_name: r.get(8)?,
        service_offering_id: r.get(9)?,
        service_offering_name: r.get(10)?,
        cpu_number: r.get(11)?,
        memory_mb: r.get(12)?,
        ip_address: r.get(13)?,
        created: r.get(14)?,
        synced_at: r.get(15)?,
    })
}

fn insert_vm(conn: &Connection, v: &CachedVm) -> rusqlite::Result<()> {
    conn.execute(
        &format!("INSERT OR REPLACE INTO vm_cache ({VM_COLS}) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16)"),
        params![
            v.id,
            v.tenant_id,
            v.name,
            v.display_name,
            v.state,
            v.zone_id,
            v.zone_name,
            v.template_id,
            v.template_name,
            v.service_offering_id,
            v.service_offering_name,
            v.cpu_number,
            v.memory_mb,
            v.ip_address,
            v.created,
            v.synced_at
        ],
    )?;
    Ok(())
}

/// `substr(col, 1, length(prefix)) = prefix`: a prefix test without `LIKE` wildcards.
fn under(col: &str) -> String {
    format!("substr({col}, 1, length(?1)) = ?1")
}

#[async_trait]
impl Database for Sqlite {
    async fn root_tenant(&self) -> DbResult<Option<Tenant>> {
        self.run(|c| {
            Ok(c.query_row(
                &format!("SELECT {TENANT_COLS} FROM tenants WHERE parent_id IS NULL"),
                [],
                tenant_row,
            )
            .optional()?)
        })
        .await
    }

    async fn insert_tenant(&self, t: &Tenant) -> DbResult<()> {
        let t = t.clone();
        self.run(move |c| {
            c.execute(
                &format!(
                    "INSERT INTO tenants ({TENANT_COLS}) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)"
                ),
                params![
                    t.id,
                    t.parent_id,
                    t.name,
                    t.path,
                    t.cs_domain_id,
                    t.cs_account,
                    t.suspended,
                    t.created_at
                ],
            )
            .map_err(|e| duplicate(e, format!("tenant {}", t.id)))?;
            Ok(())
        })
        .await
    }

    async fn tenant(&self, id: &str) -> DbResult<Option<Tenant>> {
        let id = id.to_owned();
        self.run(move |c| {
            Ok(c.query_row(
                &format!("SELECT {TENANT_COLS} FROM tenants WHERE id = ?1"),
                [id],
                tenant_row,
            )
            .optional()?)
        })
        .await
    }

    async fn subtree(&self, path: &str) -> DbResult<Vec<Tenant>> {
        let path = path.to_owned();
        self.run(move |c| {
            let mut st = c.prepare_cached(&format!(
                "SELECT {TENANT_COLS} FROM tenants WHERE {} ORDER BY path",
                under("path")
            ))?;
            let rows = st.query_map([path], tenant_row)?;
            Ok(rows.collect::<Result<_, _>>()?)
        })
        .await
    }

    async fn rename_tenant(&self, id: &str, name: &str) -> DbResult<()> {
        let (id, name) = (id.to_owned(), name.to_owned());
        self.run(move |c| {
            c.execute(
                "UPDATE tenants SET name = ?2 WHERE id = ?1",
                params![id, name],
            )?;
            Ok(())
        })
        .await
    }

    async fn set_tenant_suspended(&self, id: &str, suspended: bool) -> DbResult<()> {
        let id = id.to_owned();
        self.run(move |c| {
            c.execute(
                "UPDATE tenants SET suspended = ?2 WHERE id = ?1",
                params![id, suspended],
            )?;
            Ok(())
        })
        .await
    }

    async fn move_tenant(
        &self,
        id: &str,
        new_parent_id: &str,
        old_path: &str,
        new_path: &str,
    ) -> DbResult<()> {
        let (id, parent, old, new) = (
            id.to_owned(),
            new_parent_id.to_owned(),
            old_path.to_owned(),
            new_path.to_owned(),
        );
        self.run(move |c| {
            let tx = c.transaction_with_behavior(TransactionBehavior::Immediate)?;
            tx.execute(
                "UPDATE tenants SET parent_id = ?2 WHERE id = ?1",
                params![id, parent],
            )?;
            tx.execute(
                &format!(
                    "UPDATE tenants SET path = ?2 || substr(path, length(?1) + 1) WHERE {}",
                    under("path")
                ),
                params![old, new],
            )?;
            tx.commit()?;
            Ok(())
        })
        .await
    }

    async fn set_tenant_cloudstack(
        &self,
        id: &str,
        domain_id: &str,
        account: Option<&str>,
    ) -> DbResult<()> {
        let (id, domain, account) = (
            id.to_owned(),
            domain_id.to_owned(),
            account.map(str::to_owned),
        );
        self.run(move |c| {
            c.execute(
                "UPDATE tenants SET cs_domain_id = ?2, cs_account = ?3 WHERE id = ?1",
                params![id, domain, account],
            )?;
            Ok(())
        })
        .await
    }

    async fn suspended_in_path(&self, path: &str) -> DbResult<bool> {
        let path = path.to_owned();
        self.run(move |c| {
            // Ancestors-or-self: every tenant whose path is a prefix of `path`.
            let n: i64 = c.query_row(
                "SELECT COUNT(*) FROM tenants WHERE suspended = 1 AND substr(?1, 1, length(path)) = path",
                [path],
                |r| r.get(0),
            )?;
            Ok(n > 0)
        })
        .await
    }

    async fn count_users(&self) -> DbResult<i64> {
        self.run(|c| Ok(c.query_row("SELECT COUNT(*) FROM users", [], |r| r.get(0))?))
            .await
    }

    async fn insert_user(&self, u: &User) -> DbResult<()> {
        let u = u.clone();
        self.run(move |c| {
            c.execute(
                "INSERT INTO users (id, tenant_id, username, password_hash, role_id, totp_secret, \
                 totp_pending, totp_enabled, totp_last_step, failed_logins, locked_until, created_at) \
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12)",
                params![
                    u.id,
                    u.tenant_id,
                    u.username,
                    u.password_hash,
                    u.role_id,
                    u.totp_secret,
                    u.totp_pending,
                    u.totp_enabled,
                    u.totp_last_step,
                    u.failed_logins,
                    u.locked_until,
                    u.created_at
                ],
            )
            .map_err(|e| duplicate(e, format!("user {}", u.username)))?;
            Ok(())
        })
        .await
    }

    async fn user(&self, id: &str) -> DbResult<Option<User>> {
        let id = id.to_owned();
        self.run(move |c| {
            Ok(c.query_row(
                &format!("SELECT {USER_COLS} FROM users u WHERE u.id = ?1"),
                [id],
                user_row,
            )
            .optional()?)
        })
        .await
    }

    async fn user_by_name(&self, username: &str) -> DbResult<Option<User>> {
        let name = username.to_owned();
        self.run(move |c| {
            Ok(c.query_row(
                &format!("SELECT {USER_COLS} FROM users u WHERE u.username = ?1"),
                [name],
                user_row,
            )
            .optional()?)
        })
        .await
    }

    async fn users_under(&self, path: &str) -> DbResult<Vec<User>> {
        let path = path.to_owned();
        self.run(move |c| {
            let mut st = c.prepare_cached(&format!(
                "SELECT {USER_COLS} FROM users u JOIN tenants t ON t.id = u.tenant_id \
                 WHERE {} ORDER BY u.username",
                under("t.path")
            ))?;
            let rows = st.query_map([path], user_row)?;
            Ok(rows.collect::<Result<_, _>>()?)
        })
        .await
    }

    async fn set_user_role(&self, user_id: &str, role_id: &str) -> DbResult<()> {
        let (id, role) = (user_id.to_owned(), role_id.to_owned());
        self.run(move |c| {
            c.execute(
                "UPDATE users SET role_id = ?2 WHERE id = ?1",
                params![id, role],
            )?;
            Ok(())
        })
        .await
    }

    async fn record_user_failure(
        &self,
        user_id: &str,
        now: i64,
        max: i64,
        lock_secs: i64,
    ) -> DbResult<Throttle> {
        let id = user_id.to_owned();
        self.run(move |c| {
            let tx = c.transaction_with_behavior(TransactionBehavior::Immediate)?;
            let (failures, locked): (i64, Option<i64>) = tx.query_row(
                "SELECT failed_logins, locked_until FROM users WHERE id = ?1",
                [&id],
                |r| Ok((r.get(0)?, r.get(1)?)),
            )?;
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
            tx.execute(
                "UPDATE users SET failed_logins = ?2, locked_until = ?3 WHERE id = ?1",
                params![id, failures, locked_until],
            )?;
            tx.commit()?;
            Ok(Throttle {
                failures,
                locked_until,
            })
        })
        .await
    }

    async fn clear_user_failures(&self, user_id: &str) -> DbResult<()> {
        let id = user_id.to_owned();
        self.run(move |c| {
            c.execute(
                "UPDATE users SET failed_logins = 0, locked_until = NULL WHERE id = ?1",
                [id],
            )?;
            Ok(())
        })
        .await
    }

    async fn set_password(&self, user_id: &str, password_hash: &str) -> DbResult<()> {
        let (id, hash) = (user_id.to_owned(), password_hash.to_owned());
        self.run(move |c| {
            let tx = c.transaction_with_behavior(TransactionBehavior::Immediate)?;
            tx.execute(
                "UPDATE users SET password_hash = ?2 WHERE id = ?1",
                params![id, hash],
            )?;
            tx.execute("UPDATE sessions SET revoked = 1 WHERE user_id = ?1", [&id])?;
            tx.execute("DELETE FROM login_challenges WHERE user_id = ?1", [&id])?;
            tx.commit()?;
            Ok(())
        })
        .await
    }

    async fn set_totp_pending(&self, user_id: &str, secret: Option<&[u8]>) -> DbResult<()> {
        let (id, secret) = (user_id.to_owned(), secret.map(<[u8]>::to_vec));
        self.run(move |c| {
            c.execute(
                "UPDATE users SET totp_pending = ?2 WHERE id = ?1",
                params![id, secret],
            )?;
            Ok(())
        })
        .await
    }

    async fn enable_totp(
        &self,
        user_id: &str,
        secret: &[u8],
        step: i64,
        recovery_hashes: &[String],
    ) -> DbResult<()> {
        let (id, secret, hashes) = (
            user_id.to_owned(),
            secret.to_vec(),
            recovery_hashes.to_vec(),
        );
        self.run(move |c| {
            let tx = c.transaction_with_behavior(TransactionBehavior::Immediate)?;
            tx.execute(
                "UPDATE users SET totp_secret = ?2, totp_pending = NULL, totp_enabled = 1, \
                 totp_last_step = ?3 WHERE id = ?1",
                params![id, secret, step],
            )?;
            tx.execute("DELETE FROM recovery_codes WHERE user_id = ?1", [&id])?;
            for h in &hashes {
                tx.execute(
                    "INSERT INTO recovery_codes (user_id, code_hash) VALUES (?1, ?2)",
                    params![id, h],
                )?;
            }
            tx.commit()?;
            Ok(())
        })
        .await
    }

    async fn disable_totp(&self, user_id: &str) -> DbResult<()> {
        let id = user_id.to_owned();
        self.run(move |c| {
            let tx = c.transaction_with_behavior(TransactionBehavior::Immediate)?;
            tx.execute(
                "UPDATE users SET totp_secret = NULL, totp_pending = NULL, totp_enabled = 0 \
                 WHERE id = ?1",
                [&id],
            )?;
            tx.execute("DELETE FROM recovery_codes WHERE user_id = ?1", [&id])?;
            tx.commit()?;
            Ok(())
        })
        .await
    }

    async fn claim_totp_step(&self, user_id: &str, step: i64) -> DbResult<bool> {
        let id = user_id.to_owned();
        self.run(move |c| {
            let n = c.execute(
                "UPDATE users SET totp_last_step = ?2 WHERE id = ?1 \
                 AND (totp_last_step IS NULL OR totp_last_step < ?2)",
                params![id, step],
            )?;
            Ok(n == 1)
        })
        .await
    }

    async fn use_recovery_code(&self, user_id: &str, code_hash: &str, now: i64) -> DbResult<bool> {
        let (id, hash) = (user_id.to_owned(), code_hash.to_owned());
        self.run(move |c| {
            let n = c.execute(
                "UPDATE recovery_codes SET used_at = ?3 WHERE user_id = ?1 AND code_hash = ?2 \
                 AND used_at IS NULL",
                params![id, hash, now],
            )?;
            Ok(n == 1)
        })
        .await
    }

    async fn recovery_codes_left(&self, user_id: &str) -> DbResult<i64> {
        let id = user_id.to_owned();
        self.run(move |c| {
            Ok(c.query_row(
                "SELECT COUNT(*) FROM recovery_codes WHERE user_id = ?1 AND used_at IS NULL",
                [id],
                |r| r.get(0),
            )?)
        })
        .await
    }

    async fn ip_locked_until(&self, ip: &str, now: i64) -> DbResult<Option<i64>> {
        let ip = ip.to_owned();
        self.run(move |c| {
            Ok(c.query_row(
                "SELECT locked_until FROM ip_failures WHERE ip = ?1 AND locked_until > ?2",
                params![ip, now],
                |r| r.get(0),
            )
            .optional()?)
        })
        .await
    }

    async fn record_ip_failure(
        &self,
        ip: &str,
        now: i64,
        window_secs: i64,
        max: i64,
        lock_secs: i64,
    ) -> DbResult<Throttle> {
        let ip = ip.to_owned();
        self.run(move |c| {
            let tx = c.transaction_with_behavior(TransactionBehavior::Immediate)?;
            let row: Option<(i64, i64, Option<i64>)> = tx
                .query_row(
                    "SELECT failures, window_start, locked_until FROM ip_failures WHERE ip = ?1",
                    [&ip],
                    |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)),
                )
                .optional()?;
            let (failures, start, locked) = match row {
                Some((f, s, l)) if s + window_secs > now || l.is_some_and(|l| l > now) => {
                    (f + 1, s, l.filter(|&l| l > now))
                }
                _ => (1, now, None),
            };
            let locked = locked.or((failures >= max).then_some(now + lock_secs));
            tx.execute(
                "INSERT OR REPLACE INTO ip_failures (ip, failures, window_start, locked_until) \
                 VALUES (?1, ?2, ?3, ?4)",
                params![ip, failures, start, locked],
            )?;
            tx.commit()?;
            Ok(Throttle {
                failures,
                locked_until: locked,
            })
        })
        .await
    }

    async fn insert_session(
        &self,
        token_hash: &str,
        user_id: &str,
        now: i64,
        expires_at: i64,
    ) -> DbResult<()> {
        let (h, id) = (token_hash.to_owned(), user_id.to_owned());
        self.run(move |c| {
            c.execute(
                "INSERT INTO sessions (token_hash, user_id, created_at, expires_at) \
                 VALUES (?1, ?2, ?3, ?4)",
                params![h, id, now, expires_at],
            )?;
            Ok(())
        })
        .await
    }

    async fn session_user(&self, token_hash: &str, now: i64) -> DbResult<Option<User>> {
        let h = token_hash.to_owned();
        self.run(move |c| {
            let mut st = c.prepare_cached(&format!(
                "SELECT {USER_COLS} FROM sessions s JOIN users u ON u.id = s.user_id \
                 WHERE s.token_hash = ?1 AND s.revoked = 0 AND s.expires_at > ?2"
            ))?;
            Ok(st.query_row(params![h, now], user_row).optional()?)
        })
        .await
    }

    async fn session_context(
        &self,
        token_hash: &str,
        now: i64,
    ) -> DbResult<Option<SessionContext>> {
        let h = token_hash.to_owned();
        self.run(move |c| {
            let tenant_cols = TENANT_COLS
                .split(", ")
                .map(|c| format!("t.{c}"))
                .collect::<Vec<_>>()
                .join(", ");
            let mut st = c.prepare_cached(&format!(
                "SELECT {USER_COLS}, {tenant_cols}, r.id, r.tenant_id, r.name, r.permissions, r.builtin, \
                 EXISTS (SELECT 1 FROM tenants a WHERE a.suspended = 1 \
                         AND substr(t.path, 1, length(a.path)) = a.path) \
                 FROM sessions s JOIN users u ON u.id = s.user_id \
                 JOIN tenants t ON t.id = u.tenant_id JOIN roles r ON r.id = u.role_id \
                 WHERE s.token_hash = ?1 AND s.revoked = 0 AND s.expires_at > ?2"
            ))?;
            Ok(st
                .query_row(params![h, now], |r| {
                    Ok(SessionContext {
                        user: user_at(r, 0)?,
                        tenant: tenant_at(r, 12)?,
                        role: role_at(r, 20)?,
                        suspended: r.get(25)?,
                    })
                })
                .optional()?)
        })
        .await
    }

    async fn revoke_session(&self, token_hash: &str) -> DbResult<()> {
        let h = token_hash.to_owned();
        self.run(move |c| {
            c.execute("UPDATE sessions SET revoked = 1 WHERE token_hash = ?1", [h])?;
            Ok(())
        })
        .await
    }

    async fn insert_challenge(
        &self,
        token_hash: &str,
        user_id: &str,
        expires_at: i64,
    ) -> DbResult<()> {
        let (h, id) = (token_hash.to_owned(), user_id.to_owned());
        self.run(move |c| {
            c.execute(
                "INSERT INTO login_challenges (token_hash, user_id, expires_at) VALUES (?1, ?2, ?3)",
                params![h, id, expires_at],
            )?;
            Ok(())
        })
        .await
    }

    async fn challenge_user(&self, token_hash: &str, now: i64) -> DbResult<Option<String>> {
        let h = token_hash.to_owned();
        self.run(move |c| {
            Ok(c.query_row(
                "SELECT user_id FROM login_challenges WHERE token_hash = ?1 AND expires_at > ?2",
                params![h, now],
                |r| r.get(0),
            )
            .optional()?)
        })
        .await
    }

    async fn delete_challenge(&self, token_hash: &str) -> DbResult<()> {
        let h = token_hash.to_owned();
        self.run(move |c| {
            c.execute("DELETE FROM login_challenges WHERE token_hash = ?1", [h])?;
            Ok(())
        })
        .await
    }

    async fn insert_role(&self, role: &Role) -> DbResult<()> {
        let r = role.clone();
        self.run(move |c| {
            c.execute(
                "INSERT INTO roles (id, tenant_id, name, permissions, builtin, created_at) \
                 VALUES (?1, ?2, ?3, ?4, ?5, strftime('%s','now'))",
                params![
                    r.id,
                    r.tenant_id,
                    r.name,
                    join_permissions(&r.permissions),
                    r.builtin
                ],
            )
            .map_err(|e| duplicate(e, format!("role {}", r.name)))?;
            Ok(())
        })
        .await
    }

    async fn upsert_builtin_role(&self, role: &Role) -> DbResult<()> {
        let r = role.clone();
        self.run(move |c| {
            c.execute(
                "INSERT INTO roles (id, tenant_id, name, permissions, builtin, created_at) \
                 VALUES (?1, NULL, ?2, ?3, 1, strftime('%s','now')) \
                 ON CONFLICT(id) DO UPDATE SET name = excluded.name, permissions = excluded.permissions",
                params![r.id, r.name, join_permissions(&r.permissions)],
            )?;
            Ok(())
        })
        .await
    }

    async fn role(&self, id: &str) -> DbResult<Option<Role>> {
        let id = id.to_owned();
        self.run(move |c| {
            let mut st = c.prepare_cached(
                "SELECT id, tenant_id, name, permissions, builtin FROM roles WHERE id = ?1",
            )?;
            Ok(st.query_row([id], role_row).optional()?)
        })
        .await
    }

    async fn roles_of(&self, tenant_ids: &[String]) -> DbResult<Vec<Role>> {
        let ids = tenant_ids.to_vec();
        self.run(move |c| {
            let mut st = c.prepare_cached(
                "SELECT id, tenant_id, name, permissions, builtin FROM roles \
                 WHERE builtin = 1 OR tenant_id IN (SELECT value FROM json_each(?1)) \
                 ORDER BY builtin DESC, name",
            )?;
            let json = serde_json::to_string(&ids).map_err(|e| DbError::Corrupt(e.to_string()))?;
            let rows = st.query_map([json], role_row)?;
            Ok(rows.collect::<Result<_, _>>()?)
        })
        .await
    }

    async fn insert_audit(&self, e: &NewAudit) -> DbResult<()> {
        let e = e.clone();
        self.run(move |c| {
            c.execute(
                "INSERT INTO audit_log (at, actor_id, actor, tenant_id, action, target, result) \
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
                params![
                    e.at,
                    e.actor_id,
                    e.actor,
                    e.tenant_id,
                    e.action,
                    e.target,
                    e.result
                ],
            )?;
            Ok(())
        })
        .await
    }

    async fn audit_under(
        &self,
        path: &str,
        limit: i64,
        before_id: Option<i64>,
    ) -> DbResult<Vec<AuditEntry>> {
        let path = path.to_owned();
        self.run(move |c| {
            let mut st = c.prepare_cached(&format!(
                "SELECT a.id, a.at, a.actor_id, a.actor, a.tenant_id, a.action, a.target, a.result \
                 FROM audit_log a JOIN tenants t ON t.id = a.tenant_id \
                 WHERE {} AND (?2 IS NULL OR a.id < ?2) ORDER BY a.id DESC LIMIT ?3",
                under("t.path")
            ))?;
            let rows = st.query_map(params![path, before_id, limit], |r| {
                Ok(AuditEntry {
                    id: r.get(0)?,
                    entry: NewAudit {
                        at: r.get(1)?,
                        actor_id: r.get(2)?,
                        actor: r.get(3)?,
                        tenant_id: r.get(4)?,
                        action: r.get(5)?,
                        target: r.get(6)?,
                        result: r.get(7)?,
                    },
                })
            })?;
            Ok(rows.collect::<Result<_, _>>()?)
        })
        .await
    }

    async fn vms_synced_at(&self, tenant_id: &str) -> DbResult<Option<i64>> {
        let id = tenant_id.to_owned();
        self.run(move |c| {
            Ok(c.query_row(
                "SELECT synced_at FROM vm_sync WHERE tenant_id = ?1",
                [id],
                |r| r.get(0),
            )
            .optional()?)
        })
        .await
    }

    async fn replace_tenant_vms(
        &self,
        tenant_id: &str,
        vms: &[CachedVm],
        now: i64,
    ) -> DbResult<()> {
        let (id, vms) = (tenant_id.to_owned(), vms.to_vec());
        self.run(move |c| {
            let tx = c.transaction_with_behavior(TransactionBehavior::Immediate)?;
            tx.execute("DELETE FROM vm_cache WHERE tenant_id = ?1", [&id])?;
            for v in &vms {
                insert_vm(&tx, v)?;
            }
            tx.execute(
                "INSERT OR REPLACE INTO vm_sync (tenant_id, synced_at) VALUES (?1, ?2)",
                params![id, now],
            )?;
            tx.commit()?;
            Ok(())
        })
        .await
    }

    async fn vms_under(&self, path: &str) -> DbResult<Vec<CachedVm>> {
        let path = path.to_owned();
        self.run(move |c| {
            let cols = VM_COLS
                .split(", ")
                .map(|c| format!("v.{c}"))
                .collect::<Vec<_>>()
                .join(", ");
            let mut st = c.prepare_cached(&format!(
                "SELECT {cols} FROM vm_cache v JOIN tenants t ON t.id = v.tenant_id \
                 WHERE {} ORDER BY v.name, v.id",
                under("t.path")
            ))?;
            let rows = st.query_map([path], vm_row)?;
            Ok(rows.collect::<Result<_, _>>()?)
        })
        .await
    }

    async fn vm(&self, id: &str) -> DbResult<Option<CachedVm>> {
        let id = id.to_owned();
        self.run(move |c| {
            Ok(c.query_row(
                &format!("SELECT {VM_COLS} FROM vm_cache WHERE id = ?1"),
                [id],
                vm_row,
            )
            .optional()?)
        })
        .await
    }

    async fn upsert_vm(&self, vm: &CachedVm) -> DbResult<()> {
        let v = vm.clone();
        self.run(move |c| Ok(insert_vm(c, &v)?)).await
    }

    async fn delete_vm(&self, id: &str) -> DbResult<()> {
        let id = id.to_owned();
        self.run(move |c| {
            c.execute("DELETE FROM vm_cache WHERE id = ?1", [id])?;
            Ok(())
        })
        .await
    }
}
