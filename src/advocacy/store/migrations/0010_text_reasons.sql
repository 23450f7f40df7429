-- 0010: why a document has no sentiment, and its complaint signal (issue #17).
-- sentiment_reason is NULL when the document was read; otherwise 'language not supported' (its
-- detected language is one the text model does not read) or 'no content' (a survey
-- non-answer such as "n/a" or "nothing"); sentiment, sentiment_score and emotions are then NULL.
-- complaint is the text model's probability that the document is a complaint (dissatisfaction
-- that expects a response), NULL when the model gives none or the document was not read.
ALTER TABLE text_features ADD COLUMN sentiment_reason TEXT;
ALTER TABLE text_features ADD COLUMN complaint DOUBLE PRECISION;
