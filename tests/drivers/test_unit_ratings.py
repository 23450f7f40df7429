"""``ws.gaps.unit_ratings``: each unit's mean rating of each driver against the other units,
checked against SciPy's Welch test and Holm's correction on the same ratings."""

from __future__ import annotations

import csv
from collections.abc import Iterator
from pathlib import Path

import numpy as np
import pytest
from scipy import stats

import advocacy
from advocacy.errors import UsageError
from advocacy.metrics.comparisons import adjust_p_values
from advocacy.workspace import Workspace

RNG = np.random.default_rng(19)
#: Unit -> mean of "Prompt service" (North falls short) and of "Friendly staff" (no difference).
MEANS = {"North": (3.0, 5.0), "South": (5.5, 5.0), "Coast": (5.4, 5.0)}
ANSWERS_PER_UNIT = 40


def _ratings() -> list[dict[str, object]]:
    rows = []
    for unit, (prompt, friendly) in MEANS.items():
        for index in range(ANSWERS_PER_UNIT):
            response = f"{unit}-{index}"
            for item, dimension, mean in (
                ("Prompt service", "responsiveness", prompt),
                ("Friendly staff", "empathy", friendly),
            ):
                value = float(np.clip(np.round(RNG.normal(mean, 1.0)), 1, 7))
                rows.append(
                    {
                        "response_id": response,
                        "unit": unit,
                        "item": item,
                        "dimension": dimension,
                        "value": value,
                    }
                )
    return rows


RATINGS = _ratings()


@pytest.fixture
def ws(db_url: str, tmp_path: Path) -> Iterator[Workspace]:
    path = tmp_path / "items.csv"
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(
            ["response_id", "item", "dimension", "kind", "value", "scale_min", "scale_max"]
        )
        for row in RATINGS:
            writer.writerow(
                [
                    row["response_id"],
                    row["item"],
                    row["dimension"],
                    "perception",
                    row["value"],
                    1,
                    7,
                ]
            )
            # Expectations are not ratings of the experience: they must not count.
            writer.writerow(
                [row["response_id"], row["item"], row["dimension"], "expectation", 7, 1, 7]
            )
    answers = sorted({(str(r["response_id"]), str(r["unit"])) for r in RATINGS})
    with advocacy.open(db_url) as workspace:
        workspace.write_records(
            "responses",
            [
                {
                    "response_id": response,
                    "unit": unit,
                    "nps": 8,
                    "submitted_at": "2025-03-01T10:00:00Z",
                    "channel": "web" if response.endswith(("0", "2", "4", "6", "8")) else "phone",
                }
                for response, unit in answers
            ],
        )
        workspace.import_file(path, kind="response-items")
        yield workspace


def test_each_cell_matches_welch_and_holm_on_the_raw_ratings(ws: Workspace) -> None:
    frame = ws.gaps.unit_ratings()
    assert len(frame) == 6
    p_values = []
    for row in frame.itertuples():
        own = [r["value"] for r in RATINGS if r["unit"] == row.unit and r["item"] == row.driver]
        rest = [r["value"] for r in RATINGS if r["unit"] != row.unit and r["item"] == row.driver]
        assert row.n == len(own) == ANSWERS_PER_UNIT
        assert row.mean == pytest.approx(np.mean(own))
        assert row.rest_mean == pytest.approx(np.mean(rest))
        low, high = stats.t.interval(0.95, len(own) - 1, np.mean(own), stats.sem(own))
        assert (row.ci_low, row.ci_high) == (pytest.approx(low), pytest.approx(high))
        p_values.append(stats.ttest_ind(own, rest, equal_var=False).pvalue)
    assert frame["p_adjusted"].to_numpy() == pytest.approx(adjust_p_values(p_values, "holm"))
    flagged = frame[frame["significant"]]
    # North's prompt service falls short; the friendly staff are alike everywhere.
    assert ("North", "Prompt service") in set(zip(flagged["unit"], flagged["driver"], strict=True))
    assert "Friendly staff" not in set(flagged["driver"])
    north = frame[(frame["unit"] == "North") & (frame["driver"] == "Prompt service")].iloc[0]
    assert north["difference"] < -1.5


def test_dimensions_filters_and_small_cells(ws: Workspace) -> None:
    by_dimension = ws.gaps.unit_ratings(level="dimension")
    assert set(by_dimension["driver"]) == {"responsiveness", "empathy"}
    web = ws.gaps.unit_ratings(where={"channel": ["web"]})
    assert set(web["n"]) == {ANSWERS_PER_UNIT // 2}
    # 20 answers a cell is under the minimum n (30): flagged, never called significant.
    assert set(web["flag"]) == {"too few responses"} and not web["significant"].any()
    with pytest.raises(UsageError, match="driver level"):
        ws.gaps.unit_ratings(level="touchpoint")
