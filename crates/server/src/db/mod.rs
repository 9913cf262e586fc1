//! Storage behind one [`Database`] trait. SQLite is the embedded default, PostgreSQL the
//! other backend, each with its own migrations folder; [`crate::config::DatabaseUrl`]'s scheme
//! chooses between them ([`open`]).
//!
//! The storage is written once for both: the statements (`store.rs`, `store_billing.rs`), the
//! decoding of rows (`record.rs`), the business rules (`rules.rs`) and the migration runner.
//! What really differs (locks, the clock, a list parameter, the batch insert of VMs, the
//! document serial) is listed in `dialect.rs`; `sqlite.rs` and `postgres.rs` only open the
//! database and run statements on its connections.
//!
//! Times are Unix seconds, passed in by the caller; the storage layer never reads the clock.

mod billing;
mod dialect;
mod postgres;
mod record;
mod rules;
mod sqlite;
mod store;
mod store_billing;

pub use crate::config::parse_postgres_url;
pub use billing::*;
pub use postgres::{Postgres, SCHEMA_VERSION as POSTGRES_SCHEMA_VERSION};
pub use sqlite::{SCHEMA_VERSION as SQLITE_SCHEMA_VERSION, Sqlite};

use std::sync::Arc;

use async_trait::async_trait;

use crate::config::DatabaseUrl;
use crate::rbac::Permission;

/// Opens the database `url` names with up to `connections` connections, applying pending
/// migrations.
pub async fn open(url: &DatabaseUrl, connections: usize) -> DbResult<Arc<dyn Database>> {
    Ok(match url {
        DatabaseUrl::Sqlite(path) => Arc::new(Sqlite::open(path, connections).await?),
        DatabaseUrl::Postgres(url) => Arc::new(Postgres::connect(url, connections).await?),
    })
}

/// A storage failure.
#[derive(Debug, thiserror::Error)]
pub enum DbError {
    /// The SQLite engine failed.
    #[error("SQLite: {0}")]
    Sqlite(#[from] rusqlite::Error),
    /// A migration failed.
    #[error("migration {version} failed: {source}")]
    Migration {
        /// Migration number.
        version: u32,
        /// Cause.
        source: rusqlite::Error,
    },
    /// The database could not be opened.
    #[error("cannot open the database at {path}: {message}")]
    Open {
        /// Where.
        path: String,
        /// Why.
        message: String,
    },
    /// A unique constraint was violated (a duplicate name).
    #[error("{0} already exists")]
    Duplicate(String),
    /// A blocking task panicked or was cancelled.
    #[error("storage task failed: {0}")]
    Task(String),
    /// A stored value could not be read back.
    #[error("corrupt stored value: {0}")]
    Corrupt(String),
    /// PostgreSQL refused or failed a statement, or the connection broke.
    #[error("PostgreSQL: {}", postgres_detail(.0))]
    Postgres(#[from] tokio_postgres::Error),
    /// A PostgreSQL migration failed.
    #[error("PostgreSQL migration {version} failed: {}", postgres_detail(.source))]
    PostgresMigration {
        /// Migration number.
        version: u32,
        /// Cause.
        source: tokio_postgres::Error,
    },
    /// No connection to the database could be had in time.
    #[error("database unavailable: {0}")]
    Unavailable(String),
    /// The database was migrated by a newer build than this one.
    #[error(
        "the database schema is at version {found}, newer than this build knows ({known}); \
         run the newer akashone-server that migrated it, or restore a backup taken before"
    )]
    SchemaTooNew {
        /// The version found in the database.
        found: i64,
        /// The newest version this build knows.
        known: u32,
    },
}

/// A PostgreSQL error with its cause: the server's message (`ERROR 42P01: relation … does not
/// exist`), or the I/O error behind a broken connection. (`Display` of the error alone says only
/// "db error".)
pub fn postgres_detail(e: &tokio_postgres::Error) -> String {
    if let Some(db) = e.as_db_error() {
        return format!("{} {}: {}", db.severity(), db.code().code(), db.message());
    }
    let mut out = e.to_string();
    let mut source = std::error::Error::source(e);
    while let Some(s) = source {
        out.push_str(": ");
        out.push_str(&s.to_string());
        source = s.source();
    }
    out
}

