"""Assess the stored submissions: which one supersedes which, and each one's score (scoring.engine) and
flags. A sync runs this after its evidence step; ``kpisync rescore`` runs it alone, with no Google call.

Each step writes only what changed, so a sync with nothing new leaves every row as it was.
"""

from __future__ import annotations

import json
from collections import defaultdict
from collections.abc import Callable
from datetime import datetime
from decimal import Decimal

from sqlmodel import Session

from daemon.results.committee import edited_flag, used_score
from daemon.results.evidence import duplicate_files, evidence_uses, unreadable_detail
from daemon.results.store_view import StoreView
from daemon.settings import Settings
from daemon.store import records, repo
from daemon.store import scores as scores_store
from daemon.store.models import Review
from daemon.store.records import SubmissionRecord
from scoring.engine import score_submission
from scoring.explain import Lang
from scoring.facts import SubmissionFacts
from scoring.flags import FlagCode
from scoring.model import Indicator
from scoring.thai import parse_number

Counter = Callable[[str, int], None]

# Google refuses a cell over 50,000 characters (UTF-16 code units): the dashboard cuts any longer text, and a
# respondent's text that long is flagged here, so the flag is stored, counted and exported with the rest.
SHEET_CELL_LIMIT = 50_000
_LONG_TEXTS: dict[str, tuple[str, str]] = {
    "value_text": ("คำตอบ", "Answer"),
    "note_text": ("หมายเหตุผู้ส่ง", "Respondent's note"),
    "respondent_name": ("ชื่อ-นามสกุล", "Name"),
    "indicator_text": ("ตัวชี้วัด", "Indicator"),
    "date_text": ("วันที่ดำเนินการ", "Date"),
}
_TOO_LONG = (
    "{field} ยาว {length:,} ตัวอักษร เกินที่ Google Sheets รับได้ ({limit:,}) จึงแสดงเพียงส่วนต้น",
    "{field} is {length:,} characters, more than Google Sheets accepts ({limit:,}); only its start is shown",
)


def _long_texts(sub: SubmissionRecord, lang: Lang) -> set[tuple[str, str]]:
    """A cell-truncated flag for each of the respondent's texts too long for one Sheets cell."""
    out: set[tuple[str, str]] = set()
    for name, words in _LONG_TEXTS.items():
        text = str(getattr(sub, name) or "")
        length = len(text.encode("utf-16-le")) // 2 if 2 * len(text) > SHEET_CELL_LIMIT else 0
        if length > SHEET_CELL_LIMIT:
            phrase = _TOO_LONG[0] if lang == "th" else _TOO_LONG[1]
            field = words[0] if lang == "th" else words[1]
            detail = phrase.format(field=field, length=length, limit=SHEET_CELL_LIMIT)
            out.add((FlagCode.CELL_TRUNCATED.value, detail))
    return out


def supersede(session: Session, count: Counter) -> None:
    """Within each person × indicator × round the latest submission counts; earlier ones point at it."""
    groups: dict[tuple[str, str, int, int], list[SubmissionRecord]] = defaultdict(list)
    changes: dict[str, str | None] = {}
    for sub in records.active_submissions(session):
        if sub.indicator_code and sub.round_months and sub.fiscal_year and sub.email:
            groups[(sub.email, sub.indicator_code, sub.round_months, sub.fiscal_year)].append(sub)
        elif sub.superseded_by is not None:
            changes[sub.key] = None
    for members in groups.values():
        members.sort(key=lambda s: (s.submitted_at, s.key))
        winner = members[-1]
        for sub in members:
            wanted = None if sub is winner else winner.key
            if sub.superseded_by != wanted:
                changes[sub.key] = wanted
                count("superseded_changed", 1)
    # Submissions withdrawn since keep no claim on the ones they had superseded.
    changes.update(dict.fromkeys(repo.withdrawn_superseding(session)))
    repo.set_superseded(session, changes)


