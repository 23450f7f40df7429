"""The CLI's names are the library's: ``advocacy G C`` runs ``ws.G.C`` (``-`` for ``_``).

Walks the real command tree, so a command added or renamed without its method (or a method
renamed without its command) fails here; the few commands that are not a method of their name
are listed with the reason. The old names (``advocacy drivers``, ``advocacy themes list``, ...)
are checked to be hidden, to have the options and help of the command that replaced them, and
to run it with the same output and exit code after one warning line on stderr.
"""

from __future__ import annotations

import functools
import itertools
import re
import typing
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import typer.main

from advocacy.present.cli.aliases import RENAMED, DefaultCommandGroup, old_names
from advocacy.present.cli.main import app
from advocacy.workspace import Workspace
from support.cli import advocacy_cli

ROOT = typer.main.get_command(app)

_CASEWORK = "runs ws.cases.work(case_id, action): one method for every step of working a case"
#: Commands that are not the namespace (or Workspace) method of their name, and why.
NOT_METHODS = {
    "import": "runs ws.import_file: `import` is a Python keyword",
    "demo": "builds a new demo workspace (advocacy.demo): there is no workspace to call yet",
    "report": "runs advocacy.report.write(ws): the report is a function of a workspace",
    "serve": "serves the web app over the workspace; it is no analysis",
    "maturity": "scores a questionnaire file (score_maturity); it reads no workspace",
    "quarantine list": "runs ws.quarantine: the queue of refused rows and its export, together",
    "quarantine export": "runs ws.export_quarantine, beside quarantine list",
    "cases show": "runs ws.cases.get: `show ID` reads one record, as `plans show` does",
    "cases export-rules": "writes ws.cases.rules_text() to --out: the pair of load-rules",
    **dict.fromkeys(
        ("cases contact", "cases note", "cases resolve", "cases close", "cases reopen"),
        _CASEWORK,
    ),
    "cases assign": _CASEWORK,
    "plans show": "runs ws.plans.progress: `show ID` reads one record, as `cases show` does",
    "outbox test-email": "sends with the smtp settings alone (send_test_email), no workspace",
    "outbox test-webhook": "posts with the webhook settings alone (send_test_webhooks)",
}


def commands(command: Any = ROOT, path: tuple[str, ...] = ()) -> Iterator[tuple[str, ...]]:
    """The path of every command users see in --help (groups are walked, not yielded)."""
    for name, sub in (getattr(command, "commands", None) or {}).items():
        if sub.hidden:
            continue
        if getattr(sub, "commands", None) is not None:
            yield from commands(sub, (*path, name))
        else:
            yield (*path, name)


def namespace_of(group: str) -> type | None:
    """The class of ``ws.<group>`` when it is a namespace of the workspace, else None."""
    attribute = vars(Workspace).get(group)
    if not isinstance(attribute, property) or attribute.fget is None:
        return None
    returned = typing.get_type_hints(attribute.fget)["return"]
    return returned if returned.__module__.startswith("advocacy.namespaces.") else None


def method_of(path: tuple[str, ...]) -> str | None:
    """What ``advocacy *path`` should run by its name, if that exists: ``ws.G.C`` or ``ws.C``."""
    *groups, name = path
    method = name.replace("-", "_")
    if not groups:
        return f"ws.{method}" if callable(getattr(Workspace, method, None)) else None
    owner = namespace_of(groups[0]) if len(groups) == 1 else None
    if owner is None or not callable(getattr(owner, method, None)):
        return None
    return f"ws.{groups[0]}.{method}"


def test_the_walk_sees_the_whole_tree() -> None:
    # The test below is only as good as the walk: every group and some known leaves are in it.
    seen = {" ".join(path) for path in commands()}
    assert {"gaps drivers", "advocates fans-to-be", "text discover-themes"} <= seen
    assert {"metrics scores", "import", "cases contact", "access add-user"} <= seen
    assert len(seen) > 60


def test_every_command_runs_the_method_of_its_name() -> None:
    mismatched = [
        " ".join(path)
        for path in commands()
        if " ".join(path) not in NOT_METHODS and method_of(path) is None
    ]
    assert mismatched == [], (
        "these commands are not a namespace method of their name: rename the command or the "
        "method, or list the command in NOT_METHODS with the reason"
    )


def test_the_exceptions_are_still_needed() -> None:
    visible = {" ".join(path): path for path in commands()}
    for name, reason in NOT_METHODS.items():
        assert name in visible, f"{name} is no command any more: drop it from NOT_METHODS"
        assert method_of(visible[name]) is None, f"{name} matches its method now: drop it"
        assert reason


