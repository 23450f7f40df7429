"""A calibration on fewer labels than a head needs does not import scikit-learn.

Below ``MIN_HEAD_LABELS`` the calibration only adjusts the model's prior (SciPy's optimiser),
so a small workspace's first ``text analyze`` does not pay scikit-learn's import (about 0.6-0.9
CPU s in a new process). Checked in a fresh process, as a user's command runs.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import advocacy
from advocacy.text.calibration import MIN_HEAD_LABELS

_ANALYZE = """
import json, sys
import advocacy
with advocacy.open("duckdb:///" + sys.argv[1]) as ws:
    result = ws.text.analyze(workers=1)
print(json.dumps({"summary": result.summary(), "sklearn": "sklearn" in sys.modules}))
"""

COMMENTS = [
    ("The refund never came and nobody answered my emails.", 1),
    ("Lovely staff, quick delivery, great value!", 10),
    ("It was fine, nothing special.", 7),
]


def _analyzed(db: Path, copies: int) -> dict[str, object]:
    with advocacy.open(f"duckdb:///{db}", create=True) as ws:
        ws.write_records(
            "responses",
            [
                {"response_id": f"r{copy}-{n}", "comment": f"{text} ({copy})", "nps": score}
                for copy in range(copies)
                for n, (text, score) in enumerate(COMMENTS)
            ],
        )
    done = subprocess.run(
        [sys.executable, "-c", _ANALYZE, str(db)], capture_output=True, text=True, check=True
    )
    return dict(json.loads(done.stdout))


def test_a_prior_adjusted_on_few_labels_imports_no_scikit_learn(tmp_path: Path) -> None:
    few = _analyzed(tmp_path / "few.duckdb", 3)  # 9 labels
    summary = few["summary"]
    assert isinstance(summary, dict)
    assert summary["calibration"] == "fitted (9 labels)" and summary["analysed"] == 9
    assert few["sklearn"] is False
    # From MIN_HEAD_LABELS labels, candidates are compared: scikit-learn is needed.
    many = _analyzed(tmp_path / "many.duckdb", -(-MIN_HEAD_LABELS // len(COMMENTS)))
    assert many["sklearn"] is True
