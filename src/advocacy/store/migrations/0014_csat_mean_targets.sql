-- 0014: `csat` targets written as a mean rating become `csat-mean` targets.
-- Before 2026-12-06 a target on `csat` was the mean rating on 1-5; since then `csat` is the share
-- of satisfied answers in % (ingest/target_values.py), and the import refuses a `csat` value
-- above 1 up to 5, naming `csat-mean`. Targets stored before that change would otherwise be read
-- silently as a share (4.2 as 4.2% satisfied: "met"); this gives them back their meaning.
-- Which rows: metric `csat` (however cased or spelt with `_`) and 1 < desired_value <= 5. A value
-- of 0-1 is left alone: it is a share written as a fraction (a mean on 1-5 cannot be below 1,
-- and exactly 1 is 100% satisfied to the rule, nobody's mean target). Nothing else changes: a
-- later re-import of the old file is refused row by row with the fix, not re-read as a share.
-- Portable SQL: runs unchanged on DuckDB and PostgreSQL.

UPDATE targets SET metric = 'csat-mean'
WHERE replace(lower(trim(metric)), '_', '-') = 'csat'
  AND desired_value > 1 AND desired_value <= 5;
