"""`advocacy text themes` on a workspace without themes (audit4 item 12): it printed an empty
table and said nothing of what to run."""

from __future__ import annotations

import json
from pathlib import Path

import advocacy
from support.cli import advocacy_cli


def test_no_themes_yet_says_what_to_run(tmp_path: Path) -> None:
    database = str(tmp_path / "advocacy.duckdb")
    with advocacy.open(database) as ws:
        ws.write_records("responses", [{"response_id": "r1", "comment": "The refund was late."}])
    shown = advocacy_cli("text", "themes", "--db", database)
    assert shown.returncode == 0, shown.stderr
    hint = (
        "no themes yet: assign a taxonomy (advocacy text analyze --taxonomy FILE) or find "
        "themes in the texts (advocacy text discover-themes)"
    )
    assert " ".join(shown.stdout.split()) == hint  # soft-wrapped to the terminal
    curated = advocacy_cli("text", "themes", "--origin", "curated", "--db", database)
    assert curated.stdout.startswith("no curated themes yet: ")
    # Machine formats stay machine-readable: an empty list.
    machine = advocacy_cli("text", "themes", "--format", "json", "--db", database)
    assert json.loads(machine.stdout) == []
