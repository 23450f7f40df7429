"""CPU of describing a stored calibration that stacks a TF-IDF model (issue #17, chanscope2).

A page or a report that only describes the workspace's calibration (the text page's "How
sentiment was read", ``text`` report sections, ``ws.text.sentiment_readings()``) reads its
stored row; the row of a fit with the stacked TF-IDF model on 11,399 labels holds its 327,000
terms, their weights and the labelled texts' probabilities (an 11.6 MB state).

``--build FOLDER`` makes the workspace: 11,400 Blitzer reviews cut to 60 words as survey
answers with an NPS drawn from their stars (``text_analyze.py``'s second workspace), analysed
once. On these labels the fit now chooses ``prior``; so that the row is the one a ``head +
tfidf`` fit stores (the choice at 11,399 labels in docs/benchmarks.md, 2026-12-06), the
stacked model is then fitted on the same labelled texts (``tfidf_model(0.002)``) and stored
with the fit. Describing reads only the fit's recorded numbers, whatever it chose.

Without ``--build``, CPU seconds (this process) of, each ``--repeat`` times in turn:

* the row alone: its SELECT and ``json.loads`` (the floor of any reading of it);
* ``kept_calibration_report`` (the calibration's fields on the page and in reports);
* ``ws.text.sentiment_readings()`` (what the text page counts, with the report);
* ``GET /text`` on a fresh server (its first request computes the readings).

    PYTHONPATH=src:benchmarks .venv/bin/python benchmarks/calibration_describe.py --build DIR
    PYTHONPATH=src .venv/bin/python benchmarks/calibration_describe.py DIR [--repeat 5]
"""

from __future__ import annotations

import argparse
import json
import os
import time
from datetime import UTC, datetime
from pathlib import Path

import numpy as np

import advocacy

DOCUMENTS = 12_000


def build(folder: Path) -> None:
    """The workspace described (see the module notes), at ``folder/bench.duckdb``."""
    import text_analyze

    from advocacy.settings import Settings
    from advocacy.text import calibration_store
    from advocacy.text.calibration import text_key
    from advocacy.text.calibration_tfidf import tfidf_model
    from advocacy.text.score_labels import workspace_labelled_texts
    from advocacy.text.sentiment import SENTIMENTS

    texts, stars = text_analyze.reviews(text_analyze.corpora.DATA, DOCUMENTS)
    rng = np.random.default_rng(0)
    scores = [int(rng.integers(*text_analyze.STAR_NPS[star])) for star in stars]
    records: list[dict[str, object]] = [
        {"response_id": f"r{i}", "comment": text, "nps": score}
        for i, (text, score) in enumerate(zip(texts, scores, strict=True))
    ][: DOCUMENTS * 95 // 100]
    folder.mkdir(parents=True, exist_ok=True)
    settings = Settings.load(text_workers=1)
    with advocacy.open(f"duckdb:///{folder}/bench.duckdb", create=True, settings=settings) as ws:
        text_analyze.write_in_requests(ws, records)
        print(ws.text.analyze().summary())
        model = ws.settings.text_model
        found = calibration_store.stored(ws.db, model)
        assert found is not None and found.calibrated is not None
        fitted = found.calibrated
        if fitted.tfidf_ is None:
            labelled = workspace_labelled_texts(ws.db)
            words = [text for text, _, _ in labelled.values()]
            classes = np.array([SENTIMENTS.index(label) for _, label, _ in labelled.values()])
            stacked = tfidf_model(0.002).fit(words, classes)
            fitted.tfidf_ = stacked
            keys = {text_key(text): row for row, text in enumerate(words)}
            fitted._labelled_tfidf = (keys, stacked.predict_proba(words))
            calibration_store.store(
                ws.db,
                model,
                found.base_model,
                found.labels,
                fitted,
                datetime.now(UTC),
                training=found.training,  # type: ignore[arg-type]
            )


def measure(folder: Path, repeat: int) -> None:
    """Print the CPU of each way of describing the stored fit (see the module notes)."""
    from fastapi.testclient import TestClient

    from advocacy.access import create_token
    from advocacy.present.web import create_app
    from advocacy.text.calibration_report import kept_calibration_report

    url = str(folder / "bench.duckdb")
    with advocacy.open(url) as ws:
        token = create_token(ws.db, role="analyst", name=f"bench{time.time_ns()}").secret
    ws = advocacy.open(url)
    model = ws.settings.text_model

    def row() -> None:
        found = ws.db.fetchone("SELECT state FROM text_calibration WHERE model = ?", [model])
        json.loads(str(found[0]))

    def page() -> float:
        ws.close()
        with TestClient(create_app(url), base_url="https://testserver") as client:
            start = time.process_time()
            answer = client.get("/text", headers={"Authorization": f"Bearer {token}"})
            spent = time.process_time() - start
        assert answer.status_code == 200, answer.text[:300]
        return spent

    steps = {
        "the row alone (SELECT + json.loads)": row,
        "kept_calibration_report": lambda: kept_calibration_report(ws.db, model),
        "ws.text.sentiment_readings()": lambda: ws.text.sentiment_readings(),
    }
    for step in steps.values():  # imports, caches
        step()
    times: dict[str, list[float]] = {name: [] for name in [*steps, "GET /text (first request)"]}
    print(f"load average at the start {os.getloadavg()[0]:.1f} ({os.cpu_count()} cores)")
    for _ in range(repeat):
        for name, step in steps.items():
            start = time.process_time()
            step()
            times[name].append(time.process_time() - start)
        times["GET /text (first request)"].append(page())
        ws = advocacy.open(url)
    ws.close()
    for name, found in times.items():
        ordered = sorted(found)
        print(
            f"| {name} | {', '.join(f'{t:.3f}' for t in found)} | "
            f"{ordered[len(ordered) // 2]:.3f} |"
        )
    print(f"load average at the end {os.getloadavg()[0]:.1f}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("folder", type=Path)
    parser.add_argument("--build", action="store_true", help="make the workspace first")
    parser.add_argument("--repeat", type=int, default=5)
    arguments = parser.parse_args()
    if arguments.build:
        build(arguments.folder)
    else:
        measure(arguments.folder, arguments.repeat)


if __name__ == "__main__":
    main()
