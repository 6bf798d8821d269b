"""One Form response (raw JSON as received) → one normalized submission with its evidence and the flags
its own
answers raise. Pure: no database, no network. Anything that cannot be understood becomes a flag, never an
exception.

Questions are found by title (as the admin wrote them in the Form), or by a pinned questionId; a mapped
question
missing from the form raises ``form_changed`` on every submission of that form until the config is fixed.
Cross-submission flags (late, superseded, same file twice, not in roster, unreadable evidence) are the
cycle's.
"""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from daemon.settings import FormSettings, QuestionRef, Settings
from daemon.store.models import LinkKind
from daemon.sync.links import Link, extract_links
from scoring.calendar import parse_round_months
from scoring.flags import FlagCode, FlagHit
from scoring.thai import NumberParse, parse_number, parse_thai_date, to_arabic_digits


@dataclass(frozen=True)
class QuestionIndex:
    """The questions of one form as forms.get returned them: plain questions by title, grid rows by item
    title."""

    by_title: Mapping[str, str]  # item title -> questionId
    grids: Mapping[str, Mapping[str, str]]  # grid item title -> row title -> questionId
    ids: frozenset[str]

    def flat_map(self) -> dict[str, str]:
        """questionId -> a readable title (grid rows as "item / row"), kept with the form in the store."""
        out = {qid: title for title, qid in self.by_title.items()}
        for title, rows in self.grids.items():
            out.update({qid: f"{title} / {row}" for row, qid in rows.items()})
        return out


def index_questions(form_json: Mapping[str, Any]) -> QuestionIndex:
    by_title: dict[str, str] = {}
    grids: dict[str, dict[str, str]] = {}
    ids: set[str] = set()
    for item in form_json.get("items") or []:
        title = str(item.get("title") or "").strip()
        question = (item.get("questionItem") or {}).get("question")
        if isinstance(question, dict) and question.get("questionId"):
            by_title.setdefault(title, str(question["questionId"]))
            ids.add(str(question["questionId"]))
        group = item.get("questionGroupItem")
        if isinstance(group, dict):
            rows: dict[str, str] = {}
            for row in group.get("questions") or []:
                qid = row.get("questionId")
                row_title = str((row.get("rowQuestion") or {}).get("title") or "").strip()
                if qid:
                    rows[row_title] = str(qid)
                    ids.add(str(qid))
            grids.setdefault(title, rows)
    return QuestionIndex(by_title, grids, frozenset(ids))


@dataclass(frozen=True)
class Upload:
    file_id: str
    name: str
    mime_type: str | None


@dataclass(frozen=True)
class Normalized:
    """What one response version says, ready to store as a submission."""

    key: str
    form_id: str
    response_id: str
    email: str
    respondent_name: str
    indicator_code: str | None
    indicator_text: str
    round_months: int | None
    value_text: str
    note_text: str
    date_text: str
    steps: tuple[int, ...]
    awards: Mapping[str, int]
    links: tuple[Link, ...]
    uploads: tuple[Upload, ...]
    flags: tuple[FlagHit, ...] = field(default=())

    @property
    def files_attached(self) -> bool:
        return bool(self.uploads) or any(link.is_drive for link in self.links)

    def content_hash(self) -> str:
        """A digest of everything stored from this version: equal digests mean nothing to rewrite."""
        payload = {
            "email": self.email,
            "name": self.respondent_name,
            "indicator": [self.indicator_code, self.indicator_text],
            "round": self.round_months,
            "texts": [self.value_text, self.note_text, self.date_text],
            "steps": list(self.steps),
            "awards": dict(sorted(self.awards.items())),
            "links": [[lk.kind.value, lk.original, lk.file_id, lk.resource_key] for lk in self.links],
            "uploads": [[u.file_id, u.name, u.mime_type] for u in self.uploads],
            "flags": [[f.code.value, f.detail] for f in self.flags],
        }
        text = json.dumps(payload, ensure_ascii=False, sort_keys=True)
        return hashlib.sha256(text.encode("utf-8")).hexdigest()


def indicator_names(settings: Settings) -> dict[str, str]:
    """Every answer text that names an indicator (Thai name, English name) → its code."""
    names: dict[str, str] = {}
    for code, indicator in settings.rubrics.indicators.items():
        for name in (indicator.name_th, indicator.name_en, code):
            if name:
                names.setdefault(" ".join(name.split()), code)
    return names


def submission_key(form_id: str, response_id: str) -> str:
    """The row's identity in the Sheet: short enough for a committee member to read out ("S-7f3a9c01b2"),
    derived from the form and response ids only, so it never changes when the response is edited."""
    digest = hashlib.blake2b(f"{form_id}:{response_id}".encode(), digest_size=5).hexdigest()
    return f"S-{digest}"


