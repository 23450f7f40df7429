"""``advocacy asks``: add, list, send, results and export-rewards through the real command line."""

from __future__ import annotations

import csv
import json
from pathlib import Path

import advocacy
from support.cli import advocacy_cli

CAMPAIGN = """\
id: spring
name: Spring referral ask
audience: {kind: everyone}
action: refer
channel: links
seed: 5
final_n: 20
reward: {to: advocate, when: referral, amount: 5, currency: EUR}
"""
ENV = {"ADVOCACY_SECRET_KEY": "cli-test-key", "ADVOCACY_PUBLIC_URL": "https://ask.example.com"}


def test_a_campaign_from_the_command_line(tmp_path: Path) -> None:
    db = str(tmp_path / "w.duckdb")
    with advocacy.open(db) as ws:
        for index in range(10):
            ws.db.execute(
                "INSERT INTO customers (customer_id, name, email) VALUES (?, ?, ?)",
                [f"C{index}", f'=HYPERLINK("http://x","{index}")', f"c{index}@example.com"],
            )
    (tmp_path / "spring.yaml").write_text(CAMPAIGN, encoding="utf-8")
    added = advocacy_cli("asks", "add", "spring.yaml", "--db", db, cwd=tmp_path, env=ENV)
    assert added.returncode == 0, added.stderr
    assert added.stdout.strip() == (
        "saved campaign spring (refer by links); holdout 20%, seed 5, final analysis at 20 members"
    )
    (tmp_path / "bad.yaml").write_text(CAMPAIGN.replace("links", "fax"), encoding="utf-8")
    bad = advocacy_cli("asks", "add", "bad.yaml", "--db", db, cwd=tmp_path, env=ENV)
    assert bad.returncode == 1 and "bad.yaml: line 5: channel" in bad.stderr

    listed = advocacy_cli("asks", "list", "--format", "json", "--db", db, cwd=tmp_path, env=ENV)
    assert [row["campaign_id"] for row in json.loads(listed.stdout)] == ["spring"]

    sent = advocacy_cli(
        "asks", "send", "spring", "--out", "links.csv", "--db", db, cwd=tmp_path, env=ENV
    )
    assert sent.returncode == 0, sent.stderr
    with (tmp_path / "links.csv").open(encoding="utf-8") as handle:
        links = list(csv.DictReader(handle))
    assert sent.stdout.startswith(f"asked {len(links)}, held out {10 - len(links)} as control")
    assert all(row["name"].startswith("'=") for row in links)  # formulas neutralised
    assert all(row["landing"].startswith("https://ask.example.com/a/") for row in links)

    token = links[0]["landing"].split("/a/")[1].split("/")[0]
    with advocacy.open(db) as ws:
        ws.settings = ws.settings.updated(secret_key="cli-test-key")
        ws.asks.land(token, email="friend@example.org", consent=True)
    results = advocacy_cli(
        "asks", "results", "spring", "--format", "json", "--db", db, cwd=tmp_path, env=ENV
    )
    rows = {row["outcome"]: row for row in json.loads(results.stdout)}
    assert rows["referral"]["ask_hits"] == 1 and rows["referral"]["verdict"] == "too early"
    assert rows["earned revenue per member"]["ask_n"] == len(links)

    out = advocacy_cli(
        "asks", "export-rewards", "spring", "--out", "r.csv", "--db", db, cwd=tmp_path, env=ENV
    )
    assert out.stdout.strip() == "wrote 1 reward(s) to r.csv"
    again = advocacy_cli(
        "asks", "export-rewards", "spring", "--out", "r2.csv", "--db", db, cwd=tmp_path, env=ENV
    )
    assert again.stdout.strip() == "wrote 0 reward(s) to r2.csv"
