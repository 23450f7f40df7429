"""The docs are generated from the code; these fail when they drift apart."""

from __future__ import annotations

from pathlib import Path

import advocacy
from advocacy.ingest.mapping_keys import DateSpec, ItemSpec, MappingFile
from advocacy.model import KINDS
from advocacy.present.cli.import_reference import (
    EXAMPLE_FILE,
    EXAMPLE_MAPPING,
    EXAMPLE_OUTCOME,
    import_reference,
)
from advocacy.present.cli.reference import cli_reference, settings_reference
from advocacy.settings import SETTINGS

DOCS = Path(__file__).resolve().parents[2] / "docs"
REGENERATE = "regenerate with: .venv/bin/python -m advocacy.present.cli.reference"


def test_cli_reference_matches_the_cli() -> None:
    assert (DOCS / "cli.md").read_text(encoding="utf-8") == cli_reference(), REGENERATE


def test_every_setting_is_documented() -> None:
    text = (DOCS / "settings.md").read_text(encoding="utf-8")
    assert text == settings_reference(), REGENERATE
    for setting in SETTINGS:
        assert f"`{setting.environment_variable}`" in text


def test_readme_quick_start_is_the_two_commands() -> None:
    readme = (DOCS.parent / "README.md").read_text(encoding="utf-8")
    quick_start = readme.split("## Quick start", 1)[1].split("##", 1)[0]
    commands = [line.split("#")[0].strip() for line in quick_start.splitlines()]
    assert [c for c in commands if c.startswith("make")] == ["make demo", "make test"]


def test_import_reference_matches_the_code() -> None:
    text = (DOCS / "import.md").read_text(encoding="utf-8")
    assert text == import_reference(), REGENERATE
    assert "with its row, column, value, reason and fix" in text  # as quarantine list shows it
    # Whatever the generator does, every kind, field and mapping key is on the page.
    for kind in KINDS.values():
        section = text.split(f"### {kind.name}\n", 1)[1].split("\n### ", 1)[0]
        for field in kind.fields:
            assert f"| `{field.name}` |" in section, (kind.name, field.name)
    for models in (MappingFile, ItemSpec, DateSpec):
        for key, field in models.model_fields.items():
            assert f"`{key}`" in text and str(field.description)[1:] in text, key


def test_the_worked_example_does_what_the_page_says(db_url: str, tmp_path: Path) -> None:
    data = tmp_path / "guests.csv"
    data.write_text(EXAMPLE_FILE, encoding="utf-8")
    mapping = tmp_path / "guests.yaml"
    mapping.write_text(EXAMPLE_MAPPING, encoding="utf-8")
    with advocacy.open(db_url) as ws:
        result = ws.import_file(data, kind="responses", mapping=mapping)
        comments = dict(ws.db.fetchall("SELECT response_id, comment FROM responses"))
        kinds = ws.db.fetchall("SELECT DISTINCT kind, scale_max FROM response_items")
    assert {key: result.summary()[key] for key in EXAMPLE_OUTCOME} == EXAMPLE_OUTCOME
    assert comments["G-1042"] == "Noisy at night, though staff moved us"
    assert kinds == [("perception", 7.0)]


def test_readme_links_the_import_reference() -> None:
    readme = (DOCS.parent / "README.md").read_text(encoding="utf-8")
    assert "[docs/import.md](docs/import.md)" in readme
