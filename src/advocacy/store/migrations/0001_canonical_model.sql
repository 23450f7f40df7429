-- 0001: the canonical customer-evidence model of DESIGN.md and the import ledger.
-- Portable SQL: runs unchanged on DuckDB and PostgreSQL. Keys are enforced by the importer's
-- upsert (and by unique indexes on PostgreSQL, migration 0002), not by constraints here,
-- because DuckDB's unique indexes slow bulk loads and complicate updates.

CREATE TABLE customers (
    customer_id TEXT NOT NULL,
    name TEXT,
    email TEXT,
    phone TEXT,
    segment TEXT,
    region TEXT,
    value_tier TEXT,
    first_seen TIMESTAMPTZ,
    is_stub BOOLEAN,
    attrs JSON,
    source TEXT,
    record_hash TEXT
);

CREATE TABLE responses (
    response_id TEXT NOT NULL,
    customer_id TEXT,
    survey TEXT,
    submitted_at TIMESTAMPTZ,
    channel TEXT,
    touchpoint TEXT,
    journey_stage TEXT,
    unit TEXT,
    employee_id TEXT,
    nps BIGINT,
    csat DOUBLE PRECISION,
    csat_scale_min BIGINT,
    csat_scale_max BIGINT,
    ces DOUBLE PRECISION,
    ces_scale_min BIGINT,
    ces_scale_max BIGINT,
    comment TEXT,
    language TEXT,
    weight DOUBLE PRECISION,
    attrs JSON,
    source TEXT,
    record_hash TEXT
);

CREATE TABLE response_items (
    response_id TEXT NOT NULL,
    item TEXT NOT NULL,
    dimension TEXT,
    kind TEXT NOT NULL,
    value DOUBLE PRECISION,
    scale_min DOUBLE PRECISION,
    scale_max DOUBLE PRECISION,
    attrs JSON,
    source TEXT,
    record_hash TEXT
);

CREATE TABLE interactions (
    interaction_id TEXT NOT NULL,
    customer_id TEXT,
    occurred_at TIMESTAMPTZ,
    channel TEXT,
    touchpoint TEXT,
    journey_stage TEXT,
    unit TEXT,
    employee_id TEXT,
    outcome TEXT,
    duration_seconds DOUBLE PRECISION,
    attrs JSON,
    source TEXT,
    record_hash TEXT
);

CREATE TABLE mentions (
    mention_id TEXT NOT NULL,
    platform TEXT,
    author TEXT,
    customer_id TEXT,
    posted_at TIMESTAMPTZ,
    text TEXT,
    rating DOUBLE PRECISION,
    url TEXT,
    unit TEXT,
    brand TEXT,
    attrs JSON,
    source TEXT,
    record_hash TEXT
);

CREATE TABLE notes (
    note_id TEXT NOT NULL,
    customer_id TEXT,
    taken_at TIMESTAMPTZ,
    interviewer TEXT,
    text TEXT,
    attrs JSON,
    source TEXT,
    record_hash TEXT
);

CREATE TABLE referrals (
    referral_id TEXT NOT NULL,
    referrer_id TEXT,
    referred_customer_id TEXT,
    referred_contact TEXT,
    referred_at TIMESTAMPTZ,
    code TEXT,
    channel TEXT,
    converted_at TIMESTAMPTZ,
    first_order_value DOUBLE PRECISION,
    attrs JSON,
    source TEXT,
    record_hash TEXT
);

CREATE TABLE transactions (
    transaction_id TEXT NOT NULL,
    customer_id TEXT,
    occurred_at TIMESTAMPTZ,
    amount DOUBLE PRECISION,
    currency TEXT,
    quantity DOUBLE PRECISION,
    attrs JSON,
    source TEXT,
    record_hash TEXT
);

CREATE TABLE employees (
    employee_id TEXT NOT NULL,
    name TEXT,
    email TEXT,
    unit TEXT,
    role TEXT,
    supervisor_id TEXT,
    hired_at DATE,
    attrs JSON,
    source TEXT,
    record_hash TEXT
);

CREATE TABLE employee_responses (
    employee_response_id TEXT NOT NULL,
    employee_id TEXT,
    unit TEXT,
    submitted_at TIMESTAMPTZ,
    enps BIGINT,
    comment TEXT,
    attrs JSON,
    source TEXT,
    record_hash TEXT
);

CREATE TABLE employee_response_items (
    employee_response_id TEXT NOT NULL,
    item TEXT NOT NULL,
    kind TEXT NOT NULL,
    value DOUBLE PRECISION,
    scale_min DOUBLE PRECISION,
    scale_max DOUBLE PRECISION,
    attrs JSON,
    source TEXT,
    record_hash TEXT
);

CREATE TABLE targets (
    target_id TEXT NOT NULL,
    metric TEXT,
    scope TEXT,
    desired_value DOUBLE PRECISION,
    due DATE,
    attrs JSON,
    source TEXT,
    record_hash TEXT
);

CREATE TABLE imports (
    import_id TEXT NOT NULL,
    file TEXT NOT NULL,
    sha256 TEXT NOT NULL,
    kind TEXT NOT NULL,
    file_format TEXT,
    source_format TEXT,
    encoding TEXT,
    rows_read BIGINT,
    rows_loaded BIGINT,
    rows_updated BIGINT,
    rows_unchanged BIGINT,
    rows_quarantined BIGINT,
    stubs_created BIGINT,
    detected JSON,
    started_at TIMESTAMPTZ NOT NULL,
    finished_at TIMESTAMPTZ
);

CREATE TABLE quarantine (
    import_id TEXT NOT NULL,
    row_number BIGINT NOT NULL,
    column_name TEXT,
    value TEXT,
    reason TEXT NOT NULL,
    record JSON
);
