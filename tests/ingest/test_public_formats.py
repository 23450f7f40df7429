"""Labelled sets in the layouts they are published in import whole, as written.

The files in ``tests/fixtures/public_formats`` copy the layouts of public labelled sets (header
names, delimiters, date forms, encodings, quoting) with text written for these tests: airline
tweets (Twitter US Airline Sentiment), complaint tweets (id/text/label), NHS Friends and Family
Test exports, German reviews (MARC's columns; a shop export in Windows-1252 with semicolons and
"5 von 5 Sternen"), Indonesian reviews (IndoNLU SmSA: ``text<TAB>label`` without a header; a
Play Store scrape). Expected cells come from Python's ``csv`` module, not from our reader.
"""

from __future__ import annotations

import csv
import json
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pandas as pd
import pyarrow as pa
import pytest

import advocacy
from advocacy.ingest.headers import first_row_is_data, header_notes
from advocacy.ingest.post_columns import post_columns
from advocacy.ingest.questions import scan_questions
from advocacy.ingest.raw import RawTable
from advocacy.model import kind_for

FIXTURES = Path(__file__).parents[1] / "fixtures" / "public_formats"


def _rows(name: str, *, encoding: str = "utf-8", **options: Any) -> list[list[str]]:
    with (FIXTURES / name).open(newline="", encoding=encoding) as handle:
        return list(csv.reader(handle, **options))


def _object(value: Any) -> dict[str, Any]:
    """A JSON column's value (DuckDB returns it parsed)."""
    return value if isinstance(value, dict) else dict(json.loads(value))


def _imported(tmp_path: Path, name: str, kind: str = "mentions") -> tuple[Any, Any]:
    with advocacy.open(str(tmp_path / "workspace.duckdb")) as ws:
        result = ws.import_file(FIXTURES / name, kind=kind)
        stored = ws.table(kind).execute()
    return result, stored


def test_airline_tweets_keep_their_ids_text_offsets_and_labels(tmp_path: Path) -> None:
    header, *rows = _rows("airline_tweets.csv")
    result, stored = _imported(tmp_path, "airline_tweets.csv")
    assert (result.rows_read, result.rows_loaded, result.rows_quarantined) == (30, 30, 0)
    fields = {d["column"]: d["field"] for d in result.detected}
    assert fields == {"tweet_id": "mention_id", "text": "text", "tweet_created": "posted_at"}
    by_id = stored.set_index("mention_id")
    column = header.index
    for row in rows:
        record = by_id.loc[row[column("tweet_id")]]
        # Byte for byte: line breaks, "&amp;", emoji, markup, spaces around, a formula.
        assert record["text"] == row[column("text")]
        written = datetime.strptime(row[column("tweet_created")], "%Y-%m-%d %H:%M:%S %z")
        assert record["posted_at"].to_pydatetime() == written.astimezone(UTC)
        assert _object(record["time_offsets"])["posted_at"] == "-08:00"
        attrs = _object(record["attrs"])
        # The label stays a label: never the text, never a rating.
        assert attrs["airline_sentiment"] == row[column("airline_sentiment")]
        assert pd.isna(record["rating"])


def test_a_headerless_tsv_keeps_its_first_line_as_a_record(tmp_path: Path) -> None:
    lines = _rows("smsa.tsv", delimiter="\t", quoting=csv.QUOTE_NONE)
    result, stored = _imported(tmp_path, "smsa.tsv")
    assert (result.rows_read, result.rows_loaded, result.rows_quarantined) == (29, 29, 0)
    assert any(
        "is a record, not column names" in note and "also maps each column" in note
        for note in result.notes
    )
    stored_rows = stored[["text", "attrs"]].itertuples(index=False)
    pairs = {(text, _object(attrs)["column_2"]) for text, attrs in stored_rows}
    # Every line, the first too, with its quotes and its label.
    assert pairs == {(text, label) for text, label in lines}
    assert any('"ramah"' in text for text, _ in pairs)
    # Written without quoting: a text that opens with a quoted word keeps its quotes.
    assert ('"enak" katanya , ternyata hambar dan dingin', "negative") in pairs
    assert any("part of the text" in note for note in result.notes)


