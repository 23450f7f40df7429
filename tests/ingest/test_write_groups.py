"""API writes written as a group give every write the outcome it would have had alone.

Each scenario is written twice, on DuckDB and on PostgreSQL: one write after another through
``ws.write_records`` into one workspace, and all at once through ``write_group`` (one
validation pass where that is safe) into another. Every write's counts, stubs and errors, the
stored records and the import ledger must agree.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

import advocacy
from advocacy.errors import ValidationError
from advocacy.ingest.limits import InputLimits
from advocacy.ingest.write_groups import (
    BatchRejected,
    WriteOutcome,
    _checked,
    prepare_write,
    write_group,
)

LIMITS = InputLimits()

#: Distinct writes of one shape: validated in one pass; one of them has a bad record (its
#: second), one refers to a customer the workspace does not have, one has hostile text.
DISTINCT = [
    [{"response_id": "A1", "customer_id": "C1", "submitted_at": "2026-01-01T10:00:00Z", "nps": 9}],
    [
        {
            "response_id": "A2",
            "customer_id": "NEW-1",
            "submitted_at": "2026-01-02T10:00:00Z",
            "nps": 3,
        },
        {
            "response_id": "A3",
            "customer_id": "C1",
            "submitted_at": "2026-01-02 11:00",
            "nps": 10,
        },
    ],
    [
        {
            "response_id": "B1",
            "customer_id": "C2",
            "submitted_at": "2026-01-03T10:00:00Z",
            "nps": 7,
        },
        {
            "response_id": "B2",
            "customer_id": "C2",
            "submitted_at": "2026-01-03T10:00:00Z",
            "nps": 11,
        },
    ],
    [
        {
            "response_id": "A4",
            "customer_id": "NEW-1",
            "submitted_at": "2026-01-04T10:00:00Z",
            "nps": 0,
        }
    ],
    [
        {
            "response_id": '=HYPERLINK("x")',
            "customer_id": "<script>alert(1)</script>",
            "submitted_at": "2026-01-05T10:00:00Z",
            "nps": 6,
        }
    ],
]

#: Writes that touch the same records: a retry, a changed record, the same record without an
#: id twice, and dates that are not ISO 8601. Validating them together would change outcomes.
OVERLAPPING = [
    [{"response_id": "A1", "customer_id": "C1", "submitted_at": "2026-01-01T10:00:00Z", "nps": 9}],
    [{"response_id": "A1", "customer_id": "C1", "submitted_at": "2026-01-01T10:00:00Z", "nps": 9}],
    [{"response_id": "A1", "customer_id": "C1", "submitted_at": "2026-01-01T10:00:00Z", "nps": 4}],
    [{"customer_id": "C2", "nps": 5, "comment": "no id"}],
    [{"customer_id": "C2", "nps": 5, "comment": "no id"}],
    [{"response_id": "D1", "customer_id": "C3", "submitted_at": "05/10/2026", "nps": 6}],
    [{"response_id": "D2", "customer_id": "C3", "submitted_at": "30/10/2026", "nps": 6}],
]


@pytest.fixture(
    params=[pytest.param("duckdb"), pytest.param("postgres", marks=pytest.mark.postgres)]
)
def two_urls(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[tuple[str, str]]:
    """Two new, empty workspaces on one engine."""
    if request.param == "duckdb":
        yield str(tmp_path / "one.duckdb"), str(tmp_path / "two.duckdb")
        return
    server = request.getfixturevalue("postgres_server")
    urls = server.create(), server.create()
    yield urls
    for url in urls:
        server.drop(url)


def _alone(url: str, writes: list[list[dict[str, Any]]]) -> list[Any]:
    outcomes: list[Any] = []
    with advocacy.open(url) as ws:
        for records in writes:
            try:
                result = ws.write_records("responses", records, actor="api", limits=LIMITS)
            except ValidationError as error:
                errors = getattr(error, "errors", [error])
                outcomes.append([(e.row, e.column, e.value) for e in errors])
            else:
                outcomes.append(_counts(result))
    return outcomes


def _counts(result: Any) -> tuple[int, ...]:
    return (
        result.received,
        result.inserted,
        result.updated,
        result.unchanged,
        result.stubs_created,
    )


def _stored(url: str) -> tuple[list[tuple[Any, ...]], list[tuple[Any, ...]], list[tuple[Any, ...]]]:
    with advocacy.open(url) as ws:
        responses = ws.db.fetchall(
            "SELECT response_id, customer_id, submitted_at, nps, comment FROM responses ORDER BY 1"
        )
        customers = ws.db.fetchall("SELECT customer_id, is_stub FROM customers ORDER BY 1")
        ledger = ws.db.fetchall(
            "SELECT rows_read, rows_loaded, rows_updated, rows_unchanged, stubs_created "
            "FROM imports ORDER BY started_at, rows_read, rows_loaded"
        )
    return responses, customers, ledger


def _grouped(url: str, writes: list[list[dict[str, Any]]]) -> tuple[list[Any], int]:
    with advocacy.open(url) as ws:
        requests = [prepare_write("responses", w, actor="api", limits=LIMITS) for w in writes]
        passes = len(_checked(requests, timezone=ws.settings.timezone))
        outcomes = write_group(ws.db, requests, timezone=ws.settings.timezone)
    answers: list[Any] = []
    for outcome in outcomes:
        if isinstance(outcome, BatchRejected):
            answers.append([(e.row, e.column, e.value) for e in outcome.errors])
        else:
            assert isinstance(outcome, WriteOutcome)
            answers.append(_counts(outcome.result))
    return answers, passes


def test_distinct_writes_are_validated_once_and_answered_each_as_alone(
    two_urls: tuple[str, str],
) -> None:
    one, two = two_urls
    alone = _alone(one, DISTINCT)
    grouped, passes = _grouped(two, DISTINCT)
    assert passes == 1  # one validation pass for the five writes
    assert grouped == alone
    # What a client reads: its own counts, its own bad record (row 1 of its own array).
    assert grouped[0] == (1, 1, 0, 0, 1)  # C1 is new to the empty workspace: a stub
    assert grouped[1] == (2, 2, 0, 0, 1)  # NEW-1 is a stub, counted here; C1 exists by now
    assert grouped[2] == [(1, "nps", "11")]
    assert grouped[3] == (1, 1, 0, 0, 0)  # NEW-1 was made by the second write
    assert _stored(two)[:2] == _stored(one)[:2]
    # Every write that was taken has its own ledger entry with its own counts.
    assert sorted(_stored(two)[2]) == sorted(_stored(one)[2])
    assert len(_stored(two)[2]) == 4


def test_writes_of_the_same_records_are_written_one_after_another(
    two_urls: tuple[str, str],
) -> None:
    one, two = two_urls
    alone = _alone(one, OVERLAPPING)
    grouped, passes = _grouped(two, OVERLAPPING)
    assert grouped == alone
    assert passes == len(OVERLAPPING)  # none could be validated with another
    assert grouped[0] == (1, 1, 0, 0, 1)
    assert grouped[1] == (1, 0, 0, 1, 0)  # a retry changes nothing
    assert grouped[2] == (1, 0, 1, 0, 0)  # a change updates
    assert grouped[3] == (1, 1, 0, 0, 1) and grouped[4] == (1, 0, 0, 1, 0)  # no id: by content
    assert _stored(two) == _stored(one)
    responses = {row[0]: row for row in _stored(two)[0]}
    assert responses["A1"][3] == 4  # the last write of it wins, as one after another
    assert str(responses["D2"][2]).startswith("2026-10-30")  # read day-first on its own


def test_a_group_of_one_kind_only(tmp_path: Path) -> None:
    with advocacy.open(str(tmp_path / "ws.duckdb")) as ws:
        requests = [
            prepare_write("responses", [{"nps": 9}], actor="api", limits=LIMITS),
            prepare_write("notes", [{"text": "called"}], actor="api", limits=LIMITS),
        ]
        with pytest.raises(ValueError, match="one kind"):
            write_group(ws.db, requests, timezone="UTC")
