//! [`Database`] on every [`Backend`], each statement written once in PostgreSQL's `$N` form,
//! and the one migration runner.
//!
//! Every method is one statement or one transaction. One-time steps (TOTP steps, recovery codes)
//! are single conditional `UPDATE`s: of two concurrent claims of the same step the second finds
//! the row the first wrote and matches nothing. Counters that are read, computed
//! ([`super::rules`]) and written back lock their row first ([`Dialect::for_update`]; SQLite's
//! `BEGIN IMMEDIATE` holds the whole database instead).
//!
//! [`Dialect::for_update`]: super::dialect::Dialect::for_update

use async_trait::async_trait;

use super::dialect::{Backend, Conn};
use super::record::{Columns, args, insert_sql, join_permissions, upsert_sql};
use super::rules::{self, Failures};
use super::{
    AuditEntry, CachedVm, Database, DbError, DbResult, NewAudit, Role, SessionContext, Tenant,
    Throttle, User, duplicate, migration_failed,
};

/// The advisory lock taken while migrating (the bytes of "akashone").
const MIGRATION_LOCK: i64 = 0x616b_6173_686f_6e65;

/// Applies the dialect's pending migrations in one transaction, refusing a database migrated by
/// a newer build. Under PostgreSQL an advisory lock makes instances starting together migrate
/// once; under SQLite `BEGIN IMMEDIATE` does.
pub(super) async fn migrate<C: Conn>(c: &mut C) -> DbResult<()> {
    c.begin().await?;
    let migrated = migrate_in(c).await;
    if migrated.is_err() {
        // The error is the answer; a failed rollback leaves the connection to be dropped.
        let _ = c.batch("ROLLBACK").await;
    }
    migrated
}

async fn migrate_in<C: Conn>(c: &mut C) -> DbResult<()> {
    let d = C::DIALECT;
    let known = d.schema_version();
    if let Some(lock) = d.migration_lock {
        c.exec(lock, &args![MIGRATION_LOCK]).await?;
    }
    c.batch(
        "CREATE TABLE IF NOT EXISTS schema_migrations \
         (version INTEGER PRIMARY KEY, applied_at BIGINT NOT NULL)",
    )
    .await?;
    let newest: Option<i64> = c
        .one(
            "SELECT CAST(max(version) AS BIGINT) FROM schema_migrations",
            &[],
        )
        .await?;
    if let Some(found) = newest.filter(|&v| v > i64::from(known)) {
        return Err(DbError::SchemaTooNew { found, known });
    }
    for &(version, sql) in d.migrations {
        let v = i32::try_from(version).map_err(|e| DbError::Corrupt(e.to_string()))?;
        let done: Option<i32> = c
            .opt(
                "SELECT version FROM schema_migrations WHERE version = $1",
                &args![v],
            )
            .await?;
        if done.is_some() {
            continue;
        }
        c.batch(sql)
            .await
            .map_err(|e| migration_failed(version, e))?;
        c.exec(
            &format!(
                "INSERT INTO schema_migrations (version, applied_at) VALUES ($1, {})",
                d.now
            ),
            &args![v],
        )
        .await?;
        tracing::info!(version, "{} schema migrated", d.name);
    }
    c.commit().await
}

/// `$1` is a prefix of `col`, without `LIKE` wildcards.
fn under(col: &str) -> String {
    format!("substr({col}, 1, length($1)) = $1")
}

#[async_trait]
impl<B: Backend> Database for B {
    async fn root_tenant(&self) -> DbResult<Option<Tenant>> {
        self.opt(
            Tenant::select("", "tenants WHERE parent_id IS NULL"),
            vec![],
        )
        .await
    }

    async fn insert_tenant(&self, t: &Tenant) -> DbResult<()> {
        self.run(insert_sql::<Tenant>("tenants"), t.args())
            .await
            .map_err(|e| duplicate(e, format!("tenant {}", t.id)))
    }

    async fn tenant(&self, id: &str) -> DbResult<Option<Tenant>> {
        self.opt(Tenant::select("", "tenants WHERE id = $1"), args![id])
            .await
    }

