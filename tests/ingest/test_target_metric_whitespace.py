"""A target's metric is checked, stored and read as one name, whatever whitespace is around it.

Review12 item 1: the import's checks trimmed spaces only, the gaps strip every whitespace
character, so ``csat`` and a tab at 4.2 loaded unchecked and was read as 4.2% satisfied, "met",
and ``nps`` and a tab at 500 got past the range check.
"""

from __future__ import annotations

from pathlib import Path

import advocacy
from advocacy.gaps.targets import target_gaps

TARGETS = (
    "target_id,metric,scope,desired_value,due\n"
    'tab-mean,"csat\t",all,4.2,2026-12-31\n'
    "nbsp-mean,\u00a0CSAT\u3000,unit=A,4.5,2026-12-31\n"
    'tab-nps,"nps\t",all,500,2026-12-31\n'
    'line-share,"\ncsat_\t",unit=B,85,2026-12-31\n'
    'blank,"\t",unit=C,85,2026-12-31\n'
    "item,\titem:Reliability_Score,all,4,2026-12-31\n"
)


def test_whitespace_around_a_metric_gets_past_no_check(db_url: str, tmp_path: Path) -> None:
    source = tmp_path / "targets.csv"
    source.write_text(TARGETS, encoding="utf-8")
    with advocacy.open(db_url) as ws:
        result = ws.import_file(source, kind="targets")
        stored = dict(ws.db.fetchall("SELECT target_id, metric FROM targets"))
        gaps = target_gaps(ws.table).set_index("target_id")
    held = {(entry.row_number, entry.column): entry for entry in result.quarantine}
    assert sorted(held) == [
        (2, "desired_value"),
        (3, "desired_value"),
        (4, "desired_value"),
        (6, "metric"),
    ]
    for row in (2, 3):  # the old csat mean, refused with its fix as without the tab
        assert f"{held[row, 'desired_value'].fix}".startswith("write the metric csat-mean")
    assert "outside the range" in held[4, "desired_value"].reason
    assert "write a value from -100 to 100 for nps" in f"{held[4, 'desired_value'].fix}"
    assert held[6, "metric"].reason == "required: the cell is empty"
    # Stored as the gaps read it: without the whitespace, case and "_" as written.
    assert stored == {"line-share": "csat_", "item": "item:Reliability_Score"}
    assert gaps.loc["line-share"].desired == 85.0
