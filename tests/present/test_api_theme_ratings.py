"""The analyses a user downloads carry the rating effect the report and the web's cards lead
with for reviews (review27 finding 10, the API half): ``/api/v1/analyses/themes`` as CSV and
JSON and ``advocacy export analysis themes`` give each theme's effect on the reviews' rating,
with its interval and Holm-adjusted p-value, the same numbers as the report's; a theme with
none has empty cells, and an NPS workspace's themes have empty rating cells."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pandas as pd
import pytest
from fastapi.testclient import TestClient

import advocacy
from advocacy.access import create_token
from advocacy.present.web import create_app
from advocacy.text.theme_ratings import RATING_COLUMNS, theme_rating_effects
from support.cli import advocacy_cli
from support.outcome_surveys import answers, survey
from support.rated_reviews import analysed_reviews

TAXONOMY = (
    "themes:\n  - name: Sizing\n    keywords: [small, size]\n"
    "  - name: Price\n    keywords: [price]\n"
    "  - name: Zips\n    keywords: [zipper]\n"
)


@pytest.fixture(scope="module")
def reviews(tmp_path_factory: pytest.TempPathFactory) -> tuple[str, pd.DataFrame]:
    """A workspace of rated reviews with themes (Zips: no review mentions it), and the
    report's rating effects."""
    database = analysed_reviews(tmp_path_factory.mktemp("reviews"), TAXONOMY)
    with advocacy.open(database) as ws:
        effects = theme_rating_effects(ws.db, ws.settings.confidence).set_index("theme_id")
    assert {"curated:Sizing", "curated:Price"} <= set(effects.index)
    return database, effects


def test_the_api_csv_and_json_carry_each_themes_rating_effect(
    reviews: tuple[str, pd.DataFrame],
) -> None:
    database, effects = reviews
    with advocacy.open(database) as ws:
        token = create_token(ws.db, role="analyst", name="ana").secret
    headers = {"Authorization": f"Bearer {token}"}
    with TestClient(create_app(database), base_url="https://testserver") as client:
        as_json = client.get("/api/v1/analyses/themes?format=json", headers=headers)
        as_csv = client.get("/api/v1/analyses/themes?format=csv", headers=headers)
    assert as_json.status_code == 200, as_json.text
    assert as_csv.status_code == 200, as_csv.text
    rows = {row["theme_id"]: row for row in as_json.json()}
    cells = {row["theme_id"]: row for row in csv.DictReader(io.StringIO(as_csv.text))}
    for theme in ("curated:Sizing", "curated:Price"):
        for column in ("rating_effect", "rating_effect_low", "rating_effect_high"):
            assert rows[theme][column] == pytest.approx(effects.loc[theme, column])
            assert float(cells[theme][column]) == pytest.approx(effects.loc[theme, column])
        assert rows[theme]["rating_n_mentioning"] == effects.loc[theme, "rating_n_mentioning"]
        # Holm over the themes tested: never below the theme's own p-value.
        assert rows[theme]["rating_p_adjusted"] >= effects.loc[theme, "rating_p_value"]
    # Sizing's reviews rate lower than the others; a theme no review mentions has no effect.
    assert rows["curated:Sizing"]["rating_effect"] < 0
    assert rows["curated:Zips"]["rating_effect"] is None
    assert cells["curated:Zips"]["rating_effect"] == ""
    assert set(RATING_COLUMNS) <= set(cells["curated:Zips"])


def test_export_analysis_themes_carries_the_rating_effect(
    reviews: tuple[str, pd.DataFrame], tmp_path: Path
) -> None:
    database, effects = reviews
    out = tmp_path / "themes.json"
    done = advocacy_cli("export", "analysis", "themes", "--out", str(out), "--db", database)
    assert done.returncode == 0, done.stderr
    rows = {row["theme_id"]: row for row in json.loads(out.read_text(encoding="utf-8"))}
    assert rows["curated:Sizing"]["rating_effect"] == pytest.approx(
        effects.loc["curated:Sizing", "rating_effect"]
    )
    assert rows["curated:Sizing"]["rating_not"] == pytest.approx(
        effects.loc["curated:Sizing", "rating_not"]
    )


def test_an_nps_workspace_has_empty_rating_cells(tmp_path: Path) -> None:
    database = survey(
        tmp_path, "nps", answers({"price": [0, 3, 9, 10] * 5, "praise": [9, 10, 10, 4] * 10})
    )
    with advocacy.open(database) as ws:
        themes = ws.text.themes().set_index("theme_id")
    assert themes["effect"].notna().any()  # the NPS effect, as before
    assert themes[RATING_COLUMNS].isna().all().all()
