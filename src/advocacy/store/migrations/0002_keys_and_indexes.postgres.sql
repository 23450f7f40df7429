-- 0002: keys and look-up indexes on PostgreSQL (DuckDB scans columnar data fast enough).

CREATE UNIQUE INDEX customers_key ON customers (customer_id);
CREATE UNIQUE INDEX responses_key ON responses (response_id);
CREATE UNIQUE INDEX response_items_key ON response_items (response_id, item, kind);
CREATE UNIQUE INDEX interactions_key ON interactions (interaction_id);
CREATE UNIQUE INDEX mentions_key ON mentions (mention_id);
CREATE UNIQUE INDEX notes_key ON notes (note_id);
CREATE UNIQUE INDEX referrals_key ON referrals (referral_id);
CREATE UNIQUE INDEX transactions_key ON transactions (transaction_id);
CREATE UNIQUE INDEX employees_key ON employees (employee_id);
CREATE UNIQUE INDEX employee_responses_key ON employee_responses (employee_response_id);
CREATE UNIQUE INDEX employee_response_items_key ON employee_response_items (employee_response_id, item, kind);
CREATE UNIQUE INDEX targets_key ON targets (target_id);
CREATE INDEX responses_submitted_at ON responses (submitted_at);
CREATE INDEX responses_customer_id ON responses (customer_id);
CREATE INDEX interactions_customer_id ON interactions (customer_id);
CREATE INDEX transactions_customer_id ON transactions (customer_id);
CREATE INDEX mentions_customer_id ON mentions (customer_id);
CREATE INDEX referrals_referrer_id ON referrals (referrer_id);
CREATE INDEX quarantine_import_id ON quarantine (import_id);
