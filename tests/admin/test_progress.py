"""A sync run from a terminal draws a rich progress bar, one step per part; elsewhere nothing is drawn."""

from __future__ import annotations

import io
from dataclasses import dataclass, field

from rich.console import Console

from daemon.progress import TerminalProgress, for_terminal
from daemon.sync.cycle import run_sync
from tests.daemon.sync_world import FORM_ID, World


@dataclass
class Recorded:
    totals: list[int] = field(default_factory=list)
    steps: list[str] = field(default_factory=list)
    ends: int = 0

    def begin(self, total: int) -> None:
        self.totals.append(total)

    def step(self, label: str) -> None:
        self.steps.append(label)

    def end(self) -> None:
        self.ends += 1


def test_a_sync_announces_each_step_then_ends(world: World) -> None:
    """roster, each form, evidence, the dashboard read, scores, publish: as many steps as announced."""
    recorded = Recorded()
    world.deps.progress = recorded
    run_sync(world.settings, world.deps)
    assert recorded.steps == ["roster", f"form {FORM_ID}", "evidence", "dashboard read", "scores", "publish"]
    assert recorded.totals == [len(recorded.steps)]
    assert recorded.ends == 1


def test_the_bar_is_drawn_on_a_terminal() -> None:
    """On a terminal the bar shows the step that runs; the count moves as steps finish."""
    out = io.StringIO()
    progress = TerminalProgress(Console(file=out, force_terminal=True, width=100))
    progress.begin(3)
    progress.step("roster")
    progress.step("form 1FormX")
    progress.end()
    text = out.getvalue()
    assert "kpisync sync" in text
    assert "form 1FormX" in text and "1/3" in text


def test_no_bar_off_a_terminal() -> None:
    """In a pipe or the journal there is no bar."""
    assert for_terminal(io.StringIO()) is None
