"""The score that counts (คะแนนที่ใช้): the committee's word over the auto score.

In order: a number in คะแนนที่กรรมการให้ (Thai digits too), rounded to the indicator's decimals, within
0..max_score (above only where the indicator allows it); else 0 when ผลการพิจารณา is ไม่รับรอง (seed 004: what
is not certified is not scored); else the auto score, None staying None. A committee score that is not a
number, negative or above full marks is flagged and then counts as if it were not there, so the next rule
decides. Pure: the cycle, the totals and the dashboard all call this one function, so they cannot disagree.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import Final, Literal

from scoring.decimals import ZERO, quantize
from scoring.explain import Lang, number_text, score_text
from scoring.flags import FlagCode
from scoring.model import Indicator
from scoring.thai import parse_number

Source = Literal["auto", "committee", "not_certified"]

# The committee's decisions, (Thai, English): the words of DOMAIN.md's certification statuses (seed 004).
# The dashboard offers them in a dropdown; the rule below reads them back.
DECISIONS: Final[tuple[tuple[str, str], ...]] = (
    ("รับรอง", "certified"),
    ("ไม่รับรอง", "not certified"),
    ("รอพิจารณา", "pending review"),
)
# The column the committee types its score into, as a flag detail names it.
OVERRIDE_COLUMN: Final[tuple[str, str]] = ("คะแนนที่กรรมการให้", "Committee score")

# Both languages, compared without case or spacing: the dropdown is not strict, people type.
_NOT_CERTIFIED = frozenset(" ".join(word.lower().split()) for word in DECISIONS[1])
_COLUMN = OVERRIDE_COLUMN

_WORDS: dict[str, tuple[str, str]] = {
    "committee": (
        "คะแนนที่ใช้ {score}: คะแนนที่กรรมการให้ แทนคะแนนอัตโนมัติ",
        "score used {score}: the committee's score, replacing the auto score",
    ),
    "not_certified": (
        "คะแนนที่ใช้ {score}: ไม่รับรอง โดยคณะกรรมการ",
        "score used {score}: not certified by the committee",
    ),
    "out_of_range": (
        "{column}: {text} อยู่นอกช่วง 0 ถึง {max} จึงไม่นำมาใช้",
        "{column}: {text} is outside 0 to {max}, so it does not count",
    ),
}


@dataclass(frozen=True)
class UsedScore:
    """The score that counts, where it came from, why (empty when it is the auto score) and the flags the
    committee's cells raise: (FlagCode value, detail)."""

    value: Decimal | None
    source: Source
    explanation: str = ""
    flags: tuple[tuple[str, str], ...] = ()


def is_not_certified(decision: str) -> bool:
    return " ".join(decision.lower().split()) in _NOT_CERTIFIED


def _say(key: str, lang: Lang, **values: str) -> str:
    phrase = _WORDS[key]
    return (phrase[0] if lang == "th" else phrase[1]).format(**values)


def committee_number(
    indicator: Indicator, text: str, lang: Lang = "th"
) -> tuple[Decimal | None, tuple[tuple[str, str], ...]]:
    """The committee's score from the text typed, or None with the flags that say why it does not count."""
    typed = " ".join(text.split())
    parsed = parse_number(typed)
    if parsed.is_blank:
        return None, ()
    column = _COLUMN[0] if lang == "th" else _COLUMN[1]
    if parsed.value is None:
        return None, ((FlagCode.UNPARSEABLE.value, f"{column}: {typed}"),)
    value = parsed.value
    if value < 0 or (value > indicator.max_score and not indicator.allow_above_max):
        top = number_text(indicator.max_score)
        detail = _say("out_of_range", lang, column=column, text=typed, max=top)
        return None, ((FlagCode.VALUE_OUT_OF_RANGE.value, detail),)
    return quantize(value, indicator.decimals), ()


def used_score(
    indicator: Indicator,
    auto: Decimal | None,
    decision: str = "",
    override: str = "",
    lang: Lang = "th",
) -> UsedScore:
    """The score that counts for one submission, from its auto score and the committee's two cells."""
    given, flags = committee_number(indicator, override, lang)
    if given is not None:
        shown = score_text(given, indicator.decimals)
        return UsedScore(given, "committee", _say("committee", lang, score=shown), flags)
    if is_not_certified(decision):
        zero = quantize(ZERO, indicator.decimals)
        shown = score_text(zero, indicator.decimals)
        return UsedScore(zero, "not_certified", _say("not_certified", lang, score=shown), flags)
    return UsedScore(auto, "auto", "", flags)
