-- 0004: users, API tokens, browser sessions, login attempts and the audit log.
-- Portable SQL: runs unchanged on DuckDB and PostgreSQL. Secrets are never stored: passwords as
-- argon2id hashes, API tokens and session ids as SHA-256 digests of high-entropy random values.

CREATE TABLE users (
    username TEXT NOT NULL,
    role TEXT NOT NULL,
    units TEXT,
    password_hash TEXT NOT NULL,
    disabled BOOLEAN NOT NULL,
    created_at TIMESTAMPTZ NOT NULL,
    updated_at TIMESTAMPTZ NOT NULL
);

CREATE TABLE api_tokens (
    token_id TEXT NOT NULL,
    name TEXT,
    role TEXT NOT NULL,
    units TEXT,
    token_hash TEXT NOT NULL,
    created_by TEXT,
    created_at TIMESTAMPTZ NOT NULL,
    revoked_at TIMESTAMPTZ,
    last_used_at TIMESTAMPTZ
);

CREATE TABLE sessions (
    session_hash TEXT NOT NULL,
    username TEXT NOT NULL,
    csrf_token TEXT NOT NULL,
    created_at TIMESTAMPTZ NOT NULL,
    expires_at TIMESTAMPTZ NOT NULL
);

CREATE TABLE login_attempts (
    username TEXT NOT NULL,
    client TEXT,
    attempted_at TIMESTAMPTZ NOT NULL,
    succeeded BOOLEAN NOT NULL
);

CREATE TABLE audit_log (
    audit_id TEXT NOT NULL,
    occurred_at TIMESTAMPTZ NOT NULL,
    actor TEXT NOT NULL,
    action TEXT NOT NULL,
    target TEXT,
    detail TEXT
);

CREATE INDEX login_attempts_username ON login_attempts (username, attempted_at);
CREATE INDEX audit_log_occurred_at ON audit_log (occurred_at)
