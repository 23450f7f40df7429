"""Detection users can trust: identifiers are never comments, flags are never scores.

Each case is a small file written here in the shape of a real export that was misread; the
real files that were read right (the fixtures, the Qualtrics samples, the Olist reviews, the
clothing reviews) are checked to stay right.
"""

from __future__ import annotations

import csv
from pathlib import Path

import pytest

from advocacy.ingest.formats import adapt
from advocacy.ingest.raw import Adapted
from advocacy.ingest.readers import read_file
from advocacy.model import RESPONSES

THEMES = [
    "Staff attitude",
    "Waiting time",
    "Ease of access",
    "Satisfaction with care",
    "Cleanliness",
    "Communication",
]
STORIES = [
    "The nurses on the ward were kind and explained everything before the operation.",
    "Waited four hours in A&E with no update, nobody told us what was happening.",
    "Parking is impossible and the signs to outpatients are confusing.",
    "The consultant listened and took time to answer all my questions.",
    "The ward was spotless but the food was cold every day.",
    "Appointment letters arrived after the appointment date, twice.",
]


def patient_survey(path: Path, rows: int = 24) -> Path:
    """A public-sector patient-survey export: an id, the story, and one-hot theme flags."""
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(["Comment ID", "Organisation", "Service", "Patient story", *THEMES])
        for index in range(rows):
            flags = ["1" if theme == index % len(THEMES) else "0" for theme in range(len(THEMES))]
            story = f"{STORIES[index % len(STORIES)]} (visit {index + 1})"
            service = ["A&E", "Outpatients", "Ward 7"][index % 3]
            writer.writerow([f"C-{100231 + 7 * index}", "Northfield", service, story, *flags])
    return path


def reasons(adapted: Adapted) -> dict[str, tuple[str, str]]:
    return {item.column: (item.field, item.reason) for item in adapted.detections}


def test_the_patient_survey_keeps_its_id_and_theme_flags_out_of_comment_and_scores(
    tmp_path: Path,
) -> None:
    adapted = adapt(read_file(patient_survey(tmp_path / "patient.csv")), RESPONSES)
    # The issue: 'Comment ID' became the comment and the flags became CSAT and CES.
    assert adapted.fields == {"comment": "Patient story"}
    assert adapted.constants == {} and adapted.items == []
    found = reasons(adapted)
    assert found["Comment ID"] == (
        "attrs",
        "'Comment ID' is named like an identifier, so never a comment or a score; kept in attrs",
    )
    for theme in THEMES:
        assert found[theme] == (
            "attrs",
            f"{theme!r} holds only 0 and 1, a yes/no flag, so never NPS, CSAT or CES; "
            "kept in attrs",
        )
    field, reason = found["Patient story"]
    assert field == "comment"
    assert reason.startswith(
        "'Patient story' holds varied free text (24 filled cells, 100% different"
    )
    assert set(adapted.attrs_columns) == {"Comment ID", "Organisation", "Service", *THEMES}


def test_unique_codes_are_an_identifier_even_when_named_like_a_comment(tmp_path: Path) -> None:
    path = tmp_path / "feedback.csv"
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(["Feedback", "Tell us more"])
        writer.writerows([f"FB-2024-{index:04d}", STORIES[index % 6]] for index in range(8))
    adapted = adapt(read_file(path), RESPONSES)
    assert adapted.fields == {"comment": "Tell us more"}
    field, reason = reasons(adapted)["Feedback"]
    assert field == "attrs"
    assert "holds 8 unique short codes without spaces (the longest 12 characters)" in reason


@pytest.mark.parametrize(
    ("question", "values", "expected"),
    [
        # yes = 1, no = 2, as statistics packages code it: a choice of two among 30 answers
        ("Were you satisfied with your visit?", ["1", "2"] * 15, None),
        ("Easy to book", ["0", "1", "1"], None),
        ("How likely are you to recommend us? (0-10)", ["0", "1"] * 15, None),
        # A small survey of happy customers: two neighbours at the top of the scale stay NPS.
        ("How likely are you to recommend us?", ["9", "10"] * 15, "nps"),
        ("How satisfied were you overall?", ["4", "5"] * 15, "csat"),
        # Few answers: two values are not yet evidence of a two-way choice.
        ("How satisfied were you overall?", ["1", "5", "5"], "csat"),
    ],
)
def test_two_valued_columns_are_never_scores(
    tmp_path: Path, question: str, values: list[str], expected: str | None
) -> None:
    path = tmp_path / "scores.csv"
    path.write_text(f'"{question}"\n' + "\n".join(values) + "\n", encoding="utf-8")
    adapted = adapt(read_file(path), RESPONSES)
    fields = {field for field, column in adapted.fields.items() if column == question}
    assert fields == ({expected} if expected else set())
    if expected is None:
        assert reasons(adapted)[question][0] == "attrs"
        assert (
            "never NPS, CSAT or CES" in reasons(adapted)[question][1]
            or "yes/no" in (reasons(adapted)[question][1])
        )


