"""Bounded input (issue #15.4): request bodies, records per batch, text per field, JSON nesting.

The limits are settings; here an app with small limits (through the ASGI client) shows each one
refused with the usual error shape and nothing written, and a real uvicorn server with the
default limits shows a 200 MB comment refused after about a megabyte, while other requests are
answered meanwhile.
"""

from __future__ import annotations

import json
import select
import socket
import time
from collections.abc import Callable, Iterator

import httpx
import pytest
from fastapi.testclient import TestClient

import advocacy
from advocacy.errors import ValidationError
from advocacy.ingest.limits import InputLimits, parse_json
from advocacy.ingest.records import write_records
from advocacy.present.web import create_app
from support.live_server import serving
from web.site import Site, bearer

SMALL = InputLimits(body_bytes=4_000, batch_records=3, text_chars=100, json_depth=6)
#: JSON nested far beyond any limit: Python's parser alone raises RecursionError on it.
ABYSS = "[" * 100_000 + "]" * 100_000


@pytest.fixture(scope="module", autouse=True)
def secret() -> Iterator[None]:
    """The signing key in the servers' environment before they start (they read it once)."""
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("ADVOCACY_SECRET_KEY", "web-test-key")
        yield


#: Each test ends once the work its requests started in the app's threads has (conftest.py).


@pytest.fixture(scope="module")
def small(site: Site) -> Iterator[TestClient]:
    with TestClient(
        create_app(site.url, limits=SMALL), base_url="https://testserver"
    ) as test_client:
        yield test_client


def _notes(site: Site, prefix: str) -> int:
    with advocacy.open(site.url) as ws:
        row = ws.db.fetchone("SELECT count(*) FROM notes WHERE note_id LIKE ?", [prefix + "%"])
    return int(row[0]) if row else 0


def _json_headers(site: Site, role: str = "analyst") -> dict[str, str]:
    return {**bearer(site, role), "Content-Type": "application/json"}


def test_a_body_larger_than_the_limit_is_refused_with_413(small: TestClient, site: Site) -> None:
    body = json.dumps([{"note_id": "big-1", "text": "x" * 90}] * 40)  # about 4,200 bytes
    response = small.post("/api/v1/notes", content=body, headers=_json_headers(site))
    assert response.status_code == 413
    shape = response.json()
    assert shape["error"] == "RequestTooLargeError"
    assert "at most 4,000" in shape["message"] and "max_body_bytes" in shape["fix"]
    assert response.headers["connection"] == "close"
    assert _notes(site, "big-") == 0


def test_more_records_than_a_batch_takes_are_refused_whole(small: TestClient, site: Site) -> None:
    records = [{"note_id": f"batch-{i}", "text": "called back"} for i in range(4)]
    response = small.post("/api/v1/notes", json=records, headers=bearer(site, "analyst"))
    assert response.status_code == 422
    assert response.json()["message"] == "4 records in one request; at most 3 are accepted"
    assert _notes(site, "batch-") == 0
    accepted = small.post("/api/v1/notes", json=records[:3], headers=bearer(site, "analyst"))
    assert accepted.status_code == 200 and accepted.json()["inserted"] == 3


def test_a_text_over_the_limit_is_refused_naming_where_without_echoing_it(
    small: TestClient, site: Site
) -> None:
    records = [
        {"note_id": "long-1", "text": "fine"},
        {"note_id": "long-2", "text": "<script>" + "A" * 200},
    ]
    response = small.post("/api/v1/notes", json=records, headers=bearer(site, "analyst"))
    assert response.status_code == 422
    shape = response.json()
    assert shape["parameter"] == "[1].text"
    assert shape["message"] == "[1].text is 208 characters long; at most 100 are accepted"
    assert shape["value"] == "<script>" + "A" * 32 + "... (208 characters)"
    assert _notes(site, "long-") == 0


