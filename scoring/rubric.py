"""Rubric sets from the config: validate a TOML mapping into indicators, rounds and the scoring scale.

The daemon reads the file (tomllib) and hands the mapping here with the file's name; nothing here touches the
disk. Any mistake raises ``RubricConfigError`` naming the file and the dotted key (``indicators.TCH-1.awards.
points.national``) so the admin can fix it; the daemon adds the line number.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from scoring.calendar import FiscalYear, Round, default_cutoff
from scoring.kinds import KINDS
from scoring.model import EVERY_ROLE, EvidenceRequirement, Indicator, KindParams, Unit, ValueRange

__all__ = ["Indicator", "RubricConfigError", "RubricSet", "load_rubric_set"]


class RubricConfigError(Exception):
    """A rubric file that cannot be used, with where the problem is."""

    def __init__(self, source: str, key_path: str, message: str) -> None:
        super().__init__(f"{source}: {key_path or '(top level)'}: {message}")
        self.source = source
        self.key_path = key_path
        self.message = message


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class ScaleConfig(_Strict):
    full_score: Decimal = Field(default=Decimal(5), gt=0)
    decimals: int = Field(default=5, ge=0, le=10)
    round_each_step: bool = True
    na_final_score: Decimal = Decimal(1)
    missing_scores: Literal["zero", "skip"] = "zero"


class RoundConfig(_Strict):
    months: Literal[6, 9, 12]
    cutoff: date | None = None
    deadline: date


class CategoryConfig(_Strict):
    name_th: str
    name_en: str = ""
    # With a weight on every category the weighted score is Σ(w × category score) ÷ Σ w over the person's
    # categories (PMQA-style); without, it is Σ(weight × score) ÷ Σ weight over the indicators.
    weight: Decimal | None = Field(default=None, ge=0)


class RubricSetMeta(_Strict):
    name_th: str
    name_en: str = ""


class IndicatorConfig(_Strict):
    name_th: str = Field(min_length=1)
    name_en: str = ""
    category: str = Field(min_length=1)
    weight: Decimal = Field(default=Decimal(1), ge=0)
    roles: tuple[str, ...] = Field(min_length=1)
    kind: str
    max_score: Decimal | None = Field(default=None, gt=0)
    allow_above_max: bool = False
    required_evidence: tuple[EvidenceRequirement, ...] = ()
    value_range: ValueRange | None = None
    unit: Unit = "number"
    decimals: int | None = Field(default=None, ge=0, le=10)
    # one table per kind, named after it; validated against the kind's own model by the loader
    milestone: dict[str, Any] | None = None
    quality_matrix: dict[str, Any] | None = None
    awards: dict[str, Any] | None = None
    linear: dict[str, Any] | None = None
    evidence_present: dict[str, Any] | None = None
    manual: dict[str, Any] | None = None


class RubricSetConfig(_Strict):
    rubric_set: RubricSetMeta
    scale: ScaleConfig = ScaleConfig()
    fiscal_year: int | None = Field(default=None, ge=2400, le=2700)
    rounds: tuple[RoundConfig, ...] = ()
    categories: dict[str, CategoryConfig] = {}
    indicators: dict[str, IndicatorConfig] = Field(min_length=1)


@dataclass(frozen=True)
class RubricSet:
    """Every indicator of one office's scheme, its rounds and its scale."""

    name_th: str
    name_en: str
    source: str
    scale: ScaleConfig
    fiscal_year: FiscalYear | None
    rounds: tuple[Round, ...]
    indicators: dict[str, Indicator]
    categories: dict[str, CategoryConfig] = field(default_factory=dict)

    def for_role(self, role: str) -> list[Indicator]:
        """The indicators that apply to a roster role (``ครู``, ``สกร.อำเภอ``…), in config order."""
        return [indicator for indicator in self.indicators.values() if indicator.applies_to(role)]

    def round(self, months: int) -> Round | None:
        return next((r for r in self.rounds if r.months == months), None)

    def by_name(self, name_th: str) -> Indicator | None:
        """The indicator a form's RADIO option names (the option text is the Thai name, exactly)."""
        wanted = name_th.strip()
        return next((i for i in self.indicators.values() if i.name_th == wanted), None)

    def category_weights(self) -> dict[str, Decimal] | None:
        """Each category's weight when the set weighs categories, else None (indicators are weighed)."""
        if not self.categories or any(c.weight is None for c in self.categories.values()):
            return None
        return {key: c.weight for key, c in self.categories.items() if c.weight is not None}

    def category_name(self, key: str, lang: Literal["th", "en"] = "th") -> str:
        category = self.categories.get(key)
        if category is None:
            return key
        return category.name_en if lang == "en" and category.name_en else category.name_th


def _path(loc: tuple[int | str, ...]) -> str:
    return ".".join(str(part) for part in loc)


def _raise_from(error: ValidationError, source: str, prefix: tuple[str, ...] = ()) -> RubricConfigError:
    first = error.errors()[0]
    return RubricConfigError(source, _path((*prefix, *first["loc"])), first["msg"])


def _version(code: str, config: IndicatorConfig, scale: ScaleConfig) -> str:
    """A short hash of everything that decides this indicator's scores, so a score knows its rubric."""
    payload = {
        "code": code,
        "indicator": config.model_dump(mode="json"),
        "scale": scale.model_dump(mode="json"),
    }
    blob = json.dumps(payload, sort_keys=True, ensure_ascii=False).encode()
    return hashlib.sha256(blob).hexdigest()[:16]


