"""The rubric kinds: one pure function each, ``(indicator, facts, ctx) -> ScoreResult``, in a registry.

The loader looks a kind up by the name in the config, validates its parameter table with the kind's model and
its extra checks, and refuses the file if anything is off, so scoring never meets a rubric it cannot apply.
A kind returns the exact (unrounded) value; the engine applies the rules shared by all kinds and rounds.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal
from itertools import pairwise
from typing import TypeVar

from pydantic import BaseModel

from scoring.decimals import ZERO, add, div, mul, sub, total
from scoring.explain import join, list_text, number_text, say, score_text
from scoring.facts import AWARD_LEVELS, SubmissionFacts
from scoring.flags import FlagCode, FlagHit
from scoring.model import (
    AwardsParams,
    EvidencePresentParams,
    Indicator,
    KindParams,
    LinearParams,
    ManualParams,
    MilestoneParams,
    QualityMatrixParams,
    ScoreContext,
    ScoreResult,
    ScoreStatus,
)

KindFn = Callable[[Indicator, SubmissionFacts, ScoreContext], ScoreResult]
P = TypeVar("P", bound=BaseModel)


def _params(indicator: Indicator, model: type[P]) -> P:
    if not isinstance(indicator.params, model):
        raise TypeError(f"{indicator.code}: {indicator.kind} needs {model.__name__}")
    return indicator.params


def _scored(value: Decimal, lines: list[str], flags: tuple[FlagHit, ...] = ()) -> ScoreResult:
    return ScoreResult(value=value, status=ScoreStatus.SCORED, explanation=join(lines), flags=flags)


def _not_scorable(line: str, flag: FlagHit) -> ScoreResult:
    return ScoreResult(value=None, status=ScoreStatus.NOT_SCORABLE, explanation=line, flags=(flag,))


# --- milestone ---------------------------------------------------------------------------------------


def score_milestone(indicator: Indicator, facts: SubmissionFacts, ctx: ScoreContext) -> ScoreResult:
    """Sequential: consecutive steps from step 1 (step 1 missed → 0). Counted: every step met, any order."""
    params = _params(indicator, MilestoneParams)
    points = params.step_points()
    met = sorted(step for step in facts.steps_met if 1 <= step <= params.steps)
    ignored = sorted(step for step in facts.steps_met if not 1 <= step <= params.steps)
    if params.mode == "sequential":
        reached = 0
        while reached + 1 in met:
            reached += 1
        counted = list(range(1, reached + 1))
    else:
        counted = met
    value = total(points[step - 1] for step in counted)
    shown = score_text(value, indicator.decimals)
    lines = [say("steps_done", ctx.lang, steps=list_text(met)) if met else say("steps_none", ctx.lang)]
    if params.mode == "sequential" and met and not counted:
        lines.append(say("seq_step1_missed", ctx.lang))
    elif params.mode == "sequential" and counted:
        lines.append(say("seq_counted", ctx.lang, n=len(counted), steps=list_text(counted), score=shown))
    elif counted:
        lines.append(say("counted_sum", ctx.lang, n=len(counted), steps=list_text(counted), score=shown))
    if ignored:
        lines.append(say("steps_ignored", ctx.lang, steps=list_text(ignored)))
    return _scored(value, lines)


def _check_milestone(params: BaseModel) -> list[tuple[str, str]]:
    assert isinstance(params, MilestoneParams)
    problems: list[tuple[str, str]] = []
    if isinstance(params.points_per_step, list) and len(params.points_per_step) != params.steps:
        problems.append(("points_per_step", f"needs {params.steps} numbers, one per step"))
    if any(point < 0 for point in params.step_points()):
        problems.append(("points_per_step", "points must not be negative"))
    return problems


# --- quality matrix (seed 003) -----------------------------------------------------------------------


def score_quality_matrix(indicator: Indicator, facts: SubmissionFacts, ctx: ScoreContext) -> ScoreResult:
    """Level 5 = all aspects done and clear, one level less per unclear aspect; level 1 = not all done."""
    params = _params(indicator, QualityMatrixParams)
    assert ctx.number.value is not None  # the engine only calls value kinds with a number
    done = len([step for step in facts.steps_met if 1 <= step <= params.aspects])
    clear_value = ctx.number.value
    if clear_value != clear_value.to_integral_value() or clear_value < 0 or clear_value > done:
        line = say("qm_clear_gt_done", ctx.lang, clear=number_text(clear_value), done=done)
        return _not_scorable(line, FlagHit(FlagCode.VALUE_OUT_OF_RANGE, line))
    clear = int(clear_value)
    if done < params.aspects:
        level = 1
        line = say("qm_not_all_done", ctx.lang, done=done, aspects=params.aspects, level=level)
    else:
        level = 1 + clear
        line = say("qm_all_done", ctx.lang, done=done, aspects=params.aspects, clear=clear, level=level)
    return _scored(Decimal(level), [line])


# --- awards (seed 000) -------------------------------------------------------------------------------


def score_awards(indicator: Indicator, facts: SubmissionFacts, ctx: ScoreContext) -> ScoreResult:
    """Points per award by level, summed; capped when the indicator has a cap, otherwise open-ended."""
    params = _params(indicator, AwardsParams)
    order = [level for level in AWARD_LEVELS if level in facts.awards]
    order += sorted(level for level in facts.awards if level not in AWARD_LEVELS)
    lines: list[str] = []
    raw = ZERO
    for level in order:
        count = facts.awards[level]
        name = say(level, ctx.lang)
        if count < 0:
            line = say("award_negative", ctx.lang, level=name, count=count)
            return _not_scorable(line, FlagHit(FlagCode.VALUE_OUT_OF_RANGE, line))
        if count == 0:
            continue
        if level not in params.points:
            lines.append(say("award_unknown", ctx.lang, level=name, count=count))
            continue
        subtotal = mul(Decimal(count), params.points[level])
        raw = add(raw, subtotal)
        points = number_text(params.points[level])
        lines.append(
            say(
                "award_line", ctx.lang, level=name, count=count, points=points, subtotal=number_text(subtotal)
            )
        )
    if not lines:
        return _scored(ZERO, [say("awards_none", ctx.lang)])
    if params.cap is not None and raw > params.cap:
        lines.append(say("awards_capped", ctx.lang, raw=number_text(raw), cap=number_text(params.cap)))
        return _scored(params.cap, lines)
    lines.append(say("awards_sum", ctx.lang, score=score_text(raw, indicator.decimals)))
    return _scored(raw, lines)


def _check_awards(params: BaseModel) -> list[tuple[str, str]]:
    assert isinstance(params, AwardsParams)
    problems = [
        (f"points.{level}", f"unknown award level; use one of {', '.join(AWARD_LEVELS)}")
        for level in params.points
        if level not in AWARD_LEVELS
    ]
    problems += [
        (f"points.{level}", "points must not be negative") for level, p in params.points.items() if p < 0
    ]
    if params.cap is not None and params.cap < 0:
        problems.append(("cap", "cap must not be negative"))
    return problems


# --- linear thresholds (KRS style, seeds 001/004) ----------------------------------------------------


def score_linear(indicator: Indicator, facts: SubmissionFacts, ctx: ScoreContext) -> ScoreResult:
    """Value → score on a piecewise-linear line through the threshold points; floor below, cap above."""
    params = _params(indicator, LinearParams)
    value = ctx.number.value
    assert value is not None  # the engine only calls value kinds with a number
    points = params.thresholds
    shown = number_text(value)
    first_value, first_score = points[0]
    last_value, last_score = points[-1]
    if value < first_value:
        score = first_score if params.floor is None else params.floor
        text = score_text(score, indicator.decimals)
        return _scored(
            score, [say("lin_below", ctx.lang, value=shown, v0=number_text(first_value), score=text)]
        )
    if value > last_value:
        score = last_score if params.cap is None else params.cap
        text = score_text(score, indicator.decimals)
        return _scored(
            score, [say("lin_above", ctx.lang, value=shown, v0=number_text(last_value), score=text)]
        )
    for (v0, s0), (v1, s1) in pairwise(points):
        if value in (v0, v1):
            score = s0 if value == v0 else s1
            text = score_text(score, indicator.decimals)
            return _scored(score, [say("lin_on_point", ctx.lang, value=shown, v0=shown, score=text)])
        if v0 < value < v1:
            score = add(s0, div(mul(sub(value, v0), sub(s1, s0)), sub(v1, v0)))
            texts = {name: number_text(x) for name, x in (("v0", v0), ("s0", s0), ("v1", v1), ("s1", s1))}
            line = say(
                "lin_between", ctx.lang, value=shown, score=score_text(score, indicator.decimals), **texts
            )
            return _scored(score, [line])
    raise AssertionError("unreachable: the value lies within the thresholds")  # pragma: no cover


def _check_linear(params: BaseModel) -> list[tuple[str, str]]:
    assert isinstance(params, LinearParams)
    values = [value for value, _ in params.thresholds]
    scores = [score for _, score in params.thresholds]
    problems: list[tuple[str, str]] = []
    if any(b <= a for a, b in pairwise(values)):
        problems.append(("thresholds", "threshold values must be strictly increasing"))
    rising = all(b >= a for a, b in pairwise(scores))
    falling = all(b <= a for a, b in pairwise(scores))
    if not (rising or falling):
        problems.append(("thresholds", "scores must only rise or only fall along the thresholds"))
    return problems


# --- evidence present (seed 000, DMIS 100%) ----------------------------------------------------------


def score_evidence_present(indicator: Indicator, facts: SubmissionFacts, ctx: ScoreContext) -> ScoreResult:
    """Full score when every required document is present and readable, else 0 (flags name what failed)."""
    params = _params(indicator, EvidencePresentParams)
    lines = list(ctx.evidence.lines)
    if ctx.evidence.satisfied:
        value = indicator.max_score if params.points is None else params.points
        lines.append(say("ev_all_ok", ctx.lang, score=score_text(value, indicator.decimals)))
        return _scored(value, lines)
    if ctx.evidence.awaiting_check:
        # No verdict from Drive yet: a 0 now would be a verdict the daemon never got.
        lines.append(say("ev_wait", ctx.lang))
        return ScoreResult(None, ScoreStatus.PENDING, join(lines))
    lines.append(say("ev_zero", ctx.lang))
    return _scored(ZERO, lines)


# --- manual ------------------------------------------------------------------------------------------


def score_manual(indicator: Indicator, facts: SubmissionFacts, ctx: ScoreContext) -> ScoreResult:
    """No automatic score: the committee's score, when given, is the score."""
    _params(indicator, ManualParams)
    given = facts.manual_score
    if given is None:
        line = say("manual_needed", ctx.lang)
        return ScoreResult(None, ScoreStatus.MANUAL, line, (FlagHit(FlagCode.NEEDS_MANUAL),))
    if given < 0 or (given > indicator.max_score and not indicator.allow_above_max):
        text, top = number_text(given), number_text(indicator.max_score)
        line = say("manual_out_of_range", ctx.lang, score=text, max=top)
        return _not_scorable(line, FlagHit(FlagCode.VALUE_OUT_OF_RANGE, line))
    line = say("manual_given", ctx.lang, score=score_text(given, indicator.decimals))
    return ScoreResult(given, ScoreStatus.MANUAL, line)


