"""One form's part of a sync: read the form and its responses since the checkpoint (``fetch_form``, reads
only), then store what was read (``apply_form``, no network): the plan's new versions and withdrawals, each
current response normalized into its submission and evidence items, and the checkpoint, all in the caller's
transaction so that the checkpoint never moves ahead of the responses it covers.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from datetime import datetime, timedelta
from functools import partial
from typing import Any

import structlog
from sqlmodel import Session, col, select

from connectors.base import FormsSource
from daemon.results.freshness import digest_of, source_digest
from daemon.settings import FormSettings, Settings
from daemon.store import intake, repo
from daemon.store.models import Person
from daemon.sync.links import Link
from daemon.sync.names import RosterNames, identify
from daemon.sync.normalize import (
    FormNormalizer,
    Normalized,
    QuestionIndex,
    Upload,
    evidence_rows,
    index_questions,
    indicator_names,
)
from daemon.sync.plan import (
    NewResponse,
    NewVersion,
    Reappeared,
    StoredResponse,
    Withdrawn,
    parse_rfc3339,
    plan_responses,
)

Counter = Callable[[str, int], None]
# Submissions normalized before they are written: bounds what one form of tens of thousands holds at once.
WRITE_CHUNK = 2000

# The code a submission's stored values come from: a change to it normalizes every response again.
NORMALIZE_CODE = ("daemon.sync.normalize", "daemon.sync.links", "daemon.sync.form_pull", "scoring.thai",
                  "scoring.calendar", "daemon.store.models")  # fmt: skip


def _log() -> structlog.typing.FilteringBoundLogger:
    return structlog.get_logger(__name__)  # type: ignore[no-any-return]


@dataclass(frozen=True)
class FetchedForm:
    """Everything Google said about one form this run, read before anything of it is written, with the
    checkpoint it was read from."""

    form_json: dict[str, Any]
    watermark: str | None
    full: bool
    responses: list[dict[str, Any]]


def fetch_form(
    session: Session,
    settings: Settings,
    forms: FormsSource,
    form: FormSettings,
    *,
    now: datetime,
    idle: Callable[[], None] = lambda: None,
) -> FetchedForm:
    """The form and its responses since the checkpoint: reads only, so a ConnectorError leaves no trace.

    ``idle`` is called once the store has been read, before the first call to Google: the cycle ends its
    transaction there, so no database lock is held while Google answers."""
    checkpoint = repo.get_checkpoint(session, form.form_id)
    watermark = checkpoint.watermark if checkpoint else None
    full_every = timedelta(hours=settings.schedule.full_reconcile_hours)
    full = (
        checkpoint is None or checkpoint.full_pass_at is None or now - checkpoint.full_pass_at >= full_every
    )
    idle()
    form_json = forms.get_form(form.form_id)
    since = None if full or watermark is None else parse_rfc3339(watermark)
    # Every page is read before the first write: a failure on page 2 must not leave page 1 stored.
    responses = [response for page in forms.list_responses(form.form_id, since) for response in page]
    return FetchedForm(form_json, watermark, full, responses)


def stored_responses(session: Session, form_id: str) -> dict[str, StoredResponse]:
    """What the store knows of each of the form's responses, as the plan compares it."""
    versions: dict[str, set[str]] = {}
    current: dict[str, tuple[str, bool]] = {}
    for response_id, last_submitted, is_current, withdrawn in intake.version_marks(session, form_id):
        versions.setdefault(response_id, set()).add(last_submitted)
        if is_current:
            current[response_id] = (last_submitted, withdrawn)
    return {
        rid: StoredResponse(
            rid, frozenset(v), current.get(rid, (max(v), False))[0], current.get(rid, ("", False))[1]
        )
        for rid, v in versions.items()
    }


def normalization_digest(
    settings: Settings, form: FormSettings, questions: QuestionIndex, names: RosterNames | None
) -> str:
    """Everything normalizing this form's responses reads besides the responses: the form's questions, its
    config, the indicator names, the rounds (fiscal years), the time zone, the code itself and, for a form
    that does not collect verified emails, the roster's names its respondents are found by."""
    return digest_of(
        {"titles": questions.by_title, "grids": questions.grids, "ids": sorted(questions.ids)},
        names.digest() if names is not None else "",
        form.model_dump(mode="json"),
        indicator_names(settings),
        sorted(repr(r) for r in settings.round_map().values()),
        settings.timezone,
        settings.fiscal_year_be,
        source_digest(NORMALIZE_CODE),
    )


