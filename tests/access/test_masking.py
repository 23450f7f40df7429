"""Viewer masking in one place (advocacy.access.masking): personal fields masked, every free
text redacted with the workspace's known names, nested records too; other roles unchanged."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

import advocacy
from access.shared_units import ANALYST, NORTH_HANDLER, VIEWER
from advocacy.access.masking import (
    MASK,
    mask_frame,
    mask_record,
    mask_records,
    mask_text,
    text_redactor,
)
from advocacy.store.connection import Database
from advocacy.text.pii import redact

#: A known customer name (not a first name of the shipped list), a shipped first name, an
#: e-mail address and two phone numbers.
KNOWN = "Quillon Zarembski"
PLANTED = f"{KNOWN} and Priya said: write to q.z@example.org or call +44 20 7946 0958 / 07700900123"
NAMES = (KNOWN,)


def with_names(text: str) -> str:
    """The one redactor knowing the workspace's names, as text_redactor builds it."""
    return redact(text, names=NAMES) or ""


SECRETS = (KNOWN, "Quillon", "Zarembski", "Priya", "q.z@example.org", "7946", "07700900123")


def _clean(text: str) -> None:
    for secret in SECRETS:
        assert secret not in text, (secret, text)


def test_personal_fields_are_masked_and_free_text_redacted() -> None:
    record = {"customer_id": "C1", "name": KNOWN, "email": "q.z@example.org", "comment": PLANTED,
              "nps": 3, "unit": "North", "author": None}  # fmt: skip
    shown = mask_record(record, VIEWER, redactor=with_names)
    assert shown["name"] == shown["email"] == MASK
    assert shown["author"] is None  # nothing to hide is not shown as hidden
    assert (shown["customer_id"], shown["nps"], shown["unit"]) == ("C1", 3, "North")
    _clean(shown["comment"])
    assert "[name]" in shown["comment"] and "[email]" in shown["comment"]
    assert record["comment"] == PLANTED  # the caller's record is left as it was
    for role in (ANALYST, NORTH_HANDLER):
        assert mask_record(record, role, redactor=with_names) is record


def test_a_case_is_masked_with_its_evidence_timeline_and_details() -> None:
    case = {
        "case_id": "K1", "summary": PLANTED, "root_cause": PLANTED, "action_taken": PLANTED,
        "owner": "hal", "theme": PLANTED,
        "evidence": {"kind": "mentions", "author": KNOWN, "text": PLANTED, "url": "https://x/1"},
        "events": [
            {"kind": "note", "actor": "hal", "text": PLANTED, "detail": {}},
            {"kind": "close", "actor": "hal", "text": None,
             "detail": {"root_cause": PLANTED, "action_taken": PLANTED, "owner": "hal"}},
            {"kind": "resolve", "actor": "hal", "detail": {"url": "https://x/s/secret-token"}},
        ],
    }  # fmt: skip
    shown = mask_record(case, VIEWER, redactor=with_names)
    _clean(repr(shown))
    assert "secret-token" not in repr(shown)
    assert shown["owner"] == "hal" and shown["events"][1]["detail"]["owner"] == "hal"
    assert shown["evidence"]["author"] == MASK and shown["events"][2]["detail"]["url"] == MASK


@dataclass(frozen=True)
class Theme:
    theme_id: str
    name: str
    share: float


@dataclass(frozen=True)
class Linked:
    link_kind: str
    link_ref: str

    @property
    def link(self) -> str:
        return f"{self.link_kind}:{self.link_ref}"


@dataclass(frozen=True)
class Summary:
    themes: list[Theme]
    root_causes: list[tuple[str, int]] = field(default_factory=list)


def test_dataclasses_and_theme_names_are_redacted_not_masked() -> None:
    summary = Summary([Theme("t1", f"{KNOWN}, refund", 0.5)], [(PLANTED, 3)])
    shown = mask_record(summary, VIEWER, redactor=with_names)
    assert isinstance(shown, Summary) and shown.themes[0].share == 0.5
    assert shown.themes[0].name == "[name], refund"  # a theme's label, not a person: redacted
    assert shown.root_causes[0][1] == 3
    _clean(repr(shown))
    assert mask_record(summary, ANALYST) is summary
    # A plan linked to a curated theme carries the theme's name in its link.
    plan = mask_record(Linked("theme", f"curated:{KNOWN}"), VIEWER, redactor=with_names)
    assert plan.link == "theme:curated:[name]"
    with pytest.raises(TypeError):
        mask_record("just a text", VIEWER, redactor=with_names)  # type: ignore[type-var]


def test_frames_are_masked_column_by_column() -> None:
    themes = pd.DataFrame(
        {
            "theme_id": [f"curated:{KNOWN}", "t2"],
            "name": [f"Priya, {KNOWN}", "delivery"],
            "keywords": [np.array(["priya", "Priya", KNOWN]), np.array(["van"])],
            "quotes": [[PLANTED], []],
            "size": [3, 4],
        }
    )
    shown = mask_frame(themes, VIEWER, redactor=with_names)
    _clean(shown.to_string() + repr(shown["keywords"].tolist()))
    assert shown["name"].tolist()[1] == "delivery" and shown["size"].tolist() == [3, 4]
    assert shown["theme_id"].tolist() == ["curated:[name]", "t2"]
    drivers = pd.DataFrame({"driver": [f"{KNOWN} theme", "Prompt service"], "share": [0.5, 0.5]})
    assert mask_frame(drivers, VIEWER, redactor=with_names)["driver"].tolist() == [
        "[name] theme",
        "Prompt service",
    ]
    promoters = pd.DataFrame(
        {"customer_id": ["C1", "C2"], "name": [KNOWN, None], "email": pd.array(["a@b.c", None],
         dtype="string"), "nps": [10.0, 9.0], "reason": [f"told {KNOWN}", "NPS 9"]}
    )  # fmt: skip
    masked = mask_frame(promoters, VIEWER, redactor=with_names)
    for column in ("name", "email"):
        assert [None if pd.isna(v) else v for v in masked[column]] == [MASK, None]
    assert masked["reason"].tolist() == ["told [name]", "NPS 9"]
    assert masked["nps"].tolist() == [10.0, 9.0]
    assert mask_frame(promoters, ANALYST) is promoters


def test_lists_of_records_and_single_texts() -> None:
    rows = mask_records([{"text": PLANTED}, {"text": None}], VIEWER, redactor=with_names)
    _clean(repr(rows))
    assert rows[1]["text"] is None
    _clean(mask_text(PLANTED, VIEWER, redactor=with_names) or "")
    assert mask_text(PLANTED, ANALYST) == PLANTED


def test_the_redactor_knows_the_workspaces_names_and_fails_closed(tmp_path: Path) -> None:
    with advocacy.open(str(tmp_path / "ws.duckdb")) as ws:
        ws.write_records(
            "mentions", [{"mention_id": "m1", "author": KNOWN, "text": "hi"}], actor="test"
        )
        redactor = text_redactor(ws.db, VIEWER)
        assert redactor is not None and redactor(f"thanks {KNOWN}!") == "thanks [name]!"
        assert text_redactor(ws.db, ANALYST) is None
    bare = Database(str(tmp_path / "bare.duckdb"))  # no schema: the names cannot be read
    try:
        with pytest.raises(Exception, match="customers"):
            text_redactor(bare, VIEWER)
    finally:
        bare.close()
    # Masking for a viewer without the workspace's names is refused, not done without them.
    with pytest.raises(ValueError, match="redactor"):
        mask_record({"comment": PLANTED}, VIEWER)
    assert mask_record({"comment": PLANTED}, ANALYST) == {"comment": PLANTED}
