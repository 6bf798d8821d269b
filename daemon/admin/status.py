"""``kpisync status``: what the service has done, read from its database alone (no Google call, no key).

The last runs with their outcome, duration and counts; the failures the latest run recorded, one line each
with its hint; the open flags by kind; and when the next sync is due. The words for a run's outcome and
the one-line summary of the last sync are shared with the service, which puts that line in systemd's
``STATUS=`` (``systemctl status kpisync``).
"""

from __future__ import annotations

import json
from collections import Counter
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

from rich.table import Table
from sqlalchemy import Engine
from sqlmodel import Session, col, select

from daemon.settings import Settings
from daemon.store import repo
from daemon.store.models import SyncRun
from scoring.explain import Lang
from scoring.flags import FlagCode, flag_label

# A run's outcome in words: (Thai, English). 'interrupted' is a run that was stopped or killed mid-way.
OUTCOME_WORDS: dict[str, tuple[str, str]] = {
    "ok": ("สำเร็จ", "ok"),
    "partial": ("สำเร็จบางส่วน", "partial"),
    "failed": ("ล้มเหลว", "failed"),
    "running": ("กำลังซิงก์", "running"),
    "interrupted": ("ถูกขัดจังหวะ", "interrupted"),
    "busy": ("ข้ามไป มีการซิงก์อื่นทำงานอยู่", "skipped: another sync held the database"),
}
# The counts a one-line summary names, in this order: (count key, Thai, English).
_LINE_COUNTS = (("inserted", "คำตอบใหม่", "new responses"), ("updated", "แก้ไข", "edited"))


def outcome_words(outcome: str, lang: Lang) -> str:
    words = OUTCOME_WORDS.get(outcome)
    if words is None:
        return outcome
    return words[0] if lang == "th" else words[1]


def _clock(moment: datetime, tz: ZoneInfo) -> str:
    return moment.astimezone(tz).strftime("%H:%M")


def _when(moment: datetime, tz: ZoneInfo) -> str:
    return moment.astimezone(tz).strftime("%Y-%m-%d %H:%M")


def _aware(moment: datetime) -> datetime:
    # SQLite gives naive datetimes back; kpisync stores UTC.
    return moment if moment.tzinfo is not None else moment.replace(tzinfo=UTC)


def last_sync_line(
    outcome: str,
    finished_at: datetime | None,
    counts: dict[str, int],
    *,
    next_run: datetime | None,
    tz: ZoneInfo,
    lang: Lang,
) -> str:
    """One line in words: when the last sync ended, how, what it brought, and when the next one is due."""
    th = lang == "th"
    parts: list[str] = []
    if finished_at is None:
        parts.append("ยังไม่เคยซิงก์" if th else "no sync yet")
    else:
        head = "ซิงก์ล่าสุด" if th else "last sync"
        parts.append(f"{head} {_clock(finished_at, tz)} {outcome_words(outcome, lang)}")
        brought = [f"{counts[k]} {t if th else e}" for k, t, e in _LINE_COUNTS if counts.get(k)]
        if brought:
            parts[-1] += f" ({', '.join(brought)})"
    if next_run is not None:
        parts.append(f"{'ครั้งถัดไป' if th else 'next'} {_clock(next_run, tz)}")
    return "; ".join(parts)


def syncing_line(started_at: datetime, tz: ZoneInfo, lang: Lang) -> str:
    return (
        f"กำลังซิงก์ (เริ่ม {_clock(started_at, tz)})"
        if lang == "th"
        else f"syncing since {_clock(started_at, tz)}"
    )


@dataclass(frozen=True)
class RunLine:
    run_id: str
    started_at: datetime
    finished_at: datetime | None
    outcome: str
    dry_run: bool
    counts: dict[str, int]
    api_calls: int
    write_calls: int
    failures: list[str]

    @property
    def duration(self) -> timedelta | None:
        return None if self.finished_at is None else self.finished_at - self.started_at


@dataclass(frozen=True)
class StatusReport:
    database: str
    runs: list[RunLine]  # newest first
    open_flags: dict[str, int]  # flag code -> open flags on active submissions
    interval_minutes: int
    next_run: datetime | None
    counts_by_outcome: dict[str, int] = field(default_factory=dict)

    @property
    def last(self) -> RunLine | None:
        return next((r for r in self.runs if not r.dry_run), None)


