"""The progress bar long commands show on a terminal (and hide in JSON/CSV output or pipes)."""

from __future__ import annotations

import contextlib
from collections.abc import Callable, Iterator

from rich.progress import BarColumn, Progress, TaskID, TextColumn, TimeRemainingColumn

from advocacy.present.cli.app import error_console

StageProgress = Callable[[str, int, int], None]


@contextlib.contextmanager
def stage_progress(unit: str, *, show: bool) -> Iterator[StageProgress]:
    """Yield a ``progress(stage, done, total)`` callback drawing one bar per stage on stderr."""
    visible = show and error_console.is_terminal
    with Progress(
        TextColumn("{task.description}"),
        BarColumn(),
        TextColumn("{task.completed:,}/{task.total:,} " + unit),
        TimeRemainingColumn(),
        console=error_console,
        disable=not visible,
        transient=True,
    ) as bar:
        tasks: dict[str, TaskID] = {}

        def progress(stage: str, done: int, total: int) -> None:
            if stage not in tasks:
                tasks[stage] = bar.add_task(stage, total=total)
            bar.update(tasks[stage], completed=done, total=total)

        yield progress
