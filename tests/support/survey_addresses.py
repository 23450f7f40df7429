"""Qualtrics exports with recipient addresses, built on the real Qualtrics sample.

The real sample of ``../shared/data`` is an anonymous link (its ``RecipientEmail`` is empty):
these files keep its three header rows and columns and write addresses into their own rows, as
audit3 did. The answers are dated in the days before the test session, inside the case rules'
window.
"""

from __future__ import annotations

import csv
from pathlib import Path

from support import require
from support.case_answers import day

SHARED = Path(__file__).resolve().parents[2].parent / "shared" / "data"
SAMPLE = SHARED / "qualtrics-exports" / "qualtRics_sample.csv"

# (external reference, recipient e-mail, NPS, comment)
ANSWERS = [
    ("C-17", "ann@example.com", "9", "Quick delivery, thank you"),
    ("", " Bob.Jones@Example.COM", "2", "The parcel came broken and nobody answered"),
    ("", "bob.jones@example.com", "3", "Still waiting for my refund"),
    ("", "", "7", "fine"),
    ("", "<script>alert(1)</script>", "5", "ok"),
]
NPS_HEADER = (
    "Q3",
    "How likely are you to recommend us to a friend or colleague? (0-10)",
    '{"ImportId":"QID3"}',
)


def real(path: Path) -> Path:
    """``path``, or the test skipped (locally) or failed (CI) when it is missing."""
    require(path.exists(), f"{path} is missing (../shared/data is not beside the repository)")
    return path


def qualtrics_with_addresses(folder: Path, answers: list[tuple[str, str, str, str]]) -> Path:
    """The real Qualtrics sample's three header rows, an NPS question, and ``answers``."""
    with real(SAMPLE).open(encoding="utf-8-sig", newline="") as handle:
        records = list(csv.reader(handle))
    header = [[*row, extra] for row, extra in zip(records[:3], NPS_HEADER, strict=True)]
    template = dict(zip(header[0], [*records[3], ""], strict=True))
    rows = []
    for number, (external, email, nps, comment) in enumerate(answers):
        row = dict(template)
        row.update(
            ResponseId=f"R_{number:05d}x",
            ExternalReference=external,
            RecipientEmail=email,
            Q2=comment,
            Q3=nps,
            RecordedDate=f"{day(len(answers) - number)} 10:00:00",
        )
        rows.append([row[name] for name in header[0]])
    path = folder / "survey.csv"
    with path.open("w", encoding="utf-8", newline="") as handle:
        csv.writer(handle).writerows([*header, *rows])
    return path
