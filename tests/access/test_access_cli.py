"""``advocacy access``: users and tokens through the CLI runner."""

from __future__ import annotations

import json
from pathlib import Path

from support.cli import advocacy_cli


def test_users_and_tokens_commands(tmp_path: Path) -> None:
    db = str(tmp_path / "ws.duckdb")
    password = "a long enough passphrase\n"
    added = advocacy_cli(
        "--create", "access", "add-user", "hal", "--role", "case-handler", "--units", "North",
        "--db", db, cwd=tmp_path, stdin=password * 2,
    )  # fmt: skip
    assert added.returncode == 0, added.stderr
    assert "added hal (case-handler, units North)" in added.stdout
    listed = advocacy_cli("access", "users", "--format", "json", "--db", db, cwd=tmp_path)
    [user] = json.loads(listed.stdout)
    assert (user["username"], user["role"], user["units"], user["disabled"]) == (
        "hal", "case-handler", "North", False,
    )  # fmt: skip

    created = advocacy_cli(
        "access", "create-token", "--role", "viewer", "--name", "wall", "--db", db,
        cwd=tmp_path,
    )  # fmt: skip
    assert created.returncode == 0, created.stderr
    secret = created.stdout.splitlines()[0]
    assert secret.startswith("adv_")
    assert "cannot be shown again" in created.stdout
    listed = advocacy_cli("access", "tokens", "--format", "json", "--db", db, cwd=tmp_path)
    assert secret not in listed.stdout
    [token] = json.loads(listed.stdout)
    assert (token["name"], token["role"], token["revoked_at"]) == ("wall", "viewer", None)

    revoked = advocacy_cli("access", "revoke-token", "wall", "--db", db, cwd=tmp_path)
    assert revoked.returncode == 0 and token["token_id"] in revoked.stdout
    disabled = advocacy_cli("access", "disable-user", "hal", "--db", db, cwd=tmp_path)
    assert disabled.returncode == 0
    audit = advocacy_cli("access", "audit", "--format", "json", "--db", db, cwd=tmp_path)
    actions = [entry["action"] for entry in reversed(json.loads(audit.stdout))]
    assert actions == ["user.add", "token.create", "token.revoke", "user.disable"]
    assert all(entry["actor"].startswith("cli") for entry in json.loads(audit.stdout))


def test_errors_are_one_line_with_a_fix(tmp_path: Path) -> None:
    db = str(tmp_path / "ws.duckdb")
    done = advocacy_cli(
        "--create", "access", "add-user", "vic", "--role", "viewer", "--password", "short",
        "--db", db, cwd=tmp_path,
    )  # fmt: skip
    assert done.returncode == 2
    assert done.stderr.strip().count("\n") == 0
    assert "at least 12" in done.stderr and "fix:" in done.stderr
    missing = advocacy_cli("access", "revoke-token", "nope", "--db", db, cwd=tmp_path)
    assert missing.returncode == 1 and "advocacy access tokens" in missing.stderr