    async fn subtree(&self, path: &str) -> DbResult<Vec<Tenant>> {
        self.all(
            Tenant::select(
                "",
                &format!("tenants WHERE {} ORDER BY path", under("path")),
            ),
            args![path],
        )
        .await
    }

    async fn rename_tenant(&self, id: &str, name: &str) -> DbResult<()> {
        self.run(
            "UPDATE tenants SET name = $2 WHERE id = $1",
            args![id, name],
        )
        .await
    }

    async fn set_tenant_suspended(&self, id: &str, suspended: bool) -> DbResult<()> {
        self.run(
            "UPDATE tenants SET suspended = $2 WHERE id = $1",
            args![id, suspended],
        )
        .await
    }

    async fn move_tenant(
        &self,
        id: &str,
        new_parent_id: &str,
        old_path: &str,
        new_path: &str,
    ) -> DbResult<()> {
        let parent = args![id, new_parent_id];
        let paths = args![old_path, new_path];
        self.tx(move |c| {
            Box::pin(async move {
                c.exec("UPDATE tenants SET parent_id = $2 WHERE id = $1", &parent)
                    .await?;
                let sql = format!(
                    "UPDATE tenants SET path = $2 || substr(path, length($1) + 1) WHERE {}",
                    under("path")
                );
                c.exec(&sql, &paths).await?;
                Ok(())
            })
        })
        .await
    }

    async fn set_tenant_cloudstack(
        &self,
        id: &str,
        domain_id: &str,
        account: Option<&str>,
    ) -> DbResult<()> {
        self.run(
            "UPDATE tenants SET cs_domain_id = $2, cs_account = $3 WHERE id = $1",
            args![id, domain_id, account],
        )
        .await
    }

    async fn suspended_in_path(&self, path: &str) -> DbResult<bool> {
        // Ancestors-or-self: every tenant whose path is a prefix of `path`.
        self.one(
            "SELECT EXISTS (SELECT 1 FROM tenants \
             WHERE suspended AND substr($1, 1, length(path)) = path)",
            args![path],
        )
        .await
    }

    async fn count_users(&self) -> DbResult<i64> {
        self.one("SELECT COUNT(*) FROM users", vec![]).await
    }

    async fn insert_user(&self, u: &User) -> DbResult<()> {
        self.run(insert_sql::<User>("users"), u.args())
            .await
            .map_err(|e| duplicate(e, format!("user {}", u.username)))
    }

    async fn user(&self, id: &str) -> DbResult<Option<User>> {
        self.opt(User::select("u", "users u WHERE u.id = $1"), args![id])
            .await
    }

    async fn user_by_name(&self, username: &str) -> DbResult<Option<User>> {
        let sql = User::select("u", "users u WHERE u.username = $1");
        self.opt(sql, args![username]).await
    }

    async fn users_under(&self, path: &str) -> DbResult<Vec<User>> {
        self.all(
            User::select(
                "u",
                &format!(
                    "users u JOIN tenants t ON t.id = u.tenant_id WHERE {} ORDER BY u.username",
                    under("t.path")
                ),
            ),
            args![path],
        )
        .await
    }

    async fn set_user_role(&self, user_id: &str, role_id: &str) -> DbResult<()> {
        self.run(
            "UPDATE users SET role_id = $2 WHERE id = $1",
            args![user_id, role_id],
        )
        .await
    }

    async fn set_password(&self, user_id: &str, password_hash: &str) -> DbResult<()> {
        let (user, hash) = (args![user_id], args![user_id, password_hash]);
        self.tx(move |c| {
            Box::pin(async move {
                c.exec("UPDATE users SET password_hash = $2 WHERE id = $1", &hash)
                    .await?;
                c.exec(
                    "UPDATE sessions SET revoked = TRUE WHERE user_id = $1",
                    &user,
                )
                .await?;
                c.exec("DELETE FROM login_challenges WHERE user_id = $1", &user)
                    .await?;
                Ok(())
            })
        })
        .await
    }

    async fn set_totp_pending(&self, user_id: &str, secret: Option<&[u8]>) -> DbResult<()> {
        self.run(
            "UPDATE users SET totp_pending = $2 WHERE id = $1",
            args![user_id, secret],
        )
        .await
    }

