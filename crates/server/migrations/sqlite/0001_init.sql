-- Tenants form a tree; `path` is the chain of ids from the root, e.g. `/a1/b2/`, so a subtree is
-- every row whose path starts with the tenant's path.
CREATE TABLE tenants (
    id            TEXT PRIMARY KEY,
    parent_id     TEXT REFERENCES tenants(id),
    name          TEXT NOT NULL,
    path          TEXT NOT NULL UNIQUE,
    cs_domain_id  TEXT,
    cs_account    TEXT,
    suspended     INTEGER NOT NULL DEFAULT 0,
    created_at    INTEGER NOT NULL
);

CREATE TABLE roles (
    id           TEXT PRIMARY KEY,
    tenant_id    TEXT REFERENCES tenants(id),
    name         TEXT NOT NULL,
    permissions  TEXT NOT NULL,
    builtin      INTEGER NOT NULL DEFAULT 0,
    created_at   INTEGER NOT NULL,
    UNIQUE (tenant_id, name)
);

CREATE TABLE users (
    id                  TEXT PRIMARY KEY,
    tenant_id           TEXT NOT NULL REFERENCES tenants(id),
    username            TEXT NOT NULL UNIQUE,
    password_hash       TEXT NOT NULL,
    role_id             TEXT NOT NULL REFERENCES roles(id),
    totp_secret         BLOB,
    totp_pending        BLOB,
    totp_enabled        INTEGER NOT NULL DEFAULT 0,
    totp_last_step      INTEGER,
    failed_logins       INTEGER NOT NULL DEFAULT 0,
    locked_until        INTEGER,
    created_at          INTEGER NOT NULL
);

CREATE TABLE recovery_codes (
    user_id    TEXT NOT NULL REFERENCES users(id),
    code_hash  TEXT NOT NULL,
    used_at    INTEGER,
    PRIMARY KEY (user_id, code_hash)
);

-- Only SHA-256 hashes of session tokens and login challenges are stored.
CREATE TABLE sessions (
    token_hash  TEXT PRIMARY KEY,
    user_id     TEXT NOT NULL REFERENCES users(id),
    created_at  INTEGER NOT NULL,
    expires_at  INTEGER NOT NULL,
    revoked     INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX sessions_user ON sessions(user_id);

CREATE TABLE login_challenges (
    token_hash  TEXT PRIMARY KEY,
    user_id     TEXT NOT NULL REFERENCES users(id),
    expires_at  INTEGER NOT NULL
);

CREATE TABLE ip_failures (
    ip            TEXT PRIMARY KEY,
    failures      INTEGER NOT NULL,
    window_start  INTEGER NOT NULL,
    locked_until  INTEGER
);

CREATE TABLE audit_log (
    id          INTEGER PRIMARY KEY AUTOINCREMENT,
    at          INTEGER NOT NULL,
    actor_id    TEXT,
    actor       TEXT NOT NULL,
    tenant_id   TEXT,
    action      TEXT NOT NULL,
    target      TEXT NOT NULL,
    result      TEXT NOT NULL
);
CREATE INDEX audit_tenant ON audit_log(tenant_id, id);

CREATE TABLE vm_cache (
    id                     TEXT PRIMARY KEY,
    tenant_id              TEXT NOT NULL REFERENCES tenants(id),
    name                   TEXT NOT NULL,
    display_name           TEXT NOT NULL,
    state                  TEXT NOT NULL,
    zone_id                TEXT NOT NULL,
    zone_name              TEXT NOT NULL,
    template_id            TEXT NOT NULL,
    template_name          TEXT NOT NULL,
    service_offering_id    TEXT NOT NULL,
    service_offering_name  TEXT NOT NULL,
    cpu_number             INTEGER NOT NULL,
    memory_mb              INTEGER NOT NULL,
    ip_address             TEXT NOT NULL,
    created                TEXT NOT NULL,
    synced_at              INTEGER NOT NULL
);
CREATE INDEX vm_cache_tenant ON vm_cache(tenant_id);

CREATE TABLE vm_sync (
    tenant_id  TEXT PRIMARY KEY REFERENCES tenants(id),
    synced_at  INTEGER NOT NULL
);
