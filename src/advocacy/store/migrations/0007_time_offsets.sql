-- 0007: keep each timestamp's UTC offset as the source wrote it (issue #16: "Timestamps come out
-- in UTC and the original offset is gone"). TIMESTAMPTZ on both engines stores the instant only,
-- so `time_offsets` holds, per timestamp field, the offset written in the source ('+02:00') or,
-- for a value written without one, the IANA zone it was read in ('UTC', 'Europe/Berlin').
-- An offset of +00:00 (or Z) is stored as no entry, so UTC data costs nothing; rows imported
-- before this migration have none either, and both export in UTC.

ALTER TABLE customers ADD COLUMN time_offsets JSON;
ALTER TABLE responses ADD COLUMN time_offsets JSON;
ALTER TABLE response_items ADD COLUMN time_offsets JSON;
ALTER TABLE interactions ADD COLUMN time_offsets JSON;
ALTER TABLE mentions ADD COLUMN time_offsets JSON;
ALTER TABLE notes ADD COLUMN time_offsets JSON;
ALTER TABLE referrals ADD COLUMN time_offsets JSON;
ALTER TABLE transactions ADD COLUMN time_offsets JSON;
ALTER TABLE employees ADD COLUMN time_offsets JSON;
ALTER TABLE employee_responses ADD COLUMN time_offsets JSON;
ALTER TABLE employee_response_items ADD COLUMN time_offsets JSON;
ALTER TABLE targets ADD COLUMN time_offsets JSON;
