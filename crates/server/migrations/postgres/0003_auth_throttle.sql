-- One throttle for every password and code check: failures are counted per subject, where a subject is
-- an account name (`account:` + SHA-256 of the name as typed, whether or not it exists) or a
-- client address (`ip:` + the address). Replaces the per-user counters and ip_failures.
CREATE TABLE auth_failures (
    subject       TEXT PRIMARY KEY,
    failures      BIGINT NOT NULL,
    window_start  BIGINT NOT NULL,
    locked_until  BIGINT
);
DROP TABLE ip_failures;
ALTER TABLE users DROP COLUMN failed_logins;
ALTER TABLE users DROP COLUMN locked_until;

-- Where a request came from, for sign-in events.
ALTER TABLE audit_log ADD COLUMN ip TEXT;
CREATE INDEX audit_actor ON audit_log(actor_id, id);
