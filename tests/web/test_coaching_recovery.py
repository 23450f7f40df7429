"""The coaching page shows the recovery rate of the employee's cases that the library computes."""

from __future__ import annotations

from fastapi.testclient import TestClient

from advocacy.loop.cases.coaching import coaching_summary
from web.site import Site, bearer


def test_coaching_page_shows_the_employees_recovery(client: TestClient, site: Site) -> None:
    state = client.app.state.web  # type: ignore[attr-defined]
    with state.use:
        row = state.ws.db.fetchone(
            "SELECT c.employee_id, e.unit, count(*) AS n FROM cases c "
            "JOIN employees e ON e.employee_id = c.employee_id "
            "WHERE c.customer_id IS NOT NULL GROUP BY c.employee_id, e.unit "
            "ORDER BY n DESC, c.employee_id LIMIT 1"
        )
        assert row, "the demo opens cases on answers that name employees"
        employee, unit = str(row[0]), str(row[1])
        cases = coaching_summary(
            state.ws.db, employee, unit=unit, confidence=state.ws.settings.confidence
        ).cases
    assert cases.recovery_eligible > 0, "the demo's cases are old enough for known outcomes"
    assert cases.recovery_low is not None and cases.recovery_high is not None
    page = client.get(f"/coaching/{employee}", headers=bearer(site, "analyst")).text
    shown = page.split('id="case-recovery">', 1)[1].split("</dd>", 1)[0]
    assert shown.startswith(f"{100 * cases.recovered / cases.recovery_eligible:,.1f}% (")
    assert f"{cases.recovered} of {cases.recovery_eligible} cases whose outcome is known" in shown
    assert f"{cases.rescored} answered again higher, {cases.repurchased} bought again" in shown
    assert f"{100 * cases.recovery_low:,.1f}% to {100 * cases.recovery_high:,.1f}%" in shown
