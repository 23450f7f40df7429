"""The coaching page shows the themes of an employee's feedback beside the unit's, and cases."""

from __future__ import annotations

import html
from datetime import UTC, datetime, timedelta

from fastapi.testclient import TestClient

from advocacy.loop.cases.coaching import coaching_summary
from web.site import Site, bearer


def _employee_with_themes(client: TestClient) -> tuple[str, str]:
    state = client.app.state.web  # type: ignore[attr-defined]
    with state.use:
        row = state.ws.db.fetchone(
            "SELECT r.employee_id, e.unit, count(*) AS n FROM responses r "
            "JOIN employees e ON e.employee_id = r.employee_id "
            "JOIN document_themes d ON d.document_kind = 'response' "
            "AND d.document_id = r.response_id GROUP BY r.employee_id, e.unit "
            "ORDER BY n DESC, r.employee_id LIMIT 1"
        )
    assert row, "the demo assigns themes to responses that name employees"
    return str(row[0]), str(row[1])


def test_coaching_page_lists_the_themes_the_library_finds(client: TestClient, site: Site) -> None:
    employee, unit = _employee_with_themes(client)
    state = client.app.state.web  # type: ignore[attr-defined]
    with state.use:
        expected = coaching_summary(state.ws.db, employee, unit=unit)
    assert expected.themes
    page = client.get(f"/coaching/{employee}", headers=bearer(site, "analyst")).text
    table = page.split('id="theme-table"', 1)[1].split("</table>", 1)[0]
    assert f"{expected.commented} commented answers" in table and unit in table
    for theme in expected.themes:
        share = f"{100 * theme.employee_share:,.1f}%"
        assert (
            f"<tr><td>{html.escape(theme.name)}</td>"
            f'<td class="num">{theme.employee_comments}</td><td class="num">{share}</td>'
        ) in table
    assert "No closed-loop cases name this employee" in page


def test_coaching_page_counts_the_employees_cases(client: TestClient, site: Site) -> None:
    employee, _ = _employee_with_themes(client)
    now = datetime.now(UTC)
    state = client.app.state.web  # type: ignore[attr-defined]
    with state.use:
        for case_id, closed in (("k1", now - timedelta(days=3)), ("k2", None)):
            state.ws.db.execute(
                "INSERT INTO cases (case_id, rule_id, evidence_kind, evidence_id, employee_id, "
                "status, opened_at, due_at, closed_at, escalation_level, updated_at, root_cause) "
                "VALUES (?, 'detractor', 'response', ?, ?, ?, ?, ?, ?, 0, ?, 'late van')",
                [
                    case_id,
                    f"x-{case_id}",  # one case per evidence (migration 0016)
                    employee,
                    "closed" if closed else "new",
                    now - timedelta(days=5),
                    now - timedelta(days=4),
                    closed,
                    now,
                ],
            )
    page = client.get(f"/coaching/{employee}", headers=bearer(site, "analyst")).text
    summary = page.split('id="case-summary"', 1)[1].split("</dl>", 1)[0]
    assert "<dt>Opened</dt><dd>2</dd>" in summary
    assert "<dt>Closed</dt><dd>1</dd>" in summary
    # Both are past due; the closed one closed a day late.
    assert "0.0% (0 of 2 closed or past due" in summary
    assert "late van (2)" in page