def test_the_library_write_names_the_record_and_field_of_a_long_text(site: Site) -> None:
    with advocacy.open(site.url) as ws, pytest.raises(ValidationError) as refused:
        write_records(
            ws.db,
            "notes",
            [{"note_id": "lib-1", "text": "ok"}, {"note_id": "lib-2", "text": "é" * 101}],
            actor="test",
            limits=SMALL,
            timezone=ws.settings.timezone,
        )
    assert (refused.value.row, refused.value.column) == (1, "text")
    assert "101 characters long; at most 100" in refused.value.message


@pytest.mark.parametrize(
    ("method", "path", "content_type"),
    [
        ("POST", "/api/v1/responses", "application/json"),
        ("POST", "/api/v1/responses", None),  # the write routes read JSON whatever the type
        ("POST", "/api/v1/surveys", "application/json"),
        ("POST", "/api/v1/cases/case-x/events", "application/json"),
        ("PUT", "/api/v1/rules", "application/json"),
        ("POST", "/api/v1/users", "application/json"),
    ],
)
def test_deeply_nested_json_is_422_on_every_json_route(
    client: TestClient, site: Site, method: str, path: str, content_type: str | None
) -> None:
    headers = bearer(site, "admin") | ({"Content-Type": content_type} if content_type else {})
    response = client.request(method, path, content=ABYSS, headers=headers)
    assert response.status_code == 422, response.text
    assert response.json() == {
        "error": "ValidationError",
        "message": "the JSON nests deeper than 32 levels",
        "fix": "send a flatter document (the limit is the max_json_depth setting)",
    }


def test_nesting_is_counted_to_the_limit(small: TestClient, site: Site) -> None:
    inside = {"a": {"b": {"c": {"d": "deep"}}}}  # 4 objects + the record + the array = 6
    fits = small.post(
        "/api/v1/notes",
        json=[{"note_id": "nest-1", "text": "x", "extra": inside}],
        headers=bearer(site, "analyst"),
    )
    assert fits.status_code == 200, fits.text
    deeper = small.post(
        "/api/v1/notes",
        json=[{"note_id": "nest-2", "text": "x", "extra": {"z": inside}}],
        headers=bearer(site, "analyst"),
    )
    assert deeper.status_code == 422
    assert deeper.json()["message"] == "the JSON nests deeper than 6 levels at [0].extra.z.a.b.c"
    assert _notes(site, "nest-2") == 0


def test_a_long_form_field_is_refused_with_a_page(small: TestClient) -> None:
    page = small.get("/login")
    token = page.cookies.get("advocacy_login_csrf") or small.cookies.get("advocacy_login_csrf")
    response = small.post(
        "/login",
        data={"username": "ada", "password": "p" * 101, "csrf_token": token or ""},
        headers={"Accept": "text/html"},
    )
    assert response.status_code == 422
    assert response.headers["content-type"].startswith("text/html")
    assert "is 101 characters long; at most 100 are accepted" in response.text


def test_the_json_parser_refuses_what_python_cannot_read() -> None:
    limits = InputLimits()
    for text, message in [
        (ABYSS, "the JSON nests deeper than 32 levels"),
        ("1" * 5_000, "the body is not JSON"),  # more digits than int() takes
        (b"\xff[]", "the body is not UTF-8 text"),
        ("[1,", "the body is not JSON"),
    ]:
        with pytest.raises(ValidationError) as refused:
            parse_json(text.encode() if isinstance(text, str) else text, limits)
        assert refused.value.message.startswith(message)


