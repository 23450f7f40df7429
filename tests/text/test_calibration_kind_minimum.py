"""A kind of text is read through the calibration only with enough labels of it.

Review 23 (item 1): a workspace calibrated on 3,000 CSAT comments read its 2,000 tweets by the
model alone (0.715 accuracy) until five rated reviews were imported as mentions; the next
refit read every tweet through the CSAT calibration again (0.382). Here many scored survey
answers (our own words) and a handful of rated posts calibrate the workspace; the unrated posts
must still be read by the model alone, and every run says why.
"""

from __future__ import annotations

from pathlib import Path
from types import SimpleNamespace

import advocacy
from advocacy.text.calibration_kinds import MIN_KIND_LABELS, kinds_scope, read_kinds
from advocacy.text.calibration_report import evaluate_advice
from advocacy.text.enrich import analyze_texts
from support.calibration_files import POSTS as TWEETS
from support.calibration_files import write_answers, write_posts

BAD = [
    "The parcel came {} days late and nobody answered my emails.",
    "Box number {} was crushed and the kettle inside had a dent.",
    "Refund still not processed after {} phone calls.",
    "The lid cracked on use number {}, cheap plastic.",
]
GOOD = [
    "Arrived in {} days, well packed, works perfectly.",
    "Good value, blender {} is quieter than my old one.",
    "Lovely helpful staff on the chat, sorted in {} minutes.",
]
PLAIN = ["It does the job, order {} was nothing special.", "Delivered on day {} as stated."]
RATED_POSTS = [
    ("p1", 1, "bought their toaster, dead in a day"),
    ("p2", 5, "their new kettle is brilliant"),
    ("p3", 1, "never again, the fan rattles"),
]
POSTS = [
    *TWEETS,
    ("m4", "so fed up with this rain honestly"),
    # A language the model does not read: no sentiment, so not counted as read by it.
    ("m5", "Der Wasserkocher ist nach zwei Tagen kaputt gegangen, wirklich enttäuschend."),
]


def _answers() -> list[tuple[str, int, str]]:
    rows = []
    for i in range(4):
        rows += [(f"b{i}{j}", 1 + j % 2, text.format(i + 2)) for j, text in enumerate(BAD)]
        rows += [(f"g{i}{j}", 5 - j % 2, text.format(i + 2)) for j, text in enumerate(GOOD)]
        rows += [(f"n{i}{j}", 3, text.format(i + 2)) for j, text in enumerate(PLAIN)]
    return rows


def _workspace(url: str, tmp_path: Path) -> None:
    answers, rated, posts = (tmp_path / name for name in ("a.csv", "r.csv", "p.csv"))
    write_answers(answers, _answers())
    rated.write_text(
        "mention_id,platform,posted_at,rating,text\n"
        + "".join(f'{key},shop,2026-03-02,{stars},"{text}"\n' for key, stars, text in RATED_POSTS),
        encoding="utf-8",
    )
    write_posts(posts, POSTS)
    with advocacy.open(url, create=True) as ws:
        ws.import_file(answers, kind="responses", cases=False)
        ws.import_file(rated, kind="mentions", cases=False)
        ws.import_file(posts, kind="mentions", cases=False)


def test_a_handful_of_labels_of_a_kind_does_not_put_that_kind_under_the_calibration(
    db_url: str, tmp_path: Path
) -> None:
    _workspace(db_url, tmp_path)
    n_answers = len(_answers())
    with advocacy.open(db_url) as ws:
        first = ws.text.analyze(workers=1)
        refit = ws.text.analyze(workers=1, recalibrate=True)
        stored = ws.db.fetchall(
            "SELECT document_id, sentiment, model FROM text_features "
            "WHERE document_kind = 'mention' ORDER BY document_id"
        )
        calibrated, _ = ws.text.calibration_status()
        report = ws.text.calibration_report()
    assert calibrated is not None
    assert calibrated.kinds_ == {"mention": len(RATED_POSTS), "response": n_answers}
    assert calibrated.reads_kind("response") and not calibrated.reads_kind("mention")
    # Every mention, rated or not, is stored as the model alone reads it, fitted or refitted.
    mentions = [*RATED_POSTS, *((key, None, text) for key, text in POSTS)]
    alone = analyze_texts([text for _, _, text in sorted(mentions)])
    assert [sentiment for _, sentiment, _ in stored] == [
        None if isinstance(sentiment, float) else sentiment for sentiment in alone["sentiment"]
    ]
    assert {model for _, _, model in stored} == {alone["model"].iloc[0]}
    assert first.not_supported == {"de": 1}
    assert first.model_alone == {"mention": len(mentions) - 1}, first.summary()
    # The same labels refitted name the same model: nothing is read again.
    assert (refit.analyzed, refit.model_alone) == (0, {})
    said = first.summary()["read by the model alone"]
    # By platform: the shop's rated posts too (a kind read by the model alone is, whole).
    assert said.startswith(
        f"{len(POSTS) - 1} mention texts from platform 'twitter', {len(RATED_POSTS)} mention "
        "texts from platform 'shop': the calibration reads "
    ), said
    assert f"too few labels of mention ({len(RATED_POSTS)} labels)" in said
    assert f"response ({n_answers} labels)" in report["texts it reads"]


def test_the_rule_counts_labels_per_kind() -> None:
    assert read_kinds({"mention": 5, "response": 3000}) == {"response": 3000}
    assert read_kinds({"mention": MIN_KIND_LABELS, "response": 3000}) == {
        "mention": MIN_KIND_LABELS,
        "response": 3000,
    }
    # A small calibration reads the kind most of its labels are on (or both, half each).
    assert read_kinds({"response": 12}) == {"response": 12}
    assert read_kinds({"mention": 4, "response": 8}) == {"response": 8}
    assert read_kinds({"mention": 6, "response": 6}) == {"mention": 6, "response": 6}
    assert "too few labels of mention (1 label)" in kinds_scope({"mention": 1, "response": 40})


def test_the_warning_advises_evaluating_a_file_of_the_kind_the_calibration_reads() -> None:
    fitted = SimpleNamespace(kinds_={"mention": 3, "response": 400})
    everywhere = SimpleNamespace(kinds_={})
    assert evaluate_advice(fitted) == "advocacy text evaluate FILE --kind responses"  # type: ignore[arg-type]
    assert evaluate_advice(everywhere) == "advocacy text evaluate FILE"  # type: ignore[arg-type]
