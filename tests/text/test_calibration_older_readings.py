"""The report says when the stored readings are not what the next ``text analyze`` makes.

Review 23 (item 6): on a workspace upgraded but not yet analysed, the report showed the readings
of an older calibration and older effort cues and described a calibration in general words,
with nothing to say that ``text analyze`` would change them.
"""

from __future__ import annotations

from pathlib import Path

import advocacy
from advocacy.text.calibration_report import kept_calibration_note
from support.calibration_files import ANSWERS, write_answers


def test_the_report_says_which_stored_readings_an_older_version_made(
    db_url: str, tmp_path: Path
) -> None:
    answers = write_answers(tmp_path / "answers.csv", ANSWERS[:6])
    with advocacy.open(db_url, create=True) as ws:
        ws.import_file(answers, kind="responses", cases=False)
        ws.text.analyze(workers=1)
        model = ws.settings.text_model
        current = kept_calibration_note(ws.db, model)
        # As an upgrade leaves it: two readings by older effort cues, then a calibration
        # stored in an older format (refitted by the next analyze).
        ws.db.execute(
            "UPDATE text_features SET model = REPLACE(model, 'effort-cues-', 'effort-cues-old') "
            "WHERE document_id IN ('r1', 'r2')"
        )
        cues = kept_calibration_note(ws.db, model)
        ws.db.execute("UPDATE text_calibration SET format = 1")
        upgraded = kept_calibration_note(ws.db, model)
        ws.text.analyze(workers=1)
        analysed = kept_calibration_note(ws.db, model)
    assert "older" not in current and "older" not in analysed
    assert cues.endswith(
        " 2 of the 6 stored readings were made by an older model, older effort cues or an "
        "older calibration: the figures here are theirs until advocacy text analyze reads "
        "them again."
    )
    assert " 6 of the 6 stored readings were made by an older model" in upgraded