# -- a real server with the default limits -----------------------------------------------------
def _chunked_upload(
    port: int, token: str, *, chunk: int, most: int, halfway: Callable[[], None]
) -> tuple[int, bytes]:
    """Stream a JSON record whose comment is ``most`` bytes, ``chunk`` bytes at a time, calling
    ``halfway()`` once 512 KiB are sent; stop when the server answers. Returns the bytes sent
    and the answer."""
    connection = socket.create_connection(("127.0.0.1", port))
    connection.sendall(
        (
            "POST /api/v1/responses HTTP/1.1\r\nHost: 127.0.0.1\r\n"
            f"Authorization: Bearer {token}\r\nContent-Type: application/json\r\n"
            "Transfer-Encoding: chunked\r\n\r\n"
        ).encode()
    )
    piece = b'[{"response_id": "huge-1", "nps": 0, "comment": "'
    piece += b"A" * (chunk - len(piece))
    sent = 0
    answer = b""
    try:
        while sent < most:
            if select.select([connection], [], [], 0)[0]:
                break
            if sent < 524_288 <= sent + len(piece):
                halfway()  # the upload is open and half sent
            connection.sendall(b"%x\r\n%s\r\n" % (len(piece), piece))
            sent += len(piece)
            piece = b"A" * chunk
            time.sleep(0.002)
        while True:  # the answer, until the server closes the connection
            try:
                part = connection.recv(65_536)
            except ConnectionResetError:
                break
            if not part:
                break
            answer += part
    finally:
        connection.close()
    return sent, answer


@pytest.fixture(scope="module")
def live(site: Site) -> Iterator[str]:
    with serving(create_app(site.url)) as base:
        yield base


def test_a_200_mb_comment_is_refused_after_a_megabyte_while_others_are_answered(
    live: str, site: Site
) -> None:
    port = int(live.rsplit(":", 1)[1])
    meanwhile: list[int] = []

    def ask() -> None:
        response = httpx.get(f"{live}/api/v1/me", headers=bearer(site, "viewer"), timeout=60)
        meanwhile.append(response.status_code)

    sent, answer = _chunked_upload(
        port, site.tokens["analyst"], chunk=16_384, most=200_000_000, halfway=ask
    )
    assert meanwhile == [200]  # answered while half a megabyte of the upload was in
    assert answer.startswith(b"HTTP/1.1 413 ")
    body = json.loads(answer.split(b"\r\n\r\n", 1)[1])
    assert body["error"] == "RequestTooLargeError"
    # Refused once past the limit (what was in flight when the answer came aside), not 200 MB.
    assert 1_000_000 <= sent < 4_000_000
    with advocacy.open(site.url) as ws:
        stored = ws.db.fetchone("SELECT count(*) FROM responses WHERE response_id = 'huge-1'")
    assert stored == (0,)


def test_a_body_declared_as_200_mb_is_refused_before_it_is_sent(live: str, site: Site) -> None:
    port = int(live.rsplit(":", 1)[1])
    with socket.create_connection(("127.0.0.1", port), timeout=10) as connection:
        connection.sendall(
            (
                "POST /api/v1/responses HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                f"Authorization: Bearer {site.tokens['analyst']}\r\n"
                "Content-Type: application/json\r\nContent-Length: 200000000\r\n\r\n"
            ).encode()
        )
        answer = b""
        while chunk := connection.recv(4096):  # the server closes the connection after it
            answer += chunk
    assert answer.startswith(b"HTTP/1.1 413 ")
    assert b"200,000,000 bytes; at most 1,000,000 are accepted" in answer


def test_a_survey_form_over_the_limit_gets_the_survey_look(client: TestClient) -> None:
    page = client.get("/s/open/default")
    nonce = page.text.split('name="nonce" value="', 1)[1].split('"', 1)[0]
    comment = "Too long " + "x" * 25_000
    answer = client.post("/s/open/default", data={"nonce": nonce, "nps": "3", "comment": comment})
    assert answer.status_code == 422
    assert "Your answer could not be read" in answer.text
    assert "is 25,009 characters long; at most 20,000 are accepted" in answer.text
    assert "Back to the overview" not in answer.text  # not the staff error page
    state = client.app.state.web  # type: ignore[attr-defined]
    with state.use:
        stored = state.ws.db.fetchone(
            "SELECT count(*) FROM responses WHERE comment LIKE 'Too long %'"
        )
    assert stored == (0,)
