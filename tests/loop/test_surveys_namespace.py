"""``ws.surveys``: surveys saved, loaded, listed and linked through the facade."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

import advocacy
from advocacy.errors import InputError, UsageError
from advocacy.workspace import Workspace

SURVEY = """\
survey_id: checkout
title: How was checkout?
nps_question: How likely are you to recommend us?
comment_prompt: What should we change?
anonymous_allowed: true
"""


@pytest.fixture
def ws(db_url: str, monkeypatch: pytest.MonkeyPatch) -> Iterator[Workspace]:
    monkeypatch.setenv("ADVOCACY_SECRET_KEY", "test-key-not-for-production")
    monkeypatch.setenv("ADVOCACY_PUBLIC_URL", "https://survey.example.com/")
    monkeypatch.setenv("ADVOCACY_CONTACT_GUARD_DAYS", "30")
    with advocacy.open(db_url) as workspace:
        yield workspace


def test_surveys_are_loaded_listed_and_linked_through_the_workspace(
    ws: Workspace, tmp_path: Path
) -> None:
    (tmp_path / "checkout.yaml").write_text(SURVEY, encoding="utf-8")
    saved = ws.surveys.load(tmp_path / "checkout.yaml", actor="ada")
    assert (saved.survey_id, saved.title, saved.anonymous_allowed) == (
        "checkout",
        "How was checkout?",
        True,
    )
    assert [survey.survey_id for survey in ws.surveys.list()] == ["checkout", "default"]
    assert ws.surveys.anonymous_link("checkout") == "https://survey.example.com/s/open/checkout"
    renamed = ws.surveys.save({"survey_id": "checkout", "title": "Checkout", "nps_question": "?"})
    assert renamed.title == "Checkout" and not renamed.anonymous_allowed
    with pytest.raises(UsageError):
        ws.surveys.anonymous_link("checkout")  # it no longer takes anonymous answers
    with pytest.raises(InputError):
        ws.surveys.load(tmp_path / "missing.yaml")

    for customer_id, segment in (("C1", "smb"), ("C2", "smb"), ("C3", "enterprise")):
        ws.db.execute(
            "INSERT INTO customers (customer_id, segment) VALUES (?, ?)", [customer_id, segment]
        )
    first = ws.surveys.links("checkout", segment="smb")
    assert [link["customer_id"] for link in first.links] == ["C1", "C2"]
    assert all(link["url"].startswith("https://survey.example.com/s/") for link in first.links)
    again = ws.surveys.links("checkout", customers=["C1", "C3"])
    assert [link["customer_id"] for link in again.links] == ["C3"]
    assert again.skipped_by_reason == {"invited": 1}  # C1 was invited a moment ago
