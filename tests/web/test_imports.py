"""Import through the server (issue #20.4): ``POST /api/v1/imports`` on DuckDB and PostgreSQL.

The answer is what ``advocacy import --format json`` prints for the same file on the same
workspace; only an analyst or admin may import; the import is audited under the caller's name;
hostile file names and cells reach the ledger and the answer as plain, harmless text; a refused
file leaves nothing behind; an upload over ``max_upload_bytes`` is refused with 413.
"""

from __future__ import annotations

import io
import json
import re
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

from fastapi.testclient import TestClient

import advocacy
from advocacy.access import add_user, create_token
from advocacy.ingest.limits import InputLimits
from advocacy.loop.cases.rule_store import replace_rules
from advocacy.present.web import create_app
from advocacy.present.web.uploads import ImportRequest, UploadStore
from support.cli import advocacy_cli
from support.page_text import page_words

CUSTOMERS = "customer_id,name\nC1,Ada Quill\nC2,Bo Lind\n"
#: Row 3 (R2) has an NPS of 14 (quarantined); row 4 plants markup and a spreadsheet formula.
RESPONSES = (
    "response_id,customer_id,submitted_at,unit,nps,comment,Shoe size\n"
    "R1,C1,2026-01-05T10:00:00Z,North,10,Lovely staff,42\n"
    "R2,C2,2026-01-06T10:00:00Z,South,14,Too high a score,38\n"
    'R3,C2,2026-01-07T10:00:00Z,South,3,"<script>alert(1)</script> =HYPERLINK(""x"")",40\n'
)
HOSTILE_NAME = '../../etc/<img src=x onerror="alert(1)">\r\nsurvey.csv'
SAFE_NAME = '<img src=x onerror="alert(1)">survey.csv'


def _prepare(url: str, tmp_path: Path) -> dict[str, str]:
    (tmp_path / "customers.csv").write_text(CUSTOMERS, encoding="utf-8")
    with advocacy.open(url) as ws:
        ws.import_file(tmp_path / "customers.csv", kind="customers")
        return {
            role: create_token(ws.db, role=role, name=f"{role}-bot", units=units).secret
            for role, units in (("analyst", None), ("viewer", None), ("case-handler", "North"))
        }


def _post(client: TestClient, token: str | None, data: dict[str, str], name: str, body: bytes):  # type: ignore[no-untyped-def]
    headers = {"Authorization": f"Bearer {token}"} if token else {}
    return client.post(
        "/api/v1/imports", headers=headers, data=data, files={"file": (name, body, "text/csv")}
    )


def test_upload_answers_what_the_cli_prints_and_is_audited(db_url: str, tmp_path: Path) -> None:
    tokens = _prepare(db_url, tmp_path)
    local = tmp_path / "survey.csv"
    local.write_text(RESPONSES, encoding="utf-8")
    printed = advocacy_cli(
        "import", str(local), "--kind", "responses", "--dry-run", "--format", "json",
        "--db", db_url,
    )  # fmt: skip
    assert printed.returncode == 0, printed.stderr
    cli = json.loads(printed.stdout)

    with TestClient(create_app(db_url), base_url="https://testserver") as client:
        form = {"kind": "responses", "dry_run": "true"}
        checked = _post(client, tokens["analyst"], form, "survey.csv", RESPONSES.encode())
        assert checked.status_code == 200, checked.text
        answer = checked.json()
        assert list(answer) == list(cli)  # the same keys, in the same order
        assert answer["file"] == "survey.csv" and cli["file"] == str(local)
        same = {key: value for key, value in answer.items() if key not in ("import_id", "file")}
        for summary in (same, cli):  # the case window ends at each one's own clock
            summary["cases"] = {
                key: value for key, value in summary["cases"].items()
                if key not in ("since", "since_local")
            }  # fmt: skip
        assert same == {k: v for k, v in cli.items() if k not in ("import_id", "file")}
        assert (answer["rows_read"], answer["rows_loaded"], answer["dry_run"]) == (3, 2, True)

        # Who may import: analysts (and admins); viewers and case handlers may not.
        for role, status in (("viewer", 403), ("case-handler", 403), (None, 401)):
            refused = _post(client, tokens.get(role or ""), {"kind": "responses"}, "s.csv", b"x")
            assert refused.status_code == status, (role, refused.text)

        form = {"kind": "responses"}
        done = _post(client, tokens["analyst"], form, HOSTILE_NAME, RESPONSES.encode())
        assert done.status_code == 200, done.text
        summary = done.json()
        assert summary["file"] == SAFE_NAME  # no path, no control character; markup as text
        assert (summary["rows_loaded"], summary["rows_quarantined"], summary["dry_run"]) == (
            2, 1, False,
        )  # fmt: skip
        cells = client.get(
            f"/api/v1/imports/{summary['import_id']}/quarantine",
            headers={"Authorization": f"Bearer {tokens['analyst']}"},
        ).json()
        assert [(c["row"], c["column"], c["value"]) for c in cells] == [(3, "nps", "14")]

    with advocacy.open(db_url) as ws:
        comments = dict(ws.db.fetchall("SELECT response_id, comment FROM responses"))
        ledger = ws.db.fetchall("SELECT import_id, file FROM imports WHERE kind = 'responses'")
        [entry] = [e for e in ws.access.audit() if e.action == "import.file"]
    assert comments["R3"] == '<script>alert(1)</script> =HYPERLINK("x")'  # stored as sent
    assert "R2" not in comments
    assert ledger == [(summary["import_id"], SAFE_NAME)]
    assert (entry.actor, entry.target) == ("analyst-bot", summary["import_id"])
    assert entry.detail["rows_loaded"] == 2 and entry.detail["file"] == SAFE_NAME


