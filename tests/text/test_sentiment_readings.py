"""Which reading made each stored sentiment: the workspace's calibration or the model alone.

Survey answers with a CSAT (our own words) calibrate the workspace; social posts beside them
carry no label, so the calibration does not read their kind and the model alone reads them
(``tests/text/test_calibration_kinds.py``). What the web's text page and API say of the readings
is counted here from the stored rows, on both engines.
"""

from __future__ import annotations

from pathlib import Path

import advocacy
from advocacy.text.calibration import CalibratedSentiment
from advocacy.text.model_names import EFFORT_CUES, EMOTION_MODEL, SENTIMENT_MODEL
from advocacy.text.sentiment_readings import reading_of
from support.calibration_files import ANSWERS, POSTS, write_answers, write_posts

TAXONOMY = """themes:
  - name: Kitchen
    keywords: [kettle, blender, toaster, lid]
"""


def test_a_fitted_calibrations_name_reads_as_the_calibration() -> None:
    texts = [text for _, _, text in ANSWERS]
    labels = ["negative", "negative", "positive", "positive", "neutral", "negative"]
    fitted = CalibratedSentiment().fit(texts, [*labels, "positive", "negative"])
    stored = f"{fitted.name_}; {EMOTION_MODEL}; {EFFORT_CUES}"
    assert reading_of(stored) == "calibration"
    assert reading_of(f"{SENTIMENT_MODEL}; {EMOTION_MODEL}; {EFFORT_CUES}") == "model alone"
    assert reading_of("real-sentiment-e5-v7+workspace-0a1b; real-emotion-e5-v4") == "older model"
    assert reading_of(None) is None and reading_of("") is None


def test_the_stored_readings_are_counted_by_kind_theme_and_text(
    db_url: str, tmp_path: Path
) -> None:
    answers = write_answers(tmp_path / "answers.csv", ANSWERS)
    posts = write_posts(tmp_path / "posts.csv", [*POSTS, ("m4", "N/A")])
    taxonomy = tmp_path / "taxonomy.yaml"
    taxonomy.write_text(TAXONOMY, encoding="utf-8")
    with advocacy.open(db_url, create=True) as ws:
        ws.import_file(answers, kind="responses", cases=False)
        ws.import_file(posts, kind="mentions", cases=False)
        ws.text.analyze(workers=1)
        ws.text.assign_themes(taxonomy)
        found = ws.text.sentiment_readings()
        themes = ws.text.themes()
        quoted = ws.text.readings_of([("response", "r2"), ("mention", "m1"), ("mention", "x")])
    assert found.counts == {
        "mention": {"model alone": 3, "not read": 1},
        "response": {"calibration": 8},
    }
    assert found.summary() == (
        "Sentiment of 12 stored texts: 8 read by the workspace's calibration (8 response "
        "texts), 3 read by the model alone (3 mention texts from platform 'twitter'); 1 not "
        "read (a language the model does not read, or no content)."
    )
    # 8 labels: the prior is only adjusted, nothing compared, so no weakness is known.
    assert found.warnings == ()
    assert found.calibration["calibration status"].startswith("kept")
    # The kettle, blender and lid answers are read by the calibration, the toaster and kettle
    # posts by the model alone.
    [kitchen] = themes.to_dict("records")
    assert kitchen["size"] == 5
    assert kitchen["sentiment_readings"] == {"calibration": 3, "model alone": 2}
    assert quoted == {("response", "r2"): "calibration", ("mention", "m1"): "model alone"}


def test_no_reading_yet_says_so(db_url: str) -> None:
    with advocacy.open(db_url, create=True) as ws:
        found = ws.text.sentiment_readings()
    assert found.counts == {} and found.calibration == {}
    assert found.summary() == "No text has been read for sentiment yet."
