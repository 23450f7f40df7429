-- 0003: derived text analytics (DESIGN.md "derived"): per-document features, themes, the
-- document-theme assignments and the labels users teach. Portable SQL (DuckDB and PostgreSQL).
-- document_kind is response, mention, note or employee-response; document_id is the id the
-- document was imported with. text_hash lets `advocacy text analyze` skip unchanged texts.

CREATE TABLE text_features (
    document_kind TEXT NOT NULL,
    document_id TEXT NOT NULL,
    language TEXT,
    sentiment TEXT,
    sentiment_score DOUBLE PRECISION,
    emotions JSON,
    effort DOUBLE PRECISION,
    effort_cues TEXT,
    model TEXT NOT NULL,
    text_hash TEXT NOT NULL,
    analysed_at TIMESTAMPTZ NOT NULL
);

CREATE TABLE themes (
    theme_id TEXT NOT NULL,
    name TEXT NOT NULL,
    description TEXT,
    keywords JSON,
    examples JSON,
    parent TEXT,
    origin TEXT NOT NULL,
    size BIGINT,
    sentiment_mix JSON,
    quotes JSON,
    model TEXT,
    created_at TIMESTAMPTZ NOT NULL
);

CREATE TABLE document_themes (
    document_kind TEXT NOT NULL,
    document_id TEXT NOT NULL,
    theme_id TEXT NOT NULL,
    score DOUBLE PRECISION,
    origin TEXT NOT NULL,
    model TEXT,
    assigned_at TIMESTAMPTZ NOT NULL
);

CREATE TABLE text_labels (
    document_kind TEXT NOT NULL,
    document_id TEXT NOT NULL,
    sentiment TEXT,
    theme TEXT,
    source TEXT,
    taught_at TIMESTAMPTZ NOT NULL
);

CREATE INDEX text_features_document ON text_features (document_kind, document_id);
CREATE INDEX document_themes_document ON document_themes (document_kind, document_id);