def test_a_refused_upload_leaves_nothing_and_names_the_uploaded_file(
    db_url: str, tmp_path: Path
) -> None:
    tokens = _prepare(db_url, tmp_path)
    small = InputLimits(body_bytes=1_500, upload_bytes=3_000)
    with TestClient(create_app(db_url, limits=small), base_url="https://testserver") as client:
        strict = {"kind": "responses", "strict": "true"}
        refused = _post(client, tokens["analyst"], strict, "survey.csv", RESPONSES.encode())
        assert refused.status_code == 422, refused.text
        shape = refused.json()
        assert (shape["file"], shape["row"], shape["column"], shape["value"]) == (
            "survey.csv", 3, "nps", "14",
        )  # fmt: skip

        wrong = _post(client, tokens["analyst"], {"kind": "responses"}, "old.xls", b"\xd0\xcf")
        assert wrong.status_code == 422, wrong.text
        assert wrong.json()["file"] == "old.xls" and "xlsx" in wrong.json()["fix"]
        assert "advocacy-uploads" not in wrong.text  # no temporary path leaks

        unknown = _post(client, tokens["analyst"], {"kind": "complaints"}, "s.csv", b"a\n1\n")
        assert unknown.status_code in (400, 422) and "responses" in unknown.json()["fix"]

        row = b"R9,C1,2026-01-05T10:00:00Z,North,9,fine,1\n"
        # Over max_body_bytes but under max_upload_bytes: the import takes it, no other route.
        medium = RESPONSES.encode() + row * 30
        checked = _post(client, tokens["analyst"], {"kind": "responses", "dry_run": "true"},
                        "medium.csv", medium)  # fmt: skip
        assert checked.status_code == 200 and checked.json()["rows_read"] == 33, checked.text
        elsewhere = client.post(
            "/api/v1/notes",
            headers={"Authorization": f"Bearer {tokens['analyst']}"},
            files={"file": ("medium.csv", medium, "text/csv")},
        )
        assert elsewhere.status_code == 413, elsewhere.text

        large = RESPONSES.encode() + row * 70
        too_large = _post(client, tokens["analyst"], {"kind": "responses"}, "big.csv", large)
        assert too_large.status_code == 413, too_large.text
        assert "max_upload_bytes" in too_large.json()["fix"]

        def chunks() -> Iterator[bytes]:  # no Content-Length: counted as it streams
            yield b'--b\r\nContent-Disposition: form-data; name="kind"\r\n\r\nresponses\r\n'
            yield b'--b\r\nContent-Disposition: form-data; name="file"; filename="s.csv"\r\n\r\n'
            for _ in range(20):
                yield row * 10

        streamed = client.post(
            "/api/v1/imports",
            content=chunks(),
            headers={
                "Authorization": f"Bearer {tokens['analyst']}",
                "Content-Type": "multipart/form-data; boundary=b",
            },
        )
        assert streamed.status_code == 413, streamed.text
    with advocacy.open(db_url) as ws:
        assert ws.db.fetchall("SELECT count(*) FROM responses") == [(0,)]
        assert ws.db.fetchall("SELECT count(*) FROM imports WHERE kind = 'responses'") == [(0,)]
        assert [e for e in ws.access.audit() if e.action == "import.file"] == []