def test_german_stars_in_words_are_the_rating_and_the_review_the_text(tmp_path: Path) -> None:
    _, *rows = _rows("reviews_de_shop_semicolon_cp1252.csv", encoding="cp1252", delimiter=";")
    result, stored = _imported(tmp_path, "reviews_de_shop_semicolon_cp1252.csv")
    assert (result.encoding, result.rows_loaded, result.rows_quarantined) == ("cp1252", 12, 0)
    fields = {d["column"]: d["field"] for d in result.detected}
    assert fields == {
        "Bewertung": "rating",
        "Rezension": "text",
        "Titel": "title",  # read before the review (review27 #17a)
        "Datum": "posted_at",
    }
    got = {text: rating for text, rating in stored[["text", "rating"]].itertuples(index=False)}
    assert got == {row[2]: float(row[0].split()[0]) for row in rows}
    assert any("„wasserdichte“" in text for text in got)
    assert {str(day.date()) for day in stored["posted_at"]} >= {"2021-03-15", "2021-04-02"}


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        (
            "reviews_de_marc.csv",
            {
                "review_id": "mention_id",
                "review_body": "text",
                "review_title": "title",
                "stars": "rating",
            },
        ),
        (
            "tokopedia_playstore_reviews.csv",
            {"reviewId": "mention_id", "content": "text", "score": "rating", "at": "posted_at"},
        ),
        ("complaint_tweets.csv", {"id": "mention_id", "text": "text"}),
    ],
)
def test_review_and_tweet_layouts_keep_their_ids(
    tmp_path: Path, name: str, expected: dict[str, str]
) -> None:
    header, *rows = _rows(name)
    result, stored = _imported(tmp_path, name)
    assert (result.rows_loaded, result.rows_quarantined) == (len(rows), 0)
    fields = {d["column"]: d["field"] for d in result.detected if d["field"] != "attrs"}
    assert fields == expected
    ids = header.index(next(c for c, f in expected.items() if f == "mention_id"))
    texts = header.index(next(c for c, f in expected.items() if f == "text"))
    assert dict(stored[["mention_id", "text"]].itertuples(index=False)) == {
        row[ids]: row[texts] for row in rows
    }


def test_an_id_that_repeats_or_is_missing_keys_nothing() -> None:
    rows = pa.table(
        {
            "id": ["1", "2", "2", None],
            "text": ["Late again.", "Lovely crew.", "Lovely crew!", "Lost my bag."],
        }
    )
    found = post_columns(rows, ["id"], kind_for("mentions"), {"text": "text"})
    assert "mention_id" not in found.fields
    assert any("1 row(s) have none and 1 repeat another's" in note for note in found.notes)
    named = pa.table({"user_id": ["u1", "u2", "u3"], "body": ["Fine.", "Bad.", "Good."]})
    # Someone else's id ("user_id", "product_id") is never the post's.
    users = post_columns(named, ["user_id", "body"], kind_for("mentions"), {})
    assert "mention_id" not in users.fields


def _raw(header: list[str], rows: list[list[str]]) -> RawTable:
    columns = {
        name: pa.array([row[i] for row in rows], pa.string()) for i, name in enumerate(header)
    }
    return RawTable("x.csv", "csv", header, pa.table(columns), header_cells=[list(header)])


def test_a_header_is_names_unless_a_value_of_it_recurs_in_its_column() -> None:
    data = [
        ["Great stay, lovely staff", "positive"],
        ["Dirty room and a rude desk", "negative"],
        ["Ok", "positive"],
    ]
    assert first_row_is_data(_raw(["Lovely staff, clean room", "positive"], data))
    assert not first_row_is_data(_raw(["text", "label"], data))
    # Two exports pasted together repeat the header as a row: it is still the header.
    pasted = [*data, ["text", "label"], ["More", "label"], ["Fine", "label"]]
    assert not first_row_is_data(_raw(["text", "label"], pasted))
    # A checkbox column named by its option (cells hold the option when ticked) beside an id.
    ticked = [["101", "Email"], ["102", ""], ["103", "Email"]]
    assert not first_row_is_data(_raw(["Respondent ID", "Email"], ticked))
    # Open questions over their answers, beside a checkbox named by its option: a header.
    questions = ["What did you like about your visit?", "What could we do better?", "Parking"]
    answers = [
        ["The staff were very kind to me", "Shorter waiting times please", "Parking"],
        ["Clean rooms and friendly nurses", "More chairs in the waiting room", "Parking"],
        ["Quick and easy appointment today", "Nothing at all really, all good", ""],
    ]
    assert not first_row_is_data(_raw(questions, answers))


