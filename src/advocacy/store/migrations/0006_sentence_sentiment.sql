-- 0006: sentiment per sentence (issue #4: "per document and per sentence"). One row per sentence
-- of every analysed document. The sentence is located by character offsets into the document's
-- text (start_offset inclusive, end_offset exclusive, Python string indices), so no second copy
-- of the unredacted text is stored; readers slice the text they already have and redact it.
-- `advocacy text analyze` replaces a document's rows whenever it re-analyses that document.

CREATE TABLE text_sentences (
    document_kind TEXT NOT NULL,
    document_id TEXT NOT NULL,
    sentence_index INTEGER NOT NULL,
    start_offset INTEGER NOT NULL,
    end_offset INTEGER NOT NULL,
    sentiment TEXT NOT NULL,
    sentiment_score DOUBLE PRECISION NOT NULL,
    model TEXT NOT NULL,
    analysed_at TIMESTAMPTZ NOT NULL
);

CREATE INDEX text_sentences_document ON text_sentences (document_kind, document_id);

-- The emotions a document is labelled with (multi-label: each emotion whose score reaches its
-- threshold, see advocacy.text.emotion), joined by ";". The scores stay in text_features.emotions.
ALTER TABLE text_features ADD COLUMN emotion_labels TEXT;
