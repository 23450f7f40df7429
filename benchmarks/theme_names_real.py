"""Discovered theme names on real workspaces, before and after a change to naming (by eye).

Run from the project root with the tree to measure on ``PYTHONPATH``::

    # once per workspace: its texts, embeddings, stored sentiments and languages
    PYTHONPATH=src python benchmarks/theme_names_real.py dump --db W.duckdb [--kind mention] \\
        --out /tmp/W.npz
    # then for each tree (the same inputs, so only the naming differs)
    PYTHONPATH=<tree>/src python benchmarks/theme_names_real.py name /tmp/W.npz [--themes N]

``dump`` reads what ``advocacy text discover-themes`` reads (the workspace's documents, the
shipped embedder's vectors, the sentiments and languages ``text analyze`` stored) and writes
them to a ``.npz`` outside the repository (the texts are real data: never commit the file).
``name`` runs :func:`advocacy.text.themes.discover_themes` on them (seed 0, the shipped
redactor) and prints, per theme, largest first: size, name, key phrases, sentiment mix and the
quote, one JSON object a line. Only the naming reads the texts differently between trees: the
clusters are the same (k-means on the same vectors with the same seed).
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

import numpy as np


def dump(db_path: str, kinds: list[str] | None, out: str) -> None:
    """Write the inputs of theme discovery of the workspace ``db_path`` to ``out``."""
    import advocacy
    from advocacy.text.catalogue import _languages, _sentiments
    from advocacy.text.documents import load_documents
    from advocacy.text.embeddings import default_embedder

    workspace = advocacy.open(db_path)
    db = workspace.db
    documents = load_documents(db, kinds)
    texts = [str(t) for t in documents["text"]]
    vectors = default_embedder().embed(texts)
    np.savez_compressed(
        out,
        texts=np.array(texts, dtype=object),
        embeddings=np.asarray(vectors, np.float32),
        sentiments=np.array(_sentiments(db, documents), dtype=object),
        languages=np.array([lang or "" for lang in _languages(db, documents)], dtype=object),
    )
    print(f"{len(texts)} texts -> {out}", file=sys.stderr)


def name(path: str, n_themes: int | None) -> None:
    """Print the themes discovered on the inputs at ``path``, one JSON line each."""
    from advocacy.text.themes import discover_themes

    data = np.load(path, allow_pickle=True)
    texts = [str(t) for t in data["texts"]]
    languages = [str(lang) or None for lang in data["languages"]]
    found = discover_themes(
        texts,
        data["embeddings"],
        n_themes=n_themes,
        sentiments=[str(s) for s in data["sentiments"]],
        languages=languages,
        random_state=0,
    )
    for theme in found:
        print(
            json.dumps(
                {
                    "size": theme.size,
                    "name": theme.label,
                    "phrases": theme.key_phrases,
                    "mix": theme.sentiment_mix,
                    "quote": theme.quote,
                },
                ensure_ascii=False,
            )
        )


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    commands = parser.add_subparsers(dest="command", required=True)
    dumping = commands.add_parser("dump", help="write a workspace's discovery inputs")
    dumping.add_argument("--db", required=True)
    dumping.add_argument("--kind", action="append")
    dumping.add_argument("--out", required=True)
    naming = commands.add_parser("name", help="discover and print the names")
    naming.add_argument("inputs")
    naming.add_argument("--themes", type=int)
    args = parser.parse_args(argv)
    if args.command == "dump":
        if Path(args.out).resolve().is_relative_to(Path(__file__).resolve().parents[1]):
            parser.error("write the inputs outside the repository (they hold real texts)")
        dump(args.db, args.kind, args.out)
    else:
        name(args.inputs, args.themes)


if __name__ == "__main__":
    main()