def score_and_flag(
    session: Session,
    settings: Settings,
    now: datetime,
    count: Counter,
    store: StoreView,
    *,
    roster_unread: bool = False,
) -> None:
    """Score every active submission of ``store`` (read after ``supersede``) whose indicator and round are
    known, and reconcile every open flag.

    ``roster_unread``: this sync could not read the roster. The stored people still decide "not in roster";
    only when none were ever stored is nobody flagged, as an unread roster says nothing about anyone.
    """
    people = store.roster
    roster_known = bool(people) or not roster_unread
    views = store.evidence
    scores = repo.current_scores(session)
    reviews, stale = store.reviews_in_force()
    numbers = store.numbers
    submissions = store.submissions
    duplicates = duplicate_files(evidence_uses(submissions, people), views, settings.lang)
    wanted: dict[str, set[tuple[str, str]]] = {}
    writer = scores_store.ScoreWriter(session, now)
    for sub in submissions:
        flags: set[tuple[str, str]] = {(code, detail) for code, detail in json.loads(sub.parse_flags_json)}
        flags |= _long_texts(sub, settings.lang)
        ambiguous = any(code == FlagCode.AMBIGUOUS_NAME.value for code, _ in flags)
        if roster_known and sub.email not in people and not ambiguous:
            flags.add((FlagCode.NOT_IN_ROSTER.value, sub.email or sub.respondent_name or "-"))
        round_ = settings.round_of(sub.fiscal_year, sub.round_months)
        if round_ is not None and round_.is_late(sub.submitted_at):
            flags.add((FlagCode.LATE.value, round_.deadline_text(settings.lang)))
        if sub.superseded_by:
            flags.add((FlagCode.SUPERSEDED.value, sub.superseded_by))
        sub_views = views.get(sub.key, [])
        for view in sub_views:
            detail = unreadable_detail(view, settings.lang)
            if detail:
                flags.add((FlagCode.EVIDENCE_UNREADABLE.value, detail))
        flags.update((FlagCode.DUPLICATE_FILE.value, d) for d in duplicates.get(sub.key, ()))
        indicator = settings.rubrics.indicators.get(sub.indicator_code or "")
        if indicator is not None and sub.round_months in (6, 9, 12):
            facts = SubmissionFacts(
                value_text=sub.value_text,
                steps_met=frozenset(json.loads(sub.steps_json)),
                awards=json.loads(sub.awards_json),
                evidence=tuple(v.fact for v in sub_views),
                files_attached=sub.files_attached,
                round_months=sub.round_months,  # type: ignore[arg-type]  # checked just above
                manual_score=_override(reviews.get(sub.key)),
            )
            result = score_submission(indicator, facts, lang=settings.lang)
            changed = writer.save(
                scores.get(sub.key),
                submission_key=sub.key,
                indicator_code=indicator.code,
                rubric_version=indicator.version,
                value=result.value,
                status=result.status.value,
                explanation=result.explanation,
            )
            if changed:
                count("scored", 1)
            have = {code for code, _ in flags}
            for hit in result.flags:
                # The daemon names unreadable files itself; the engine's own line would say it twice.
                if hit.code is FlagCode.EVIDENCE_UNREADABLE and hit.code.value in have:
                    continue
                flags.add((hit.code.value, hit.detail))
            flags.update(_committee_flags(indicator, result.value, reviews.get(sub.key), settings.lang))
        old = stale.get(sub.key)
        if old is not None and old.response_version_id is not None:
            judged, counted = numbers.get(old.response_version_id, 0), numbers.get(sub.response_version_id, 0)
            flags.update(edited_flag(judged, counted, old.decision, old.override_score, settings.lang))
        wanted[sub.key] = flags
    writer.flush()
    opened, closed = scores_store.reconcile_flags(session, wanted, now)
    count("flags_opened", opened)
    count("flags_closed", closed)


def _committee_flags(
    indicator: Indicator, auto: Decimal | None, review: Review | None, lang: Lang
) -> tuple[tuple[str, str], ...]:
    """What the committee's cells raise: a score that is not a number, out of range or above full marks, and
    ไม่รับรอง without a reason."""
    if review is None:
        return ()
    used = used_score(indicator, auto, review.decision, review.override_score, lang, comment=review.comment)
    if indicator.kind == "manual":
        # A manual indicator's engine already judged the committee's score against full marks.
        judged = {FlagCode.VALUE_OUT_OF_RANGE.value, FlagCode.ABOVE_MAX.value}
        return tuple(f for f in used.flags if f[0] not in judged)
    return used.flags


def _override(review: Review | None) -> Decimal | None:
    if review is None or not review.override_score.strip():
        return None
    parsed = parse_number(review.override_score)
    return parsed.value
