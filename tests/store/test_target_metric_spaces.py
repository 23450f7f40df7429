"""Migration 0017: a stored target's metric loses the whitespace the gaps ignore (review12 item 1).

The import's checks trimmed spaces only while the gaps read the metric stripped of every
whitespace character, so a ``csat`` followed by a tab at 4.2 was stored unchecked and read as
4.2% satisfied ("met"). The migration strips the stored metrics as the import now does and gives
the ``csat`` targets it uncovers 0014's rule.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import pytest

from advocacy.ingest.target_values import METRIC_SPACE_CODES, metric_name
from advocacy.store.connection import Database, connect
from advocacy.store.migrate import migrate

MIGRATION = (
    Path(__file__).parents[2]
    / "src"
    / "advocacy"
    / "store"
    / "migrations"
    / "0017_target_metric_spaces.sql"
)

ROWS = [
    ("tab-mean", "csat\t", 4.2),
    ("nbsp-cased-mean", "\u00a0CSAT\u3000", 4.5),
    ("line-share", "csat\n", 85.0),
    ("tab-nps", "\tnps", 40.0),
    ("item", " item:Reliability_Score\t", 4.0),
    ("clean-mean", "csat-mean", 4.0),
    ("clean-share", "csat", 0.85),
]


@pytest.fixture
def db(db_url: str) -> Iterator[Database]:
    database = connect(db_url)
    yield database
    database.close()


def test_stored_metrics_are_stripped_and_uncovered_csat_means_renamed(db: Database) -> None:
    migrate(db, target=16)  # a workspace of this session before 0017
    for target_id, metric, value in ROWS:
        db.execute(
            "INSERT INTO targets (target_id, metric, scope, desired_value) VALUES (?, ?, ?, ?)",
            [target_id, metric, "all", value],
        )

    assert 17 in migrate(db)

    stored = dict(db.fetchall("SELECT target_id, metric FROM targets"))
    assert stored == {
        "tab-mean": "csat-mean",
        "nbsp-cased-mean": "csat-mean",
        "line-share": "csat",
        "tab-nps": "nps",
        "item": "item:Reliability_Score",
        "clean-mean": "csat-mean",
        "clean-share": "csat",
    }
    for target_id, metric, _ in ROWS:  # what the gaps read is unchanged but for 0014's rule
        if stored[target_id] != "csat-mean":
            assert metric_name(stored[target_id]) == metric_name(metric)


def test_the_migration_strips_the_characters_metric_name_strips() -> None:
    codes = {int(code) for code in re.findall(r"chr\((\d+)\)", MIGRATION.read_text("utf-8"))}
    assert codes == set(METRIC_SPACE_CODES)
    assert codes == {code for code in range(0x110000) if chr(code).isspace()}
