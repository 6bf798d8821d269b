"""What changed when scores are recomputed from stored answers with an edited rubric (``kpisync rescore``).

Pure: the daemon hands in the old and the new scores keyed by person, indicator and round, and gets back the
changes to show and to store. Values compare as numbers (4.7 equals 4.70000); a change of status alone, such
as pending → scored at the same value, is a change too.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal
from typing import Literal, NamedTuple

from scoring.explain import Lang, score_text
from scoring.model import ScoreResult


class ScoreKey(NamedTuple):
    person: str
    indicator: str
    round: str


@dataclass(frozen=True)
class ScoreChange:
    person: str
    indicator: str
    round: str
    old: Decimal | None
    new: Decimal | None
    old_status: str | None = None
    new_status: str | None = None

    @property
    def kind(self) -> Literal["added", "removed", "changed"]:
        if self.old is None and self.old_status is None:
            return "added"
        if self.new is None and self.new_status is None:
            return "removed"
        return "changed"

    def describe(self, decimals: int = 5, lang: Lang = "th") -> str:
        """``person indicator round: old → new`` with ``–`` for no score."""
        none = "–" if lang == "en" else "ไม่มีคะแนน"
        old = none if self.old is None else score_text(self.old, decimals)
        new = none if self.new is None else score_text(self.new, decimals)
        return f"{self.person} {self.indicator} {self.round}: {old} → {new}"


ScoreInput = ScoreResult | Decimal | None
Scores = Mapping[ScoreKey, ScoreInput] | Mapping[tuple[str, str, str], ScoreInput]


def _split(score: ScoreInput) -> tuple[Decimal | None, str | None]:
    if isinstance(score, ScoreResult):
        return score.value, score.status.value
    return score, None


def diff_scores(old: Scores, new: Scores) -> list[ScoreChange]:
    """Every key whose score or status differs between ``old`` and ``new``, sorted by key.

    A key only in ``old`` comes back with ``new=None`` (removed); only in ``new`` with ``old=None`` (added).
    """
    old_map = {ScoreKey(*key): _split(value) for key, value in old.items()}
    new_map = {ScoreKey(*key): _split(value) for key, value in new.items()}
    changes: list[ScoreChange] = []
    for key in sorted(old_map.keys() | new_map.keys()):
        # A key that is absent counts as "no score"; Decimal equality is numeric, so 4.7 == 4.70000.
        old_value, old_status = old_map.get(key, (None, None))
        new_value, new_status = new_map.get(key, (None, None))
        if (old_value, old_status) == (new_value, new_status):
            continue
        changes.append(ScoreChange(*key, old_value, new_value, old_status, new_status))
    return changes
