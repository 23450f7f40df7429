"""Take the README's pictures of the web app: the overview and the text page of the demo.

Builds the demo company (5,000 customers, seed 7) in a temporary folder, adds an analyst, serves
the app on a loopback port, signs in with Debian's Chromium through Playwright at 1440x900 and
writes full-page PNGs to ``docs/web-overview.png`` and ``docs/web-text.png``. Run it from the
repository with the ``dev`` extra installed::

    python tools/web_screenshots.py

The same demo gives the same numbers; only "today" (which periods are complete) can differ.
"""

from __future__ import annotations

import sys
import tempfile
from pathlib import Path

REPOSITORY = Path(__file__).resolve().parent.parent
#: Picture -> (page, the most pixels of its height shown).
PAGES = {"web-overview.png": ("/?by=unit", 2400), "web-text.png": ("/text", 1500)}
PASSWORD = "screenshots only, never served"


def main() -> None:
    sys.path.insert(0, str(REPOSITORY / "tests"))
    from playwright.sync_api import sync_playwright

    import advocacy
    from advocacy.access import add_user
    from advocacy.demo.build import build_demo
    from advocacy.present.web import create_app
    from support.live_server import serving  # type: ignore[import-not-found]  # tests/support

    with tempfile.TemporaryDirectory() as folder:
        summary = build_demo(Path(folder), customers=5000, seed=7)
        with advocacy.open(str(summary.database)) as ws:
            add_user(ws.db, "ana", role="analyst", password=PASSWORD)
        app = create_app(str(summary.database))
        with serving(app, name="localhost") as url, sync_playwright() as playwright:
            browser = playwright.chromium.launch(
                executable_path="/usr/bin/chromium", args=["--no-sandbox"], headless=True
            )
            page = browser.new_context(viewport={"width": 1440, "height": 900}).new_page()
            page.goto(url + "/login")
            page.get_by_label("User name").fill("ana")
            page.get_by_label("Password").fill(PASSWORD)
            page.get_by_role("button", name="Sign in").click()
            page.wait_for_url(url + "/")
            for name, (path, tallest) in PAGES.items():
                page.goto(url + path)
                page.wait_for_function(
                    "[...document.querySelectorAll('div.vega')].every(d => d.dataset.rendered)"
                )
                height = min(tallest, int(page.evaluate("document.body.scrollHeight")))
                page.screenshot(
                    path=str(REPOSITORY / "docs" / name),
                    full_page=True,
                    clip={"x": 0, "y": 0, "width": 1440, "height": height},
                )
            browser.close()


if __name__ == "__main__":
    main()