def test_friends_and_family_likelihood_in_words_is_a_rating_not_nps(tmp_path: Path) -> None:
    header, *rows = _rows("patient_survey_fft.csv")
    with advocacy.open(str(tmp_path / "workspace.duckdb")) as ws:
        result = ws.import_file(FIXTURES / "patient_survey_fft.csv", kind="responses")
        stored = ws.table("responses").execute().set_index("response_id")
        items = ws.table("response_items").execute().set_index("response_id")
    assert (result.rows_loaded, result.rows_quarantined) == (24, 0)
    assert stored["nps"].isna().all()  # words on a 5-point scale are never NPS 1-5
    answer = header.index(next(name for name in header if "recommend" in name))
    words = {"Extremely unlikely": 1, "Unlikely": 2, "Neither likely nor unlikely": 3}
    words |= {"Likely": 4, "Extremely likely": 5}
    for row in rows:
        written = row[answer]
        if written == "Don't know":  # no answer: no rating, the comment still loads
            assert row[0] not in items.index and row[0] in stored.index
            continue
        item = items.loc[row[0]]
        assert (item["item"], item["value"], item["scale_max"]) == (
            "likely to recommend",
            words[written],
            5,
        )
    # Day-first dates of the UK, in a column named "Date of response".
    assert str(stored.loc["FFT-000109", "submitted_at"].date()) == "2019-03-13"
    assert str(stored.loc["FFT-000102", "submitted_at"].date()) == "2019-03-01"


def test_a_recommend_question_answered_only_in_1_to_5_is_no_nps() -> None:
    from advocacy.ingest.questions import scan_questions

    answers = [str(1 + n % 5) for n in range(25)]
    rows = pa.table({"How likely are you to recommend us?": answers})
    scan = scan_questions(rows, rows.column_names)
    assert "nps" not in scan.fields
    assert [item.item for item in scan.items] == ["How likely are you to recommend us?"]
    assert any("check which end is best" in note for note in scan.notes)
    # A few 1-5 answers may still be NPS detractors.
    few = pa.table({"How likely are you to recommend us?": answers[:6]})
    assert scan_questions(few, few.column_names).fields == {
        "nps": "How likely are you to recommend us?"
    }
    # A question that says its scale is 0-10 is NPS whatever its answers.
    stated = "How likely are you to recommend us to a friend (0-10)?"
    rows = pa.table({stated: answers})
    assert scan_questions(rows, rows.column_names).fields == {"nps": stated}


def test_the_friends_and_family_test_since_2020_rates_the_experience_in_words(
    tmp_path: Path,
) -> None:
    _, *rows = _rows("patient_survey_fft_2020.csv")
    with advocacy.open(str(tmp_path / "workspace.duckdb")) as ws:
        result = ws.import_file(FIXTURES / "patient_survey_fft_2020.csv", kind="responses")
        items = ws.table("response_items").execute()
        stored = ws.table("responses").execute()
    assert (result.rows_loaded, result.rows_quarantined) == (12, 0)
    assert set(items["item"]) == {"overall experience"}
    words = {"Very poor": 1, "Poor": 2, "Neither good nor poor": 3, "Good": 4, "Very good": 5}
    answers = [words[row[4]] for row in rows if row[4] != "Don't know"]
    assert sorted(items["value"]) == sorted(answers)  # "Don't know": no rating
    assert stored["submitted_at"].notna().all()
    assert set(stored["comment"].dropna()) == {row[5] for row in rows if row[5]}


def _scan_words(header: list[str]) -> Any:
    words = ["Very good", "Good", "Neither good nor poor", "Poor", "Very poor"]
    rows = pa.table(
        {name: [words[(n + i) % 5] for n in range(20)] for i, name in enumerate(header)}
    )
    return scan_questions(rows, header)