def test_an_upload_runs_the_case_rules_as_the_cli_import_does(db_url: str, tmp_path: Path) -> None:
    """``POST /api/v1/imports`` opens cases in the import's transaction and answers the same
    ``cases`` object as ``advocacy import --format json``; ``cases=false`` and the window are
    honoured."""
    tokens = _prepare(db_url, tmp_path)
    today = datetime.now(UTC)
    recent = (
        "response_id,customer_id,submitted_at,nps,comment\n"
        f"N1,C1,{(today - timedelta(days=2)):%Y-%m-%d},2,Nobody called back\n"
        f"N2,C2,{(today - timedelta(days=90)):%Y-%m-%d},1,Rude\n"
    )
    with TestClient(create_app(db_url), base_url="https://testserver") as client:
        skipped = _post(client, tokens["analyst"], {"kind": "responses", "cases": "false"},
                        "a.csv", recent.encode())  # fmt: skip
        assert skipped.status_code == 200, skipped.text
        assert "cases" not in skipped.json()
        done = _post(client, tokens["analyst"], {"kind": "responses", "case_window_days": "7"},
                     "b.csv", recent.replace("Rude", "Very rude").encode())  # fmt: skip
        assert done.status_code == 200, done.text
        cases = done.json()["cases"]
    # N1 was written by the first upload (unchanged now): only the updated N2 is checked.
    assert (cases["checked"], cases["too_old"], cases["opened"], cases["window_days"]) == (
        0, 1, 0, 7,
    )  # fmt: skip
    (tmp_path / "c.csv").write_text(
        recent.replace("N1", "N3").replace("N2", "N4"), encoding="utf-8"
    )
    printed = advocacy_cli("import", str(tmp_path / "c.csv"), "--kind", "responses",
                           "--format", "json", "--db", db_url)  # fmt: skip
    assert printed.returncode == 0, printed.stderr
    cli = json.loads(printed.stdout)["cases"]
    with TestClient(create_app(db_url), base_url="https://testserver") as client:
        answer = _post(client, tokens["analyst"], {"kind": "responses"}, "d.csv",
                       recent.replace("N1", "N5").replace("N2", "N6").encode()).json()  # fmt: skip
    assert list(answer["cases"]) == list(cli)
    assert (answer["cases"]["opened"], answer["cases"]["by_rule"]) == (1, {"detractor": 1})
    assert (cli["opened"], cli["too_old"]) == (1, 1)
    with advocacy.open(db_url) as ws:
        opened = sorted(case.evidence_id for case in ws.cases.list())
    assert opened == ["N3", "N5"]


def _csrf(text: str) -> str:
    match = re.search(r'name="csrf_token" value="([^"]+)"', text)
    assert match, text[:300]
    return match.group(1)


def test_the_import_page_shows_the_cases_line_and_offers_the_cli_choices(
    db_url: str, tmp_path: Path
) -> None:
    """The page's form offers "Do not open cases" and the case window, as ``advocacy import``
    does; its check says what the import will do with cases, and its summary says what the
    rules did, in the CLI's words."""
    _prepare(db_url, tmp_path)
    with advocacy.open(db_url) as ws:
        add_user(ws.db, "ana", role="analyst", password="correct horse battery staple")
    today = datetime.now(UTC)
    answers = (
        "response_id,customer_id,submitted_at,nps,comment\n"
        f"P1,C1,{(today - timedelta(days=2)):%Y-%m-%d},2,Nobody called back\n"
        f"P2,C2,{(today - timedelta(days=90)):%Y-%m-%d},1,Rude\n"
        f"P3,C2,{(today - timedelta(days=200)):%Y-%m-%d},0,<b>Awful</b>\n"
    )
    with TestClient(create_app(db_url), base_url="https://testserver") as browser:
        login = _csrf(browser.get("/login").text)
        signed = browser.post(
            "/login",
            data={"username": "ana", "password": "correct horse battery staple",
                  "csrf_token": login},
            follow_redirects=False,
        )  # fmt: skip
        assert signed.status_code == 303
        form = browser.get("/import").text
        assert 'name="no_cases"' in form and 'name="case_window_days"' in form
        assert "Do not open cases" in page_words(form)
        csrf = _csrf(form)

        def check(name: str, body: str, **fields: str) -> str:
            page = browser.post(
                "/import",
                data={"kind": "responses", "csrf_token": csrf, **fields},
                files={"file": (name, body.encode(), "text/csv")},
            )
            assert page.status_code == 200, page.text[:500]
            token = re.search(r'action="/import/([^"]+)"', page.text)
            assert token, page_words(page.text)[:500]
            return token.group(1)

        def confirm(token: str) -> str:
            done = browser.post(f"/import/{token}", data={"csrf_token": csrf})
            assert done.status_code == 200, done.text[:500]
            return page_words(done.text)

        # A window of 100 days: P1 and P2 open cases, P3 (200 days old) is counted.
        wide = browser.post(
            "/import",
            data={"kind": "responses", "csrf_token": csrf, "case_window_days": "100"},
            files={"file": ("a.csv", answers.encode(), "text/csv")},
        )
        assert "open cases on those dated within the last 100 days" in page_words(wide.text)
        token = re.search(r'action="/import/([^"]+)"', wide.text)
        assert token is not None
        said = confirm(token.group(1))
        assert "cases: 2 opened (detractor 2) by the case rules over 2 records" in said
        assert "1 dated before" in said and "older than the 100-day case window" in said

        # "Do not open cases": the check and the summary say so, and nothing opens.
        token_none = check("b.csv", answers.replace("P", "Q"), no_cases="true")
        said = confirm(token_none)
        assert "No case opened: you chose not to run the case rules on this file." in said
        assert "cases:" not in said

        # The default window is 30 days, as the CLI's.
        said = confirm(check("c.csv", answers.replace("P", "S")))
        assert "cases: 1 opened (detractor 1) by the case rules over 1 records" in said
        assert "older than the 30-day case window" in said

        # A window that is not a whole number of days is refused, with the field's name.
        bad = browser.post(
            "/import",
            data={"kind": "responses", "csrf_token": csrf, "case_window_days": "-3<b>"},
            files={"file": ("d.csv", answers.encode(), "text/csv")},
        )
        assert bad.status_code == 400
        assert "the case window must be a whole number of days" in page_words(bad.text)
        assert "<b>" not in bad.text.split("<main", 1)[-1].replace("&lt;b&gt;", "")
    with advocacy.open(db_url) as ws:
        opened = sorted(case.evidence_id for case in ws.cases.list())
    assert opened == ["P1", "P2", "S1"]


