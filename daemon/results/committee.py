"""The score that counts (คะแนนที่ใช้): the committee's word over the auto score, and the certification
status it gives a submission (seed 004).

In order: a number in คะแนนที่กรรมการให้ (Thai digits too), rounded to the indicator's decimals, within
0..max_score (above it only where the indicator allows it, and then flagged for confirmation as an auto score
above full marks is); else 0 when ผลการพิจารณา is ไม่รับรอง (seed 004: what is not certified is not scored);
else the auto score, None staying None. A committee score that is not a number, negative or above full marks
where the indicator caps it is flagged and then counts as if it were not there, so the next rule decides;
ไม่รับรอง without a comment is flagged, as the seed asks for the reason.

The committee's word judges one version of the response (the ฉบับที่ the row showed): once the respondent
edits, it no longer counts. The caller then passes no decision and no score, and the row goes back to
รอการรับรองผล. Pure: the cycle, the totals and the dashboard all call these functions, so they cannot disagree.
"""

from __future__ import annotations

import re
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
# The certification statuses of seed 004, (Thai, English), by key.
CERTIFICATIONS: Final[dict[str, tuple[str, str]]] = {
    "not_reported": ("ยังไม่รายงานผล", "not yet reported"),
    "awaiting": ("รอการรับรองผล", "awaiting certification"),
    "not_certified": ("ไม่รับรอง", "not certified"),
    "certified": ("รับรอง", "certified"),
}
# The column the committee types its score into, as a flag detail names it.
OVERRIDE_COLUMN: Final[tuple[str, str]] = ("คะแนนที่กรรมการให้", "Committee score")

# Both languages, compared without case or spacing: the dropdown is not strict, people type.
_NOT_CERTIFIED = frozenset(" ".join(word.lower().split()) for word in DECISIONS[1])
_CERTIFIED = frozenset(" ".join(word.lower().split()) for word in DECISIONS[0])
# Text a spreadsheet turns into a date when typed (1/2, 2-3, 12.5.69): read back as a date string.
_DATE_LIKE = re.compile(r"^\d{1,4}\s*[/.-]\s*\d{1,2}(\s*[/.-]\s*\d{1,4})?(\s+\d{1,2}:\d{2}(:\d{2})?)?$")
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
    "above_max": (
        "{column}: {text} เกินคะแนนเต็ม {max} (ตัวชี้วัดนี้ให้เกินได้) โปรดยืนยันว่าตั้งใจ",
        "{column}: {text} is above full marks {max} (allowed for this indicator); please confirm",
    ),
    "date_like": (
        "{column}: {text} (Google Sheets อ่านสิ่งที่พิมพ์เป็นวันที่ พิมพ์คะแนนเป็นตัวเลข เช่น 4.5)",
        "{column}: {text} (Google Sheets read what was typed as a date; type the score as a number,"
        " e.g. 4.5)",
    ),
    "no_comment": (
        "ผลการพิจารณา ไม่รับรอง แต่ช่องความเห็นกรรมการว่าง โปรดระบุเหตุผล",
        "not certified but the committee comment is empty; please give the reason",
    ),
    "edited": (
        "ผู้ส่งแก้ไขคำตอบเป็นฉบับที่ {version} หลังกรรมการพิจารณาฉบับที่ {judged} ({decision})"
        " ผลเดิมจึงไม่นับ ตรวจฉบับใหม่แล้วแก้ไขช่องของกรรมการเพื่อพิจารณาอีกครั้ง",
        "the respondent edited the answer (version {version}) after the committee judged version {judged}"
        " ({decision}), so that word no longer counts; check the new version and change a committee cell to"
        " judge it again",
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


def is_certified(decision: str) -> bool:
    return " ".join(decision.lower().split()) in _CERTIFIED


def review_applies(judged_version: int | None, current_version: int) -> bool:
    """Whether the committee's word, given on ``judged_version``, still judges the version that counts.
    A word stored before versions were kept (None) is taken to judge the current one."""
    return judged_version is None or judged_version == current_version


def certification(decision: str, *, numbers_missing: bool = False) -> str:
    """The seed-004 status of a submission from a decision that applies to its version ("" when none does):
    รับรอง / ไม่รับรอง as decided; without a decision ยังไม่รายงานผล when the numbers were never filled in
    (a file alone is not a report), else รอการรับรองผล."""
    if is_certified(decision):
        return "certified"
    if is_not_certified(decision):
        return "not_certified"
    return "not_reported" if numbers_missing else "awaiting"


def edited_flag(
    judged: int, current: int, decision: str, override: str, lang: Lang = "th"
) -> tuple[tuple[str, str], ...]:
    """The แก้ไขหลังรับรอง flag for a word given on an earlier version, when it decided anything."""
    given = decision.strip() or override.strip()
    if not given:
        return ()
    detail = _say("edited", lang, version=str(current), judged=str(judged), decision=given)
    return ((FlagCode.EDITED_AFTER_REVIEW.value, detail),)


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
        if _DATE_LIKE.match(typed):
            return None, ((FlagCode.UNPARSEABLE.value, _say("date_like", lang, column=column, text=typed)),)
        return None, ((FlagCode.UNPARSEABLE.value, f"{column}: {typed}"),)
    value = parsed.value
    top = number_text(indicator.max_score)
    if value < 0 or (value > indicator.max_score and not indicator.allow_above_max):
        detail = _say("out_of_range", lang, column=column, text=typed, max=top)
        return None, ((FlagCode.VALUE_OUT_OF_RANGE.value, detail),)
    if value > indicator.max_score:
        # It counts, as an auto score above full marks does, and asks for the same confirmation.
        detail = _say("above_max", lang, column=column, text=typed, max=top)
        return quantize(value, indicator.decimals), ((FlagCode.ABOVE_MAX.value, detail),)
    return quantize(value, indicator.decimals), ()


def used_score(
    indicator: Indicator,
    auto: Decimal | None,
    decision: str = "",
    override: str = "",
    lang: Lang = "th",
    *,
    comment: str = "",
) -> UsedScore:
    """The score that counts for one submission, from its auto score and the committee's cells."""
    given, flags = committee_number(indicator, override, lang)
    if is_not_certified(decision) and not comment.strip():
        flags = (*flags, (FlagCode.NOT_CERTIFIED_NO_COMMENT.value, _say("no_comment", lang)))
    if given is not None:
        shown = score_text(given, indicator.decimals)
        return UsedScore(given, "committee", _say("committee", lang, score=shown), flags)
    if is_not_certified(decision):
        zero = quantize(ZERO, indicator.decimals)
        shown = score_text(zero, indicator.decimals)
        return UsedScore(zero, "not_certified", _say("not_certified", lang, score=shown), flags)
    return UsedScore(auto, "auto", "", flags)