def test_only_an_overall_question_is_the_overall_experience() -> None:
    parking, staff = "How was your experience of parking?", "How was your experience of the staff?"
    scan = _scan_words([parking, staff])
    # Experience of parking is not the verdict on the whole visit: each keeps its wording.
    assert {item.item for item in scan.items} == {parking, staff}
    overall = "Overall, how was your experience of our service?"
    scan = _scan_words([parking, overall])
    assert {item.item for item in scan.items} == {parking, "overall experience"}
    assert any(repr(overall) in note and "'overall experience'" in note for note in scan.notes)
    # Two overall questions: which is the verdict is a guess, so neither is.
    second = "Overall, how would you rate the ward?"
    scan = _scan_words([overall, second])
    assert {item.item for item in scan.items} == {overall, second}
    assert any("several" in note and repr(second) in note for note in scan.notes)


def test_a_german_bewertung_of_numbers_is_the_star_rating() -> None:
    rows = pa.table(
        {
            "Bewertung": ["5", "1", "4", "2"],
            "Rezension": ["Sehr gut.", "Kaputt angekommen.", "Passt.", "Zu klein."],
        }
    )
    found = post_columns(rows, rows.column_names, kind_for("mentions"), {})
    assert found.fields == {"rating": "Bewertung", "text": "Rezension"}


def test_a_stray_word_among_stars_is_quarantined_by_row_not_the_ratings_dropped(
    tmp_path: Path,
) -> None:
    text = (FIXTURES / "reviews_de_marc.csv").read_text(encoding="utf-8")
    bad = tmp_path / "reviews.csv"
    bad.write_text(text.replace("reviewer_de_0300003,3,", "reviewer_de_0300003,drei,"), "utf-8")
    result, stored = _imported(tmp_path, str(bad))
    assert (result.rows_loaded, result.rows_quarantined) == (19, 1)
    assert stored["rating"].notna().all()
    entry = result.quarantine[0]
    assert (entry.row_number, entry.column, entry.value) == (4, "stars", "drei")


def test_dates_with_local_month_names_are_read_and_others_said_to_be_unread() -> None:
    texts = ["Schöne Farbe.", "Nach einer Woche kaputt.", "Alles bestens."]
    german = pa.table(
        {"Rezension": texts, "Datum": ["3. März 2021", "12. Mai 2021", "1. Dez. 2021"]}
    )
    found = post_columns(german, german.column_names, kind_for("mentions"), {})
    assert found.fields["posted_at"] == "Datum"
    relative = pa.table({"Rezension": texts, "Datum": ["vor 3 Tagen", "vor 2 Wochen", "gestern"]})
    found = post_columns(relative, relative.column_names, kind_for("mentions"), {})
    assert "posted_at" not in found.fields
    assert any("'Datum' is named like a date but none of its values" in n for n in found.notes)
    assert any("'vor 3 Tagen'" in note for note in found.notes)


def test_row_numbers_in_an_id_column_never_key_another_files_reviews(tmp_path: Path) -> None:
    first = tmp_path / "shop.csv"
    first.write_text('id,text\n1,"Shop review one, very nice"\n2,"Shop review two, nice"\n')
    second = tmp_path / "export.csv"
    second.write_text('id,text\n1,"Export review one, awful"\n2,"Export review two, bad"\n')
    with advocacy.open(str(tmp_path / "workspace.duckdb")) as ws:
        ws.import_file(first, kind="mentions")
        result = ws.import_file(second, kind="mentions")
        stored = set(ws.table("mentions").execute()["text"])
    assert (result.rows_loaded, result.rows_updated) == (2, 0)
    # Both files' reviews are kept: 1, 2 are row numbers, not ids the two files agree on.
    assert stored == {
        "Shop review one, very nice",
        "Shop review two, nice",
        "Export review one, awful",
        "Export review two, bad",
    }
    assert any("'id'" in note and "row numbers" in note for note in result.notes)


