"""Small surveys without NPS for the theme-outcome tests: comments with a CSAT or a CES, the
Price/Delivery taxonomy assigned, built through the public API (import, analyze, assign)."""

from __future__ import annotations

import csv
from pathlib import Path

import advocacy

TAXONOMY = (
    "themes:\n"
    "  - name: Price\n    keywords: [price, expensive]\n"
    "  - name: Delivery\n    keywords: [shipping, courier, delivery]\n"
)
#: The comment of each kind of answer: two themes, unthemed praise, a non-answer, none.
TEXTS = {
    "price": "The price is far too high",
    "delivery": "Shipping took three weeks",
    "praise": "The app is easy to use and quick",
    "n/a": "n/a",  # a non-answer: on neither side of a theme
    "blank": "",  # no comment: on neither side
}


def answers(scores: dict[str, list[int]], day: str = "2026-03-28") -> list[tuple[str, int, str]]:
    """(comment, score, date) rows: ``scores`` by kind of answer (:data:`TEXTS`)."""
    return [(TEXTS[kind], score, day) for kind, values in scores.items() for score in values]


def survey(
    folder: Path,
    column: str,
    rows: list[tuple[str, int, str]],
    *,
    extra: str | None = None,
    url: str | None = None,
) -> str:
    """A workspace of ``rows`` with the score under ``column`` (``csat``, ``ces``, ``nps``) and
    the taxonomy assigned; ``extra`` adds that score column with 4 on every answer. ``url`` is
    the workspace's (default a DuckDB file in ``folder``)."""
    with (folder / "s.csv").open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(["comment", column, "submitted_at", *([extra] if extra else [])])
        writer.writerows((*row, *([4] if extra else [])) for row in rows)
    (folder / "taxonomy.yaml").write_text(TAXONOMY, encoding="utf-8")
    url = url or str(folder / "w.duckdb")
    with advocacy.open(url) as ws:
        ws.import_file(folder / "s.csv", kind="responses")
        ws.text.analyze()
        ws.text.assign_themes(folder / "taxonomy.yaml")
    return url