def read_status(engine: Engine, settings: Settings, *, limit: int = 10) -> StatusReport:
    """The report from the store; ``limit`` runs, newest first."""
    with Session(engine) as session:
        rows = session.exec(select(SyncRun).order_by(col(SyncRun.started_at).desc()).limit(limit)).all()
        runs = [_run_line(r) for r in rows]
        active = {s.key for s in repo.active_submissions(session)}
        flags = Counter(
            f.code for key, items in repo.open_flags(session).items() if key in active for f in items
        )
        outcomes = Counter(r.outcome for r in session.exec(select(SyncRun)).all())
    interval = settings.schedule.interval_minutes
    real = [r for r in runs if not r.dry_run]
    # The daemon's job runs every interval from its start; the next slot follows the last real run's start.
    next_run = real[0].started_at + timedelta(minutes=interval) if real else None
    return StatusReport(
        database=str(settings.database),
        runs=runs,
        open_flags=dict(sorted(flags.items(), key=lambda item: (-item[1], item[0]))),
        interval_minutes=interval,
        next_run=next_run,
        counts_by_outcome=dict(outcomes),
    )


def _run_line(row: SyncRun) -> RunLine:
    try:
        counts = {str(k): int(v) for k, v in json.loads(row.counts_json or "{}").items()}
    except (ValueError, TypeError, AttributeError):
        counts = {}
    return RunLine(
        run_id=row.run_id,
        started_at=_aware(row.started_at),
        finished_at=_aware(row.finished_at) if row.finished_at else None,
        outcome=row.outcome,
        dry_run=row.dry_run,
        counts=counts,
        api_calls=row.api_calls,
        write_calls=row.write_calls,
        failures=[line for line in (row.error or "").splitlines() if line.strip()],
    )


def flag_words(code: str, lang: Lang) -> str:
    try:
        return flag_label(FlagCode(code), lang)
    except ValueError:
        return code


def report_lines(report: StatusReport, settings: Settings, now: datetime) -> list[str]:
    """The head of ``kpisync status``: database, last sync in words, next run, failures; the table follows."""
    lang, tz = settings.lang, settings.tz
    th = lang == "th"
    last = report.last
    lines = [f"{'ฐานข้อมูล' if th else 'database'}: {report.database}"]
    if last is None:
        lines.append("ยังไม่เคยซิงก์" if th else "no sync yet")
    else:
        if last.outcome == "running":
            lines.append(syncing_line(last.started_at, tz, lang))
        else:
            line = last_sync_line(
                last.outcome, last.finished_at, last.counts, next_run=None, tz=tz, lang=lang
            )
            lines.append(line)
        if report.next_run is not None:
            due = report.next_run if report.next_run > now else now
            every = (
                f"ทุก {report.interval_minutes} นาที เมื่อบริการทำงานอยู่"
                if th
                else f"every {report.interval_minutes} min while the service runs"
            )
            lines.append(f"{'ครั้งถัดไป' if th else 'next sync'}: {_when(due, tz)} ({every})")
        if last.failures:
            lines.append(f"{'ส่วนที่ไม่สำเร็จในการซิงก์ล่าสุด' if th else 'failures of the last sync'}:")
            lines += [f"  - {f}" for f in last.failures]
    if report.open_flags:
        total = sum(report.open_flags.values())
        lines.append(f"{'ข้อสังเกตที่ยังเปิดอยู่' if th else 'open flags'}: {total}")
        lines += [f"  {n:>5}  {flag_words(code, lang)} ({code})" for code, n in report.open_flags.items()]
    else:
        lines.append("ไม่มีข้อสังเกตที่เปิดอยู่" if th else "no open flags")
    return lines


def duration_words(run: RunLine) -> str:
    if run.duration is None:
        return "-"
    seconds = int(run.duration.total_seconds())
    return f"{seconds // 60}:{seconds % 60:02d}"


def runs_table(report: StatusReport, settings: Settings) -> Table:
    """The last runs, newest first: start, duration, outcome, new responses, API calls, failures."""
    th = settings.lang == "th"
    table = Table(title="การซิงก์ล่าสุด" if th else "Last syncs", title_justify="left")
    headers = (
        ("เริ่ม", "started"),
        ("ใช้เวลา", "took"),
        ("ผล", "outcome"),
        ("คำตอบใหม่", "new"),
        ("เรียก API", "API calls"),
        ("ส่วนที่ไม่สำเร็จ", "failures"),
    )
    for thai, english in headers:
        table.add_column(thai if th else english)
    for run in report.runs:
        outcome = outcome_words(run.outcome, settings.lang) + (" (dry run)" if run.dry_run else "")
        table.add_row(
            _when(run.started_at, settings.tz),
            duration_words(run),
            outcome,
            str(run.counts.get("inserted", 0)),
            str(run.api_calls),
            str(len(run.failures)),
        )
    return table