def apply_form(
    session: Session,
    settings: Settings,
    form: FormSettings,
    fetched: FetchedForm,
    count: Counter,
    *,
    now: datetime,
) -> bool:
    """Store what ``fetch_form`` read, normalize the form's submissions, move its checkpoint: no network.
    True when anything the results are computed from changed."""
    form_json, full = fetched.form_json, fetched.full
    questions = index_questions(form_json)
    _warn_collection(form, form_json)
    verified = _collection(form_json) == "VERIFIED"
    # A form that collects verified emails needs the roster's names only for a response without one.
    by_name = None if verified else _roster_names(session)
    digest = normalization_digest(settings, form, questions, by_name)
    stale = repo.normalized_with(session, form.form_id) != digest
    repo.upsert_form(
        session,
        form.form_id,
        {
            "title": str((form_json.get("info") or {}).get("title") or ""),
            "revision_id": str(form_json.get("revisionId") or ""),
            "question_map": json.dumps(questions.flat_map(), ensure_ascii=False, sort_keys=True),
            "normalized_with": digest,
        },
        now,
    )
    count("fetched", len(fetched.responses))
    plan = plan_responses(
        fetched.responses,
        stored_responses(session, form.form_id),
        previous_watermark=fetched.watermark,
        run_started=now,
        full_pass=full,
    )
    if plan.skipped_withdrawals:
        _log().warning("sync.source_empty", form_id=form.form_id, stored=plan.skipped_withdrawals)
    versions: list[dict[str, Any]] = []
    current: list[tuple[dict[str, Any], Mapping[str, Any]]] = []  # (version row, response)
    for action in plan.actions:
        if isinstance(action, NewResponse | NewVersion):
            is_current = isinstance(action, NewResponse) or action.becomes_current
            versions.append(_version_row(form.form_id, action.response, now, current=is_current))
            if is_current:
                current.append((versions[-1], action.response))
            count("inserted" if isinstance(action, NewResponse) else "versions", 1)
    ids = intake.add_versions(session, form.form_id, versions)
    for action in plan.actions:
        if isinstance(action, Withdrawn):
            intake.mark_withdrawn(session, form.form_id, action.response_id, True)
            count("withdrawn", 1)
        elif isinstance(action, Reappeared):
            intake.mark_withdrawn(session, form.form_id, action.response_id, False)
    session.flush()
    # The versions that became current, by id, with the response as received: normalized from memory.
    at_hand = {
        ids[(row["response_id"], row["last_submitted_time"])]: (response, row["submitted_at"])
        for row, response in current
    }
    del versions, current

    # Only the versions that became current are normalized, unless something normalization reads changed
    # (the form's questions, its config, an alias, the rounds, the code): then every current one is, so a
    # fixed alias or a changed form reaches old submissions too (read back from the store a chunk at a
    # time, except those at hand). Unchanged content rewrites nothing.
    todo: Iterable[tuple[int, Mapping[str, Any], datetime]]
    if stale:
        todo = (
            _version_to_normalize(v, at_hand) for v in intake.current_versions(session, form.form_id, at_hand)
        )
    else:
        todo = ((version_id, raw, at) for version_id, (raw, at) in at_hand.items())
    normalizer = FormNormalizer(form.form_id, questions, form, indicator_names(settings))
    changed = _store_submissions(session, settings, form, normalizer, todo, by_name=by_name)
    count("submissions_changed", changed)
    repo.save_checkpoint(session, form.form_id, plan.watermark, now if full else None, now)
    return bool(changed or plan.changes)


def _store_submissions(
    session: Session,
    settings: Settings,
    form: FormSettings,
    normalizer: FormNormalizer,
    todo: Iterable[tuple[int, Mapping[str, Any], datetime]],
    *,
    by_name: RosterNames | None,
) -> int:
    """Normalize each (version id, response, submitted at) and write the submissions that changed, a chunk
    at a time; the roster's names are read the first time a response carries no email. Returns how many
    were written."""
    changed = 0
    writes: list[intake.SubmissionWrite] = []
    for version_id, raw, submitted_at in todo:
        normalized = normalizer.normalize(raw)
        if not normalized.email:
            if by_name is None:
                by_name = _roster_names(session)
            normalized = identify(normalized, by_name)
        fiscal_year = settings.fiscal_year_of(form, normalized.round_months, submitted_at)
        values = submission_values(normalized, version_id, submitted_at, fiscal_year)
        writes.append(intake.SubmissionWrite(normalized.key, values, partial(evidence_items, normalized)))
        if len(writes) >= WRITE_CHUNK:
            changed += intake.upsert_submissions(session, writes)
            writes = []
    return changed + intake.upsert_submissions(session, writes)


