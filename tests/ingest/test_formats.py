"""Survey-tool adapters on real Qualtrics exports and on exports we authored in tests/fixtures."""

from __future__ import annotations

from pathlib import Path

import pytest

from advocacy.errors import UsageError
from advocacy.ingest.formats import adapt, detect_source
from advocacy.ingest.raw import Adapted
from advocacy.ingest.readers import read_file
from advocacy.model import EMPLOYEE_RESPONSES, MENTIONS, RESPONSES
from support import require

SHARED = Path(__file__).resolve().parents[2].parent / "shared" / "data"
FIXTURES = Path(__file__).resolve().parents[1] / "fixtures"


def shared(name: str) -> Path:
    path = SHARED / "qualtrics-exports" / name
    require(path.exists(), f"{path} is missing (../shared/data is not beside the repository)")
    return path


def fields_of(adapted: Adapted) -> dict[str, str]:
    return {detection.column: detection.field for detection in adapted.detections}


@pytest.mark.shared_data
def test_qualtrics_modern_sample() -> None:
    raw = read_file(shared("qualtRics_sample.csv"))
    assert detect_source(raw) == "qualtrics"
    adapted = adapt(raw, RESPONSES)
    assert adapted.source_format == "qualtrics"
    assert adapted.first_data_row == 4
    assert adapted.rows.num_rows == 1
    assert adapted.fields == {
        "response_id": "ResponseId",
        "submitted_at": "RecordedDate",
        "language": "UserLanguage",
        "comment": "Q2",
    }
    row = adapted.rows.to_pylist()[0]
    assert row["ResponseId"] == "R_2YPOQ602ER1jkf1"
    assert row["Q2"] == "Hello World!"
    # The multiple-choice code is not a rating: it stays in attrs, and says why.
    assert fields_of(adapted)["Q1"] == "attrs"
    assert "ExternalReference" in adapted.attrs_columns  # empty, so not a customer id
    assert "RecipientEmail" in adapted.attrs_columns
    assert any("time zone" in note for note in adapted.notes)


@pytest.mark.shared_data
def test_qualtrics_legacy_sample() -> None:
    raw = read_file(shared("qualtRics_sample_legacy.csv"))
    assert raw.header[-1] == "column_16"  # the trailing comma
    assert detect_source(raw) == "qualtrics-legacy"
    adapted = adapt(raw, RESPONSES)
    assert adapted.source_format == "qualtrics-legacy"
    assert adapted.first_data_row == 3
    assert adapted.fields == {
        "response_id": "ResponseID",
        "submitted_at": "EndDate",
        "comment": "Q2",
    }
    row = adapted.rows.to_pylist()[0]
    assert row["ResponseID"] == "R_2YPOQ602ER1jkf1"
    assert row["EndDate"] == "2017-07-18 08:28:48"
    assert row["IPAddress"] == "130.92.34.66"  # V6 renamed from the text row
    assert fields_of(adapted)["Q1"] == "attrs"


def test_qualtrics_with_nps_as_employee_survey(tmp_path: Path) -> None:
    path = tmp_path / "q.csv"
    path.write_text(
        "ResponseId,RecordedDate,ExternalReference,Q1,Q2,Q3\n"
        "Response ID,Recorded Date,External Data Reference,How likely are you to recommend "
        "working here?,How would you rate your workload (0-10)?,Why?\n"
        '{"ImportId":"_recordId"},{"ImportId":"recordedDate"},{"ImportId":"externalDataReference"}'
        ',{"ImportId":"QID1"},{"ImportId":"QID2"},{"ImportId":"QID3_TEXT"}\n'
        "R_1,2026-01-05 10:00:00,E-1,9,3,Great team and clear goals\n"
        "R_2,2026-01-06 11:00:00,E-2,4,10,Too many meetings every single day\n"
    )
    adapted = adapt(read_file(path), EMPLOYEE_RESPONSES)
    assert adapted.fields == {
        "employee_response_id": "ResponseId",
        "submitted_at": "RecordedDate",
        "employee_id": "ExternalReference",
        "enps": "Q1",
        "comment": "Q3",
    }
    assert not adapted.items  # employee items are culture ratings, mapped by hand
    assert any("does not ask about recommending" in note for note in adapted.notes)


def test_surveymonkey() -> None:
    raw = read_file(FIXTURES / "surveymonkey.csv")
    assert detect_source(raw) == "surveymonkey"
    adapted = adapt(raw, RESPONSES)
    assert adapted.first_data_row == 3
    assert adapted.rows.num_rows == 4
    nps = "How likely is it that you would recommend Northwind to a friend or colleague?"
    csat = "Overall, how satisfied are you with your most recent order?"
    value = "On a scale of 0 to 10, how would you rate the value for money?"
    assert adapted.fields["response_id"] == "Respondent ID"
    assert adapted.fields["submitted_at"] == "End Date"
    assert adapted.fields["nps"] == nps
    assert adapted.fields["csat"] == csat
    assert adapted.fields["ces"] == "How easy was it to find what you were looking for?"
    assert adapted.fields["comment"] == "What is the main reason for your score?"
    # Verbal satisfaction labels are read as 1-5.
    assert adapted.rows.column(csat).to_pylist() == ["5", "2", "4", "3"]
    assert adapted.constants["csat_scale_max"] == "5"
    assert value not in adapted.fields.values()
    assert [(item.column, item.scale_min, item.scale_max) for item in adapted.items] == [
        (value, 0, 10)
    ]
    assert any(f"column {value!r} holds 0-10 ratings" in note for note in adapted.notes)
    assert "Which channels did you use? - Phone" in adapted.attrs_columns
    assert "Email Address" in adapted.attrs_columns


