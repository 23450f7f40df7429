"""What promoters and detractors go on to do, with intervals, on both engines."""

from __future__ import annotations

from pathlib import Path

import pytest

import advocacy


def test_promoters_and_detractors_compared_on_later_behaviour(db_url: str, tmp_path: Path) -> None:
    # ten promoters and ten detractors answer on 2025-01-01; eight promoters and two
    # detractors buy within 180 days, promoters twice; two promoters refer someone
    responses = ["response_id,customer_id,submitted_at,nps"]
    purchases = ["transaction_id,customer_id,occurred_at,amount"]
    referrals = ["referral_id,referrer_id,referred_at"]
    for n in range(10):
        responses.append(f"P{n},P{n},2025-01-01T09:00:00Z,10")
        responses.append(f"D{n},D{n},2025-01-01T09:00:00Z,2")
        if n < 8:
            purchases.append(f"TP{n}a,P{n},2025-02-01T09:00:00Z,100")
            purchases.append(f"TP{n}b,P{n},2025-03-01T09:00:00Z,50")
        if n < 2:
            purchases.append(f"TD{n},D{n},2025-02-01T09:00:00Z,60")
            referrals.append(f"F{n},P{n},2025-04-01T09:00:00Z")
    purchases.append("TLATE,D9,2025-12-01T09:00:00Z,999")  # after the window: ignored
    with advocacy.open(db_url) as ws:
        for kind, lines in (
            ("responses", responses),
            ("transactions", purchases),
            ("referrals", referrals),
        ):
            path = tmp_path / f"{kind}.csv"
            path.write_text("\n".join(lines) + "\n", encoding="utf-8")
            ws.import_file(path, kind=kind)
        table = ws.advocates.behavior(window_days=180, as_of="2025-12-31")
    rows = table.set_index(["outcome", "band"])
    assert rows.loc[("retention", "promoter"), "value"] == pytest.approx(0.8)
    assert rows.loc[("retention", "detractor"), "value"] == pytest.approx(0.2)
    assert rows.loc[("retention", "promoter"), "versus_detractors"] == pytest.approx(4.0)
    # Wilson 95 % for 8 of 10
    low, high = rows.loc[("retention", "promoter"), ["low", "high"]]
    assert (round(low, 4), round(high, 4)) == (0.4902, 0.9433)
    assert rows.loc[("repeat_purchase", "promoter"), "value"] == pytest.approx(0.8)
    assert rows.loc[("repeat_purchase", "detractor"), "value"] == 0.0
    assert rows.loc[("spend", "promoter"), "value"] == pytest.approx(120.0)  # 8 x 150 / 10
    assert rows.loc[("spend", "detractor"), "value"] == pytest.approx(12.0)
    assert rows.loc[("referral", "promoter"), "value"] == pytest.approx(0.2)
    assert rows.loc[("retention", "passive"), "customers"] == 0