def test_taking_an_id_a_file_was_once_keyed_without_says_it_was_added_twice(
    tmp_path: Path,
) -> None:
    name = "complaint_tweets.csv"
    with advocacy.open(str(tmp_path / "workspace.duckdb")) as ws:
        # As an earlier version imported it: keyed by all each row holds.
        mapping = tmp_path / "old.yaml"
        mapping.write_text("kind: mentions\ncolumns:\n  text: text\n")
        ws.import_file(FIXTURES / name, kind="mentions", mapping=mapping)
        result = ws.import_file(FIXTURES / name, kind="mentions")
    rows = len(_rows(name)) - 1
    assert result.rows_loaded == rows
    assert any(
        f"{rows:,} of these mentions" in note and "'id'" in note and "twice" in note
        for note in result.notes
    )


def test_a_dont_know_beside_a_0_to_10_scale_is_kept_as_written(tmp_path: Path) -> None:
    question = "How likely are you to recommend us to a friend?"
    lines = [f"id,{question},Comment", "r0,Don't know,Hard to say"]
    lines += [f"r{n},{n % 11},Answer {n}" for n in range(1, 30)]
    path = tmp_path / "dk.csv"
    path.write_text("\n".join(lines) + "\n")
    with advocacy.open(str(tmp_path / "workspace.duckdb")) as ws:
        result = ws.import_file(path, kind="responses")
        stored = ws.table("responses").execute()
    assert {d["column"]: d["field"] for d in result.detected}[question] == "nps"
    first = stored[stored["comment"] == "Hard to say"].iloc[0]
    # No score is made up for it, and the answer the respondent gave is not lost.
    assert pd.isna(first["nps"])
    assert "Don't know" in _object(first["attrs"]).values()
    assert any(repr(question) in note and "Don't know" in note for note in result.notes)


def test_a_big_tsv_is_searched_for_literal_quotes_without_reading_it_whole(
    tmp_path: Path,
) -> None:
    import tracemalloc

    from advocacy.ingest.readers import read_file

    filler = "".join(f"pengiriman cepat nomor {n} , barang sesuai\tpositive\n" for n in range(1000))
    blocks = 1000  # about 50 MB of lines without a quote, more than the reader's chunks
    path = tmp_path / "big.tsv"
    with path.open("w", encoding="utf-8") as handle:
        for _ in range(blocks):
            handle.write(filler)
        # Far past the first megabytes, a text that opens with a quoted word.
        handle.write('"ramah" katanya , nyatanya jutek\tnegative\n')
    tracemalloc.start()
    try:
        raw = read_file(path)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    last = raw.rows.slice(raw.rows.num_rows - 1).to_pylist()[0]
    assert list(last.values()) == ['"ramah" katanya , nyatanya jutek', "negative"]
    # The file is never held whole (it was: 50 MB read at once to look for one quote).
    assert peak < path.stat().st_size / 2


def test_a_headerless_file_with_an_id_column_keeps_its_first_record(tmp_path: Path) -> None:
    # GoEmotions' text<TAB>labels<TAB>id lines, without a header.
    lines = [
        ("Is this in New Orleans?? I really feel like this is New Orleans.", "27", "edgurhb"),
        ("You know the answer man, you are programmed to do that", "4,27", "ee84bjg"),
        ("I've never been this sad in my life!", "25", "edcu99z"),
        ("The lunch was fine and the staff were quick", "27", "ed5f85d"),
        ("Thank you so much for the kind words", "27", "eeaq3bo"),
    ]
    path = tmp_path / "dev.tsv"
    path.write_text("".join("\t".join(line) + "\n" for line in lines), "utf-8")
    with advocacy.open(str(tmp_path / "workspace.duckdb")) as ws:
        result = ws.import_file(path, kind="mentions")
        stored = set(ws.table("mentions").execute()["text"])
    assert result.rows_loaded == len(lines)
    assert stored == {text for text, _, _ in lines}


def test_a_one_column_file_whose_first_line_reads_like_its_texts_says_so() -> None:
    texts = [
        "Dark Souls 3 April Launch Date Confirmed With New Trailer: Embrace the darkness.",
        "@user so the thing next Thursday isn't free, you'd have to pay $15 to get in",
        "Going to the gym in the morning, then work all day long",
        "What a game last night, could not believe that ending",
    ]
    raw = _raw([texts[0]], [[text] for text in texts[1:]])
    # One column gives no label to recur: the line stays the header, with a note to keep it.
    assert not first_row_is_data(raw)
    notes = header_notes(raw.header_cells[0], raw.rows)
    assert any("header_rows: 0" in note and "Dark Souls 3" in note for note in notes)


