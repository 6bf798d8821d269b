"""What the last publish left on the Sheet, so that a sync with nothing due to change reads only what people
may have typed there: the key, version and committee columns of the submissions tab.

The dashboard is a function of the store (marked stale by any change of an input, see
``daemon.results.freshness``), of the settings and the code, of the date (the missing-work countdown and
the current round) and of the runs worth a line in the sync log: ``dashboard_digest`` covers the last four.
``SheetMemo`` is the submissions tab as the last publish saw it: its header (where each column stands), a
digest of its key column (which row holds which key) and when the Sheet was last read whole. A sync that
finds the dashboard fresh reads the header, key, version and committee columns only; when they are not as
left, or the committee typed something, the tabs are read whole and published as before. Every
``schedule.full_reconcile_hours`` the Sheet is read whole anyway, so a daemon cell a person typed over is
put back within a day even when nothing else changes.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlmodel import Session

from daemon.dashboard.build_work import RUNS_LOOKED_AT, log_changes, worth_logging
from daemon.dashboard.model import SyncLogRow
from daemon.results.freshness import DASHBOARD_CODE, digest_of, settings_part, source_digest
from daemon.settings import Settings
from daemon.store import repo

MEMO = "dashboard.sheet"  # the Derived row holding the memo, as JSON


@dataclass(frozen=True)
class SheetMemo:
    header: tuple[str, ...]  # the submissions tab's header texts, left to right
    keys: str  # keys_digest of its key column
    read_at: datetime  # when the Sheet was last read whole

    def dumps(self) -> str:
        return json.dumps(
            {"header": list(self.header), "keys": self.keys, "read_at": self.read_at.isoformat()},
            ensure_ascii=False,
        )

    @classmethod
    def loads(cls, text: str) -> SheetMemo | None:
        if not text:
            return None
        data = json.loads(text)
        return cls(tuple(data["header"]), str(data["keys"]), datetime.fromisoformat(data["read_at"]))

    def due_for_whole_read(self, now: datetime, every: timedelta) -> bool:
        return now - self.read_at >= every


def keys_digest(keys: Sequence[str]) -> str:
    """A digest of a key column as read (its header cell first, trailing blanks dropped)."""
    return hashlib.sha256("\n".join(keys).encode("utf-8")).hexdigest()


def dashboard_digest(session: Session, settings: Settings, now: datetime, current: SyncLogRow) -> str:
    """Everything the dashboard shows besides the store: settings, code, the date and the sync log's lines
    (the runs worth one among those the log looks at, this one included if it is)."""
    logged = [
        run_id
        for run_id, outcome, counts in repo.run_marks(session, RUNS_LOOKED_AT)
        if run_id != current.run_id and worth_logging(outcome, log_changes(json.loads(counts or "{}")))
    ]
    if worth_logging(current.outcome, current.changes):
        logged.append(current.run_id)
    return digest_of(
        settings_part(settings),
        source_digest(DASHBOARD_CODE),
        now.astimezone(settings.tz).date().isoformat(),
        logged,
    )


def load_memo(session: Session) -> SheetMemo | None:
    return SheetMemo.loads(repo.computed_with(session, MEMO))


def save_memo(session: Session, memo: SheetMemo | None, now: datetime) -> None:
    repo.set_computed(session, MEMO, memo.dumps() if memo else "", now)
