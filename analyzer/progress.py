"""A progress bar on stderr for long runs: files done, findings, rate, ETA.

Shown only when stderr is a terminal, the run is long enough to want one,
and `--quiet` was not given: piped or redirected output stays clean.
"""

from __future__ import annotations

import sys
from collections.abc import Iterator
from contextlib import contextmanager

from analyzer.checker import FileResult
from analyzer.findings import CONFIDENCES

MIN_FILES = 50  # fewer files finish before a bar would be read


def wanted(files: int, quiet: bool, stream=None) -> bool:
    stream = stream if stream is not None else sys.stderr
    return not quiet and files >= MIN_FILES and stream.isatty()


@contextmanager
def bar(total: int, min_confidence: str) -> Iterator:
    """A callback taking each batch of finished results, while the bar is shown."""
    # rich is imported here, on use: 26 ms of every start otherwise (most
    # runs are piped, or too short for a bar).
    from rich.console import Console
    from rich.progress import (
        BarColumn,
        MofNCompleteColumn,
        Progress,
        TextColumn,
        TimeElapsedColumn,
        TimeRemainingColumn,
    )

    floor = CONFIDENCES.index(min_confidence)
    console = Console(stderr=True)
    columns = (
        TextColumn("devmlint"),
        BarColumn(),
        MofNCompleteColumn(),
        TextColumn("files, {task.fields[findings]} findings,"),
        TextColumn("{task.fields[rate]} files/s"),
        TimeElapsedColumn(),
        TextColumn("ETA"),
        TimeRemainingColumn(),
    )
    with Progress(*columns, console=console, transient=True) as progress:
        task = progress.add_task("check", total=total, findings=0, rate="-")
        state = {"findings": 0}

        def advance(results: list[FileResult]) -> None:
            state["findings"] += sum(
                1 for r in results for f in r.findings if CONFIDENCES.index(f.confidence) >= floor
            )
            progress.update(task, advance=len(results), findings=state["findings"])
            speed = progress.tasks[0].speed
            if speed:
                progress.update(task, rate=f"{speed:.0f}")

        yield advance
