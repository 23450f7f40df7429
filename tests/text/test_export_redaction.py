"""``export --redact`` masks the respondent data survey tools put in unmapped columns (audit 5a).

The real Qualtrics exports carry the respondent's IP address and GPS position (and, in the
legacy layout, a name column); they land in ``attrs``, which the free-text redactor alone let
through.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

import advocacy
from advocacy.text.attribute_redaction import personal_key_mask
from advocacy.text.export import export_table, redact_table
from advocacy.text.pii import Redactor

QUALTRICS = ("qualtRics_sample.csv", "qualtRics_sample_legacy.csv")


@pytest.mark.parametrize("name", QUALTRICS)
def test_qualtrics_ip_and_location_are_masked(shared_data: Path, tmp_path: Path, name: str) -> None:
    source = shared_data / "qualtrics-exports" / name
    raw = source.read_text(encoding="utf-8")
    with advocacy.open(tmp_path / "w.duckdb") as ws:
        ws.import_file(source, kind="responses")
        plain = export_table(ws, "responses")
        redacted = export_table(ws, "responses", redact=True)
    kept = [json.loads(value) for value in plain.column("attrs").to_pylist()]
    masked = [json.loads(value) for value in redacted.column("attrs").to_pylist()]
    assert "130.92.34.66" in raw and any("130.92.34.66" in str(row) for row in kept)
    for before, after in zip(kept, masked, strict=True):
        assert after.keys() == before.keys()
        for key, value in before.items():
            if key in ("IPAddress", "LocationLatitude", "LocationLongitude"):
                assert after[key] == ("[ip]" if key == "IPAddress" else "[location]")
            elif personal_key_mask(key) is None:
                assert after[key] == value  # answers and other metadata are kept
    text = json.dumps(masked)
    assert "130.92.34.66" not in text and "47.115" not in text and "7.2315" not in text


def test_every_personal_column_and_flagged_value_is_masked() -> None:
    import pyarrow as pa

    attrs = {
        "RecipientFirstName": "Ada",
        "RecipientLastName": "Quillfeather",
        "RecipientEmail": "ada@example.org",
        "ExternalReference": "CRM-00017",
        "IP Address": "2001:db8::7",
        "Email Address": "bart@example.net",
        "First Name": "Bart",
        "Phone": "+44 20 7946 0958",
        "Custom Data 1": "call 555-867-5309",
        "Forwarded for": "10.0.0.12",
        "nested": {"lat": 47.1, "note": ["write to ada@example.org"]},
        "How often do you e-mail us?": "weekly",
        "Submitted at": "08:28:09",
        "Q1": 2,
    }
    table = pa.table({"attrs": [json.dumps(attrs)]})
    [cleaned] = [
        json.loads(v) for v in redact_table(table, redactor=Redactor([])).column(0).to_pylist()
    ]
    assert cleaned == {
        "RecipientFirstName": "[name]",
        "RecipientLastName": "[name]",
        "RecipientEmail": "[email]",
        "ExternalReference": "[reference]",
        "IP Address": "[ip]",
        "Email Address": "[email]",
        "First Name": "[name]",
        "Phone": "[phone]",
        "Custom Data 1": "[custom data]",
        "Forwarded for": "[ip]",
        "nested": {"lat": "[location]", "note": ["write to [email]"]},
        "How often do you e-mail us?": "weekly",
        "Submitted at": "08:28:09",
        "Q1": 2,
    }


def test_respondent_columns_and_ip_addresses_anywhere_are_masked(tmp_path: Path) -> None:
    """Review D3: user names, handles, addresses, positions, birth dates and IP lists survived;
    a yes/no answer under "Mobile" became "[phone]"."""
    source = tmp_path / "s.csv"
    source.write_text(
        "comment,nps,submitted_at,Custom Data 1,Username,User Name,Twitter handle,"
        "Street address,Postal Code,GeoLocation,Long,Date of birth,DOB,Q_RecipientEmail,"
        "X-Forwarded-For,Client,Notes,Mobile,Cell,Did we address your issue?,Store\n"
        "Logged in from 8.8.8.8 today,9,2026-01-05,Jane Doe,jdoe88,Jane Doe,@janedoe,"
        '"12 Baker Street, London",75001,"47.115097,8.521",8.52176,1980-02-03,03/02/1980,'
        'jane@example.com,"10.0.0.1, 192.168.1.7",fe80::1%eth0,Ip 8.8.8.8 logged,yes,'
        "07700 900123,Yes,North\n",
        encoding="utf-8",
    )
    with advocacy.open(tmp_path / "w.duckdb") as ws:
        ws.import_file(source, kind="responses")
        redacted = export_table(ws, "responses", redact=True)
    [attrs] = [json.loads(value) for value in redacted.column("attrs").to_pylist()]
    assert attrs == {
        "Custom Data 1": "[custom data]",
        "Username": "[username]",
        "User Name": "[username]",
        "Twitter handle": "[username]",
        "Street address": "[address]",
        "Postal Code": "[address]",
        "GeoLocation": "[location]",
        "Long": "[location]",
        "Date of birth": "[date of birth]",
        "DOB": "[date of birth]",
        "Q_RecipientEmail": "[email]",
        "X-Forwarded-For": "[ip]",
        "Client": "[ip]",
        "Notes": "Ip [ip] logged",
        "Mobile": "yes",
        "Cell": "[phone]",
        "Did we address your issue?": "Yes",
        "Store": "North",
    }
    assert redacted.column("comment").to_pylist() == ["Logged in from [ip] today"]


@pytest.mark.parametrize(
    ("text", "masked"),
    [
        ("10.0.0.1, 192.168.1.7", "[ip], [ip]"),
        ("from 2001:db8::1 and ::ffff:1.2.3.4.", "from [ip] and [ip]."),
        ("proxy 192.168.0.1:8080 down", "proxy [ip] down"),
        ("at 08:28:09 on 2026.01.05, v1.2.3, 47.115097,8.521", None),
    ],
)
def test_ip_addresses_inside_text(text: str, masked: str | None) -> None:
    from advocacy.text.pii.ip_addresses import mask_ip_addresses

    assert mask_ip_addresses(text) == (text if masked is None else masked)


def test_a_title_is_redacted_as_its_text_is(tmp_path: Path) -> None:
    path = tmp_path / "reviews.csv"
    path.write_text(
        "Title,Review Text,Rating\n"
        '"Call me on +44 20 7946 0958",The parcel came late.,2\n'
        '"=HYPERLINK(""http://evil.example"",""x"") <b>bold</b>",Fine.,4\n',
        encoding="utf-8",
    )
    with advocacy.open(tmp_path / "w.duckdb") as ws:
        ws.import_file(path, kind="mentions")
        plain = export_table(ws, "mentions").column("title").to_pylist()
        redacted = export_table(ws, "mentions", redact=True).column("title").to_pylist()
    assert sorted(plain) == [
        '=HYPERLINK("http://evil.example","x") <b>bold</b>',  # stored as written
        "Call me on +44 20 7946 0958",
    ]
    assert sorted(redacted) == [
        '=HYPERLINK("http://evil.example","x") <b>bold</b>',
        "Call me on [phone]",
    ]
