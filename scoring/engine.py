"""Score one submission: the rules shared by every rubric kind, around the kind's own function.

Order matters and follows the seeds: a value kind first needs a usable number (N/A is pending in the 6- and
9-month rounds and scores the configured 1.00000 in the 12-month round, seed 004; a file without the numbers
cannot score, seed 004; an unreadable answer or one outside the indicator's range is flagged, not guessed).
Then the kind scores; then a score above full marks is either kept with a "needs confirmation" flag, where
the indicator allows it (seed 000's awards), or held at full marks. Finally the value is rounded half-up.
"""

from __future__ import annotations

from decimal import Decimal

from scoring.calendar import FINAL_ROUND_MONTHS
from scoring.decimals import quantize
from scoring.evidence import check_evidence
from scoring.explain import Lang, join, number_text, say, score_text
from scoring.facts import SubmissionFacts
from scoring.flags import FlagCode, FlagHit
from scoring.kinds import KINDS
from scoring.model import Indicator, ScoreContext, ScoreResult, ScoreStatus
from scoring.thai import NumberParse, parse_number

__all__ = ["FlagHit", "ScoreResult", "ScoreStatus", "score_submission"]


def _value_rules(
    indicator: Indicator, facts: SubmissionFacts, number: NumberParse, lang: Lang
) -> ScoreResult | None:
    """The outcome decided before the kind runs, or None when the kind should score the number."""
    if number.is_na:
        if facts.round_months == FINAL_ROUND_MONTHS:
            score = indicator.na_final_score
            line = say("na_final", lang, score=score_text(score, indicator.decimals))
            return ScoreResult(score, ScoreStatus.SCORED, line)
        return ScoreResult(None, ScoreStatus.PENDING, say("na_pending", lang, months=facts.round_months))
    if number.is_blank:
        key = "numbers_missing_file" if facts.files_attached else "numbers_missing"
        line = say(key, lang)
        return ScoreResult(None, ScoreStatus.NOT_SCORABLE, line, (FlagHit(FlagCode.NUMBERS_MISSING, line),))
    if number.error is not None or number.value is None:
        why = say(number.error.value if number.error else "not_a_number", lang)
        line = say("unparseable", lang, text=facts.value_text.strip(), why=why)
        return ScoreResult(
            None, ScoreStatus.NOT_SCORABLE, line, (FlagHit(FlagCode.UNPARSEABLE, facts.value_text),)
        )
    bounds = indicator.value_range
    if bounds is not None and not bounds.contains(number.value):
        low = "" if bounds.min is None else number_text(bounds.min)
        high = "" if bounds.max is None else number_text(bounds.max)
        line = say("out_of_range", lang, value=number_text(number.value), low=low, high=high)
        return ScoreResult(
            None, ScoreStatus.NOT_SCORABLE, line, (FlagHit(FlagCode.VALUE_OUT_OF_RANGE, line),)
        )
    return None


def _above_max(indicator: Indicator, value: Decimal, lang: Lang) -> tuple[Decimal, str, FlagHit | None]:
    shown, top = score_text(value, indicator.decimals), score_text(indicator.max_score, indicator.decimals)
    if indicator.allow_above_max:
        line = say("above_max", lang, score=shown, max=top)
        return value, line, FlagHit(FlagCode.ABOVE_MAX, line)
    return indicator.max_score, say("clamped_to_max", lang, raw=shown, max=top), None


def _unique(flags: list[FlagHit]) -> tuple[FlagHit, ...]:
    return tuple(dict.fromkeys(flags))


def score_submission(indicator: Indicator, facts: SubmissionFacts, lang: Lang = "th") -> ScoreResult:
    """The score of one submission with its explanation and flags; never raises on what a respondent typed."""
    spec = KINDS[indicator.kind]
    number = parse_number(facts.value_text) if spec.uses_value else NumberParse(is_blank=True)
    evidence = check_evidence(indicator, facts, lang)
    ctx = ScoreContext(lang=lang, number=number, evidence=evidence)
    result = _value_rules(indicator, facts, number, lang) if spec.uses_value else None
    if result is None:
        result = spec.score(indicator, facts, ctx)
    lines = [result.explanation]
    if spec.name != "evidence_present":
        lines += evidence.lines
    flags = [*result.flags, *evidence.flags]
    exact = result.value
    if exact is not None and exact > indicator.max_score:
        exact, line, flag = _above_max(indicator, exact, lang)
        lines.append(line)
        flags += [flag] if flag else []
    value = None if exact is None else quantize(exact, indicator.decimals)
    return ScoreResult(value, result.status, join(lines), _unique(flags), exact)
