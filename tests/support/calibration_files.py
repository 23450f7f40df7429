"""Small files of scored answers and posts, written for the calibration tests in our own words."""

from __future__ import annotations

import json
from collections.abc import Sequence
from pathlib import Path

from support.cli import advocacy_cli

#: Survey answers: (response id, CSAT 1-5, comment).
ANSWERS = [
    ("r1", 1, "The parcel came a week late and nobody answered my emails."),
    ("r2", 2, "Box was crushed and the kettle inside had a dent."),
    ("r3", 5, "Arrived the next morning, well packed, works perfectly."),
    ("r4", 4, "Good value, the blender is quieter than my old one."),
    ("r5", 3, "It does the job, nothing special about it."),
    ("r6", 1, "Refund still not processed after three phone calls."),
    ("r7", 5, "Lovely helpful staff on the chat, sorted in minutes."),
    ("r8", 2, "The lid cracked on the second use."),
]
#: Social posts without a score: (mention id, text).
POSTS = [
    ("m1", "the toaster from them burnt every slice, avoid"),
    ("m2", "new kettle day!! best purchase this year"),
    ("m3", "anyone else watching the match tonight"),
]


def write_answers(path: Path, rows: Sequence[tuple[str, int, str]]) -> Path:
    """``rows`` (id, CSAT, comment) as a responses CSV at ``path``."""
    path.write_text(
        "response_id,submitted_at,csat,comment\n"
        + "".join(f'{key},2026-03-01,{score},"{text}"\n' for key, score, text in rows),
        encoding="utf-8",
    )
    return path


def write_posts(path: Path, rows: Sequence[tuple[str, str]], *, platform: str = "twitter") -> Path:
    """``rows`` (id, text) as a mentions CSV at ``path``."""
    path.write_text(
        "mention_id,platform,posted_at,text\n"
        + "".join(f'{key},{platform},2026-03-02,"{text}"\n' for key, text in rows),
        encoding="utf-8",
    )
    return path


def write_labelled(path: Path, rows: Sequence[tuple[str, str]]) -> Path:
    """``rows`` (text, sentiment) as a labelled CSV at ``path``, for ``text evaluate``."""
    path.write_text(
        "text,sentiment\n" + "".join(f'"{text}",{label}\n' for text, label in rows),
        encoding="utf-8",
    )
    return path


def evaluate_json(labelled: Path, url: str, *options: str) -> dict[str, object]:
    """``advocacy text evaluate LABELLED --format json --db URL OPTIONS``, which must succeed."""
    ran = advocacy_cli("text", "evaluate", str(labelled), "--format", "json", "--db", url, *options)
    assert ran.returncode == 0, ran.stderr
    found: dict[str, object] = json.loads(ran.stdout)
    return found
