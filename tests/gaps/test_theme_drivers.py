"""Comment themes as key drivers: a planted theme ranks first, on both engines."""

from __future__ import annotations

from pathlib import Path

import pytest

from advocacy.errors import UsageError


def test_planted_theme_ranks_first_among_theme_drivers(db_url: str, tmp_path: Path) -> None:
    from gaps.theme_data import NOISE, PLANTED, frames, workspace_with_themes

    with workspace_with_themes(db_url, tmp_path) as ws:
        themes = ws.gaps.drivers(level="theme", n_bootstrap=0)
        mixed = ws.gaps.drivers(level="item+theme", n_bootstrap=0)
    answers = frames()["responses"]
    mentions = frames()["mentions"]
    commented = int((answers.comment != "").sum())
    assert themes.driver.iloc[0] == PLANTED
    assert set(themes.driver) == {PLANTED, *NOISE}
    assert set(themes.kind) == {"theme"}
    assert themes.attrs["n"] == commented
    assert themes.attrs["without_comment"] == len(answers) - commented
    counts = mentions.theme.value_counts()
    assert {row.driver: row.mentions for row in themes.itertuples()} == counts.to_dict()
    assert themes.raw_weight.sum() == pytest.approx(themes.attrs["r_squared"])
    # Ratings and themes on one R^2 scale: speed drives most, the planted theme leads the themes.
    assert list(mixed.driver[:1]) == ["speed"]
    assert mixed[mixed.kind == "theme"].driver.iloc[0] == PLANTED
    assert set(mixed[mixed.kind == "rating"].driver) == {"speed", "price"}
    assert mixed.share.sum() == pytest.approx(1.0)
    assert mixed.attrs["n"] == commented


def test_theme_count_is_capped_and_missing_themes_say_what_to_run(tmp_path: Path) -> None:
    from gaps.theme_data import PLANTED, workspace_with_themes

    with workspace_with_themes(str(tmp_path / "w.duckdb"), tmp_path) as ws:
        capped = ws.gaps.drivers(level="dimension+theme", max_themes=2, n_bootstrap=20)
    themes = capped[capped.kind == "theme"]
    assert len(themes) == 2 and PLANTED not in set(themes.driver)  # the two most frequent
    assert set(capped[capped.kind == "rating"].driver) == {"pace", "value"}
    assert capped.share_low.notna().all() and capped.raw_weight_low.notna().all()
    folder = tmp_path / "bare"
    folder.mkdir()
    with workspace_with_themes(str(folder / "w.duckdb"), folder, themes=False) as ws:
        with pytest.raises(UsageError) as caught:
            ws.gaps.drivers(level="theme")
        with pytest.raises(UsageError) as unknown:
            ws.gaps.drivers(level="themes")
    assert caught.value.fix is not None and "text discover-themes" in caught.value.fix
    assert unknown.value.parameter == "level" and "item+theme" in str(unknown.value.fix)