/// Result of storage calls.
pub type DbResult<T> = Result<T, DbError>;

/// `e` as [`DbError::Duplicate`] of `what` when it is a violated unique key, on either backend.
fn duplicate(e: DbError, what: impl Into<String>) -> DbError {
    let unique = match &e {
        DbError::Sqlite(e) => sqlite::unique_violation(e),
        DbError::Postgres(e) => postgres::unique_violation(e),
        _ => false,
    };
    if unique {
        DbError::Duplicate(what.into())
    } else {
        e
    }
}

/// A failure of migration `version`, with the driver's cause.
fn migration_failed(version: u32, e: DbError) -> DbError {
    match e {
        DbError::Sqlite(source) => DbError::Migration { version, source },
        DbError::Postgres(source) => DbError::PostgresMigration { version, source },
        e => e,
    }
}

/// A tenant: a node of the tree, mapped onto a CloudStack domain and account.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Tenant {
    /// Id.
    pub id: String,
    /// Parent id; `None` for the platform (root) tenant.
    pub parent_id: Option<String>,
    /// Display name.
    pub name: String,
    /// Ids from the root down to this tenant, `/`-separated with a trailing `/`.
    pub path: String,
    /// The CloudStack domain id, once known.
    pub cs_domain_id: Option<String>,
    /// The CloudStack account name in that domain (`None`: the API key's own account).
    pub cs_account: Option<String>,
    /// Whether logins of its users (and of its subtree) are refused.
    pub suspended: bool,
    /// Creation time.
    pub created_at: i64,
}

impl Tenant {
    /// The path of a child of `parent` with id `id`.
    pub fn child_path(parent: &str, id: &str) -> String {
        format!("{parent}{id}/")
    }

    /// Whether `other` lies in this tenant's subtree (itself included).
    pub fn contains(&self, other: &Tenant) -> bool {
        other.path.starts_with(&self.path)
    }

    /// Depth in the tree (the platform is 0).
    pub fn depth(&self) -> usize {
        self.path.matches('/').count().saturating_sub(2)
    }
}

/// A user account.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct User {
    /// Id.
    pub id: String,
    /// Owning tenant.
    pub tenant_id: String,
    /// Login name (unique).
    pub username: String,
    /// Argon2id PHC string.
    pub password_hash: String,
    /// Role id.
    pub role_id: String,
    /// Encrypted TOTP secret when 2FA is on.
    pub totp_secret: Option<Vec<u8>>,
    /// Encrypted TOTP secret offered by setup, not yet confirmed.
    pub totp_pending: Option<Vec<u8>>,
    /// Whether 2FA is on.
    pub totp_enabled: bool,
    /// The last TOTP time step accepted (codes of this step or earlier are refused).
    pub totp_last_step: Option<i64>,
    /// Creation time.
    pub created_at: i64,
}

/// A role: a named set of permissions, built in or owned by a tenant.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Role {
    /// Id (built-in roles use their name).
    pub id: String,
    /// Owning tenant for custom roles.
    pub tenant_id: Option<String>,
    /// Name.
    pub name: String,
    /// Permissions, sorted.
    pub permissions: Vec<Permission>,
    /// Built in (not editable).
    pub builtin: bool,
}

/// A row to append to the audit log.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewAudit {
    /// When.
    pub at: i64,
    /// Acting user id, when known.
    pub actor_id: Option<String>,
    /// Acting user name (or the attempted name).
    pub actor: String,
    /// Tenant the action concerns.
    pub tenant_id: Option<String>,
    /// Action, e.g. `tenant.create`.
    pub action: String,
    /// Target (an id or a name).
    pub target: String,
    /// `ok`, `denied` or `failed: …`.
    pub result: String,
    /// The client's address, for sign-in events.
    pub ip: Option<String>,
}

/// A stored audit row.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AuditEntry {
    /// Sequence number.
    pub id: i64,
    /// The row.
    pub entry: NewAudit,
}