# --- the registry ------------------------------------------------------------------------------------


def _no_checks(params: BaseModel) -> list[tuple[str, str]]:
    return []


@dataclass(frozen=True)
class KindSpec:
    """A kind's name, parameter model, scoring function, whether it scores a typed value (so the N/A and
    missing-numbers rules apply), and the highest raw score its parameters allow (None: no ceiling)."""

    name: str
    params_model: type[BaseModel]
    score: KindFn
    uses_value: bool
    max_raw: Callable[[KindParams, Decimal], Decimal | None]
    check: Callable[[BaseModel], list[tuple[str, str]]] = _no_checks


def _milestone_max(params: KindParams, full: Decimal) -> Decimal | None:
    assert isinstance(params, MilestoneParams)
    return total(params.step_points())


def _quality_max(params: KindParams, full: Decimal) -> Decimal | None:
    assert isinstance(params, QualityMatrixParams)
    return Decimal(params.aspects + 1)


def _awards_max(params: KindParams, full: Decimal) -> Decimal | None:
    assert isinstance(params, AwardsParams)
    return params.cap


def _linear_max(params: KindParams, full: Decimal) -> Decimal:
    assert isinstance(params, LinearParams)
    candidates = [score for _, score in params.thresholds]
    candidates += [x for x in (params.floor, params.cap) if x is not None]
    return max(candidates)


def _evidence_max(params: KindParams, full: Decimal) -> Decimal:
    assert isinstance(params, EvidencePresentParams)
    return full if params.points is None else params.points


KINDS: dict[str, KindSpec] = {
    spec.name: spec
    for spec in (
        KindSpec("milestone", MilestoneParams, score_milestone, False, _milestone_max, _check_milestone),
        KindSpec("quality_matrix", QualityMatrixParams, score_quality_matrix, True, _quality_max),
        KindSpec("awards", AwardsParams, score_awards, False, _awards_max, _check_awards),
        KindSpec("linear", LinearParams, score_linear, True, _linear_max, _check_linear),
        KindSpec("evidence_present", EvidencePresentParams, score_evidence_present, False, _evidence_max),
        KindSpec("manual", ManualParams, score_manual, False, lambda params, full: full),
    )
}
