-- 0019: each document's theme reading, kept so that assigning a taxonomy again (the remembered
-- one after `text analyze`, or `text assign-themes`) reads only the documents that are new,
-- changed, of another detected language or read by another embedder (issue #17). One row per
-- document, replaced when it is read again and deleted with the document (at the next
-- assignment). `text_hash`, `language` and `reader` (the embedder's name and the reading's
-- format) say what was read; `sentences` holds each sentence's start and end in the text
-- (little-endian int32 pairs), `embedding` the text's embedding and `vectors` those of its
-- sentences read for meaning when it has more than one (little-endian float32: the exact
-- numbers, so the themes are the same as reading the text again), and `hits` the (sentence,
-- theme) pairs of the seed keywords found of the taxonomy whose digest `keywords` holds.
-- Numbers only, never text. See advocacy.text.theme_reading_store.
-- Portable SQL: DuckDB reads BYTEA as its BLOB.
CREATE TABLE text_theme_readings (
    document_kind TEXT NOT NULL,
    document_id TEXT NOT NULL,
    text_hash TEXT NOT NULL,
    language TEXT,
    reader TEXT NOT NULL,
    sentences BYTEA NOT NULL,
    embedding BYTEA NOT NULL,
    vectors BYTEA NOT NULL,
    keywords TEXT NOT NULL,
    hits BYTEA NOT NULL,
    read_at TIMESTAMPTZ NOT NULL
);