/// A VM in the server's cache.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CachedVm {
    /// CloudStack VM id.
    pub id: String,
    /// Owning tenant.
    pub tenant_id: String,
    /// Name.
    pub name: String,
    /// Display name.
    pub display_name: String,
    /// State (`Running`, `Stopped`…).
    pub state: String,
    /// Zone id.
    pub zone_id: String,
    /// Zone name.
    pub zone_name: String,
    /// Template id.
    pub template_id: String,
    /// Template name.
    pub template_name: String,
    /// Service offering id.
    pub service_offering_id: String,
    /// Service offering name.
    pub service_offering_name: String,
    /// vCPUs.
    pub cpu_number: i64,
    /// Memory (MiB).
    pub memory_mb: i64,
    /// First NIC's IPv4 address.
    pub ip_address: String,
    /// CloudStack creation date.
    pub created: String,
    /// When this row was fetched.
    pub synced_at: i64,
}

/// Everything a request needs to know about its session, read in one step.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SessionContext {
    /// The user.
    pub user: User,
    /// Their tenant.
    pub tenant: Tenant,
    /// Their role.
    pub role: Role,
    /// Whether the tenant or an ancestor is suspended.
    pub suspended: bool,
}

/// Outcome of recording a failed attempt.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Throttle {
    /// Failures counted so far.
    pub failures: i64,
    /// Locked until, when the limit was reached.
    pub locked_until: Option<i64>,
    /// Whether this failure started the lock.
    pub newly_locked: bool,
}

