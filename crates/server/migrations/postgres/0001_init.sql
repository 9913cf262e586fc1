-- The same schema as migrations/sqlite/0001_init.sql, in PostgreSQL's types. Times are Unix
-- seconds (BIGINT). Text that is sorted or compared by prefix uses the "C" collation, so order
-- and prefixes are by bytes, as in SQLite, whatever the database's locale.

-- Tenants form a tree; `path` is the chain of ids from the root, e.g. `/a1/b2/`, so a subtree is
-- every row whose path starts with the tenant's path. The uniqueness of paths is checked at
-- commit, so that a move may rewrite a whole subtree in one statement.
CREATE TABLE tenants (
    id            TEXT PRIMARY KEY,
    parent_id     TEXT REFERENCES tenants(id),
    name          TEXT COLLATE "C" NOT NULL,
    path          TEXT COLLATE "C" NOT NULL,
    cs_domain_id  TEXT,
    cs_account    TEXT,
    suspended     BOOLEAN NOT NULL DEFAULT FALSE,
    created_at    BIGINT NOT NULL,
    CONSTRAINT tenants_path_key UNIQUE (path) DEFERRABLE INITIALLY DEFERRED
);

CREATE TABLE roles (
    id           TEXT PRIMARY KEY,
    tenant_id    TEXT REFERENCES tenants(id),
    name         TEXT COLLATE "C" NOT NULL,
    permissions  TEXT NOT NULL,
    builtin      BOOLEAN NOT NULL DEFAULT FALSE,
    created_at   BIGINT NOT NULL,
    UNIQUE (tenant_id, name)
);

CREATE TABLE users (
    id                  TEXT PRIMARY KEY,
    tenant_id           TEXT NOT NULL REFERENCES tenants(id),
    username            TEXT COLLATE "C" NOT NULL UNIQUE,
    password_hash       TEXT NOT NULL,
    role_id             TEXT NOT NULL REFERENCES roles(id),
    totp_secret         BYTEA,
    totp_pending        BYTEA,
    totp_enabled        BOOLEAN NOT NULL DEFAULT FALSE,
    totp_last_step      BIGINT,
    failed_logins       BIGINT NOT NULL DEFAULT 0,
    locked_until        BIGINT,
    created_at          BIGINT NOT NULL
);

CREATE TABLE recovery_codes (
    user_id    TEXT NOT NULL REFERENCES users(id),
    code_hash  TEXT NOT NULL,
    used_at    BIGINT,
    PRIMARY KEY (user_id, code_hash)
);

-- Only SHA-256 hashes of session tokens and login challenges are stored.
CREATE TABLE sessions (
    token_hash  TEXT PRIMARY KEY,
    user_id     TEXT NOT NULL REFERENCES users(id),
    created_at  BIGINT NOT NULL,
    expires_at  BIGINT NOT NULL,
    revoked     BOOLEAN NOT NULL DEFAULT FALSE
);
CREATE INDEX sessions_user ON sessions(user_id);

CREATE TABLE login_challenges (
    token_hash  TEXT PRIMARY KEY,
    user_id     TEXT NOT NULL REFERENCES users(id),
    expires_at  BIGINT NOT NULL
);
CREATE INDEX login_challenges_user ON login_challenges(user_id);

CREATE TABLE ip_failures (
    ip            TEXT PRIMARY KEY,
    failures      BIGINT NOT NULL,
    window_start  BIGINT NOT NULL,
    locked_until  BIGINT
);

CREATE TABLE audit_log (
    id          BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    at          BIGINT NOT NULL,
    actor_id    TEXT,
    actor       TEXT NOT NULL,
    tenant_id   TEXT,
    action      TEXT NOT NULL,
    target      TEXT NOT NULL,
    result      TEXT NOT NULL
);
CREATE INDEX audit_tenant ON audit_log(tenant_id, id);

CREATE TABLE vm_cache (
    id                     TEXT COLLATE "C" PRIMARY KEY,
    tenant_id              TEXT NOT NULL REFERENCES tenants(id),
    name                   TEXT COLLATE "C" NOT NULL,
    display_name           TEXT NOT NULL,
    state                  TEXT NOT NULL,
    zone_id                TEXT NOT NULL,
    zone_name              TEXT NOT NULL,
    template_id            TEXT NOT NULL,
    template_name          TEXT NOT NULL,
    service_offering_id    TEXT NOT NULL,
    service_offering_name  TEXT NOT NULL,
    cpu_number             BIGINT NOT NULL,
    memory_mb              BIGINT NOT NULL,
    ip_address             TEXT NOT NULL,
    created                TEXT NOT NULL,
    synced_at              BIGINT NOT NULL
);
CREATE INDEX vm_cache_tenant ON vm_cache(tenant_id);

CREATE TABLE vm_sync (
    tenant_id  TEXT PRIMARY KEY REFERENCES tenants(id),
    synced_at  BIGINT NOT NULL
);
