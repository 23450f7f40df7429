"""A discovered theme is never named after a person the workspace knows (audit finding 5b).

The shipped name lists know common first names; a customer's own name ("Zorblax Quennell") is
known only to the workspace's redactor, which quotes already went through and names did not.
"""

from __future__ import annotations

from pathlib import Path

import advocacy


def test_a_customer_named_in_comments_never_names_a_theme(tmp_path: Path) -> None:
    people = tmp_path / "customers.csv"
    people.write_text("customer_id,name\nc1,Zorblax Quennell\nc2,Ada Brown\n", "utf-8")
    endings = ("was rude", "shouted at me", "was rude again", "ignored us")
    texts = [f"Zorblax Quennell at the front desk {end}" for end in endings] * 5
    endings = ("again", "twice", "today", "badly")
    texts += [f"the parcel delivery was late {end}" for end in endings] * 5
    comments = tmp_path / "mentions.csv"
    comments.write_text(
        "mention_id,text\n" + "".join(f'm{i},"{text}"\n' for i, text in enumerate(texts)), "utf-8"
    )
    with advocacy.open(str(tmp_path / "workspace.duckdb")) as ws:
        ws.import_file(people, kind="customers")
        ws.import_file(comments, kind="mentions")
        ws.text.analyze()
        ws.text.discover_themes(n_themes=2)
        themes = ws.text.themes(origin="discovered")
    shown = " ".join(
        [*themes["name"], *(" ".join(map(str, words)) for words in themes["keywords"])]
    ).lower()
    quotes = " ".join(str(quote) for quotes in themes["quotes"] for quote in quotes).lower()
    assert "desk" in shown  # the theme is there, named by what the comments are about
    assert "zorblax" not in shown and "quennell" not in shown
    assert "zorblax" not in quotes and "[name]" in quotes
