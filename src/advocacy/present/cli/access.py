"""``advocacy access``: who may use the web app and the API, their tokens and the audit log.

Thin commands over ``ws.access`` (:class:`advocacy.namespaces.access.AccessNamespace`), named
after its methods; every change lands in the audit log (``advocacy access audit``). The old
``advocacy users ...`` and ``advocacy tokens ...`` still run, with a warning.
"""

from __future__ import annotations

from typing import Annotated

import typer

from advocacy.namespaces.access import ROLES
from advocacy.present.cli.app import app, cli_actor, console, open_workspace
from advocacy.present.cli.options import DbOption, FormatOption, OutputFormat
from advocacy.present.cli.output import emit_object, emit_rows

access_app = typer.Typer(
    help="Users who sign in to the web app, API tokens (Authorization: Bearer), the audit log.",
    no_args_is_help=True,
)
app.add_typer(access_app, name="access")

RoleOption = Annotated[str, typer.Option("--role", help="One of: " + ", ".join(ROLES) + ".")]
UnitsOption = Annotated[
    str | None,
    typer.Option("--units", help="Case handlers only: the units they see, comma-separated."),
]


@access_app.command("add-user")
def add_user(
    username: Annotated[str, typer.Argument(help="User name to sign in with.")],
    role: RoleOption,
    units: UnitsOption = None,
    password: Annotated[
        str,
        typer.Option(
            "--password",
            prompt=True,
            hide_input=True,
            confirmation_prompt=True,
            help="Password (at least 12 characters); asked for when left out.",
        ),
    ] = "",
    email: Annotated[
        str | None, typer.Option("--email", help="Where case notifications and digests go.")
    ] = None,
    db: DbOption = None,
) -> None:
    """Add a user with a role (admin, analyst, case-handler, viewer)."""
    with open_workspace(db) as ws:
        user = ws.access.add_user(
            username,
            role=role,
            password=password,
            units=units,
            actor=cli_actor(),
            email=email,
        )
    console.print(
        f"added {user.username} ({user.role.value}"
        + (f", units {', '.join(user.units)}" if user.units else "")
        + ")",
        markup=False,
        highlight=False,
    )


@access_app.command("users")
def list_users_command(output: FormatOption = OutputFormat.table, db: DbOption = None) -> None:
    """List users, their roles, units and whether they are disabled."""
    with open_workspace(db) as ws:
        users = ws.access.users()
    emit_rows(
        [
            {
                "username": user.username,
                "role": user.role.value,
                "units": ",".join(user.units),
                "email": user.email,
                "disabled": user.disabled,
                "created_at": user.created_at,
            }
            for user in users
        ],
        output,
        columns=["username", "role", "units", "email", "disabled", "created_at"],
    )


@access_app.command("set-email")
def set_email_command(
    username: Annotated[str, typer.Argument(help="User whose address to set.")],
    email: Annotated[str, typer.Argument(help="E-mail address; an empty string clears it.")],
    db: DbOption = None,
) -> None:
    """Set the e-mail address a user's case notifications and daily digest go to."""
    with open_workspace(db) as ws:
        user = ws.access.set_email(username, email, actor=cli_actor())
    console.print(
        f"{user.username}: " + (user.email or "no e-mail address"), markup=False, highlight=False
    )


@access_app.command("disable-user")
def disable_user(
    username: Annotated[str, typer.Argument(help="User to disable.")],
    db: DbOption = None,
) -> None:
    """Disable a user: sign-ins and open sessions stop working at once (within 5 s on a
    running server)."""
    with open_workspace(db) as ws:
        ws.access.disable_user(username, actor=cli_actor())
    console.print(f"disabled {username}", markup=False, highlight=False)


@access_app.command("audit")
def audit(
    limit: Annotated[int, typer.Option("--limit", min=1, help="Entries to show.")] = 50,
    output: FormatOption = OutputFormat.table,
    db: DbOption = None,
) -> None:
    """Show the audit log of changes to users and tokens, newest first."""
    with open_workspace(db) as ws:
        entries = ws.access.audit(limit=limit)
    emit_rows(
        [
            {
                "occurred_at": entry.occurred_at,
                "actor": entry.actor,
                "action": entry.action,
                "target": entry.target,
                "detail": entry.detail,
            }
            for entry in entries
        ],
        output,
        columns=["occurred_at", "actor", "action", "target", "detail"],
    )


@access_app.command("create-token")
def create_token_command(
    role: RoleOption,
    name: Annotated[str | None, typer.Option("--name", help="A name to recognise it by.")] = None,
    units: UnitsOption = None,
    output: FormatOption = OutputFormat.table,
    db: DbOption = None,
) -> None:
    """Create an API token and print it once: it cannot be shown again."""
    with open_workspace(db) as ws:
        created = ws.access.create_token(role=role, name=name, units=units, actor=cli_actor())
    token = created.token
    if output is OutputFormat.table:
        console.print(created.secret, markup=False, highlight=False, soft_wrap=True)
        console.print(
            f"token {token.token_id} ({token.role.value}); copy it now: it is not stored "
            "and cannot be shown again",
            markup=False,
            highlight=False,
            soft_wrap=True,  # one line, whatever the terminal's width
            style="dim",
        )
        return
    emit_object(
        {
            "token_id": token.token_id,
            "name": token.name,
            "role": token.role.value,
            "units": ",".join(token.units),
            "token": created.secret,
        },
        output,
    )


@access_app.command("tokens")
def list_tokens_command(output: FormatOption = OutputFormat.table, db: DbOption = None) -> None:
    """List API tokens (ids, names, roles; never the tokens themselves)."""
    with open_workspace(db) as ws:
        tokens = ws.access.tokens()
    emit_rows(
        [
            {
                "token_id": token.token_id,
                "name": token.name,
                "role": token.role.value,
                "units": ",".join(token.units),
                "created_at": token.created_at,
                "last_used_at": token.last_used_at,
                "revoked_at": token.revoked_at,
            }
            for token in tokens
        ],
        output,
        columns=[
            "token_id",
            "name",
            "role",
            "units",
            "created_at",
            "last_used_at",
            "revoked_at",
        ],
    )


@access_app.command("revoke-token")
def revoke_token_command(
    token: Annotated[str, typer.Argument(help="Id or name of the token to revoke.")],
    db: DbOption = None,
) -> None:
    """Revoke an API token: it stops working at once (within 5 s on a running server)."""
    with open_workspace(db) as ws:
        revoked = ws.access.revoke_token(token, actor=cli_actor())
    console.print(f"revoked {revoked.token_id}", markup=False, highlight=False)