def test_an_upload_taken_by_another_worker_keeps_its_case_choices(tmp_path: Path) -> None:
    """With ``serve --workers N`` the confirmation may reach another process: the upload's
    "Do not open cases" and case window travel with it."""
    one, other = UploadStore(shared=str(tmp_path)), UploadStore(shared=str(tmp_path))
    wanted = ImportRequest(kind="mentions", cases=False, case_window_days=400, all_cases=True)
    kept = one.keep("ana", wanted, name="m.csv", data=io.BytesIO(b"mention_id,text\nm1,hi\n"))
    taken = other.take(kept.token, "ana")
    assert taken.request == wanted
    other.discard(taken)


def test_the_check_says_what_would_open_and_a_long_window_loses_no_upload(tmp_path: Path) -> None:
    """The check counts the cases the import would open, per rule, writing nothing (or says no
    enabled rule reads the rows); a window longer than the calendar is no window, not a 500 that
    loses the upload; a window typed in superscript digits is refused, not a 500."""
    url = str(tmp_path / "w.duckdb")
    with advocacy.open(url) as ws:
        add_user(ws.db, "ana", role="analyst", password="correct horse battery staple")
    today = datetime.now(UTC)
    answers = (
        "response_id,submitted_at,nps,comment\n"
        f"W1,{(today - timedelta(days=2)):%Y-%m-%d},2,Nobody called back\n"
        f"W2,{(today - timedelta(days=4000)):%Y-%m-%d},1,Rude\n"
        f"W3,{(today - timedelta(days=1)):%Y-%m-%d},10,Lovely\n"
    )
    with TestClient(create_app(url), base_url="https://testserver") as browser:
        login = _csrf(browser.get("/login").text)
        browser.post(
            "/login",
            data={"username": "ana", "password": "correct horse battery staple",
                  "csrf_token": login},
            follow_redirects=False,
        )  # fmt: skip
        csrf = _csrf(browser.get("/import").text)

        def check(body: str, **fields: str) -> tuple[int, str, str | None]:
            page = browser.post(
                "/import",
                data={"kind": "responses", "csrf_token": csrf, **fields},
                files={"file": ("a.csv", body.encode(), "text/csv")},
            )
            token = re.search(r'action="/import/([^"]+)"', page.text)
            return page.status_code, page_words(page.text), token.group(1) if token else None

        status, said, token = check(answers)
        assert status == 200 and token
        assert "cases: 1 would open (detractor 1) by the case rules over 2 records" in said
        assert "1 dated before" in said and "would open none" in said
        with advocacy.open(url) as ws:
            assert ws.cases.count() == 0 and ws.db.fetchall("SELECT * FROM responses") == []

        status, said, token = check(answers.replace("W", "V"), case_window_days="800000")
        assert status == 200 and token, said[:500]
        assert "cases: 2 would open (detractor 2) by the case rules over 3 records" in said
        done = browser.post(f"/import/{token}", data={"csrf_token": csrf})
        assert done.status_code == 200, done.text[:500]
        assert "cases: 2 opened (detractor 2) by the case rules over 3 records" in page_words(
            done.text
        )

        status, said, token = check(answers, case_window_days="³")
        assert status == 400 and token is None
        assert "the case window must be a whole number of days" in said

        with advocacy.open(url) as ws:
            replace_rules(ws.db, [], actor="ana")
        status, said, token = check(answers.replace("W", "U"))
        assert status == 200 and token
        assert "no enabled case rule reads these records" in said
        assert "On import, the enabled case rules run over" not in said
    with advocacy.open(url) as ws:
        assert sorted(case.evidence_id for case in ws.cases.list()) == ["V1", "V2"]