def _version_to_normalize(
    version: intake.StoredVersion | int, at_hand: Mapping[int, tuple[Mapping[str, Any], datetime]]
) -> tuple[int, Mapping[str, Any], datetime]:
    if isinstance(version, int):
        raw, submitted_at = at_hand[version]
        return version, raw, submitted_at
    return version.id, json.loads(version.raw_json), version.submitted_at


def _collection(form_json: dict[str, Any]) -> str:
    return str((form_json.get("settings") or {}).get("emailCollectionType") or "")


def _warn_collection(form: FormSettings, form_json: dict[str, Any]) -> None:
    """A form whose respondents type their own email is warned about, as nobody verified the address."""
    collection = _collection(form_json)
    if collection == "RESPONDER_INPUT":
        _log().warning(
            "sync.form_email_unverified",
            form_id=form.form_id,
            hint="respondents type their email themselves; set the form to collect verified emails",
        )
    elif collection != "VERIFIED":
        _log().info("sync.form_without_email", form_id=form.form_id, collection=collection or "unset")


def _roster_names(session: Session) -> RosterNames:
    """The roster's names, for responses that carry no email."""
    query = select(Person.email, Person.name).where(col(Person.active).is_(True)).order_by(col(Person.email))
    return RosterNames(session.exec(query).all())


def _version_row(form_id: str, response: Any, now: datetime, *, current: bool) -> dict[str, Any]:
    """A ``response_version`` row for one response as received."""
    lst = str(response["lastSubmittedTime"])
    return {
        "form_id": form_id,
        "response_id": str(response["responseId"]),
        "last_submitted_time": lst,
        "submitted_at": parse_rfc3339(lst),
        "create_time": str(response.get("createTime") or ""),
        "respondent_email": str(response.get("respondentEmail") or "").strip().lower(),
        "raw_json": json.dumps(response, ensure_ascii=False, sort_keys=True),
        "is_current": current,
        "withdrawn": False,
        "received_at": now,
    }


def submission_values(
    normalized: Normalized, version_id: int, submitted_at: datetime, fiscal_year: int
) -> dict[str, Any]:
    """The submission row's columns for ``normalized``, counted from the version ``version_id``."""
    return {
        "form_id": normalized.form_id,
        "response_id": normalized.response_id,
        "response_version_id": version_id,
        "email": normalized.email,
        "respondent_name": normalized.respondent_name,
        "indicator_code": normalized.indicator_code,
        "indicator_text": normalized.indicator_text,
        "round_months": normalized.round_months,
        "fiscal_year": fiscal_year,
        "submitted_at": submitted_at,
        "value_text": normalized.value_text,
        "note_text": normalized.note_text,
        "date_text": normalized.date_text,
        "steps_json": _json(list(normalized.steps)),
        "awards_json": _json(dict(sorted(normalized.awards.items()))),
        "files_attached": normalized.files_attached,
        "parse_flags_json": _json([[f.code.value, f.detail] for f in normalized.flags]),
        "withdrawn": False,
        "content_hash": normalized.content_hash(),
    }


def _json(value: list[Any] | dict[str, Any]) -> str:
    """``value`` as stored JSON; most are empty, and json.dumps costs more than the answer "[]"."""
    if not value:
        return "[]" if isinstance(value, list) else "{}"
    return json.dumps(value, ensure_ascii=False)


def evidence_items(normalized: Normalized) -> list[dict[str, Any]]:
    """The submission's ``evidence_item`` rows: uploads first, then links, in the order ``evidence_rows``
    gives (every row with every column, as one batched insert wants them)."""
    return [
        _evidence_item(normalized.key, position, source, item)
        for position, (source, item) in enumerate(evidence_rows(normalized))
    ]


def _evidence_item(key: str, position: int, source: str, item: Link | Upload) -> dict[str, Any]:
    row: dict[str, Any] = {"submission_key": key, "position": position, "source": source}
    if isinstance(item, Upload):
        return {
            **row,
            "kind": "drive_file",
            "original": item.name or item.file_id,
            "file_id": item.file_id,
            "resource_key": None,
            "upload_name": item.name,
            "upload_mime_type": item.mime_type,
        }
    return {
        **row,
        "kind": item.kind.value,
        "original": item.original,
        "file_id": item.file_id,
        "resource_key": item.resource_key,
        "upload_name": None,
        "upload_mime_type": None,
    }
