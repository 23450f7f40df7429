-- 0007: API token ids independent of the token secrets.
-- Ids used to be the first 8 characters of the secret, so lists and the audit log showed part
-- of it. Each token gets a random id (12 hex digits of a random UUID, as new tokens get from
-- secrets.token_hex(6)), and the audit entries about tokens follow. The secrets are untouched:
-- tokens are looked up by their SHA-256 digest and keep working. Portable SQL (DuckDB and
-- PostgreSQL 13+, both of which have gen_random_uuid).

CREATE TABLE token_id_changes AS
SELECT token_id AS old_id, substr(replace(CAST(gen_random_uuid() AS TEXT), '-', ''), 1, 12) AS new_id
FROM api_tokens;

UPDATE audit_log SET target = (
    SELECT new_id FROM token_id_changes WHERE old_id = audit_log.target
)
WHERE substr(action, 1, 6) = 'token.' AND target IN (SELECT old_id FROM token_id_changes);

UPDATE api_tokens SET token_id = (
    SELECT new_id FROM token_id_changes WHERE old_id = api_tokens.token_id
);

DROP TABLE token_id_changes
