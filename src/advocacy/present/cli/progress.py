"""The progress bar long commands show on a terminal (and hide in JSON/CSV output or pipes)."""

from __future__ import annotations

import contextlib
from collections.abc import Callable, Iterator

from rich.progress import (
    BarColumn,
    Progress,
    SpinnerColumn,
    TaskID,
    TextColumn,
    TimeRemainingColumn,
)

from advocacy.present.cli.app import error_console

StageProgress = Callable[[str, int, int], None]


@contextlib.contextmanager
def stage_progress(unit: str, *, show: bool) -> Iterator[StageProgress]:
    """Yield a ``progress(stage, done, total)`` callback drawing one bar per stage on stderr.

    A stage of one step (``total`` 1: "assigning themes", then done) shows its bar without
    a count: "0/1 texts" would count a step as a text. A spinner turns beside each stage not
    done, so a long step whose bar cannot move still shows that the work goes on.
    """
    visible = show and error_console.is_terminal
    with Progress(
        SpinnerColumn(finished_text="✓"),
        TextColumn("{task.description}"),
        BarColumn(),
        TextColumn("{task.fields[count]}", markup=False),
        TimeRemainingColumn(),
        console=error_console,
        disable=not visible,
        transient=True,
    ) as bar:
        tasks: dict[str, TaskID] = {}

        def progress(stage: str, done: int, total: int) -> None:
            count = f"{done:,}/{total:,} {unit}" if total != 1 else ""
            if stage not in tasks:
                tasks[stage] = bar.add_task(stage, total=total, count=count)
            bar.update(tasks[stage], completed=done, total=total, count=count)

        yield progress
