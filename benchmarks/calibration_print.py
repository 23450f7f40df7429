"""CPU of what prints a calibration's quality (calcount lane; 2026-12-06).

Two measures, each in a fresh process on a copy of a workspace that ``text analyze`` has
calibrated (``--workspace FILE``; ``--build N --workspace FILE`` first writes one of N Blitzer
reviews with an NPS drawn from their stars, as ``benchmarks/text_analyze.py`` does, and analyses
it):

* ``report``: the report's two readers of the kept calibration (the methods appendix's
  ``kept_calibration_report`` and the text section's ``kept_calibration_note``), scikit-learn
  imported first, as the report's other sections have it;
* ``analyze``: ``text analyze --recalibrate`` (a refit on the same labels: nothing read again),
  then the print that follows a fit (``ws.text.calibration_report()``), timed alone.

Compare trees by running it with each on ``PYTHONPATH``, alternated; a workspace whose fit was
stored by a tree that did not record the count reads "not recorded" with this one (refit it
with ``--recalibrate`` first). Prints the CPU seconds, the load average and whether the
language detector was loaded.

    PYTHONPATH=src python benchmarks/calibration_print.py --workspace W.duckdb [--build 3000]
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

MEASURE = """
import os, sys, time
import advocacy
from advocacy.settings import Settings
from advocacy.text.calibration_report import kept_calibration_note, kept_calibration_report
ws = advocacy.open(sys.argv[1], settings=Settings.load(text_workers=1))
if sys.argv[2] == "analyze":
    ws.text.analyze(recalibrate=True)
    start = time.process_time()
    ws.text.calibration_report()
else:
    import sklearn.linear_model  # noqa: F401
    start = time.process_time()
    kept_calibration_report(ws.db, ws.settings.text_model)
    kept_calibration_note(ws.db, ws.settings.text_model)
spent = time.process_time() - start
ws.close()
detector = "py3langid.langid" in sys.modules
print(f"{sys.argv[2]:8} {spent:5.2f} CPU s  load {os.getloadavg()[0]:.1f}  detector {detector}")
"""


def build(path: Path, count: int) -> None:
    """A workspace of ``count`` reviews with an NPS from their stars, analysed once."""
    sys.path.insert(0, str(Path(__file__).parent))
    import numpy as np
    import text_corpora as corpora
    from text_analyze import STAR_NPS, reviews

    import advocacy
    from advocacy.settings import Settings

    texts, stars = reviews(corpora.DATA, count)
    rng = np.random.default_rng(0)
    records = [
        {"response_id": f"r{i}", "comment": text, "nps": int(rng.integers(*STAR_NPS[star]))}
        for i, (text, star) in enumerate(zip(texts, stars, strict=True))
    ]
    with advocacy.open(f"duckdb:///{path}", settings=Settings.load(text_workers=1)) as ws:
        ws.write_records("responses", records)
        ws.text.analyze()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--workspace", type=Path, required=True)
    parser.add_argument("--build", type=int, default=0, help="write and analyse N reviews first")
    parser.add_argument("--repeat", type=int, default=1)
    arguments = parser.parse_args()
    if arguments.build:
        build(arguments.workspace, arguments.build)
    for _ in range(arguments.repeat):
        for mode in ("report", "analyze"):
            with tempfile.TemporaryDirectory() as folder:
                copy = Path(folder) / "w.duckdb"
                shutil.copy(arguments.workspace, copy)
                done = subprocess.run(
                    [sys.executable, "-c", MEASURE, str(copy), mode],
                    capture_output=True,
                    text=True,
                    check=True,
                    env=os.environ,
                )
                print(done.stdout.strip())


if __name__ == "__main__":
    main()
