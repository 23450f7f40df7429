"""``ws.metrics``: experience scores one at a time and in a batch, through the facade."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

import advocacy
from advocacy.access import Principal, Role
from advocacy.errors import UsageError
from advocacy.metrics.rollup import MetricsRequest
from advocacy.workspace import Workspace

RESPONSES = [
    {"response_id": "n1", "submitted_at": "2024-01-10", "unit": "North", "nps": 10, "csat": 5},
    {"response_id": "n2", "submitted_at": "2024-01-20", "unit": "North", "nps": 9, "csat": 4},
    {"response_id": "n3", "submitted_at": "2024-02-05", "unit": "North", "nps": 3, "csat": 2},
    {"response_id": "s1", "submitted_at": "2024-01-15", "unit": "South", "nps": 2, "csat": 1},
    {"response_id": "s2", "submitted_at": "2024-02-15", "unit": "South", "nps": 7, "csat": 3},
]


@pytest.fixture
def ws(db_url: str) -> Iterator[Workspace]:
    with advocacy.open(db_url) as workspace:
        workspace.write_records("responses", RESPONSES)
        yield workspace


def test_scores_slice_by_unit_with_the_settings_as_defaults(ws: Workspace) -> None:
    frame = ws.metrics.scores("nps", by="unit", min_n=1).set_index("unit")
    # North: two promoters, one detractor of three; South: one detractor, one passive.
    assert frame.loc["North", "score"] == pytest.approx(100 * (2 - 1) / 3)
    assert frame.loc["South", "score"] == pytest.approx(-50.0)
    assert list(frame["n"]) == [3, 2]
    whole = ws.metrics.scores(["nps", "csat"], since="2024-02-01")
    assert whole.set_index("metric").loc["nps", "n"] == 2
    with pytest.raises(UsageError):
        ws.metrics.scores("loyalty")


def test_a_batch_gives_what_each_call_gives(ws: Workspace) -> None:
    requests = [MetricsRequest(("nps",), by=("unit",)), MetricsRequest(("csat",), period="month")]
    together = ws.metrics.scores_batch(requests)
    alone = [
        ws.metrics.scores("nps", by="unit"),
        ws.metrics.scores("csat", period="month"),
    ]
    for batched, single in zip(together, alone, strict=True):
        assert batched.to_dict("records") == single.to_dict("records")


def test_a_principal_reads_its_units_only(ws: Workspace) -> None:
    handler = Principal("hal", Role.case_handler, units=("North",))
    frame = ws.metrics.scores("nps", by="unit", principal=handler, min_n=1)
    assert list(frame["unit"]) == ["North"]
    [batched] = ws.metrics.scores_batch([MetricsRequest(by=("unit",))], principal=handler)
    assert list(batched["unit"]) == ["North"]
