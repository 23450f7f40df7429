"""Who may own a case: enabled users, and the teams of the ``case_teams`` setting."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

import advocacy
from advocacy.access import add_user, disable_user
from advocacy.errors import UsageError, ValidationError
from advocacy.loop.cases.owners import check_owner, unknown_owners
from advocacy.loop.cases.rule_store import list_rules, load_rules
from advocacy.workspace import Workspace

PASSWORD = "correct horse battery staple"


@pytest.fixture
def ws(tmp_path: Path) -> Iterator[Workspace]:
    with advocacy.open(str(tmp_path / "w.duckdb")) as workspace:
        add_user(workspace.db, "hal", role="case-handler", password=PASSWORD, units="North")
        add_user(workspace.db, "old", role="analyst", password=PASSWORD)
        disable_user(workspace.db, "old")
        yield workspace


def test_enabled_users_and_listed_teams_may_own_cases(ws: Workspace) -> None:
    no_teams = ws.settings.updated(case_teams="")
    assert check_owner(ws.db, " hal ", settings=no_teams) == "hal"
    for name in ("old", "Hal", "billing", "nobody"):
        with pytest.raises(UsageError, match="cannot own cases"):
            check_owner(ws.db, name, settings=no_teams)
    teams = ws.settings.updated(case_teams="billing, returns desk,")
    assert check_owner(ws.db, "billing", settings=teams) == "billing"
    assert check_owner(ws.db, "returns desk", settings=teams) == "returns desk"
    with pytest.raises(UsageError) as refused:
        check_owner(ws.db, "old", settings=teams)
    assert "teams now: billing, returns desk" in (refused.value.fix or "")
    assert unknown_owners(ws.db, ["hal", "x", "billing", "x", "old"], settings=teams) == [
        "x",
        "old",
    ]


def test_a_rules_file_may_not_escalate_to_a_stranger(ws: Workspace, tmp_path: Path) -> None:
    path = tmp_path / "rules.yaml"
    path.write_text(
        "- {id: detractor, trigger: nps_at_most, routes: [{unit: North, owner: hal}],\n"
        "   escalate_after_hours: 24, escalate_to: boss}\n",
        encoding="utf-8",
    )
    before = list_rules(ws.db)  # a new workspace's: the shipped rules
    with pytest.raises(ValidationError) as refused:
        load_rules(ws.db, path, actor="ada", settings=ws.settings)
    assert refused.value.file == str(path)
    assert refused.value.message.startswith("rule 'detractor' names owner(s) 'boss'")
    assert list_rules(ws.db) == before  # nothing stored
