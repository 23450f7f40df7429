-- 0018: the taxonomy a workspace remembers, so that `text analyze` keeps its curated themes
-- current as new texts arrive (issue #17). At most one row: the taxonomy last assigned (by
-- `text analyze --taxonomy FILE` or `text assign-themes`), replaced at each assignment.
-- `themes` is the validated taxonomy as JSON (the YAML file's `themes` list, each theme's
-- name, description, keywords, examples and parent: words only, never code), read back
-- through the same validation; `threshold` the similarity it was assigned with; `source` the
-- file it came from, as given (shown, never opened again: an edit of the file takes effect
-- when it is assigned again). See advocacy.text.taxonomy_store.
-- Portable SQL: runs unchanged on DuckDB and PostgreSQL.
CREATE TABLE text_taxonomy (
    themes TEXT NOT NULL,
    threshold DOUBLE PRECISION NOT NULL,
    source TEXT NOT NULL,
    remembered_at TIMESTAMPTZ NOT NULL
);
