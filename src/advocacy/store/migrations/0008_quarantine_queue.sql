-- 0008: quarantine as a work queue (issue #16). An entry stays in the table once a later import
-- loads its record: it is marked resolved (when, by which import, how) instead of deleted, so
-- `advocacy quarantine list --all` shows what was fixed. `record_key` is the record's own key as
-- the source gave it (NULL when the source had none), so the import that loads the fixed record
-- finds the entries it resolves.

ALTER TABLE quarantine ADD COLUMN record_key TEXT;
ALTER TABLE quarantine ADD COLUMN resolved_at TIMESTAMPTZ;
ALTER TABLE quarantine ADD COLUMN resolved_by TEXT;
ALTER TABLE quarantine ADD COLUMN resolution TEXT;