def test_every_command_group_is_a_namespace() -> None:
    groups = {path[0] for path in commands() if len(path) > 1}
    assert {group for group in groups if namespace_of(group) is None} == {"quarantine"}
    assert {
        "metrics",
        "text",
        "gaps",
        "advocates",
        "retention",
        "cases",
        "plans",
        "surveys",
        "outbox",
        "access",
    } <= groups


@functools.cache
def _help(*path: str) -> str:
    done = advocacy_cli(*path, "--help", env={"COLUMNS": "100", "NO_COLOR": "1"})
    assert done.returncode == 0, done.stderr
    return done.stdout


def _words(text: str) -> str:
    """``text`` with every run of white space one space: help wraps where the note fits."""
    return re.sub(r"\s+", " ", text)


def _listed(*path: str) -> set[str]:
    """The command names a group's --help lists."""
    listing = _help(*path).split("Commands:", 1)[1]
    return {match[1] for match in re.finditer(r"^  (\S+)", listing, re.MULTILINE)}


@pytest.mark.parametrize("old", sorted(RENAMED))
def test_an_old_name_has_the_options_of_its_replacement_and_is_not_listed(old: str) -> None:
    new = RENAMED[old]
    *group, name = old.split()
    if not group or group[0] in _listed():
        assert name not in _listed(*group)
    else:
        assert group[0] not in _listed()  # a whole old group (themes, users, ...)
    expected = _words(_help(*new.split()).replace(f"advocacy {new} ", f"advocacy {old} ", 1))
    got = _words(_help(*old.split()))
    note = f" (DEPRECATED: use advocacy {new})"
    assert note in got
    # The same help, options and defaults; only the usage line's name and the note differ.
    assert got.replace(note, "") == expected


def test_the_groups_that_were_commands_run_them_given_options_only() -> None:
    defaults = {
        name: command.default
        for name, command in ROOT.commands.items()
        if isinstance(command, DefaultCommandGroup)
    }
    assert defaults == {"metrics": "scores", "gaps": "register"}
    # --help alone is the group's help, listing its commands.
    assert "scores" in _listed("metrics") and "register" in _listed("gaps")


def test_the_docs_table_lists_every_old_name() -> None:
    table = dict(old_names(ROOT))
    assert table["advocacy drivers"] == "advocacy gaps drivers"
    assert table["advocacy culture --link"] == "advocacy gaps culture-link"
    assert table["advocacy metrics [OPTIONS]"] == "advocacy metrics scores [OPTIONS]"
    assert {f"advocacy {old}" for old in RENAMED} <= set(table)


@pytest.fixture(scope="module")
def empty_workspace(tmp_path_factory: pytest.TempPathFactory) -> str:
    folder = tmp_path_factory.mktemp("names")
    path = str(folder / "workspace.duckdb")
    assert advocacy_cli("--create", "status", "--db", path, cwd=folder).returncode == 0
    return path


# Each old invocation and the new one; outputs on an empty workspace (some are errors: the
# exit code and message must match too).
PAIRS = [
    (("metrics",), ("metrics", "scores")),
    (("metrics", "--by", "unit"), ("metrics", "scores", "--by", "unit")),
    (("gaps",), ("gaps", "register")),
    (("gaps", "--top", "3"), ("gaps", "register", "--top", "3")),
    (("drivers",), ("gaps", "drivers")),
    (("culture", "--link"), ("gaps", "culture-link")),
    (("referrals",), ("advocates", "referrals")),
    (("themes", "list"), ("text", "themes")),
    (("rules", "list"), ("cases", "rules")),
    (("plans", "gaps"), ("plans", "gap-suggestions")),
    (("survey", "list"), ("surveys", "list")),
    (("notify", "list", "--failed"), ("outbox", "messages", "--failed")),
    (("users", "list"), ("access", "users")),
    (("tokens", "list"), ("access", "tokens")),
]


@pytest.mark.parametrize(("old", "new"), PAIRS, ids=lambda path: " ".join(path))
def test_an_old_name_runs_its_replacement_after_one_warning(
    empty_workspace: str, old: tuple[str, ...], new: tuple[str, ...]
) -> None:
    folder = Path(empty_workspace).parent
    options = ("--format", "json", "--db", empty_workspace)
    before = advocacy_cli(*old, *options, cwd=folder)
    after = advocacy_cli(*new, *options, cwd=folder)
    assert (before.returncode, before.stdout) == (after.returncode, after.stdout)
    warning, _, rest = before.stderr.partition("\n")
    assert rest == after.stderr
    command = " ".join(itertools.takewhile(lambda word: not word.startswith("-"), new))
    assert warning.startswith("warning: `advocacy ") and warning.endswith(
        f"is deprecated; use `advocacy {command}`"
    ), warning
