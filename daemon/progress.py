"""A progress bar for a sync run from a terminal (rich): one step per part of the sync, the step's name
beside the bar, gone when the sync ends. Under systemd or in a pipe nothing is drawn (``for_terminal``
gives None), so the journal only gets the log lines."""

from __future__ import annotations

from typing import TextIO

from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TaskID, TextColumn, TimeElapsedColumn


class TerminalProgress:
    """``daemon.sync.cycle.SyncProgress`` drawn with rich on a console."""

    def __init__(self, console: Console) -> None:
        self.console = console
        self._progress: Progress | None = None
        self._task: TaskID | None = None
        self._done = 0

    def begin(self, total: int) -> None:
        self._progress = Progress(
            TextColumn("kpisync sync"),
            BarColumn(),
            MofNCompleteColumn(),
            TimeElapsedColumn(),
            TextColumn("{task.description}"),
            console=self.console,
            transient=True,
        )
        self._progress.start()
        self._task = self._progress.add_task("", total=total)
        self._done = 0

    def step(self, label: str) -> None:
        if self._progress is None or self._task is None:
            return
        # The step that begins is named; the bar counts the steps already done.
        self._progress.update(self._task, completed=self._done, description=label)
        self._done += 1

    def end(self) -> None:
        if self._progress is not None:
            self._progress.stop()
        self._progress = None
        self._task = None


def for_terminal(stream: TextIO) -> TerminalProgress | None:
    """A progress bar on ``stream`` when it is a terminal, else None."""
    if not stream.isatty():
        return None
    return TerminalProgress(Console(file=stream))
