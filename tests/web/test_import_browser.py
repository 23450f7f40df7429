"""An analyst imports a file on the Import page in Chromium (issue #20.4): upload it, read what
the server recognised, import it, and see the summary, the rows, the quarantined cells and what
the case rules did (with the CLI's choices: the case window, or no cases).

The file's name and one cell plant markup; the page shows them as text, runs no script and
loads nothing from elsewhere.
"""

from __future__ import annotations

from typing import Any

from web.site import Site
from web.test_browser import Visit, browser_site, chromium, server

__all__ = ["browser_site", "chromium", "server"]  # fixtures shared with test_browser

PLANTED = "<img src=x onerror=\"document.title='owned'\">"
QUOTED = PLANTED.replace('"', '""')  # as a CSV cell
FILE_NAME = "<i>march<i> & co.csv"


def _survey(customer: str) -> bytes:
    return (
        "response_id,customer_id,submitted_at,unit,nps,comment,Shoe size\n"
        f"WEB-1,{customer},2026-03-02T09:00:00Z,North,9,Quick and kind,42\n"
        f"WEB-2,{customer},2026-03-03T09:00:00Z,North,11,Out of range,41\n"
        f'WEB-3,{customer},2026-03-04T09:00:00Z,North,2,"{QUOTED}",40\n'
    ).encode()


def test_analyst_uploads_checks_and_imports_a_file(
    chromium: Any, server: str, browser_site: Site
) -> None:
    visit = Visit(chromium, server)
    try:
        visit.sign_in("ana")
        page = visit.page
        page.get_by_role("link", name="Import").click()
        page.wait_for_url(server + "/import")
        page.get_by_label("File (CSV, TSV, XLSX, JSON, JSONL or Parquet)").set_input_files(
            {
                "name": FILE_NAME,
                "mimeType": "text/csv",
                "buffer": _survey(browser_site.north_customer),
            }
        )
        page.get_by_label("What the rows are").select_option("responses")
        # The CLI's two case choices: the window (30 days unless changed) and none at all.
        window = page.get_by_label("Only evidence dated within this many days", exact=False)
        assert window.input_value() == "30"
        assert not page.get_by_label("Do not open cases").is_checked()
        page.get_by_role("button", name="Check the file").click()

        checked = page.get_by_role("heading", name=f"Check of {FILE_NAME}")
        checked.wait_for()
        caption = page.locator("caption", has_text="Columns recognised")
        recognised = page.locator("table", has=caption)
        assert "nps" in recognised.inner_text() and "comment" in recognised.inner_text()
        preview = page.locator("table.preview")
        assert "attrs.Shoe size" in preview.locator("thead").inner_text()
        assert PLANTED in preview.inner_text()  # the planted markup, shown as text
        would = page.locator("table.quarantine")
        assert "Cells that would be quarantined: 1 cell" in would.locator("caption").inner_text()
        plan = page.locator("p.cases-plan").inner_text()
        assert "open cases on those dated within the last 30 days" in plan
        visit.shot("import-check")

        # Nothing is written by the check: the import below loads both good rows as new.
        page.get_by_role("button", name="Import 2 rows").click()
        page.get_by_role("heading", name=f"Imported {FILE_NAME}").wait_for()
        counts = page.locator("table.counts")
        assert counts.locator("tr", has_text="loaded (new)").locator("td").inner_text() == "2"
        assert counts.locator("tr", has_text="quarantined").locator("td").inner_text() == "1"
        rows = page.locator("table.preview tbody tr")
        assert [rows.nth(i).locator("td").nth(1).inner_text() for i in range(rows.count())] == [
            "WEB-1",
            "WEB-3",
        ]
        cells = page.locator("table.quarantine tbody tr").first.locator("td").all_inner_texts()
        assert cells[:3] == ["3", "nps", "11"] and "between 0 and 10" in cells[3]
        # Its fix, apart from the reason (audit4 L7).
        assert page.locator("table.quarantine thead th").all_inner_texts()[-1] == "Fix"
        assert cells[4] == "write a value from 0 to 10, or map this column to the field it holds"
        assert page.locator("main img").count() == 0 and page.title() != "owned"
        # Both answers are from March: older than the case window, so none opens, and it says so.
        cases = " ".join(page.locator("ul.cases-done").inner_text().split())
        assert "cases: none opened, all 2 records are dated before" in cases
        assert "older than the 30-day case window" in cases
        visit.shot("import-done")
        assert visit.errors == [] and visit.foreign == []
    finally:
        visit.close()