def test_typeform() -> None:
    raw = read_file(FIXTURES / "typeform.csv")
    assert detect_source(raw) == "typeform"
    adapted = adapt(raw, RESPONSES)
    assert adapted.fields["response_id"] == "#"
    assert adapted.fields["customer_id"] == "customer_id"
    assert adapted.fields["nps"] == "How likely are you to recommend Acme to a friend?"
    assert adapted.fields["ces"] == "How much effort did it take to set up your account?"
    assert adapted.fields["comment"] == "Anything else you'd like to tell us?"
    assert adapted.rows.column("Submit Date (UTC)")[0].as_py() == "2026-10-01 08:04:11+00:00"
    assert [item.column for item in adapted.items] == ["Rate our documentation from 0 to 10"]
    assert "What could we improve?" in adapted.attrs_columns
    assert any("several free-text questions" in note for note in adapted.notes)
    assert any("check the direction" in note for note in adapted.notes)
    comment = adapted.rows.column("Anything else you'd like to tell us?").to_pylist()
    assert comment[2] == "Loved it!\nSupport answered in minutes."


def test_google_forms() -> None:
    raw = read_file(FIXTURES / "google_forms.csv")
    assert detect_source(raw) == "google-forms"
    adapted = adapt(raw, RESPONSES)
    nps = "How likely are you to recommend our café to a friend? (0-10)"
    assert "response_id" not in adapted.fields
    assert adapted.fields["submitted_at"] == "Timestamp"
    assert adapted.fields["nps"] == nps
    assert adapted.rows.column(nps).to_pylist() == ["10", "7", "0", "9"]
    assert adapted.fields["comment"] == "Tell us about your visit"
    assert fields_of(adapted)["Which branch did you visit?"] == "attrs"
    music = "How would you rate the music? (0-10)"
    assert fields_of(adapted)[music] == f"item:{music}"
    assert adapted.constants == {
        "csat_scale_min": "1",
        "csat_scale_max": "5",
        "ces_scale_min": "1",
        "ces_scale_max": "5",
    }


def test_delighted() -> None:
    raw = read_file(FIXTURES / "delighted.csv")
    assert detect_source(raw) == "delighted"
    adapted = adapt(raw, RESPONSES)
    assert adapted.fields == {
        "response_id": "Response ID",
        "nps": "Score",
        "comment": "Comment",
        "submitted_at": "Created At",
    }
    reasons = {detection.column: detection.reason for detection in adapted.detections}
    assert "by construction" in reasons["Score"]
    assert "Person ID" in adapted.attrs_columns
    # The offset is kept, written as ISO 8601 so validation reads it.
    assert adapted.rows.column("Created At")[0].as_py() == "2026-09-01 10:12:44-07:00"


def test_labels_become_numbers_for_scores_and_items(tmp_path: Path) -> None:
    path = tmp_path / "labels.csv"
    path.write_text(
        "submitted_at,How likely are you to recommend us?,How satisfied are you overall?,"
        "Rate the staff (0-10)\n"
        "2026-01-01,10 - Extremely likely,Very satisfied,10 - Excellent\n"
        "2026-01-02,0 - Not at all likely,Very dissatisfied,0 - Poor\n"
        "2026-01-03,7,Neither satisfied nor dissatisfied,5\n"
    )
    adapted = adapt(read_file(path), RESPONSES)
    rows = adapted.rows
    assert rows.column(adapted.fields["nps"]).to_pylist() == ["10", "0", "7"]
    assert rows.column(adapted.fields["csat"]).to_pylist() == ["5", "1", "3"]
    [item] = adapted.items
    assert rows.column(item.column).to_pylist() == ["10", "0", "5"]
    assert "values read from labels" in fields_of_reason(adapted, adapted.fields["nps"])


def fields_of_reason(adapted: Adapted, column: str) -> str:
    return next(detection.reason for detection in adapted.detections if detection.column == column)


def test_generic_recognises_questions(tmp_path: Path) -> None:
    path = tmp_path / "plain.csv"
    path.write_text(
        "Submitted At,Customer-ID,How likely are you to recommend us?,Store number,Quality (0-10)\n"
        "2026-01-01,C1,10,3,7\n2026-01-02,C2,6,9,10\n2026-01-03,C3,8,1,0\n"
    )
    adapted = adapt(read_file(path), RESPONSES)
    assert adapted.source_format == "generic"
    assert adapted.fields == {
        "submitted_at": "Submitted At",
        "customer_id": "Customer-ID",
        "nps": "How likely are you to recommend us?",
    }
    assert [item.column for item in adapted.items] == ["Quality (0-10)"]
    assert "Store number" not in [item.column for item in adapted.items]
    assert "Store number" in adapted.attrs_columns


def test_recommend_yes_no_is_not_nps(tmp_path: Path) -> None:
    path = tmp_path / "plain.csv"
    path.write_text("submitted_at,Recommended IND\n2026-01-01,1\n2026-01-02,0\n")
    adapted = adapt(read_file(path), RESPONSES)
    assert "nps" not in adapted.fields
    reasons = {detection.column: detection.reason for detection in adapted.detections}
    assert "yes/no" in reasons["Recommended IND"]
    assert fields_of(adapted)["Recommended IND"] == "attrs"


def test_survey_export_as_other_kind(tmp_path: Path) -> None:
    raw = read_file(FIXTURES / "delighted.csv")
    assert adapt(raw, MENTIONS).source_format == "generic"
    with pytest.raises(UsageError, match="survey answers"):
        adapt(raw, MENTIONS, source="delighted")
    with pytest.raises(UsageError, match="does not look like"):
        adapt(raw, RESPONSES, source="typeform")
    with pytest.raises(UsageError, match="unknown source"):
        adapt(raw, RESPONSES, source="limesurvey")
