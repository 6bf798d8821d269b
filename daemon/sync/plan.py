"""Plan, then apply: a pure diff of what Forms returned against what the store holds, as a list of actions.

Google does not document the order of responses.list, and the incremental query is inclusive (``timestamp >=
watermark``), so the same version can arrive twice, across pages or across syncs: versions are identified by
(responseId, lastSubmittedTime) and anything already stored is ``Unchanged``. The watermark moves to the
largest
lastSubmittedTime of the completed pass, never backwards and never past the start of the run.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any


@dataclass(frozen=True)
class StoredResponse:
    """What the store knows of one response: every version's lastSubmittedTime and which one is current."""

    response_id: str
    versions: frozenset[str]
    current: str
    withdrawn: bool = False


@dataclass(frozen=True)
class NewResponse:
    response: Mapping[str, Any]


@dataclass(frozen=True)
class NewVersion:
    """An edit: a version not seen before. ``becomes_current`` is False for a version older than the
    current one."""

    response: Mapping[str, Any]
    becomes_current: bool


@dataclass(frozen=True)
class Unchanged:
    response_id: str


@dataclass(frozen=True)
class Withdrawn:
    """Stored, current, and missing from a full pass: the respondent deleted it."""

    response_id: str


@dataclass(frozen=True)
class Reappeared:
    """Marked withdrawn earlier, listed again now (a deletion that was a glitch): current once more."""

    response_id: str


Action = NewResponse | NewVersion | Unchanged | Withdrawn | Reappeared


@dataclass(frozen=True)
class Plan:
    actions: list[Action] = field(default_factory=list)
    watermark: str | None = None  # the checkpoint to commit with the actions
    skipped_withdrawals: int = 0  # a full pass that came back empty withdraws nothing (see plan_responses)

    def count(self, kind: type) -> int:
        return sum(1 for a in self.actions if isinstance(a, kind))

    @property
    def changes(self) -> list[Action]:
        return [a for a in self.actions if not isinstance(a, Unchanged)]


def parse_rfc3339(text: str) -> datetime:
    """Google's RFC3339 'Zulu' timestamps, with any number of fractional digits (Python takes at most 6)."""
    body = text.strip().replace("z", "Z")
    if body.endswith("Z"):
        body = body[:-1] + "+00:00"
    if "." in body:
        head, rest = body.split(".", 1)
        digits = "".join(ch for ch in rest if ch.isdigit())
        zone = rest[len(digits) :]
        body = f"{head}.{(digits + '000000')[:6]}{zone}"
    value = datetime.fromisoformat(body)
    if value.tzinfo is None:
        value = value.replace(tzinfo=UTC)
    return value.astimezone(UTC)


def format_rfc3339(value: datetime) -> str:
    return value.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def plan_responses(
    fetched: Iterable[Mapping[str, Any]],
    stored: Mapping[str, StoredResponse],
    *,
    previous_watermark: str | None,
    run_started: datetime,
    full_pass: bool,
) -> Plan:
    """The actions that bring the store up to what was fetched, and the watermark to commit with them.

    In a full pass every stored current response missing from the listing is ``Withdrawn`` — unless the
    listing is
    empty while the store is not: a source that suddenly returns nothing is more likely broken than
    emptied, so
    nothing is withdrawn (vdirsyncer's "storage unexpectedly empty" guard).
    """
    latest: dict[str, Mapping[str, Any]] = {}
    extra_versions: list[Mapping[str, Any]] = []
    for response in fetched:
        rid = str(response.get("responseId") or "")
        if not rid or not response.get("lastSubmittedTime"):
            continue
        seen = latest.get(rid)
        if seen is None:
            latest[rid] = response
        elif _lst(response) > _lst(seen):
            extra_versions.append(seen)
            latest[rid] = response
        elif _lst(response) < _lst(seen):
            extra_versions.append(response)

    actions: list[Action] = []
    planned: set[tuple[str, str]] = set()  # an older version may be listed twice around its edit
    for response in extra_versions:
        ident = (str(response["responseId"]), str(response["lastSubmittedTime"]))
        known = stored.get(ident[0])
        if ident not in planned and (known is None or ident[1] not in known.versions):
            planned.add(ident)
            actions.append(NewVersion(response, becomes_current=False))
    for rid in sorted(latest):
        response = latest[rid]
        lst = str(response["lastSubmittedTime"])
        known = stored.get(rid)
        if known is None:
            actions.append(NewResponse(response))
        elif lst not in known.versions:
            actions.append(
                NewVersion(response, becomes_current=parse_rfc3339(lst) > parse_rfc3339(known.current))
            )
        elif known.withdrawn:
            actions.append(Reappeared(rid))
        else:
            actions.append(Unchanged(rid))

    skipped = 0
    if full_pass:
        missing = sorted(rid for rid, known in stored.items() if rid not in latest and not known.withdrawn)
        if latest or not missing:
            actions.extend(Withdrawn(rid) for rid in missing)
        else:
            skipped = len(missing)

    return Plan(actions, _next_watermark(previous_watermark, latest.values(), run_started), skipped)


def _lst(response: Mapping[str, Any]) -> datetime:
    return parse_rfc3339(str(response["lastSubmittedTime"]))


def _next_watermark(
    previous: str | None, responses: Iterable[Mapping[str, Any]], run_started: datetime
) -> str | None:
    best = parse_rfc3339(previous) if previous else None
    for response in responses:
        lst = _lst(response)
        if best is None or lst > best:
            best = lst
    if best is None:
        return None
    # A clock ahead of ours must not push the checkpoint past responses that arrive later but stamped earlier.
    capped = min(best, run_started.astimezone(UTC))
    if previous and capped < parse_rfc3339(previous):
        return previous
    return format_rfc3339(capped)
