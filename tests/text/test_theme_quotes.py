"""``ws.text.theme_quotes``: per theme and sentiment, the strongest sentences, one per customer,
redacted; the text page's theme cards quote them."""

from __future__ import annotations

import csv
from pathlib import Path

import advocacy
from advocacy.text.catalogue import assign_taxonomy
from advocacy.text.enrich import analyze_workspace
from advocacy.text.taxonomy import Taxonomy, TaxonomyTheme

COMMENTS = [
    "The refund was a disaster, I spoke to Dr Jones three times and still nothing.",
    "The refund was a disaster, I spoke to Dr Jones three times and still nothing.",
    "My refund never arrived and nobody answers the phone, awful.",
    "Terrible refund process, I gave up.",
    "The refund was in my account two days later, brilliant.",
    "Lovely staff, the refund was quick and friendly.",
]


def test_quotes_follow_their_label_one_per_document_redacted(
    duckdb_url: str, tmp_path: Path
) -> None:
    path = tmp_path / "responses.csv"
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(["response_id", "submitted_at", "nps", "comment"])
        for index, comment in enumerate(COMMENTS):
            writer.writerow([f"R{index}", "2024-03-01T10:00:00Z", 5, comment])
    with advocacy.open(duckdb_url) as ws:
        ws.import_file(path, kind="responses")
        analyze_workspace(ws.db, calibrate=False)
        assign_taxonomy(
            ws.db, Taxonomy(themes=(TaxonomyTheme(name="Refunds", keywords=("refund",)),))
        )
        quotes = ws.text.theme_quotes(count=2)
        labels = {
            (str(kind), str(document), int(start)): str(label)
            for kind, document, start, label in ws.db.fetchall(
                "SELECT document_kind, document_id, start_offset, sentiment FROM text_sentences"
            )
        }
        by_document = {
            (str(kind), str(document)): {
                label for (k, d, _), label in labels.items() if (k, d) == (str(kind), str(document))
            }
            for kind, document, _ in labels
        }
    assert not quotes.empty
    for row in quotes.itertuples():
        # Each quote is a sentence of its document that carries the label it is listed under.
        assert row.sentiment in by_document[(row.document_kind, row.document_id)]
    for _, group in quotes.groupby(["theme_id", "sentiment"]):
        assert len(group) <= 2
        assert group["document_id"].is_unique  # two quotes are two customers
        assert group["sentence"].str.casefold().is_unique  # never the same words twice
        assert list(group["rank"]) == list(range(1, len(group) + 1))
    assert not quotes["sentence"].str.contains("Jones").any()
    negative = quotes[quotes["sentiment"] == "negative"]
    assert len(negative) == 2