def test_the_api_takes_a_window_longer_than_the_calendar_as_no_window(
    db_url: str, tmp_path: Path
) -> None:
    tokens = _prepare(db_url, tmp_path)
    old = f"{(datetime.now(UTC) - timedelta(days=5000)):%Y-%m-%d}"
    body = f"response_id,submitted_at,nps\nA1,{old},1\nA2,{old},2\n".encode()
    with TestClient(create_app(db_url), base_url="https://testserver") as client:
        for days in ("800000", str(10**30)):
            form = {"kind": "responses", "case_window_days": days, "dry_run": "true"}
            answer = _post(client, tokens["analyst"], form, "a.csv", body)
            assert answer.status_code == 200, answer.text[:300]
            cases = answer.json()["cases"]
            assert (cases["opened"], cases["too_old"], cases["window_days"]) == (2, 0, None)
        refused = _post(client, tokens["analyst"], {"kind": "responses",
                        "case_window_days": "-1"}, "a.csv", body)  # fmt: skip
        assert refused.status_code == 400 and "case_window_days" in refused.text


def test_an_upload_over_the_bound_can_open_every_case_from_the_web_and_the_api(
    db_url: str, tmp_path: Path
) -> None:
    """Review7 item 1: over 500 cases, the web check offers "Open every case" (the CLI's
    ``cases open`` cannot run beside ``advocacy serve`` on DuckDB), and the API takes
    ``all_cases=true``; without them none opens and the line says how to open them."""
    tokens = _prepare(db_url, tmp_path)
    with advocacy.open(db_url) as ws:
        add_user(ws.db, "ana", role="analyst", password="correct horse battery staple")
    day = f"{datetime.now(UTC) - timedelta(days=3):%Y-%m-%d}"
    many = "response_id,submitted_at,nps\n" + "".join(f"W{n},{day},1\n" for n in range(501))
    with TestClient(create_app(db_url), base_url="https://testserver") as browser:
        login = _csrf(browser.get("/login").text)
        browser.post(
            "/login",
            data={"username": "ana", "password": "correct horse battery staple",
                  "csrf_token": login},
            follow_redirects=False,
        )  # fmt: skip
        form = browser.get("/import").text
        assert 'name="all_cases"' in form and "Open every case, even more than 500" in form
        csrf = _csrf(form)
        checked = browser.post(
            "/import",
            data={"kind": "responses", "csrf_token": csrf},
            files={"file": ("many.csv", many.encode(), "text/csv")},
        )
        said = page_words(checked.text)
        assert "more than 500 at once; to open them all, import with --all-cases" in said
        assert "Open every case: all 501, more than 500" in said
        token = re.search(r'action="/import/([^"]+)"', checked.text)
        assert token is not None
        done = browser.post(
            f"/import/{token.group(1)}", data={"csrf_token": csrf, "all_cases": "true"}
        )
        assert "cases: 501 opened (detractor 501)" in page_words(done.text)
        api = "response_id,submitted_at,nps\n" + "".join(f"A{n},{day},1\n" for n in range(501))
        withheld = _post(browser, tokens["analyst"], {"kind": "responses", "dry_run": "true"},
                         "a.csv", api.encode()).json()  # fmt: skip
        assert withheld["cases"]["withheld"] == {"detractor": 501}
        opened = _post(browser, tokens["analyst"], {"kind": "responses", "all_cases": "true"},
                       "a.csv", api.encode()).json()  # fmt: skip
        assert opened["cases"]["opened"] == 501 and not opened["cases"]["withheld"]
    with advocacy.open(db_url) as ws:
        assert ws.cases.count() == 1002