def test_a_text_column_named_by_a_tweet_about_a_date_gets_no_date_note() -> None:
    header = "Dark Souls 3 April Launch Date Confirmed With New Trailer: Embrace the darkness."
    rows = pa.table(
        {
            header: [
                "Here's your starting TUESDAY MORNING Line up at Gentle Yoga with Laura 9:30 am",
                "@user so the thing next Thursday isn't free, you'd have to pay $15 to get in",
                "Going to the gym on the 3rd, then work all day long",
            ]
        }
    )
    found = post_columns(rows, [header], kind_for("mentions"), {})
    assert found.fields == {"text": header}
    assert not any("named like a date" in note for note in found.notes)
    # A short column named like a date, holding dates in words the import cannot read, is named.
    dated = pa.table({"Datum": ["Q3 2021", "Q4 2021"], "Text": ["Gut.", "Ok."]})
    found = post_columns(dated, ["Datum", "Text"], kind_for("mentions"), {})
    assert any("'Datum' is named like a date" in note for note in found.notes)


def test_a_word_that_is_no_month_name_makes_no_date_column() -> None:
    # "3. Brumaire 2021" has the shape of "3. März 2021", but no month the import reads:
    # taken as the date, every row went to quarantine.
    dated = pa.table({"Datum": ["3. Brumaire 2021", "4. Frimaire 2021"], "Text": ["Gut.", "Ok."]})
    found = post_columns(dated, ["Datum", "Text"], kind_for("mentions"), {})
    assert "posted_at" not in found.fields
    assert any("'Datum' is named like a date" in note for note in found.notes)
    months = pa.table({"Datum": ["3. März 2021", "4 Sept. 2021"], "Text": ["Gut.", "Ok."]})
    assert post_columns(months, ["Datum", "Text"], kind_for("mentions"), {}).fields == {
        "posted_at": "Datum",
        "text": "Text",
    }


def test_quality_words_that_two_scales_share_are_kept_as_written() -> None:
    question = "Overall, how would you rate your experience?"
    # Very good, Good, Poor are words of both Very good .. Very poor (5, 4, 2) and
    # Excellent .. Poor (4, 3, 1): which scale was asked is unknown, so no number is made up.
    answers = ["Very good", "Good", "Poor", "Good", "Very good", "Good"] * 5
    rows = pa.table({question: answers})
    scan = scan_questions(rows, [question])
    assert not scan.items and not scan.fields and question not in scan.replaced
    assert any(repr(question) in note and "Excellent" in note for note in scan.notes)
    # One word of Very good .. Very poor alone ("Very poor") tells the scale.
    rows = pa.table({question: [*answers, "Very poor"]})
    assert [item.item for item in scan_questions(rows, [question]).items] == ["overall experience"]


def test_fractions_make_stars_only_under_a_name_that_says_rating() -> None:
    text = ["Great lamp.", "Broke in a week.", "Fine.", "Ok for the price."] * 5
    helpful = pa.table({"Helpfulness": ["3/5", "0/5", "1/5", "2/5"] * 5, "Review": text})
    found = post_columns(helpful, ["Helpfulness", "Review"], kind_for("mentions"), {})
    # "3 of 5 readers found it helpful" is no star rating: kept as written.
    assert found.fields == {"text": "Review"}
    assert "Helpfulness" not in found.replaced
    rated = pa.table({"Stars": ["4/5", "1/5", "5/5", "3/5"] * 5, "Review": text})
    found = post_columns(rated, ["Stars", "Review"], kind_for("mentions"), {})
    assert found.fields == {"rating": "Stars", "text": "Review"}
    # Stars in words say so themselves, whatever the column's name.
    worded = pa.table(
        {"Kundenmeinung": ["4 von 5 Sternen", "1 von 5 Sternen"] * 10, "Review": text}
    )
    found = post_columns(worded, ["Kundenmeinung", "Review"], kind_for("mentions"), {})
    assert found.fields["rating"] == "Kundenmeinung"