/// Everything the server stores. Implementations must be safe to share between requests; each
/// method is one atomic step. Billing has its own trait, [`BillingStore`], which every backend
/// implements alongside this one.
#[async_trait]
pub trait Database: BillingStore + Send + Sync + 'static {
    // Tenants

    /// The root (platform) tenant, if bootstrapped.
    async fn root_tenant(&self) -> DbResult<Option<Tenant>>;
    /// Inserts a tenant.
    async fn insert_tenant(&self, tenant: &Tenant) -> DbResult<()>;
    /// One tenant.
    async fn tenant(&self, id: &str) -> DbResult<Option<Tenant>>;
    /// The subtree under `path` (itself included), ordered by path.
    async fn subtree(&self, path: &str) -> DbResult<Vec<Tenant>>;
    /// Renames a tenant.
    async fn rename_tenant(&self, id: &str, name: &str) -> DbResult<()>;
    /// Suspends or resumes a tenant.
    async fn set_tenant_suspended(&self, id: &str, suspended: bool) -> DbResult<()>;
    /// Moves the subtree at `old_path` under a new parent, rewriting every path in it.
    async fn move_tenant(
        &self,
        id: &str,
        new_parent_id: &str,
        old_path: &str,
        new_path: &str,
    ) -> DbResult<()>;
    /// Records the CloudStack domain (and account) of a tenant.
    async fn set_tenant_cloudstack(
        &self,
        id: &str,
        domain_id: &str,
        account: Option<&str>,
    ) -> DbResult<()>;
    /// Whether the tenant at `path` or any of its ancestors is suspended.
    async fn suspended_in_path(&self, path: &str) -> DbResult<bool>;

    // Users

    /// Number of users.
    async fn count_users(&self) -> DbResult<i64>;
    /// Inserts a user; a taken user name is [`DbError::Duplicate`].
    async fn insert_user(&self, user: &User) -> DbResult<()>;
    /// One user by id.
    async fn user(&self, id: &str) -> DbResult<Option<User>>;
    /// One user by login name.
    async fn user_by_name(&self, username: &str) -> DbResult<Option<User>>;
    /// Users of the tenants under `path`, by user name.
    async fn users_under(&self, path: &str) -> DbResult<Vec<User>>;
    /// Gives a user another role.
    async fn set_user_role(&self, user_id: &str, role_id: &str) -> DbResult<()>;
    /// Replaces the password hash and revokes every session of the user.
    async fn set_password(&self, user_id: &str, password_hash: &str) -> DbResult<()>;
    /// Stores (or clears) the TOTP secret offered by setup.
    async fn set_totp_pending(&self, user_id: &str, secret: Option<&[u8]>) -> DbResult<()>;
    /// Turns 2FA on with `secret`, marks `step` used and replaces the recovery codes.
    async fn enable_totp(
        &self,
        user_id: &str,
        secret: &[u8],
        step: i64,
        recovery_hashes: &[String],
    ) -> DbResult<()>;
    /// Turns 2FA off and deletes the recovery codes.
    async fn disable_totp(&self, user_id: &str) -> DbResult<()>;
    /// Marks a TOTP step used; false when it (or a later one) was used already.
    async fn claim_totp_step(&self, user_id: &str, step: i64) -> DbResult<bool>;
    /// Uses a recovery code once; false when unknown or used.
    async fn use_recovery_code(&self, user_id: &str, code_hash: &str, now: i64) -> DbResult<bool>;
    /// Unused recovery codes left.
    async fn recovery_codes_left(&self, user_id: &str) -> DbResult<i64>;

    // Failed password and code checks, per subject (an account name or a client address)

    /// The running locks among `subjects` at `now`, as (subject, locked until).
    async fn locks(&self, subjects: &[String], now: i64) -> DbResult<Vec<(String, i64)>>;
    /// Counts a failure of `subject` within a window of `window_secs`; at `max` failures the
    /// subject is locked until `now + lock_secs`.
    async fn record_failure(
        &self,
        subject: &str,
        now: i64,
        window_secs: i64,
        max: i64,
        lock_secs: i64,
    ) -> DbResult<Throttle>;
    /// Forgets the failures of `subject` (after a success).
    async fn clear_failures(&self, subject: &str) -> DbResult<()>;

    // Sessions and login challenges

    /// Stores a session by the hash of its token.
    async fn insert_session(
        &self,
        token_hash: &str,
        user_id: &str,
        now: i64,
        expires_at: i64,
    ) -> DbResult<()>;
    /// The user of a live session.
    async fn session_user(&self, token_hash: &str, now: i64) -> DbResult<Option<User>>;
    /// The user, tenant and role of a live session, and whether the tenant is suspended.
    async fn session_context(&self, token_hash: &str, now: i64)
    -> DbResult<Option<SessionContext>>;
    /// Revokes one session.
    async fn revoke_session(&self, token_hash: &str) -> DbResult<()>;
    /// Stores a login challenge (the step between password and TOTP code).
    async fn insert_challenge(
        &self,
        token_hash: &str,
        user_id: &str,
        expires_at: i64,
    ) -> DbResult<()>;
    /// The user of a live challenge.
    async fn challenge_user(&self, token_hash: &str, now: i64) -> DbResult<Option<String>>;
    /// Deletes a challenge.
    async fn delete_challenge(&self, token_hash: &str) -> DbResult<()>;

    // Roles

    /// Inserts a role; a taken name in the same tenant is [`DbError::Duplicate`].
    async fn insert_role(&self, role: &Role) -> DbResult<()>;
    /// Inserts or updates a built-in role.
    async fn upsert_builtin_role(&self, role: &Role) -> DbResult<()>;
    /// One role.
    async fn role(&self, id: &str) -> DbResult<Option<Role>>;
    /// Built-in roles plus the custom roles owned by the given tenants.
    async fn roles_of(&self, tenant_ids: &[String]) -> DbResult<Vec<Role>>;

    // Audit

    /// Appends an audit row.
    async fn insert_audit(&self, entry: &NewAudit) -> DbResult<()>;
    /// Audit rows of tenants under `path`, newest first, before `before_id` when given.
    async fn audit_under(
        &self,
        path: &str,
        limit: i64,
        before_id: Option<i64>,
    ) -> DbResult<Vec<AuditEntry>>;
    /// The failed sign-ins and password or code checks of one user since `since`, newest first.
    async fn failed_auth_of(
        &self,
        user_id: &str,
        since: i64,
        limit: i64,
    ) -> DbResult<Vec<AuditEntry>>;

    // VM cache

    /// When the VMs of a tenant were last fetched.
    async fn vms_synced_at(&self, tenant_id: &str) -> DbResult<Option<i64>>;
    /// Replaces the cached VMs of a tenant.
    async fn replace_tenant_vms(&self, tenant_id: &str, vms: &[CachedVm], now: i64)
    -> DbResult<()>;
    /// Cached VMs of the tenants under `path`, by name.
    async fn vms_under(&self, path: &str) -> DbResult<Vec<CachedVm>>;
    /// One cached VM.
    async fn vm(&self, id: &str) -> DbResult<Option<CachedVm>>;
    /// Inserts or replaces one cached VM.
    async fn upsert_vm(&self, vm: &CachedVm) -> DbResult<()>;
    /// Removes one cached VM.
    async fn delete_vm(&self, id: &str) -> DbResult<()>;
}