    async fn enable_totp(
        &self,
        user_id: &str,
        secret: &[u8],
        step: i64,
        recovery_hashes: &[String],
    ) -> DbResult<()> {
        let enable = args![user_id, secret, step];
        let codes = args![recovery_hashes, user_id];
        self.tx(move |c| {
            Box::pin(async move {
                c.exec(
                    "UPDATE users SET totp_secret = $2, totp_pending = NULL, totp_enabled = TRUE, \
                     totp_last_step = $3 WHERE id = $1",
                    &enable,
                )
                .await?;
                c.exec("DELETE FROM recovery_codes WHERE user_id = $1", &codes[1..])
                    .await?;
                let sql = format!(
                    "INSERT INTO recovery_codes (user_id, code_hash) SELECT $2, value FROM {}",
                    B::DIALECT.texts
                );
                c.exec(&sql, &codes).await?;
                Ok(())
            })
        })
        .await
    }

    async fn disable_totp(&self, user_id: &str) -> DbResult<()> {
        let user = args![user_id];
        self.tx(move |c| {
            Box::pin(async move {
                c.exec(
                    "UPDATE users SET totp_secret = NULL, totp_pending = NULL, \
                     totp_enabled = FALSE WHERE id = $1",
                    &user,
                )
                .await?;
                c.exec("DELETE FROM recovery_codes WHERE user_id = $1", &user)
                    .await?;
                Ok(())
            })
        })
        .await
    }

    async fn claim_totp_step(&self, user_id: &str, step: i64) -> DbResult<bool> {
        // A concurrent claim of the same step waits for the row (or the database), finds the
        // step taken and no longer matches: one winner.
        let n = self
            .exec(
                "UPDATE users SET totp_last_step = $2 WHERE id = $1 \
                 AND (totp_last_step IS NULL OR totp_last_step < $2)",
                args![user_id, step],
            )
            .await?;
        Ok(n == 1)
    }

    async fn use_recovery_code(&self, user_id: &str, code_hash: &str, now: i64) -> DbResult<bool> {
        let n = self
            .exec(
                "UPDATE recovery_codes SET used_at = $3 WHERE user_id = $1 AND code_hash = $2 \
                 AND used_at IS NULL",
                args![user_id, code_hash, now],
            )
            .await?;
        Ok(n == 1)
    }

    async fn recovery_codes_left(&self, user_id: &str) -> DbResult<i64> {
        self.one(
            "SELECT COUNT(*) FROM recovery_codes WHERE user_id = $1 AND used_at IS NULL",
            args![user_id],
        )
        .await
    }

    async fn locks(&self, subjects: &[String], now: i64) -> DbResult<Vec<(String, i64)>> {
        let sql = format!(
            "SELECT subject, locked_until FROM auth_failures \
             WHERE subject IN (SELECT value FROM {}) AND locked_until > $2 ORDER BY subject",
            B::DIALECT.texts
        );
        self.all(sql, args![subjects, now]).await
    }

    async fn record_failure(
        &self,
        subject: &str,
        now: i64,
        window_secs: i64,
        max: i64,
        lock_secs: i64,
    ) -> DbResult<Throttle> {
        let subject = subject.to_owned();
        self.tx(move |c| {
            Box::pin(async move {
                // Make sure the row exists, then lock it: concurrent failures of one subject
                // queue here.
                c.exec(
                    "INSERT INTO auth_failures (subject, failures, window_start, locked_until) \
                     VALUES ($1, 0, $2, NULL) ON CONFLICT (subject) DO NOTHING",
                    &args![subject, now],
                )
                .await?;
                let sql = format!(
                    "SELECT failures, window_start, locked_until FROM auth_failures \
                     WHERE subject = $1{}",
                    B::DIALECT.for_update
                );
                let (failures, window_start, locked_until) = c.one(&sql, &args![subject]).await?;
                let prev = Failures {
                    failures,
                    window_start,
                    locked_until,
                };
                let next = rules::failure(prev, now, window_secs, max, lock_secs);
                c.exec(
                    "UPDATE auth_failures SET failures = $2, window_start = $3, \
                     locked_until = $4 WHERE subject = $1",
                    &args![subject, next.failures, next.window_start, next.locked_until],
                )
                .await?;
                Ok(rules::throttle(prev, next))
            })
        })
        .await
    }

