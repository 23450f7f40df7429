"""``--redact``: no e-mail, phone, card number or customer identity survives, in HTML or PDF.

The report walks its HTML and calls the one redactor (:class:`advocacy.text.pii.Redactor`); the
patterns themselves are tested in ``tests/text/test_pii*.py``.
"""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

import pytest
from markupsafe import Markup, escape

import advocacy
import advocacy.report
from advocacy.errors import RedactionError
from advocacy.report import build
from advocacy.report.redaction import redact_html
from advocacy.report.section import ReportScope, Section, table_html
from advocacy.text.pii import Redactor
from advocacy.workspace import Workspace
from conftest import EMAILS, NAMES, PHONES, build_workspace
from support import require

CARD = "4111 1111 1111 1111"


def quotes_section(ws: Workspace, scope: ReportScope) -> Section:
    """What a text or advocates section shows: customers by name next to what they wrote."""
    customers = ws.table("customers")
    answers = ws.table("responses")
    joined = answers.join(customers, "customer_id").filter(answers.comment.contains("@"))
    rows = joined.select("customer_id", "name", "email", "comment").to_pyarrow().to_pylist()
    body = Markup("").join(
        Markup("<blockquote>{}</blockquote>").format(row["comment"]) for row in rows
    )
    body += table_html(rows, [("customer_id", "Id"), ("name", "Customer"), ("email", "E-mail")])
    return Section(title="What customers say", body=body)


def pdf_text(path: Path) -> str:
    require(shutil.which("pdftotext") is not None, "poppler-utils (pdftotext) is not installed")
    done = subprocess.run(["pdftotext", str(path), "-"], capture_output=True, text=True, check=True)
    return re.sub(r"\s+", " ", done.stdout)


def personal_data_in(text: str) -> list[str]:
    flat = re.sub(r"\s+", " ", text)
    planted = [*NAMES, *EMAILS, *PHONES, CARD, "CUST-0001"]
    found = [value for value in planted if value in flat or str(escape(value)) in flat]
    found += re.findall(r"[\w.+-]+@[\w-]+\.[\w.]+", flat)
    return found


def test_redacted_report_has_no_personal_data_in_html_or_pdf(
    db_url: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    build_workspace(db_url, tmp_path / "data", responses=400)
    monkeypatch.setattr(build, "SECTIONS", [*build.SECTIONS, quotes_section])
    with advocacy.open(db_url) as ws:
        plain = advocacy.report.write(ws, tmp_path / "plain.html")
        redacted = advocacy.report.write(
            ws, tmp_path / "redacted.html", pdf=tmp_path / "redacted.pdf", redact=True
        )
    plain_html = plain.html.read_text(encoding="utf-8")
    # The fixture's personal data reaches an unredacted report, so the check below can fail.
    assert set(NAMES) | set(EMAILS) | set(PHONES) <= set(personal_data_in(plain_html))
    html = redacted.html.read_text(encoding="utf-8")
    assert personal_data_in(html) == []
    assert personal_data_in(pdf_text(redacted.pdf)) == []
    assert "[customer]" in html and "[card]" in html
    assert "What customers say" in html and "Scores and significant changes" in html


def test_report_text_goes_through_the_one_redactor() -> None:
    html = (
        "<p>Mail ada.quill@example.org, call +44 20 7946 0958 or (555) 014-2237; "
        f"card {CARD}; order 2025-10-01, NPS 17.5 on 1,500 answers, id 4111111111111112. "
        "Ada Quillfeather (CUST-0001) met Ada and dan o'brien; my name is Oyelaran.</p>"
    )
    redactor = Redactor(["Ada Quillfeather", "Dan O'Brien"], identifiers=["CUST-0001"])
    assert redact_html(html, redactor) == (
        "<p>Mail [email], call [phone] or [phone]; card [card]; order 2025-10-01, NPS 17.5 on "
        "1,500 answers, id 4111111111111112. [name] ([customer]) met [name] and [name]; my name "
        "is [name].</p>"
    )


def test_redaction_leaves_markup_and_styles_alone() -> None:
    html = (
        "<style>a{color:#555 867 5309}</style><svg><path d='M 415 555 0132 1 L 2 2'/>"
        "<text>call 555-867-5309</text></svg><p title='ada@example.org'>O&#39;Brien &amp; co</p>"
        "<script>const phone = '555-867-5309';</script>"
    )
    assert redact_html(html, Redactor(["Dan O'Brien"])) == (
        "<style>a{color:#555 867 5309}</style><svg><path d='M 415 555 0132 1 L 2 2'/>"
        "<text>call [phone]</text></svg><p title='[email]'>O'Brien &amp; co</p>"
        "<script>const phone = '555-867-5309';</script>"
    )


def test_readable_attributes_are_redacted_like_text_and_markup_stays_escaped() -> None:
    html = (
        '<a href="tel:+442079460958" title="Ada Quill &lt;b&gt;" data-n="07700 900123">'
        "Ada Quill &lt;script&gt;</a>"
    )
    assert redact_html(html, Redactor(["Ada Quill"])) == (
        '<a href="tel:[phone]" title="[name] &lt;b&gt;" data-n="07700 900123">'
        "[name] &lt;script&gt;</a>"
    )


def test_a_report_that_cannot_read_its_identities_is_refused(db_url: str, tmp_path: Path) -> None:
    """Fails closed: without the customers' names, no redacted report is written at all."""
    build_workspace(db_url, tmp_path / "data", responses=60)
    with advocacy.open(db_url) as ws:
        # A column the report itself never reads: only the identity lookup fails.
        ws.db.execute("ALTER TABLE notes DROP COLUMN interviewer")
        with pytest.raises(RedactionError, match=r"notes\.interviewer"):
            advocacy.report.write(ws, tmp_path / "redacted.html", redact=True)
        assert not (tmp_path / "redacted.html").exists()
        assert advocacy.report.write(
            ws, tmp_path / "plain.html"
        ).html.exists()  # unredacted: nothing to refuse
