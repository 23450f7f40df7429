"""Old command names, kept working as hidden, deprecated aliases of the commands that replaced them.

The CLI mirrors the workspace's namespaces (``advocacy gaps drivers`` is ``ws.gaps.drivers``,
``advocacy text discover-themes`` is ``ws.text.discover_themes``). Scripts written against the
earlier names (``advocacy drivers``, ``advocacy themes discover``) keep running: each old name
prints one line on stderr naming its replacement, then runs the replacement's own function with
the replacement's own options, so output and exit code are the same.

* :data:`RENAMED` lists the plain renames. A group looks an unknown name up here
  (:func:`old_command`) and builds the alias from the new command then, so the old names cost
  ``advocacy --help`` nothing and are never listed in it.
* Two old names were commands and are groups now (``advocacy metrics``, ``advocacy gaps``): a
  :class:`DefaultCommandGroup` given only options, or nothing, runs the command the old name ran.
* An old command whose options changed is a hidden command of its own, registered with
  :func:`renamed` (``advocacy culture --link`` is ``advocacy gaps culture-link`` now).

``docs/cli.md`` lists every old name with its replacement (:func:`old_names`), and
``tests/present/test_cli_names.py`` checks each replacement exists and runs the same function.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import TYPE_CHECKING, Any, TypeVar

import typer
from typer.core import TyperCommand, TyperGroup

from advocacy.present.cli.app import error_console

if TYPE_CHECKING:
    from typer._click import Command, Context

Function = TypeVar("Function", bound=Callable[..., Any])

#: Old name -> the command that replaced it, both without the leading ``advocacy``.
RENAMED: dict[str, str] = {
    "drivers": "gaps drivers",
    "ipa": "gaps ipa",
    "servqual": "gaps servqual",
    "referrals": "advocates referrals",
    "advocates fans": "advocates fans-to-be",
    "themes list": "text themes",
    "themes discover": "text discover-themes",
    "themes assign": "text assign-themes",
    "themes promote": "text promote-theme",
    "rules list": "cases rules",
    "rules export": "cases export-rules",
    "rules load": "cases load-rules",
    "plans gaps": "plans gap-suggestions",
    "survey create": "surveys load",
    "survey list": "surveys list",
    "survey links": "surveys links",
    "survey anonymous-link": "surveys anonymous-link",
    "notify deliver": "outbox deliver",
    "notify list": "outbox messages",
    "notify retry": "outbox retry",
    "notify digest": "outbox queue-digest",
    "notify test-email": "outbox test-email",
    "notify test-webhook": "outbox test-webhook",
    "users add": "access add-user",
    "users list": "access users",
    "users set-email": "access set-email",
    "users disable": "access disable-user",
    "users audit": "access audit",
    "tokens create": "access create-token",
    "tokens list": "access tokens",
    "tokens revoke": "access revoke-token",
}


def _warn(old: str, new: str) -> None:
    error_console.print(
        f"warning: {old} is deprecated; use `{new}`",
        markup=False,
        highlight=False,
        soft_wrap=True,  # one line, whatever the terminal's width
    )


def _typed(ctx: Context) -> tuple[str, ...]:
    """The command names typed after the program's name, down to ``ctx``'s command."""
    names: list[str] = []
    while ctx.parent is not None:
        names.append(ctx.info_name or "")
        ctx = ctx.parent
    return tuple(reversed(names))


class AliasCommand(TyperCommand):
    """An old name of a command: warns on stderr, then runs the command's own function."""

    #: The command that replaced this name, without the program name ("gaps drivers").
    replacement: str = ""
    #: Flags of the old command that are commands of their own now ({"link": "gaps culture-link"}).
    by_option: dict[str, str] = {}  # noqa: RUF012 - set per alias class, never mutated

    def __init__(self, name: str | None, *, replacement: str | None = None, **settings: Any):
        super().__init__(name, **settings)
        if replacement is not None:
            self.replacement = replacement
        self.deprecated = f"use advocacy {self.replacement}"  # shown in the alias's --help

    def invoke(self, ctx: Context) -> Any:
        # Click's own deprecation notice names only the last word ("'list' is deprecated");
        # this one names both commands in full.
        chosen = [new for name, new in self.by_option.items() if ctx.params.get(name)]
        old = " ".join(("advocacy", *_typed(ctx)))
        _warn(f"`{old}`", f"advocacy {(chosen or [self.replacement])[0]}")
        if self.callback is not None:
            return ctx.invoke(self.callback, **ctx.params)
        return None


