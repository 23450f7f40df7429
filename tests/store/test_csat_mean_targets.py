"""Migration 0014: ``csat`` targets stored when ``csat`` meant the mean rating on 1-5 keep it.

Before 2026-12-06 a ``csat`` target of 4.2 was a mean rating; read today it would be 4.2% satisfied
and "met" on any real workspace (review10 item 1). The migration renames them ``csat-mean`` and
leaves shares alone.
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from advocacy.store.connection import Database, connect
from advocacy.store.migrate import migrate

ROWS = [
    ("old-mean", "csat", 4.2),
    ("old-mean-cased", "CSAT", 4.5),
    ("old-mean-top", "csat", 5.0),
    ("fraction", "csat", 0.85),
    ("all-satisfied", "csat", 1.0),
    ("percent", "csat", 85.0),
    ("nps", "nps", 4.0),
    ("already", "csat-mean", 4.0),
]


@pytest.fixture
def db(db_url: str) -> Iterator[Database]:
    database = connect(db_url)
    yield database
    database.close()


def test_old_csat_mean_targets_become_csat_mean(db: Database) -> None:
    migrate(db, target=13)
    for target_id, metric, value in ROWS:
        db.execute(
            "INSERT INTO targets (target_id, metric, scope, desired_value) VALUES (?, ?, ?, ?)",
            [target_id, metric, "all", value],
        )

    assert 14 in migrate(db)

    stored = dict(db.fetchall("SELECT target_id, metric FROM targets"))
    assert stored == {
        "old-mean": "csat-mean",
        "old-mean-cased": "csat-mean",
        "old-mean-top": "csat-mean",
        "fraction": "csat",
        "all-satisfied": "csat",
        "percent": "csat",
        "nps": "nps",
        "already": "csat-mean",
    }
    values = dict(db.fetchall("SELECT target_id, desired_value FROM targets"))
    assert values["old-mean"] == pytest.approx(4.2), "the value itself is kept"