def normalize_response(
    response: Mapping[str, Any],
    form_id: str,
    questions: QuestionIndex,
    config: FormSettings,
    indicator_names: Mapping[str, str],
    *,
    matcher: IndicatorMatcher | None = None,
) -> Normalized:
    """``indicator_names`` maps every accepted answer text (Thai name, English name, alias) to an
    indicator code; ``matcher``, when given, is those names with the form's aliases, built once. A sync
    normalizes a whole form with one :class:`FormNormalizer` instead."""
    return FormNormalizer(form_id, questions, config, indicator_names, matcher=matcher).normalize(response)


# The config's plain questions, each read from one question of the form.
_PLAIN_QUESTIONS = ("indicator", "round", "date", "links", "name", "value", "note", "steps", "uploads")


class FormNormalizer:
    """One form's responses → normalized submissions. What depends on the form alone (which question each
    config entry reads, the form_changed flags of those the form lacks, the award grid) is worked out once;
    answers many responses share (the round, a date, an award count) are parsed once per form."""

    def __init__(
        self,
        form_id: str,
        questions: QuestionIndex,
        config: FormSettings,
        indicator_names: Mapping[str, str],
        *,
        matcher: IndicatorMatcher | None = None,
    ) -> None:
        self._form_id = form_id
        self._config = config
        self._matcher = matcher or IndicatorMatcher(indicator_names, config.indicator_aliases)
        q = config.questions
        # name -> (questionId or None, the form_changed flag raised when it is None); absent: not configured.
        self._refs: dict[str, tuple[str | None, FlagHit]] = {}
        for name in _PLAIN_QUESTIONS:
            ref = getattr(q, name)
            if ref is not None:
                self._refs[name] = (_resolve(ref, questions, []), FlagHit(FlagCode.FORM_CHANGED, ref.title))
        self._awards = _award_plan(q.awards, questions, config.award_rows)
        self._rounds: dict[str, int | None] = {}
        self._dates: dict[str, bool] = {}
        self._numbers: dict[str, NumberParse] = {}

    def normalize(self, response: Mapping[str, Any]) -> Normalized:
        response_id = str(response.get("responseId") or "")
        answers: Mapping[str, Any] = response.get("answers") or {}
        flags: list[FlagHit] = []
        q = self._config.questions

        def text_of(name: str) -> list[str]:
            entry = self._refs.get(name)
            if entry is None:
                return []
            qid, missing = entry
            if qid is None:
                if missing not in flags:
                    flags.append(missing)
                return []
            return _texts(answers.get(qid))

        def single(name: str) -> str:
            texts = text_of(name)
            return texts[0].strip() if len(texts) == 1 else "\n".join(texts).strip()

        indicator_text = single("indicator")
        indicator_code = self._matcher.match(indicator_text)
        if indicator_code is None:
            flags.append(FlagHit(FlagCode.UNPARSEABLE, f"{q.indicator.title}: {indicator_text or '-'}"))
        round_text = single("round")
        round_months = self._round_months(round_text) if round_text else None
        if round_months is None:
            flags.append(FlagHit(FlagCode.UNPARSEABLE, f"{q.round.title}: {round_text or '-'}"))

        date_text = single("date")
        if date_text and q.date is not None and not self._date_ok(date_text):
            flags.append(FlagHit(FlagCode.UNPARSEABLE, f"{q.date.title}: {date_text}"))

        links_text = "\n".join(text_of("links"))
        return Normalized(
            key=submission_key(self._form_id, response_id),
            form_id=self._form_id,
            response_id=response_id,
            email=str(response.get("respondentEmail") or "").strip().lower(),
            respondent_name=single("name"),
            indicator_code=indicator_code,
            indicator_text=indicator_text,
            round_months=round_months,
            value_text=single("value"),
            note_text=single("note"),
            date_text=date_text,
            steps=_steps(text_of("steps"), q.steps, flags),
            awards=self._award_counts(answers, flags),
            links=tuple(extract_links(links_text)),
            uploads=self._uploads(answers, flags),
            flags=tuple(flags),
        )

    def _round_months(self, text: str) -> int | None:
        if text not in self._rounds:
            self._rounds[text] = parse_round_months(text)
        return self._rounds[text]

    def _date_ok(self, text: str) -> bool:
        if text not in self._dates:
            self._dates[text] = parse_thai_date(text).error is None
        return self._dates[text]

    def _number(self, text: str) -> NumberParse:
        if text not in self._numbers:
            self._numbers[text] = parse_number(text)
        return self._numbers[text]

    def _award_counts(self, answers: Mapping[str, Any], flags: list[FlagHit]) -> dict[str, int]:
        plan = self._awards
        if plan is None:
            return {}
        title, rows = plan
        if rows is None:
            flags.append(FlagHit(FlagCode.FORM_CHANGED, title))
            return {}
        awards: dict[str, int] = {}
        for row_title, level, qid in rows:
            if qid is None:
                flags.append(FlagHit(FlagCode.FORM_CHANGED, f"{title} / {row_title}"))
                continue
            texts = _texts(answers.get(qid))
            if not texts:
                continue
            parsed = self._number(texts[0])
            if parsed.value is None or parsed.value < 0 or parsed.value != parsed.value.to_integral_value():
                if not parsed.is_blank:
                    flags.append(FlagHit(FlagCode.UNPARSEABLE, f"{title} / {row_title}: {texts[0]}"))
                continue
            if parsed.value:
                awards[level] = awards.get(level, 0) + int(parsed.value)
        return awards

    def _uploads(self, answers: Mapping[str, Any], flags: list[FlagHit]) -> tuple[Upload, ...]:
        entry = self._refs.get("uploads")
        if entry is None:
            return ()
        qid, missing = entry
        if qid is None:
            if missing not in flags:
                flags.append(missing)
            return ()
        answer = answers.get(qid)
        if not isinstance(answer, dict):
            return ()
        out: list[Upload] = []
        for item in (answer.get("fileUploadAnswers") or {}).get("answers") or []:
            if isinstance(item, dict) and item.get("fileId"):
                out.append(Upload(str(item["fileId"]), str(item.get("fileName") or ""), item.get("mimeType")))
        return tuple(out)


