"""The typed values scoring works with: an indicator as loaded from the config, the parameters of each rubric
kind, and the result of scoring one submission.

These are plain frozen values with no behaviour beyond small lookups, so the loader (rubric.py), the kinds
(kinds.py) and the engine (engine.py) can share them without importing one another in circles.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

from scoring.explain import Lang
from scoring.facts import EvidenceKind
from scoring.flags import FlagHit
from scoring.thai import NumberParse

EVERY_ROLE = "*"


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


# --- kind parameters (one table per kind in the TOML, named after the kind) ------------------------------


class MilestoneParams(_Strict):
    steps: int = Field(ge=1, le=20)
    mode: Literal["sequential", "counted"]
    # One number for every step, or one per step (step 1 first).
    points_per_step: Decimal | list[Decimal] = Decimal(1)

    def step_points(self) -> tuple[Decimal, ...]:
        if isinstance(self.points_per_step, list):
            return tuple(self.points_per_step)
        return (self.points_per_step,) * self.steps


class QualityMatrixParams(_Strict):
    aspects: int = Field(default=4, ge=1, le=10)


class AwardsParams(_Strict):
    points: dict[str, Decimal]
    cap: Decimal | None = None


class LinearParams(_Strict):
    # (value, score) points, values strictly increasing; scores between them are interpolated.
    thresholds: list[tuple[Decimal, Decimal]] = Field(min_length=2)
    floor: Decimal | None = None  # score below the first threshold (default: the first threshold's score)
    cap: Decimal | None = None  # score above the last threshold (default: the last threshold's score)


class EvidencePresentParams(_Strict):
    points: Decimal | None = None  # score when all evidence is there (default: the indicator's full score)


class ManualParams(_Strict):
    pass


KindParams = (
    MilestoneParams | QualityMatrixParams | AwardsParams | LinearParams | EvidencePresentParams | ManualParams
)


# --- the indicator -----------------------------------------------------------------------------------


class EvidenceRequirement(_Strict):
    """A document or clip an indicator needs, by name; ``kinds`` limits what counts (e.g. video, youtube)
    and ``match`` lists words of which one must appear in the file's name (empty: any file counts)."""

    name: str = Field(min_length=1)
    name_en: str | None = None
    kinds: tuple[EvidenceKind, ...] = ()
    match: tuple[str, ...] = ()

    def label(self, lang: Lang) -> str:
        return self.name_en if lang == "en" and self.name_en else self.name


class ValueRange(_Strict):
    min: Decimal | None = None
    max: Decimal | None = None

    def contains(self, value: Decimal) -> bool:
        return (self.min is None or value >= self.min) and (self.max is None or value <= self.max)


Unit = Literal["number", "percent", "baht", "count", "hours"]


@dataclass(frozen=True)
class Indicator:
    """One indicator of a rubric set, fully resolved (defaults of the set applied) and versioned."""

    code: str
    name_th: str
    name_en: str
    category: str
    weight: Decimal
    roles: frozenset[str]
    kind: str
    params: KindParams
    max_score: Decimal
    allow_above_max: bool = False
    required_evidence: tuple[EvidenceRequirement, ...] = ()
    value_range: ValueRange | None = None
    unit: Unit = "number"
    decimals: int = 5
    round_each_step: bool = True
    na_final_score: Decimal = Decimal(1)
    version: str = ""

    def name(self, lang: Lang = "th") -> str:
        return self.name_en if lang == "en" and self.name_en else self.name_th

    def applies_to(self, role: str) -> bool:
        return EVERY_ROLE in self.roles or role in self.roles


# --- results -----------------------------------------------------------------------------------------


class ScoreStatus(enum.StrEnum):
    SCORED = "scored"
    PENDING = "pending"  # N/A in the 6- or 9-month round: data still being collected
    MANUAL = "manual"  # the committee's score is the score
    NOT_SCORABLE = "not_scorable"  # something the respondent must fix first; a flag says what


@dataclass(frozen=True)
class ScoreResult:
    """A score with the words that justify it. ``value`` is rounded to the indicator's decimals; ``exact``
    keeps the unrounded value for aggregation when the config says only the final step rounds."""

    value: Decimal | None
    status: ScoreStatus
    explanation: str
    flags: tuple[FlagHit, ...] = ()
    exact: Decimal | None = None


@dataclass(frozen=True)
class EvidenceReport:
    """How a submission's evidence meets the indicator's requirements (see evidence.py)."""

    satisfied: bool
    lines: tuple[str, ...] = ()
    flags: tuple[FlagHit, ...] = ()
    # Not satisfied yet only because a file that may meet a requirement has not been checked: no verdict.
    awaiting_check: bool = False


@dataclass(frozen=True)
class ScoreContext:
    """What the engine works out once and every kind may use: the language, the parsed value, the evidence."""

    lang: Lang = "th"
    number: NumberParse = field(default_factory=NumberParse)
    evidence: EvidenceReport = field(default_factory=lambda: EvidenceReport(satisfied=True))
