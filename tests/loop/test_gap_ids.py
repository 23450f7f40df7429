"""Every gap has its own id, and a link to an id several gaps share is refused (review12 item 3).

Gap ids are lower case with ``-`` for punctuation, so targets ``T-3`` and ``T_3`` (or ``T1`` and
``t1``) both read ``target-csat-mean-t-3``; ``plans add --link`` then took the first in silence.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from advocacy.errors import UsageError
from gaps.olist import olist_workspace

TARGETS = (
    "target_id,metric,scope,desired_value,due\n"
    "T-3,csat-mean,all,4.3,2018-12-31\n"
    "T_3,csat-mean,all,4.4,2018-12-31\n"
    "T1,csat,all,90,2018-12-31\n"
    "t1,csat,all,95,2018-12-31\n"
    "lone,top-box,all,80,2018-12-31\n"
)


def test_targets_whose_ids_read_the_same_get_distinct_gap_ids(
    db_url: str, tmp_path: Path, shared_data: Path
) -> None:
    (tmp_path / "targets.csv").write_text(TARGETS, encoding="utf-8")
    with olist_workspace(db_url, tmp_path, shared_data) as ws:
        result = ws.import_file(tmp_path / "targets.csv", kind="targets")
        assert (result.rows_loaded, result.rows_quarantined) == (5, 0)
        ids = [row["gap_id"] for row in ws.plans.gap_suggestions()]
        with pytest.raises(UsageError) as ambiguous:
            ws.plans.add("gap:target-csat-mean-t-3", title="Which?", starts_on="2018-04-01")
        values = {
            gap: ws.plans.add(f"gap:{gap}", title=gap, starts_on="2018-04-01").target_value
            for gap in ids
            if gap.startswith("target-")
        }
    assert len(ids) == len(set(ids)), ids
    hashed = sorted(gap for gap in ids if re.fullmatch(r"target-csat-mean-t-3-[0-9a-f]{6}", gap))
    cased = sorted(gap for gap in ids if re.fullmatch(r"target-csat-t1-[0-9a-f]{6}", gap))
    assert len(hashed) == 2 and len(cased) == 2, ids
    assert "target-top-box-lone" in ids  # an id no other gap reads the same is left as it was
    # Each link names its own target: the two values are both there, once each.
    assert sorted(values[gap] for gap in hashed) == [4.3, 4.4]
    assert sorted(values[gap] for gap in cased) == [90.0, 95.0]
    assert all(f"gap:{gap}" in ambiguous.value.fix for gap in hashed), ambiguous.value.fix
