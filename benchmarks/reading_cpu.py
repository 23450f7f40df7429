"""CPU of reading documents in one process, and whether two trees read them alike (issue #17).

What one worker of ``advocacy text analyze`` pays per document once the models are loaded:
:func:`advocacy.text.document_reading.read_piece` (language, non-answers, the text model's
sentiment, emotions and complaint, effort, the sentences and their sentiment) on ``--documents``
Blitzer reviews cut to 60 words (``text_analyze.reviews``), in the pieces ``text analyze``
reads (500 texts), with one BLAS thread (as ``text analyze`` runs). Timed twice in a fresh
process: a first pass, whose words the embedder meets for the first time (what a fresh CLI
process pays), and a second over the same texts (words known). Nothing is written.

With ``--before SRC`` (the ``src`` folder of a ``git archive`` of another commit) each round
runs both trees in fresh processes, alternated, and the table gives each side's median CPU
seconds; every process also reads real text in ten languages (MARC de/en/es/fr/ja/zh, SemEval
Arabic/Russian/Turkish, Olist Portuguese, tweets, hostile strings) and prints a SHA-256 of
everything read (every array's bytes, the sentence offsets, languages, reasons, efforts): the
same digest on both sides means the same readings, bit for bit.

    PYTHONPATH=src:benchmarks .venv/bin/python benchmarks/reading_cpu.py [--documents 3000]
        [--rounds 3] [--before SRC] [--data ../shared/data]
"""

from __future__ import annotations

import argparse
import csv
import hashlib
import json
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

import text_analyze
import text_corpora as corpora

HOSTILE = [
    "",
    " ",
    "not bad. Not good!",
    "I could not fault them. Great!",
    "n't",
    "NOT",
    "no.no.no",
    "word" * 2000,
    "\x00 \x7f",
    "Ça   va?  Très   bien !!",
    "don't won’t can’t",
    "notébook isn't",
    "İnot İ not",
    "a\u2581 b\u2581\u2581c \u2581",
    '=HYPERLINK("x")<script>',
    "ＮＯＴ ｇｏｏｄ",
    "a  b {2,}c",
]


def languages(data: Path) -> list[str]:
    """Real text in ten languages and scripts, tweets and hostile strings."""
    texts: list[str] = []
    marc = data / "text-corpora" / "marc-amazon-multi"
    for lang in ("de", "en", "es", "fr", "ja", "zh"):
        with (marc / lang / "test.csv").open(encoding="utf-8", newline="") as handle:
            texts += [row[1] for row in list(csv.reader(handle))[:700]]
    multi = data / "text-corpora" / "semeval15-16-absa" / "semeval16-multilingual-apc-dat"
    for name in ("hotels_test_arabic", "restaurants_test_russian", "restaurants_test_turkish"):
        texts += (multi / f"{name}.xml.dat").read_text(encoding="utf-8").split("\n")[::3][:400]
    olist = data / "real-exports" / "olist-subset" / "olist_order_reviews_dataset.csv"
    with olist.open(encoding="utf-8", newline="") as handle:
        texts += [row["review_comment_message"] for row in csv.DictReader(handle)][:2000]
    tweets = data / "tweeteval" / "sentiment" / "val_text.txt"
    return texts + tweets.read_text(encoding="utf-8").split("\n")[:1000] + HOSTILE


def read_all(texts: list[str], digest: hashlib._Hash | None = None) -> float:
    """CPU seconds of read_piece over ``texts`` in the pieces text analyze reads (each
    result hashed into ``digest`` when given)."""
    from advocacy.text.document_reading import pieces, read_piece

    spent = 0.0
    for piece in pieces(len(texts)):
        start = time.process_time()
        documents, sentences = read_piece(texts[piece.start : piece.stop])
        spent += time.process_time() - start
        if digest is not None:
            reading = documents.reading
            parts = [reading.embeddings, reading.sentiment, reading.emotions, reading.complaint]
            if sentences.reading is not None:
                parts += [sentences.reading.embeddings, sentences.reading.sentiment]
            for array in parts:
                digest.update(b"-" if array is None else array.tobytes())
            digest.update(sentences.frame.to_numpy().tobytes() + sentences.whole.tobytes())
            efforts = [None if e is None else (e.score, e.cues) for e in documents.efforts]
            found = [documents.languages, documents.reasons, efforts, sentences.parts]
            digest.update(json.dumps(found, ensure_ascii=True).encode())
    return spent


def child(data: Path, documents: int) -> None:
    from threadpoolctl import threadpool_limits

    from advocacy.text.document_reading import load_models

    texts, _ = text_analyze.reviews(data, documents)
    with threadpool_limits(limits=1, user_api="blas"):
        load_models()
        first, second = hashlib.sha256(), hashlib.sha256()
        cold = read_all(texts, first)
        warm = read_all(texts, second)
        assert first.digest() == second.digest(), "the second pass read otherwise"
        others = hashlib.sha256(first.digest())
        read_all(languages(data), others)
    print(json.dumps({"cold": cold, "warm": warm, "digest": others.hexdigest()}))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--documents", type=int, default=3_000)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--data", type=Path, default=corpora.DATA)
    parser.add_argument("--before", metavar="SRC", help="also run from the package in SRC")
    parser.add_argument("--child", action="store_true", help=argparse.SUPPRESS)
    options = parser.parse_args()
    if options.child:
        child(options.data, options.documents)
        return
    sides: list[tuple[str, str | None]] = [("this", None)]
    if options.before:
        sides.insert(0, ("before", options.before))
    benchmarks = str(Path(__file__).resolve().parent)
    found: dict[str, list[dict[str, float | str]]] = {}
    print(f"{options.documents:,} Blitzer reviews cut to 60 words; load {os.getloadavg()}")
    for _ in range(options.rounds):
        for side, source in sides:
            environment = dict(os.environ)
            if source is not None:
                environment["PYTHONPATH"] = f"{source}{os.pathsep}{benchmarks}"
            arguments = ["--child", "--data", str(options.data)]
            arguments += ["--documents", str(options.documents)]
            output = subprocess.run(
                [sys.executable, __file__, *arguments],
                env=environment,
                check=True,
                capture_output=True,
                text=True,
            ).stdout
            found.setdefault(side, []).append(json.loads(output.strip().splitlines()[-1]))
    print(f"load at the end {os.getloadavg()}; median of {options.rounds} rounds, alternated\n")
    print("| code | first pass CPU s | ms per document | words known CPU s | ms per document |")
    print("|---|---:|---:|---:|---:|")
    for side, runs in found.items():
        cold = statistics.median(float(run["cold"]) for run in runs)
        warm = statistics.median(float(run["warm"]) for run in runs)
        per = 1000 / options.documents
        print(f"| {side} | {cold:.2f} | {cold * per:.3f} | {warm:.2f} | {warm * per:.3f} |")
    digests = {side: {str(run["digest"]) for run in runs} for side, runs in found.items()}
    print()
    for side, values in digests.items():
        print(f"{side}: digest {', '.join(sorted(values))}")
    if len(digests) == 2:
        same = len({value for values in digests.values() for value in values}) == 1
        print("the same readings, bit for bit" if same else "THE READINGS DIFFER")


if __name__ == "__main__":
    main()