    async fn clear_failures(&self, subject: &str) -> DbResult<()> {
        self.run(
            "DELETE FROM auth_failures WHERE subject = $1",
            args![subject],
        )
        .await
    }

    async fn insert_session(
        &self,
        token_hash: &str,
        user_id: &str,
        now: i64,
        expires_at: i64,
    ) -> DbResult<()> {
        self.run(
            "INSERT INTO sessions (token_hash, user_id, created_at, expires_at) \
             VALUES ($1, $2, $3, $4)",
            args![token_hash, user_id, now, expires_at],
        )
        .await
    }

    async fn session_user(&self, token_hash: &str, now: i64) -> DbResult<Option<User>> {
        self.opt(
            User::select(
                "u",
                "sessions s JOIN users u ON u.id = s.user_id \
                 WHERE s.token_hash = $1 AND NOT s.revoked AND s.expires_at > $2",
            ),
            args![token_hash, now],
        )
        .await
    }

    async fn session_context(
        &self,
        token_hash: &str,
        now: i64,
    ) -> DbResult<Option<SessionContext>> {
        self.opt(
            format!(
                "SELECT {}, {}, {}, EXISTS (SELECT 1 FROM tenants a \
                 WHERE a.suspended AND substr(t.path, 1, length(a.path)) = a.path) \
                 FROM sessions s JOIN users u ON u.id = s.user_id \
                 JOIN tenants t ON t.id = u.tenant_id JOIN roles r ON r.id = u.role_id \
                 WHERE s.token_hash = $1 AND NOT s.revoked AND s.expires_at > $2",
                User::cols("u"),
                Tenant::cols("t"),
                Role::cols("r"),
            ),
            args![token_hash, now],
        )
        .await
    }

    async fn revoke_session(&self, token_hash: &str) -> DbResult<()> {
        self.run(
            "UPDATE sessions SET revoked = TRUE WHERE token_hash = $1",
            args![token_hash],
        )
        .await
    }

    async fn insert_challenge(
        &self,
        token_hash: &str,
        user_id: &str,
        expires_at: i64,
    ) -> DbResult<()> {
        self.run(
            "INSERT INTO login_challenges (token_hash, user_id, expires_at) VALUES ($1, $2, $3)",
            args![token_hash, user_id, expires_at],
        )
        .await
    }

    async fn challenge_user(&self, token_hash: &str, now: i64) -> DbResult<Option<String>> {
        self.opt(
            "SELECT user_id FROM login_challenges WHERE token_hash = $1 AND expires_at > $2",
            args![token_hash, now],
        )
        .await
    }

    async fn delete_challenge(&self, token_hash: &str) -> DbResult<()> {
        self.run(
            "DELETE FROM login_challenges WHERE token_hash = $1",
            args![token_hash],
        )
        .await
    }

    async fn insert_role(&self, role: &Role) -> DbResult<()> {
        let perms = join_permissions(&role.permissions);
        self.run(
            format!(
                "INSERT INTO roles (id, tenant_id, name, permissions, builtin, created_at) \
                 VALUES ($1, $2, $3, $4, $5, {})",
                B::DIALECT.now
            ),
            args![role.id, role.tenant_id, role.name, perms, role.builtin],
        )
        .await
        .map_err(|e| duplicate(e, format!("role {}", role.name)))
    }

    async fn upsert_builtin_role(&self, role: &Role) -> DbResult<()> {
        let perms = join_permissions(&role.permissions);
        self.run(
            format!(
                "INSERT INTO roles (id, tenant_id, name, permissions, builtin, created_at) \
                 VALUES ($1, NULL, $2, $3, TRUE, {}) ON CONFLICT (id) DO UPDATE \
                 SET name = excluded.name, permissions = excluded.permissions",
                B::DIALECT.now
            ),
            args![role.id, role.name, perms],
        )
        .await
    }

    async fn role(&self, id: &str) -> DbResult<Option<Role>> {
        self.opt(Role::select("", "roles WHERE id = $1"), args![id])
            .await
    }

