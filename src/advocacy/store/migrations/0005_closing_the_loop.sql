-- 0005: closing the loop. Case rules and the cases they open, each case's events (notes, status
-- changes, escalations), action plans (initiatives) with their metric's baseline, hosted surveys with their
-- invitations (signed links, contact-frequency guard) and the notification outbox.
-- Users gain an e-mail address, where case notifications go.
-- Portable SQL: runs unchanged on DuckDB and PostgreSQL. JSON columns hold small documents.

CREATE TABLE case_rules (
    rule_id TEXT NOT NULL,
    name TEXT NOT NULL,
    trigger TEXT NOT NULL,
    params JSON,
    routes JSON,
    default_owner TEXT,
    due_hours DOUBLE PRECISION NOT NULL,
    escalate_after_hours DOUBLE PRECISION,
    escalate_to TEXT,
    priority TEXT,
    enabled BOOLEAN NOT NULL,
    updated_at TIMESTAMPTZ NOT NULL,
    updated_by TEXT
);

CREATE TABLE cases (
    case_id TEXT NOT NULL,
    rule_id TEXT NOT NULL,
    customer_id TEXT,
    evidence_kind TEXT NOT NULL,
    evidence_id TEXT NOT NULL,
    unit TEXT,
    touchpoint TEXT,
    theme TEXT,
    employee_id TEXT,
    owner TEXT,
    status TEXT NOT NULL,
    priority TEXT,
    summary TEXT,
    opened_at TIMESTAMPTZ NOT NULL,
    due_at TIMESTAMPTZ NOT NULL,
    first_contact_at TIMESTAMPTZ,
    resolved_at TIMESTAMPTZ,
    closed_at TIMESTAMPTZ,
    escalated_at TIMESTAMPTZ,
    escalation_level BIGINT NOT NULL,
    root_cause TEXT,
    action_taken TEXT,
    baseline_nps BIGINT,
    updated_at TIMESTAMPTZ NOT NULL
);

CREATE TABLE case_events (
    event_id TEXT NOT NULL,
    case_id TEXT NOT NULL,
    occurred_at TIMESTAMPTZ NOT NULL,
    actor TEXT NOT NULL,
    kind TEXT NOT NULL,
    from_status TEXT,
    to_status TEXT,
    text TEXT,
    detail JSON
);

CREATE TABLE initiatives (
    initiative_id TEXT NOT NULL,
    title TEXT NOT NULL,
    description TEXT,
    link_kind TEXT NOT NULL,
    link_ref TEXT NOT NULL,
    owner TEXT,
    resources JSON,
    effort TEXT,
    status TEXT NOT NULL,
    metric TEXT NOT NULL,
    metric_filter JSON,
    target_value DOUBLE PRECISION,
    starts_on DATE NOT NULL,
    due_on DATE,
    baseline_days BIGINT NOT NULL,
    baseline JSON,
    created_at TIMESTAMPTZ NOT NULL,
    created_by TEXT NOT NULL,
    updated_at TIMESTAMPTZ NOT NULL
);

CREATE TABLE surveys (
    survey_id TEXT NOT NULL,
    title TEXT NOT NULL,
    company TEXT,
    intro TEXT,
    nps_question TEXT,
    csat_question TEXT,
    ces_question TEXT,
    comment_prompt TEXT,
    thanks TEXT,
    touchpoint TEXT,
    unit TEXT,
    channel TEXT,
    anonymous_allowed BOOLEAN NOT NULL,
    active BOOLEAN NOT NULL,
    created_at TIMESTAMPTZ NOT NULL,
    updated_at TIMESTAMPTZ NOT NULL
);

CREATE TABLE survey_invitations (
    invitation_id TEXT NOT NULL,
    survey_id TEXT NOT NULL,
    customer_id TEXT,
    case_id TEXT,
    purpose TEXT NOT NULL,
    created_at TIMESTAMPTZ NOT NULL,
    expires_at TIMESTAMPTZ NOT NULL,
    responded_at TIMESTAMPTZ,
    response_id TEXT
);

CREATE TABLE outbox (
    message_id TEXT NOT NULL,
    channel TEXT NOT NULL,
    destination TEXT NOT NULL,
    event TEXT NOT NULL,
    subject TEXT,
    payload JSON NOT NULL,
    created_at TIMESTAMPTZ NOT NULL,
    attempts BIGINT NOT NULL,
    next_attempt_at TIMESTAMPTZ NOT NULL,
    delivered_at TIMESTAMPTZ,
    last_error TEXT,
    gave_up_at TIMESTAMPTZ
);

ALTER TABLE users ADD COLUMN email TEXT;

CREATE INDEX cases_customer ON cases (customer_id);
CREATE INDEX cases_evidence ON cases (evidence_kind, evidence_id);
CREATE INDEX case_events_case ON case_events (case_id, occurred_at);
CREATE INDEX survey_invitations_customer ON survey_invitations (customer_id, created_at);
CREATE INDEX outbox_pending ON outbox (delivered_at, next_attempt_at)