def _find(ctx: Context, path: str) -> Command:
    command = ctx.find_root().command
    for name in path.split():
        found = command.get_command(ctx, name) if isinstance(command, TyperGroup) else None
        if found is None:
            raise LookupError(f"advocacy {path}: no such command")
        command = found
    return command


def _alias(ctx: Context, name: str, new: str) -> AliasCommand:
    """A hidden command ``name`` with the function, options and help of ``advocacy {new}``."""
    target = _find(ctx, new)
    return AliasCommand(
        name,
        replacement=new,
        context_settings=dict(target.context_settings),
        callback=target.callback,
        params=target.params,
        help=target.help,
        epilog=target.epilog,
        short_help=target.short_help,
        options_metavar=target.options_metavar,
        add_help_option=target.add_help_option,
        no_args_is_help=target.no_args_is_help,
        hidden=True,
        rich_markup_mode=getattr(target, "rich_markup_mode", None),
    )


def old_command(ctx: Context, name: str) -> Command | None:
    """The alias (or group of aliases) that ``name`` typed under ``ctx``'s command was, if any.

    Groups call this for a name they do not know, so an alias is built only when it is used.
    """
    old = " ".join((*_typed(ctx), name))
    if old in RENAMED:
        return _alias(ctx, name, RENAMED[old])
    inside = {key: new for key, new in RENAMED.items() if key.startswith(old + " ")}
    if not inside:
        return None
    return AliasingGroup(
        name=name,
        hidden=True,
        no_args_is_help=True,
        rich_markup_mode=getattr(ctx.command, "rich_markup_mode", None),
        help="Deprecated: "
        + "; ".join(f"advocacy {key} is advocacy {new}" for key, new in inside.items())
        + ".",
    )


class AliasingGroup(TyperGroup):
    """A command group that also runs the old names of :data:`RENAMED` under it."""

    def get_command(self, ctx: Context, cmd_name: str) -> Command | None:
        return super().get_command(ctx, cmd_name) or old_command(ctx, cmd_name)


class DefaultCommandGroup(AliasingGroup):
    """A group whose name was a command: given only options (or nothing), it runs ``default``.

    ``advocacy metrics --by unit`` was the scores command; it now runs ``advocacy metrics scores
    --by unit`` after the one-line warning. ``--help`` alone still shows the group's help.
    """

    #: The command the group's name used to run ("scores").
    default: str = ""

    def parse_args(self, ctx: Context, args: list[str]) -> list[str]:
        if not args or (args[0].startswith("-") and args[0] not in ctx.help_option_names):
            if not ctx.resilient_parsing:
                old = " ".join(("advocacy", *_typed(ctx)))
                _warn(f"`{old}` without a command", f"{old} {self.default}")
            args = [self.default, *args]
        return super().parse_args(ctx, args)


def defaulting_to(command: str) -> type[DefaultCommandGroup]:
    """A :class:`DefaultCommandGroup` class that runs ``command`` for the group's old name."""
    return type("DefaultCommandGroup", (DefaultCommandGroup,), {"default": command})


def renamed(
    group: typer.Typer, name: str, *, new: str, by_option: dict[str, str]
) -> Callable[[Function], Function]:
    """Register the decorated function as ``name`` on ``group``: an old command whose options
    changed, hidden from help and warning on stderr when used.

    ``new`` names the replacement, and ``by_option`` the replacement when one of the old
    command's flags is given (a flag that chose another analysis, now a command of its own).
    """

    def register(function: Function) -> Function:
        attributes = {"replacement": new, "by_option": dict(by_option)}
        alias = type("AliasCommand", (AliasCommand,), attributes)
        group.command(name, cls=alias, hidden=True)(function)
        return function

    return register


def old_names(root: Command) -> Iterator[tuple[str, str]]:
    """Every old name and the command that replaced it, as ``advocacy ...`` strings, sorted."""
    pairs = {(f"advocacy {old}", f"advocacy {new}") for old, new in RENAMED.items()}

    def walk(command: Command, path: tuple[str, ...]) -> None:
        for name, sub in (getattr(command, "commands", None) or {}).items():
            old = " ".join(("advocacy", *path, name))
            if isinstance(sub, DefaultCommandGroup):
                pairs.add((f"{old} [OPTIONS]", f"{old} {sub.default} [OPTIONS]"))
            if isinstance(sub, AliasCommand):
                pairs.add((old, f"advocacy {sub.replacement}"))
                for option, new in sub.by_option.items():
                    pairs.add((f"{old} --{option.replace('_', '-')}", f"advocacy {new}"))
            walk(sub, (*path, name))

    walk(root, ())
    yield from sorted(pairs)