def test_the_comment_is_the_longest_comment_like_text_not_a_title_or_a_write_in(
    tmp_path: Path,
) -> None:
    path = tmp_path / "reviews.csv"
    rows = [["Headline", "Which store? - Other (please specify)", "Review Text"]]
    rows += [
        [
            f"Great little shop {index}",
            f"Corner shop number {index}",
            f"{STORIES[index % 6]} ({index})",
        ]
        for index in range(6)
    ]
    with path.open("w", newline="", encoding="utf-8") as handle:
        csv.writer(handle).writerows(rows)
    adapted = adapt(read_file(path), RESPONSES)
    # The title is no comment: it is the answer's title, read before it.
    assert adapted.fields == {"comment": "Review Text", "title": "Headline"}
    found = reasons(adapted)
    assert (
        "written in for a choice ('please specify')"
        in found["Which store? - Other (please specify)"][1]
    )
    assert found["Headline"] == (
        "title",
        "'Headline' is named like a title and holds free text (6 filled cells, 100% different, "
        "4.0 words on average); read before the text",
    )


def test_real_reviews_take_the_review_text_as_comment_and_their_ids_as_identifiers(
    shared_data: Path,
) -> None:
    olist = adapt(
        read_file(shared_data / "real-exports/olist-subset/olist_order_reviews_dataset.csv"),
        RESPONSES,
    )
    # When the customer answered (review_answer_timestamp), not the day Olist sent the
    # satisfaction survey (review_creation_date, kept in attrs with a note).
    assert olist.fields == {
        "comment": "review_comment_message",
        "submitted_at": "review_answer_timestamp",
        "title": "review_comment_title",
    }
    assert any("'review_creation_date'" in note for note in olist.notes)
    found = reasons(olist)
    for column in ("review_id", "order_id"):
        assert found[column][0] == "attrs" and "identifier" in found[column][1]
    assert found["review_comment_title"][0] == "title"
    clothing = adapt(
        read_file(shared_data / "clothing-reviews/womens-clothing-reviews-first-1000.csv"),
        RESPONSES,
    )
    assert clothing.fields == {"comment": "Review Text", "title": "Title"}
    found = reasons(clothing)
    assert "identifier" in found["Clothing ID"][1]
    assert "yes/no" in found["Recommended IND"][1]
    assert [item.column for item in clothing.items] == ["Rating"]


@pytest.mark.parametrize(
    ("header", "expected"),
    [
        # The date the invitation went out is never when the answer was given.
        ("respondent,Date sent,Date of response,Comment", "Date of response"),
        ("respondent,Invitation date,Completed at,Comment", "Completed at"),
        # Nor is a birth, order or delivery date: with no other date, submitted_at stays empty.
        ("respondent,Date of birth,Comment", None),
        ("respondent,Order date,Delivery date,Comment", None),
        # Two dates named alike: which one is the answer's is a guess, so neither is taken.
        ("respondent,Date,Date 2,Comment", None),
        ("respondent,Date,Comment", "Date"),
    ],
)
def test_a_survey_date_is_when_the_answer_was_given_never_a_birth_or_sent_date(
    tmp_path: Path, header: str, expected: str | None
) -> None:
    names = header.split(",")
    lines = [header]
    for index in range(1, 4):
        dates = [f"2024-03-0{index + column}" for column in range(len(names) - 2)]
        lines.append(",".join([f"r{index}", *dates, f"Answer number {index} was fine"]))
    path = tmp_path / "answers.csv"
    path.write_text("\n".join(lines) + "\n")
    adapted = adapt(read_file(path), RESPONSES)
    assert adapted.fields.get("submitted_at") == expected
    dated = set(names[1:-1]) - {expected}
    kept = {item.column for item in adapted.detections if item.field == "attrs"}
    # Every other date stays in attrs, named in a note that says why.
    assert dated <= kept
    for column in dated:
        assert any(repr(column) in note for note in adapted.notes), (column, adapted.notes)