def _build_indicator(code: str, config: IndicatorConfig, scale: ScaleConfig, source: str) -> Indicator:
    here = ("indicators", code)
    spec = KINDS.get(config.kind)
    if spec is None:
        known = ", ".join(KINDS)
        raise RubricConfigError(
            source, _path((*here, "kind")), f"unknown kind {config.kind!r}; use one of {known}"
        )
    for other in KINDS:
        if other != config.kind and getattr(config, other) is not None:
            raise RubricConfigError(
                source, _path((*here, other)), f"a table for {other} but kind is {config.kind}"
            )
    try:
        params: KindParams = spec.params_model.model_validate(getattr(config, config.kind) or {})  # type: ignore[assignment]
    except ValidationError as error:
        raise _raise_from(error, source, (*here, config.kind)) from None
    problems = spec.check(params)
    if problems:
        key, message = problems[0]
        raise RubricConfigError(source, _path((*here, config.kind, key)), message)
    if any(not role.strip() for role in config.roles):
        raise RubricConfigError(source, _path((*here, "roles")), "a role must not be empty")
    if config.kind == "evidence_present" and not config.required_evidence:
        message = "an evidence_present indicator must list its required_evidence"
        raise RubricConfigError(source, _path((*here, "required_evidence")), message)
    max_score = config.max_score or scale.full_score
    ceiling = spec.max_raw(params, max_score)
    if not config.allow_above_max and (ceiling is None or ceiling > max_score):
        what = "no cap" if ceiling is None else f"up to {ceiling}"
        message = (
            f"this rubric can score {what} but max_score is {max_score}: set a cap or allow_above_max = true"
        )
        raise RubricConfigError(source, _path((*here, "allow_above_max")), message)
    return Indicator(
        code=code,
        name_th=config.name_th,
        name_en=config.name_en,
        category=config.category,
        weight=config.weight,
        roles=frozenset(role.strip() for role in config.roles),
        kind=config.kind,
        params=params,
        max_score=max_score,
        allow_above_max=config.allow_above_max,
        required_evidence=config.required_evidence,
        value_range=config.value_range,
        unit=config.unit,
        decimals=scale.decimals if config.decimals is None else config.decimals,
        round_each_step=scale.round_each_step,
        na_final_score=scale.na_final_score,
        version=_version(code, config, scale),
    )


def _build_rounds(config: RubricSetConfig, source: str) -> tuple[FiscalYear | None, tuple[Round, ...]]:
    if not config.rounds:
        return (FiscalYear(config.fiscal_year) if config.fiscal_year else None), ()
    if config.fiscal_year is None:
        raise RubricConfigError(
            source, "fiscal_year", "rounds need the fiscal year (Buddhist era, e.g. 2569)"
        )
    fiscal_year = FiscalYear(config.fiscal_year)
    rounds: list[Round] = []
    for index, item in enumerate(config.rounds):
        where = f"rounds.{index}"
        cutoff = item.cutoff or default_cutoff(fiscal_year, item.months)
        if not fiscal_year.contains(cutoff):
            raise RubricConfigError(
                source, f"{where}.cutoff", f"{cutoff} is outside {fiscal_year.label('en')}"
            )
        if item.deadline < cutoff:
            raise RubricConfigError(source, f"{where}.deadline", "the deadline comes before the cut-off")
        if any(r.months == item.months for r in rounds):
            raise RubricConfigError(
                source, f"{where}.months", f"the {item.months}-month round is listed twice"
            )
        rounds.append(Round(item.months, fiscal_year, cutoff, item.deadline))
    return fiscal_year, tuple(sorted(rounds, key=lambda r: r.months))


def load_rubric_set(data: Mapping[str, Any], source: str) -> RubricSet:
    """Validate a parsed rubric TOML; raises RubricConfigError naming ``source`` and the dotted key path."""
    try:
        config = RubricSetConfig.model_validate(dict(data))
    except ValidationError as error:
        raise _raise_from(error, source) from None
    indicators: dict[str, Indicator] = {}
    seen_names: dict[str, str] = {}
    for code, item in config.indicators.items():
        if item.name_th in seen_names:
            # forms name the indicator by its Thai option text, so two alike would be indistinguishable
            message = f"the Thai name is already used by {seen_names[item.name_th]}"
            raise RubricConfigError(source, f"indicators.{code}.name_th", message)
        seen_names[item.name_th] = code
        if not code.replace("-", "").replace("_", "").replace(".", "").isalnum():
            raise RubricConfigError(
                source, f"indicators.{code}", "use letters, digits, '-', '_' or '.' in a code"
            )
        if config.categories and item.category not in config.categories:
            message = f"unknown category {item.category!r}; add it under [categories]"
            raise RubricConfigError(source, f"indicators.{code}.category", message)
        indicators[code] = _build_indicator(code, item, config.scale, source)
    weighted = [key for key, c in config.categories.items() if c.weight is not None]
    if weighted and len(weighted) != len(config.categories):
        missing = next(key for key, c in config.categories.items() if c.weight is None)
        message = "give every category a weight, or none (categories are weighed together or not at all)"
        raise RubricConfigError(source, f"categories.{missing}.weight", message)
    if weighted and sum(c.weight or 0 for c in config.categories.values()) == 0:
        raise RubricConfigError(source, f"categories.{weighted[0]}.weight", "the weights add up to 0")
    fiscal_year, rounds = _build_rounds(config, source)
    return RubricSet(
        name_th=config.rubric_set.name_th,
        name_en=config.rubric_set.name_en,
        source=source,
        scale=config.scale,
        fiscal_year=fiscal_year,
        rounds=rounds,
        indicators=indicators,
        categories=dict(config.categories),
    )


def roles_of(rubric_set: RubricSet) -> frozenset[str]:
    """Every concrete role named by some indicator (``*`` left out)."""
    return frozenset(role for i in rubric_set.indicators.values() for role in i.roles if role != EVERY_ROLE)