    async fn roles_of(&self, tenant_ids: &[String]) -> DbResult<Vec<Role>> {
        self.all(
            Role::select(
                "",
                &format!(
                    "roles WHERE builtin OR tenant_id IN (SELECT value FROM {}) \
                     ORDER BY builtin DESC, name",
                    B::DIALECT.texts
                ),
            ),
            args![tenant_ids],
        )
        .await
    }

    async fn insert_audit(&self, e: &NewAudit) -> DbResult<()> {
        self.run(insert_sql::<NewAudit>("audit_log"), e.args())
            .await
    }

    async fn audit_under(
        &self,
        path: &str,
        limit: i64,
        before_id: Option<i64>,
    ) -> DbResult<Vec<AuditEntry>> {
        self.all(
            format!(
                "SELECT a.id, {} FROM audit_log a JOIN tenants t ON t.id = a.tenant_id \
                 WHERE {} AND (CAST($2 AS BIGINT) IS NULL OR a.id < $2) \
                 ORDER BY a.id DESC LIMIT $3",
                NewAudit::cols("a"),
                under("t.path")
            ),
            args![path, before_id, limit],
        )
        .await
    }

    async fn failed_auth_of(
        &self,
        user_id: &str,
        since: i64,
        limit: i64,
    ) -> DbResult<Vec<AuditEntry>> {
        self.all(
            format!(
                "SELECT a.id, {} FROM audit_log a WHERE a.actor_id = $1 AND a.at >= $2 \
                 AND a.action LIKE 'auth.%' AND a.result NOT LIKE 'ok%' \
                 ORDER BY a.id DESC LIMIT $3",
                NewAudit::cols("a"),
            ),
            args![user_id, since, limit],
        )
        .await
    }

    async fn vms_synced_at(&self, tenant_id: &str) -> DbResult<Option<i64>> {
        self.opt(
            "SELECT synced_at FROM vm_sync WHERE tenant_id = $1",
            args![tenant_id],
        )
        .await
    }

    async fn replace_tenant_vms(
        &self,
        tenant_id: &str,
        vms: &[CachedVm],
        now: i64,
    ) -> DbResult<()> {
        let (tenant, synced, vms) = (args![tenant_id], args![tenant_id, now], vms.to_vec());
        self.tx(move |c| {
            Box::pin(async move {
                c.exec("DELETE FROM vm_cache WHERE tenant_id = $1", &tenant)
                    .await?;
                c.insert_vms(&vms).await?;
                c.exec(
                    "INSERT INTO vm_sync (tenant_id, synced_at) VALUES ($1, $2) \
                     ON CONFLICT (tenant_id) DO UPDATE SET synced_at = excluded.synced_at",
                    &synced,
                )
                .await?;
                Ok(())
            })
        })
        .await
    }

    async fn vms_under(&self, path: &str) -> DbResult<Vec<CachedVm>> {
        self.all(
            CachedVm::select(
                "v",
                &format!(
                    "vm_cache v JOIN tenants t ON t.id = v.tenant_id WHERE {} ORDER BY v.name, v.id",
                    under("t.path")
                ),
            ),
            args![path],
        )
        .await
    }

    async fn vm(&self, id: &str) -> DbResult<Option<CachedVm>> {
        self.opt(CachedVm::select("", "vm_cache WHERE id = $1"), args![id])
            .await
    }

    async fn upsert_vm(&self, vm: &CachedVm) -> DbResult<()> {
        self.run(upsert_sql::<CachedVm>("vm_cache", "id"), vm.args())
            .await
    }

    async fn delete_vm(&self, id: &str) -> DbResult<()> {
        self.run("DELETE FROM vm_cache WHERE id = $1", args![id])
            .await
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_vm_upsert_names_every_column_once() {
        let sql = upsert_sql::<CachedVm>("vm_cache", "id");
        assert!(
            sql.starts_with("INSERT INTO vm_cache (id, tenant_id, "),
            "{sql}"
        );
        assert!(sql.contains("$16) ON CONFLICT (id) DO UPDATE SET tenant_id = excluded.tenant_id"));
        assert!(
            !sql.contains("$17") && !sql.contains(" id = excluded.id"),
            "{sql}"
        );
    }
}
