-- 0012: advocacy asks (issue #21). An ask campaign asks chosen customers to act (refer a friend,
-- review on a named site, be a reference, join a community) and holds out a random control group
-- that is not asked, so its results measure what asking caused.
-- ask_campaigns: the campaign as data (audience, action, channel, targets, guards, holdout,
--   seed, final analysis size, reward rule) in `definition`.
-- ask_members: every customer the campaign assigned, to arm 'ask' or 'control', with when; for
--   the ask arm, when and how they were asked (asked_at, the outbox message).
-- ask_events: what the tracked links recorded: a click (with the named target), a prompt
--   shown on the survey's thank-you page, a referral from the landing page (with consent).
-- ask_rewards: rewards exported for payment, so none is exported twice.
-- Portable SQL: runs unchanged on DuckDB and PostgreSQL.

CREATE TABLE ask_campaigns (
    campaign_id TEXT NOT NULL,
    name TEXT NOT NULL,
    definition JSON NOT NULL,
    active BOOLEAN NOT NULL,
    created_at TIMESTAMPTZ NOT NULL,
    created_by TEXT NOT NULL,
    updated_at TIMESTAMPTZ NOT NULL
);

CREATE TABLE ask_members (
    campaign_id TEXT NOT NULL,
    customer_id TEXT NOT NULL,
    arm TEXT NOT NULL,
    channel TEXT NOT NULL,
    assigned_at TIMESTAMPTZ NOT NULL,
    asked_at TIMESTAMPTZ,
    message_id TEXT
);

CREATE TABLE ask_events (
    event_id TEXT NOT NULL,
    campaign_id TEXT NOT NULL,
    customer_id TEXT,
    kind TEXT NOT NULL,
    target TEXT,
    referral_id TEXT,
    occurred_at TIMESTAMPTZ NOT NULL,
    detail JSON
);

CREATE TABLE ask_rewards (
    reward_id TEXT NOT NULL,
    campaign_id TEXT NOT NULL,
    beneficiary TEXT NOT NULL,
    customer_id TEXT,
    referral_id TEXT,
    trigger TEXT NOT NULL,
    amount DOUBLE PRECISION NOT NULL,
    currency TEXT,
    exported_at TIMESTAMPTZ NOT NULL,
    exported_by TEXT NOT NULL
);

CREATE INDEX ask_members_customer ON ask_members (customer_id, assigned_at);
-- One assignment per customer and campaign, whatever two sends at once would do.
CREATE UNIQUE INDEX ask_members_campaign ON ask_members (campaign_id, customer_id);
CREATE INDEX ask_events_campaign ON ask_events (campaign_id, kind)
