"""``advocacy advocates ...`` through a real process on the hand-written story workspace."""

from __future__ import annotations

import json
from pathlib import Path

from support.cli import advocacy_cli

AS_OF = "2026-06-30"


def test_ladder_say_do_and_silent_promoters_commands(story: str, tmp_path: Path) -> None:
    common = ("--as-of", AS_OF, "--format", "json", "--db", story)
    done = advocacy_cli("advocates", "ladder", *common, cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    counts = {row["rung"]: row["customers"] for row in json.loads(done.stdout)}
    assert counts == {"champion": 1, "advocate": 2, "promoter": 1, "passive": 1, "detractor": 1}
    done = advocacy_cli("advocates", "ladder", "--customers", *common, cwd=tmp_path)
    rows = {row["customer_id"]: row for row in json.loads(done.stdout)}
    assert rows["E"]["at_risk"] is True and rows["E"]["risk_reason"] == "NPS fell from 9 to 3"
    done = advocacy_cli("advocates", "say-do", "--by", "unit", *common, cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    say_do = {row["unit"]: row for row in json.loads(done.stdout)}
    assert (say_do["North"]["promoters"], say_do["North"]["advocated"]) == (4, 2)
    done = advocacy_cli("advocates", "silent-promoters", *common, cwd=tmp_path)
    assert [row["customer_id"] for row in json.loads(done.stdout)] == ["C"]
    done = advocacy_cli("advocates", "say-do", "--by", "colour", *common, cwd=tmp_path)
    assert done.returncode == 2  # a usage error
    assert done.stderr.startswith("error: cannot slice by 'colour'")


def test_fans_on_too_little_history_fails_with_one_line(story: str, tmp_path: Path) -> None:
    done = advocacy_cli("advocates", "fans", "--as-of", AS_OF, "--db", story, cwd=tmp_path)
    assert done.returncode == 1
    assert done.stderr.startswith("error: ") and "Traceback" not in done.stderr
