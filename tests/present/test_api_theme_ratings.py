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

REVIEWS = [
    ("The dress runs small, I had to send it back.", 1),
    ("Far too small in the shoulders, order a size up.", 2),
    ("It runs small and tight across the chest.", 2),
    ("Runs small, the large fits like a medium.", 1),
    ("The price is fair for the quality.", 4),
    ("Worth the price, I would pay it again.", 5),
    ("A good price for a sturdy coat.", 4),
    ("Beautiful colour and soft fabric, I love it.", 5),
    ("Arrived quickly and looks great on.", 5),
    ("Lovely stitching, I wear it every week.", 4),
    ("Gorgeous pattern, many compliments.", 5),
]
TAXONOMY = (
    "themes:\n  - name: Sizing\n    keywords: [small, size]\n"
    "  - name: Price\n    keywords: [price]\n"
    "  - name: Zips\n    keywords: [zipper]\n"
)


@pytest.fixture(scope="module")
def reviews(tmp_path_factory: pytest.TempPathFactory) -> tuple[str, pd.DataFrame]:
    """A workspace of rated reviews with themes (Zips: no review mentions it), and the
    report's rating effects."""
    folder = tmp_path_factory.mktemp("reviews")
    pd.DataFrame(
        {
            "mention_id": [f"m{i}" for i in range(len(REVIEWS))],
            "text": [text for text, _ in REVIEWS],
            "rating": [stars for _, stars in REVIEWS],
            "platform": "shop",
        }
    ).to_csv(folder / "reviews.csv", index=False)
    (folder / "taxonomy.yaml").write_text(TAXONOMY, encoding="utf-8")
    database = str(folder / "advocacy.duckdb")
    with advocacy.open(database) as ws:
        ws.import_file(folder / "reviews.csv", kind="mentions", cases=False)
        ws.text.analyze(taxonomy=folder / "taxonomy.yaml")
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
