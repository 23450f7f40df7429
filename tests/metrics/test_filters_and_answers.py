"""Filters on the scores (``where=``) and the answers behind a score (``ws.metrics.answers``),
on a real DuckDB file and a real PostgreSQL server."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

import advocacy
from advocacy.access import Principal, Role
from advocacy.errors import UsageError
from advocacy.metrics.rollup import MetricsRequest
from advocacy.workspace import Workspace

CUSTOMERS = [
    {"customer_id": "c1", "segment": "household"},
    {"customer_id": "c2", "segment": "small business"},
]
RESPONSES = [
    {
        "response_id": "n1",
        "customer_id": "c1",
        "submitted_at": "2024-01-10T09:00:00Z",
        "unit": "North",
        "channel": "web",
        "nps": 10,
        "comment": "Great <b>staff</b>",
    },
    {
        "response_id": "n2",
        "customer_id": "c2",
        "submitted_at": "2024-01-20T09:00:00Z",
        "unit": "North",
        "channel": "email",
        "nps": 9,
        "comment": "  ",
    },
    {
        "response_id": "n3",
        "customer_id": "c1",
        "submitted_at": "2024-02-05T09:00:00Z",
        "unit": "North",
        "channel": "web",
        "nps": 3,
        "comment": '=HYPERLINK("x")',
    },
    {
        "response_id": "s1",
        "customer_id": "c2",
        "submitted_at": "2024-01-15T09:00:00Z",
        "unit": "South",
        "channel": "web",
        "nps": 2,
    },
    {
        "response_id": "s2",
        "submitted_at": "2024-02-15T09:00:00Z",
        "unit": "South",
        "channel": "phone",
        "nps": 7,
        "csat": 4,
    },
]


@pytest.fixture
def ws(db_url: str, tmp_path: Path) -> Iterator[Workspace]:
    customers = tmp_path / "customers.csv"
    customers.write_text(
        "customer_id,segment\n"
        + "".join(f"{row['customer_id']},{row['segment']}\n" for row in CUSTOMERS),
        encoding="utf-8",
    )
    with advocacy.open(db_url) as workspace:
        workspace.import_file(customers, kind="customers")
        workspace.write_records("responses", RESPONSES)
        yield workspace


def test_a_filter_keeps_the_same_answers_as_the_slice_it_names(ws: Workspace) -> None:
    by_unit = ws.metrics.scores("nps", by="unit", min_n=1).set_index("unit")
    north = ws.metrics.scores("nps", where={"unit": ["North"]}, min_n=1).iloc[0]
    assert north["n"] == by_unit.loc["North", "n"] == 3
    assert north["score"] == pytest.approx(by_unit.loc["North", "score"])
    # A customer dimension filters through the customer; answers without one drop out.
    household = ws.metrics.scores("nps", by="unit", where={"segment": ["household"]}, min_n=1)
    assert household.set_index("unit")["n"].to_dict() == {"North": 2}
    both = ws.metrics.scores("nps", where={"unit": ["North", "South"], "channel": ["web"]})
    assert int(both.iloc[0]["n"]) == 3
    # Nothing matches: no answers, not an error.
    none = ws.metrics.scores("nps", where={"unit": ["West"]})
    assert int(none.iloc[0]["n"]) == 0
    # The answers without a value are reached as "(not set)", as the slice names them.
    unset = ws.metrics.scores("nps", where={"segment": ["(not set)"]}, min_n=1)
    assert int(unset.iloc[0]["n"]) == 1


def test_a_batch_under_a_filter_gives_what_each_filtered_call_gives(ws: Workspace) -> None:
    where = {"channel": ["web", "email"]}
    requests = [MetricsRequest(("nps",), by=("unit",)), MetricsRequest(("nps",), period="month")]
    together = ws.metrics.scores_batch(requests, where=where)
    assert together[0].set_index("unit")["n"].to_dict() == {"North": 3, "South": 1}
    alone = ws.metrics.scores("nps", period="month", where=where)
    assert together[1]["n"].tolist() == alone["n"].tolist() == [3, 1]


def test_bad_filters_are_refused_with_the_fix(ws: Workspace) -> None:
    with pytest.raises(UsageError, match="unknown dimension") as error:
        ws.metrics.scores("nps", where={"colour": ["red"]})
    assert "unit" in (error.value.fix or "")
    with pytest.raises(UsageError, match="eNPS cannot be sliced"):
        ws.metrics.scores("enps", where={"segment": ["household"]})
    with pytest.raises(UsageError, match="too many values"):
        ws.metrics.scores("nps", where={"unit": [f"u{i}" for i in range(51)]})


def test_the_answers_behind_a_score_are_the_ones_it_counts(ws: Workspace) -> None:
    score = ws.metrics.scores("nps", where={"unit": ["North"]}, since="2024-01-15", min_n=1)
    found = ws.metrics.answers(metric="nps", where={"unit": ["North"]}, since="2024-01-15")
    assert found.total == int(score.iloc[0]["n"]) == 2
    assert found.rows["response_id"].tolist() == ["n3", "n2"]  # newest first
    # Comments only: the blank one is no verbatim; text comes back exactly as stored.
    said = ws.metrics.answers(where={"unit": ["North"]}, commented=True)
    assert said.rows["comment"].tolist() == ['=HYPERLINK("x")', "Great <b>staff</b>"]
    # CSAT counts only the answers that rated it.
    assert ws.metrics.answers(metric="csat").rows["response_id"].tolist() == ["s2"]
    page = ws.metrics.answers(limit=2, offset=2)
    assert (page.total, page.offset, page.rows["response_id"].tolist()) == (5, 2, ["n2", "s1"])


def test_a_case_handler_drills_into_their_units_only(ws: Workspace) -> None:
    handler = Principal("hal", Role.case_handler, ("South",))
    found = ws.metrics.answers(principal=handler)
    assert set(found.rows["response_id"]) == {"s1", "s2"} and found.total == 2


def test_answers_refuse_employee_metrics_and_bad_pages(ws: Workspace) -> None:
    with pytest.raises(UsageError, match="anonymous"):
        ws.metrics.answers(metric="enps")
    with pytest.raises(UsageError, match="cannot list"):
        ws.metrics.answers(limit=0)
    with pytest.raises(UsageError, match="cannot list"):
        ws.metrics.answers(limit=501)
