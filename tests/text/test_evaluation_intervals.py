"""The intervals ``text evaluate`` gives a class's precision and recall (Wilson's, on their own
denominators) and macro-F1 (a bootstrap stratified by label), where the data are fewest: a
class read all right or all wrong keeps an interval with width, and no bootstrap draw loses a
class. Checked against Wilson's formula written out here, not the project's."""

from __future__ import annotations

import csv
import io
import json
import math
from pathlib import Path

import pytest
from sklearn.metrics import f1_score

import advocacy
from advocacy.text.evaluation_intervals import score_intervals
from support.cli import advocacy_cli

Z = 1.959963984540054  # the normal quantile of 0.975


def _wilson(successes: int, n: int) -> tuple[float, float]:
    """Wilson (1927): (p + z²/2n ± z √(p(1-p)/n + z²/4n²)) / (1 + z²/n)."""
    p = successes / n
    centre = (p + Z * Z / (2 * n)) / (1 + Z * Z / n)
    half = Z * math.sqrt(p * (1 - p) / n + Z * Z / (4 * n * n)) / (1 + Z * Z / n)
    return max(0.0, centre - half), min(1.0, centre + half)


def test_a_class_read_all_right_or_all_wrong_keeps_an_interval_with_width() -> None:
    # 20 negatives all read right; 30 positives, 6 of them read as neutral.
    labels = ["negative"] * 20 + ["positive"] * 30
    readings = ["negative"] * 20 + ["positive"] * 24 + ["neutral"] * 6
    found = score_intervals(labels, readings)
    assert found.recall["negative"] == pytest.approx(_wilson(20, 20), abs=1e-9)
    assert found.recall["negative"][0] == pytest.approx(0.839, abs=1e-3)  # not (1.0, 1.0)
    assert found.precision["negative"] == pytest.approx(_wilson(20, 20), abs=1e-9)
    assert found.recall["positive"] == pytest.approx(_wilson(24, 30), abs=1e-9)
    assert found.precision["positive"] == pytest.approx(_wilson(24, 24), abs=1e-9)
    assert found.precision["neutral"] == pytest.approx(_wilson(0, 6), abs=1e-9)
    assert all(math.isnan(end) for end in found.recall["neutral"])  # no neutral label

    # One negative among 51, read wrong: recall 0 of 1, which says little.
    lone = score_intervals(["negative"] + ["positive"] * 50, ["positive"] * 51)
    assert lone.recall["negative"] == pytest.approx(_wilson(0, 1), abs=1e-9)
    assert lone.recall["negative"][1] > 0.79


def test_no_bootstrap_draw_of_macro_f1_loses_a_small_class() -> None:
    # 3 negatives and 50 positives, all read right: every draw keeps its 3 negatives (drawn
    # among themselves), so every draw scores macro-F1 1; a draw over all texts loses the
    # negatives now and then and scored that class's F1 0 (interval [0.5, 1]).
    found = score_intervals(
        ["negative"] * 3 + ["positive"] * 50, ["negative"] * 3 + ["positive"] * 50
    )
    # review7 item 4: every draw scoring 1 is no interval at all, not "[1.000, 1.000]".
    assert all(math.isnan(end) for end in found.macro_f1)
    # Each class read alike but not all right: still the same value in every draw.
    alike = score_intervals(["negative"] * 4 + ["positive"] * 6, ["positive"] * 10)
    assert all(math.isnan(end) for end in alike.macro_f1)
    labels = ["negative"] * 3 + ["positive"] * 50
    readings = ["negative", "positive", "negative"] + ["positive"] * 50
    low, high = score_intervals(labels, readings).macro_f1
    assert low < f1_score(labels, readings, average="macro") < high


def test_a_class_under_thirty_texts_is_marked_few_in_every_format(tmp_path: Path) -> None:
    path = tmp_path / "labelled.csv"
    rows = [("The zipper broke after two days and support never answered.", "negative")] * 3
    rows += [("Great fit, soft fabric, and it arrived a day early.", "positive")] * 31
    with path.open("w", encoding="utf-8", newline="") as handle:
        csv.writer(handle).writerows([("text", "label"), *rows])
    db = str(tmp_path / "w.duckdb")
    with advocacy.open(db, create=True):
        pass
    base = ("text", "evaluate", str(path), "--db", db, "--model", "generic")

    found = json.loads(advocacy_cli(*base, "--format", "json").stdout)
    few = {score["sentiment"]: score["few"] for score in found["classes"]}
    assert few == {"negative": True, "neutral": False, "positive": False}
    assert any(
        note.startswith("few labelled texts of negative (3), under 30") for note in found["notes"]
    )

    table = advocacy_cli(*base, env={"COLUMNS": "160"}).stdout
    assert "3 (few)" in table and "31 (few)" not in table

    rows_out = list(csv.DictReader(io.StringIO(advocacy_cli(*base, "--format", "csv").stdout)))
    marks = {row["sentiment"]: row["value"] for row in rows_out if row["measure"] == "few"}
    assert marks == {"negative": "True", "neutral": "False", "positive": "False"}
