-- 0015: each quarantined cell keeps its fix (audit4 L7). Before, the fix was only in the
-- import's notes or inside some reasons; `advocacy quarantine list`, the web Import page and
-- `quarantine export` now show it beside the reason. Entries stored before this migration have
-- none: NULL, shown as "not recorded" (their reason may still hold it in its own words).
-- Portable SQL: runs unchanged on DuckDB and PostgreSQL.

ALTER TABLE quarantine ADD COLUMN fix TEXT;
