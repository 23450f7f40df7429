-- 0020: the kept theme readings (0019) keep the static embedder's rows of each sentence's word
-- pieces instead of float32 vectors: the sums of those rows are the same vectors to the bit,
-- in a fourteenth of the space (0.4 instead of 5.7 MB per 1,000 reviews of 60 words). The
-- rows kept under 0019 are dropped, not converted: those documents are simply read again at
-- the next assignment (never mixed with rows of another format or model).
-- `sentences` holds each sentence's start and end in the text and how many rows its pieces
-- have (little-endian int32 triples), `tokens` those rows (int32), sentence by sentence, and
-- `text_tokens` the text's own rows when they are not those of its sentences (NULL: they are;
-- a text longer than the sentences read, or cut into words otherwise at a sentence's edge).
-- `reader` names the embedder, a digest of its model files and the reading's format. `hits`
-- and `keywords` as in 0019 (only they change under another taxonomy). Numbers only, never
-- text. See advocacy.text.theme_reading_store. Portable SQL: DuckDB reads BYTEA as its BLOB.
DROP TABLE text_theme_readings;
CREATE TABLE text_theme_readings (
    document_kind TEXT NOT NULL,
    document_id TEXT NOT NULL,
    text_hash TEXT NOT NULL,
    language TEXT,
    reader TEXT NOT NULL,
    sentences BYTEA NOT NULL,
    tokens BYTEA NOT NULL,
    text_tokens BYTEA,
    keywords TEXT NOT NULL,
    hits BYTEA NOT NULL,
    read_at TIMESTAMPTZ NOT NULL
);
