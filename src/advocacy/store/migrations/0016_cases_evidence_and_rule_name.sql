-- 0016: one case per piece of evidence, kept by a unique index.
-- The openers already leave out evidence that has a case (loop/cases/opening.py), but two
-- writers that chose their cases before either committed (two Workspace objects on one DuckDB
-- file in one process, review9 item 7) could both open one. The index makes the later writer
-- fail instead; the openers then choose again and count that evidence as already open.
-- Existing duplicates (evidence with several cases) are merged into one case, not deleted:
-- the case kept is the one furthest along (closed, resolved, contacted, new), then the one
-- changed last, then the first opened, then the smallest id; the others' timeline entries and
-- survey invitations move to it, its timeline gains a note naming each case merged into it
-- with that case's own rule, status, owner, escalation, first contact, root cause and action
-- (fields the kept case does not carry), and the merged rows are removed (their ids stay in the audit log and sent notifications).
-- Copies with the same id (the same rule twice) already share their timeline: one row stays.
-- Also: the shipped `angry-mention` rule, stored under its old name "Angry public mention",
-- takes the name it ships with now (it opens on negative or complaint readings, anger off);
-- a name the workspace gave it is kept. Its id stays, so its cases and rule files still match.
-- Portable SQL: runs unchanged on DuckDB and PostgreSQL.

CREATE TABLE case_kept_0016 AS
SELECT DISTINCT ON (evidence_kind, evidence_id) *
FROM cases
WHERE EXISTS (
    SELECT 1 FROM cases other
    WHERE other.evidence_kind = cases.evidence_kind
      AND other.evidence_id = cases.evidence_id
    GROUP BY other.evidence_kind, other.evidence_id
    HAVING count(*) > 1
)
ORDER BY
    evidence_kind,
    evidence_id,
    CASE status
        WHEN 'closed' THEN 4 WHEN 'resolved' THEN 3 WHEN 'contacted' THEN 2 ELSE 1
    END DESC,
    updated_at DESC,
    opened_at,
    case_id;

CREATE TABLE case_copies_0016 AS
SELECT DISTINCT copy.case_id AS case_id, kept.case_id AS kept_id
FROM cases copy
JOIN case_kept_0016 kept
  ON kept.evidence_kind = copy.evidence_kind AND kept.evidence_id = copy.evidence_id
WHERE copy.case_id <> kept.case_id;

UPDATE case_events
SET case_id = (SELECT kept_id FROM case_copies_0016 c WHERE c.case_id = case_events.case_id)
WHERE case_id IN (SELECT case_id FROM case_copies_0016);

UPDATE survey_invitations
SET case_id = (SELECT kept_id FROM case_copies_0016 c WHERE c.case_id = survey_invitations.case_id)
WHERE case_id IN (SELECT case_id FROM case_copies_0016);

INSERT INTO case_events
    (event_id, case_id, occurred_at, actor, kind, from_status, to_status, text, detail)
SELECT
    'merged-0016-' || copy.case_id,
    copy.kept_id,
    CURRENT_TIMESTAMP,
    'migration 0016',
    'note',
    NULL,
    NULL,
    'Case ' || copy.case_id || ' had been opened on the same evidence: it was merged into this '
        || 'case, with its timeline. It was: rule ' || merged.rule_id
        || ', status ' || merged.status
        || ', owner ' || coalesce(merged.owner, 'none')
        || ', escalation level ' || CAST(merged.escalation_level AS TEXT)
        || ', first contact ' || coalesce(CAST(merged.first_contact_at AS TEXT), 'none')
        || ', root cause ' || coalesce(merged.root_cause, 'none')
        || ', action taken ' || coalesce(merged.action_taken, 'none') || '.',
    NULL
FROM case_copies_0016 copy
JOIN (
    -- one row per merged id (copies of one id, the same rule twice, are one case)
    SELECT DISTINCT ON (case_id) *
    FROM cases
    ORDER BY case_id, updated_at DESC
) merged ON merged.case_id = copy.case_id;

-- DuckDB cannot build a unique index in the transaction that deleted the rows it would
-- refuse, so the table is written again: the cases without duplicates and the ones kept.
CREATE TABLE cases_0016 (
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

INSERT INTO cases_0016
SELECT * FROM cases
WHERE NOT EXISTS (
    SELECT 1 FROM case_kept_0016 kept
    WHERE kept.evidence_kind = cases.evidence_kind AND kept.evidence_id = cases.evidence_id
);

INSERT INTO cases_0016 SELECT * FROM case_kept_0016;

DROP TABLE cases;

ALTER TABLE cases_0016 RENAME TO cases;

DROP TABLE case_copies_0016;

DROP TABLE case_kept_0016;

CREATE INDEX cases_customer ON cases (customer_id);

CREATE UNIQUE INDEX cases_evidence ON cases (evidence_kind, evidence_id);

UPDATE case_rules SET name = 'Negative or complaining public mention'
WHERE rule_id = 'angry-mention' AND name = 'Angry public mention';