def _award_plan(
    ref: QuestionRef | None, questions: QuestionIndex, rows: Mapping[str, str]
) -> tuple[str, list[tuple[str, str, str | None]] | None] | None:
    """The award grid as the form has it: (title, [(row title, level, questionId or None)]), rows None when
    the form lacks the grid, None when the config asks for no awards."""
    if ref is None:
        return None
    grid = questions.grids.get(ref.title.strip())
    if grid is None:
        return ref.title, None
    return ref.title, [(row_title, level, grid.get(row_title)) for row_title, level in rows.items()]


def _resolve(ref: QuestionRef, questions: QuestionIndex, flags: list[FlagHit]) -> str | None:
    if ref.question_id and ref.question_id in questions.ids:
        return ref.question_id
    qid = questions.by_title.get(ref.title.strip())
    if qid is None:
        hit = FlagHit(FlagCode.FORM_CHANGED, ref.title)
        if hit not in flags:
            flags.append(hit)
    return qid


def _texts(answer: Any) -> list[str]:
    if not isinstance(answer, dict):
        return []
    items = (answer.get("textAnswers") or {}).get("answers") or []
    return [str(a.get("value", "")) for a in items if isinstance(a, dict)]


class IndicatorMatcher:
    """Answer text → indicator code: aliases before names, exact before ignoring case, spaces collapsed on
    both sides (so an alias copied from an option with a double space matches just as a name does). Built
    once per form, not once per response."""

    def __init__(self, names: Mapping[str, str], aliases: Mapping[str, str]) -> None:
        tables = [{" ".join(name.split()): code for name, code in t.items()} for t in (aliases, names)]
        self._exact = tables
        self._folded: list[dict[str, str]] = []
        for table in tables:
            folded: dict[str, str] = {}
            for name, code in table.items():
                folded.setdefault(name.casefold(), code)
            self._folded.append(folded)

    def match(self, text: str) -> str | None:
        if not text:
            return None
        wanted = " ".join(text.split())
        for table in self._exact:
            if wanted in table:
                return table[wanted]
        folded = wanted.casefold()
        for table in self._folded:
            if folded in table:
                return table[folded]
        return None


_STEP_NUMBER_RE = re.compile(r"[0-9]+")


def _steps(options: list[str], ref: QuestionRef | None, flags: list[FlagHit]) -> tuple[int, ...]:
    steps: set[int] = set()
    for option in options:
        # The step is the option's first number: "ขั้นที่ 2 ร้อยละ 50" is step 2, not 250.
        found = _STEP_NUMBER_RE.search(to_arabic_digits(option))
        if found is None:
            flags.append(FlagHit(FlagCode.UNPARSEABLE, f"{ref.title if ref else ''}: {option}"))
            continue
        steps.add(int(found.group()))
    return tuple(sorted(steps))


def evidence_rows(normalized: Normalized) -> list[tuple[str, Link | Upload]]:
    """The submission's evidence in a stable order: uploads first (they are Drive files for sure), then
    links."""
    rows: list[tuple[str, Link | Upload]] = [("upload", u) for u in normalized.uploads]
    rows.extend(
        ("link", link) for link in normalized.links if link.kind is not LinkKind.NOT_A_LINK or link.original
    )
    return rows


def unresolved_questions(form: FormSettings, questions: QuestionIndex) -> list[tuple[str, str]]:
    """The config's questions this form does not have, as (key, title): what a sync would flag
    ``form_changed`` on every submission, found before any response arrives (``kpisync doctor``)."""
    missing: list[tuple[str, str]] = []
    for key, ref in form.questions:
        if not isinstance(ref, QuestionRef):
            continue
        if key == "awards":
            grid = questions.grids.get(ref.title.strip())
            if grid is None:
                missing.append((key, ref.title))
                continue
            missing += [(key, f"{ref.title} / {row}") for row in form.award_rows if row not in grid]
        elif _resolve(ref, questions, []) is None:
            missing.append((key, ref.title))
    return missing
