"""Settings: one typed object from arguments, environment and advocacy.toml, in that order."""

from __future__ import annotations

from pathlib import Path

import pytest

import advocacy
from advocacy.errors import UsageError
from advocacy.settings import Settings


def test_arguments_beat_the_environment_which_beats_the_file(tmp_path: Path) -> None:
    (tmp_path / "advocacy.toml").write_text(
        "[advocacy]\nconfidence = 0.8\nmin_n = 12\ncase_teams = 'billing'\n", encoding="utf-8"
    )
    environ = {"ADVOCACY_MIN_N": "20", "ADVOCACY_SMTP_STARTTLS": "off"}
    settings = Settings.load(directory=tmp_path, environ=environ, case_teams=None, min_n=None)
    assert (settings.confidence, settings.min_n, settings.case_teams) == (0.8, 20, "billing")
    assert settings.smtp_starttls is False and settings.smtp_port == 587
    argued = Settings.load(directory=tmp_path, environ=environ, min_n=5)
    assert argued.min_n == 5 and argued.updated(confidence=0.9).confidence == 0.9


def test_a_typo_in_the_config_file_names_its_line_and_the_setting_meant(tmp_path: Path) -> None:
    (tmp_path / "advocacy.toml").write_text(
        "# house settings\n[advocacy]\nconfidense = 0.9\n", encoding="utf-8"
    )
    with pytest.raises(UsageError) as raised:
        Settings.load(directory=tmp_path, environ={})
    assert (raised.value.row, raised.value.column) == (3, "advocacy.confidense")
    assert "line 3: advocacy.confidense: unknown key" in str(raised.value)
    assert "did you mean 'confidence'?" in str(raised.value)


@pytest.mark.parametrize(
    ("written", "words"),
    [
        ("smtp_password = 'x'\n", "line 2: advocacy.smtp_password: a secret may not live"),
        ("min_n = 'many'\n", "line 2: advocacy.min_n: must be a whole number"),
        ("confidence = 1.5\n", "line 2: advocacy.confidence: must be less than 1"),
    ],
)
def test_bad_values_in_the_file_are_refused_with_their_line(
    tmp_path: Path, written: str, words: str
) -> None:
    (tmp_path / "advocacy.toml").write_text("[advocacy]\n" + written, encoding="utf-8")
    with pytest.raises(UsageError, match=words):
        Settings.load(directory=tmp_path, environ={})


def test_a_bad_environment_variable_is_named(tmp_path: Path) -> None:
    with pytest.raises(UsageError, match=r"min_n: must be a whole number \(from ADVOCACY_MIN_N\)"):
        Settings.load(directory=tmp_path, environ={"ADVOCACY_MIN_N": "many"})


def test_open_takes_settings_and_keeps_them(tmp_path: Path) -> None:
    settings = Settings.load(directory=tmp_path, environ={}, confidence=0.9)
    with advocacy.open(str(tmp_path / "w.duckdb"), settings=settings) as ws:
        assert ws.settings.confidence == 0.9
        assert ws.settings.db == str(tmp_path / "w.duckdb")
