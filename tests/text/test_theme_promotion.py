"""``text promote-theme``: a discovered theme added to the user's taxonomy file.

review27 #19: the file was rewritten and lost its comments and layout; #20: the cluster's
commonest words became keywords, so the promoted theme took texts of every theme (251 texts
discovered, 1,170 once promoted).
"""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest

import advocacy
from advocacy.errors import UsageError
from advocacy.text.taxonomy import TaxonomyTheme, load_taxonomy
from advocacy.text.taxonomy_file import append_theme
from advocacy.text.theme_promotion import specific_phrases
from support.cli import advocacy_cli

#: Every text says "bought": a word of the courier cluster, and of every other.
COMMENTS = [
    *(f"I bought a lamp and the courier lost the parcel, order {n}." for n in range(8)),
    *(f"I bought a jumper and the colour is lovely, order {n}." for n in range(8)),
    *(f"I bought shoes and the size fits well, order {n}." for n in range(8)),
]

USERS_FILE = """\
# Our delivery taxonomy - owned by CX team, do not reorder
themes:
  - name: Refunds   # money back
    keywords: [refund, "money back"]   # agreed with ops 2026-11

    description: money owed back to the customer
"""


def _workspace(path: Path) -> tuple[Path, str]:
    """A workspace with its themes discovered, and the id of the courier texts' theme."""
    with advocacy.open(path) as ws:
        ws.write_records(
            "responses",
            [{"response_id": f"R{n:02d}", "comment": text} for n, text in enumerate(COMMENTS)],
        )
        ws.text.analyze(calibrate=False)
        ws.text.discover_themes(n_themes=3)
        [(courier, size)] = ws.db.fetchall(
            "SELECT t.theme_id, t.size FROM themes t JOIN document_themes d USING (theme_id) "
            "WHERE t.origin = 'discovered' AND d.document_id = 'R00'"
        )
        assert size == 8  # the courier texts, as discovered
        # As Olist's "correios / lannister" carried "comprei": the cluster's name and key
        # phrases hold the word every text says.
        ws.db.execute(
            "UPDATE themes SET name = ?, keywords = ? WHERE theme_id = ?",
            ["bought / courier", json.dumps(["bought", "courier", "parcel"]), courier],
        )
    return path, str(courier)


def test_promoting_appends_the_theme_and_keeps_every_line_of_the_file(tmp_path: Path) -> None:
    db, courier = _workspace(tmp_path / "w.duckdb")
    taxonomy = tmp_path / "taxonomy.yaml"
    taxonomy.write_text(USERS_FILE, encoding="utf-8")
    with advocacy.open(db) as ws:
        promoted = ws.text.promote_theme(courier, taxonomy, name="Couriers")
    after = taxonomy.read_text(encoding="utf-8")
    assert after.startswith(USERS_FILE)  # every comment, blank line and quote as written
    assert f"  # promoted from {courier}" in after
    assert load_taxonomy(taxonomy).names == ["Refunds", "Couriers"]
    assert promoted.written == "appended to"
    assert not taxonomy.with_name("taxonomy.yaml.bak").exists()


def test_a_phrase_every_text_says_is_not_a_keyword_and_the_size_is_said(tmp_path: Path) -> None:
    db, courier = _workspace(tmp_path / "w.duckdb")
    taxonomy = tmp_path / "new.yaml"
    shown = advocacy_cli(
        "text", "promote-theme", courier, "--taxonomy", str(taxonomy), "--db", str(db),
        "--format", "json",
    )  # fmt: skip
    assert shown.returncode == 0, shown.stderr
    out = json.loads(shown.stdout)
    [theme] = load_taxonomy(taxonomy).themes
    assert "bought" not in theme.keywords and "courier" in theme.keywords
    assert theme.name == "Courier"  # not "Bought": a name's words mark the theme too
    assert out["left out (said as much by other themes' texts)"] == ["bought"]
    # Its keywords mark the 8 courier texts, not the 24 that say "bought".
    assert out["marked by its keywords and name"].startswith("8 texts, 8 of the 8 discovered")
    assert out["taxonomy file"] == f"created {taxonomy}"


def test_a_file_whose_list_is_written_inline_is_rewritten_with_a_backup(tmp_path: Path) -> None:
    taxonomy = tmp_path / "taxonomy.yaml"
    inline = "themes: [{name: Refunds, keywords: [refund]}]  # ours\n"
    taxonomy.write_text(inline, encoding="utf-8")
    written = append_theme(taxonomy, TaxonomyTheme("Couriers", keywords=("courier",)))
    assert written.startswith("rewritten") and "taxonomy.yaml.bak" in written
    assert taxonomy.with_name("taxonomy.yaml.bak").read_text(encoding="utf-8") == inline
    assert load_taxonomy(taxonomy).names == ["Refunds", "Couriers"]
    with pytest.raises(UsageError, match="already has a theme 'Couriers'"):
        append_theme(taxonomy, TaxonomyTheme("Couriers"))


def test_specific_phrases_are_those_the_theme_says_more_than_the_rest() -> None:
    members = np.array([True] * 3 + [False] * 7)
    said = {
        "bought": [True] * 10,  # everyone: precision 0.3
        "courier": [True, True, True, True, False, False, False, False, False, False],  # 0.75
        "lost": [True, False, False, False, False, False, False, False, False, False],  # 1.0
    }
    hits = np.array(list(said.values())).T
    assert specific_phrases(hits, members, list(said)) == ["courier", "lost"]
