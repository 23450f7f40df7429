"""Escaping by default (#15.1), through the ASGI client: the security headers, the sign-in
page's ``next``, JSON inside script elements, and templates that never mark user text safe.

The browser-level proof, with payloads in every field and every page, is ``test_xss``.
"""

from __future__ import annotations

import json
import re
from pathlib import Path
from urllib.parse import quote, urlencode

import pytest
from fastapi.testclient import TestClient
from hypothesis import given
from hypothesis import strategies as st

import advocacy
from advocacy.present.web.pages.rendering import TEMPLATES, chart, script_json
from web.site import PASSWORD

HOSTILE_NEXT = [
    "https://evil.example/x",
    "//evil.example/x",
    "/\\evil.example/x",
    "\\\\evil.example/x",
    "javascript:alert(1)",
    "/\t/evil.example/x",
    "/\n/evil.example/x",
    "/\x00/evil.example/x",
    " /x",
    "",
]


def _directives(header: str) -> dict[str, str]:
    pairs = (part.strip().split(" ", 1) for part in header.split(";") if part.strip())
    return {pair[0]: pair[1] if len(pair) > 1 else "" for pair in pairs}


def test_pages_forbid_foreign_forms_base_urls_plugins_and_framing(client: TestClient) -> None:
    for path in ("/login", "/no-such-page", "/customers/x"):
        policy = _directives(client.get(path).headers["content-security-policy"])
        assert policy["form-action"] == "'self'", path
        assert policy["base-uri"] == "'none'", path
        assert policy["object-src"] == "'none'", path
        assert policy["frame-ancestors"] == "'none'", path
        assert "'unsafe-inline'" not in policy["script-src"], path


def test_survey_pages_stay_embeddable_with_the_same_limits(client: TestClient) -> None:
    response = client.get("/s/open/no-such-survey")
    policy = _directives(response.headers["content-security-policy"])
    assert policy["frame-ancestors"] == "*"
    assert policy["form-action"] == "'self'"
    assert policy["base-uri"] == "'none'"
    assert policy["object-src"] == "'none'"
    assert "x-frame-options" not in response.headers


def _login_form(client: TestClient, target: str) -> tuple[str, str]:
    """The sign-in page for ``next=target``: its CSRF token and the ``next`` it carries."""
    page = client.get("/login?" + urlencode({"next": target}))
    token = re.search(r'name="csrf_token" value="([^"]+)"', page.text)
    carried = re.search(r'name="next" value="([^"]*)"', page.text)
    assert token and carried, page.text
    return token.group(1), carried.group(1)


@pytest.mark.parametrize("target", HOSTILE_NEXT)
def test_a_hostile_next_becomes_the_overview(client: TestClient, target: str) -> None:
    token, carried = _login_form(client, target)
    assert carried == "/"
    signed_in = client.post(
        "/login",
        data={"username": "ana", "password": PASSWORD, "csrf_token": token, "next": target},
        follow_redirects=False,
    )
    assert signed_in.status_code == 303
    assert signed_in.headers["location"] == "/"


@pytest.mark.parametrize("target", ["/explore?by=region&metric=csat", "/customers/C%2F1", "/"])
def test_a_same_site_next_is_kept(client: TestClient, target: str) -> None:
    token, carried = _login_form(client, target)
    assert carried == target.replace("&", "&amp;")
    signed_in = client.post(
        "/login",
        data={"username": "ana", "password": PASSWORD, "csrf_token": token, "next": target},
        follow_redirects=False,
    )
    assert signed_in.headers["location"] == target


def test_a_same_site_next_with_markup_is_kept_escaped(client: TestClient) -> None:
    page = client.get("/login?" + urlencode({"next": '/"><img src=x onerror=alert(1)>'}))
    assert "<img" not in page.text
    assert 'name="next" value="/&#34;&gt;&lt;img src=x onerror=alert(1)&gt;"' in page.text


def test_an_unknown_id_is_repeated_escaped_on_the_not_found_page(client: TestClient) -> None:
    token, _ = _login_form(client, "/")
    client.post("/login", data={"username": "ana", "password": PASSWORD, "csrf_token": token})
    # No '/' in the id, or no route would match it.
    page = client.get("/customers/" + quote('"><img src=x onerror=alert(1)>', safe=""))
    assert page.status_code == 404
    assert "<img" not in page.text
    assert "&#34;&gt;&lt;img src=x onerror=alert(1)&gt;" in page.text


@given(st.recursive(st.text() | st.integers() | st.none(), lambda inner: st.lists(inner)))
def test_script_json_cannot_close_its_element_and_reads_back_unchanged(value: object) -> None:
    text = str(script_json({"values": value, "label": "</script><!--"}))
    assert not set(text) & {"<", ">", "&", "\u2028", "\u2029"}
    assert json.loads(text) == {"values": value, "label": "</script><!--"}


def test_a_chart_label_is_escaped_in_its_description_and_caption() -> None:
    figure = str(chart({"data": {"values": [{"unit": "</script>"}]}}, label='"><b>North</b>'))
    assert "<b>" not in figure
    assert figure.count("<script") == figure.count("</script>") == 1  # the spec's own element
    assert figure.count("&#34;&gt;&lt;b&gt;North&lt;/b&gt;") == 2  # aria-label and caption


def test_no_template_marks_a_value_safe() -> None:
    """Pages, the report and e-mails: what is safe is marked so in Python, where we built it."""
    templates = sorted(Path(advocacy.__file__).parent.rglob("*.j2"))
    assert Path(TEMPLATES) / "base.html.j2" in templates
    assert {template.parent.parent.name for template in templates} >= {"web", "report", "notify"}
    for template in templates:
        source = template.read_text(encoding="utf-8")
        for unsafe in ("|safe", "| safe", "autoescape false", "Markup"):
            assert unsafe not in source, f"{template.name} uses {unsafe}"
