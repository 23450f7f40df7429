-- 0013: customer aliases. A customer known only by an e-mail address (`email:…`, a placeholder a
-- survey created) that is merged into the company's customer with that address
-- (store/customer_merge.py) leaves a row here, written in the merge's transaction:
-- alias_id: the id that was merged away (deleted from customers, but still signed into links
--   and invitations already sent, named by audit entries and earlier exports);
-- customer_id: the customer it became (moved again if that one is merged in turn);
-- email_key: the comparison key of the placeholder's address (ingest/email_identity.py), so a
--   later import of an answer from that address ties to the same customer even after the
--   customer's own address changed;
-- merged_at, import_id: when, and by which import.
-- Portable SQL: runs unchanged on DuckDB and PostgreSQL.

CREATE TABLE customer_aliases (
    alias_id TEXT NOT NULL,
    customer_id TEXT NOT NULL,
    email_key TEXT,
    merged_at TIMESTAMPTZ NOT NULL,
    import_id TEXT
);
