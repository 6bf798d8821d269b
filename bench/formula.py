"""The fewest API calls a sync of a world can make: README's "Bounded API calls" formula, the one
tests/integration/test_full_sync.py checks.

    calls = F                      forms.get, one per form
          + Σ_f P_f                responses.list pages of up to 5,000 (at least one per form)
          + 1                      the roster tab (values.batchGet)
          + ⌈D/100⌉ + ⌈S/100⌉      Drive files.get in batches of 100; shortcut targets in a second batch
          + 1                      the dashboard's spreadsheets.get
          + [the dashboard tabs exist]              one values.batchGet of what the sync reads back
          + [rows written to tabs that had rows]    the fence: one values.batchGet of headers and keys
          + ⌈B / 2 MB⌉                              spreadsheets.batchUpdate calls (0 when nothing changed)
          + [rows written to keyed tabs]            the check: one values.batchGet of headers and keys

F forms, P_f the pages form f lists in this sync (all its responses in a full pass, those since the
checkpoint otherwise), D the distinct Drive files due for a check, S the distinct shortcut targets among
them, B the bytes the dashboard must write (taken from the sync's own batchUpdate requests: what the Sheet
had to be told cannot be known without planning it).
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass

PAGE = 5000
DRIVE_BATCH = 100
CALL_BYTES = 2_000_000  # daemon.dashboard.publish.MAX_CALL_BYTES, Google's advice for one request


@dataclass(frozen=True)
class Situation:
    """What one sync has to do, known from the world and the scenario (and B, from what it wrote)."""

    listed_per_form: Mapping[str, int]  # responses each form lists in this sync
    files_due: int  # D
    shortcut_targets_due: int  # S
    tabs_exist: bool
    rows_to_existing_tabs: bool
    write_bytes: int  # B
    rows_to_keyed_tabs: bool


def minimum_calls(s: Situation) -> dict[str, int]:
    """Each term of the formula, and ``total``."""
    terms = {
        "forms.get": len(s.listed_per_form),
        "forms.responses.list": sum(max(1, math.ceil(n / PAGE)) for n in s.listed_per_form.values()),
        "roster": 1,
        "drive.batch": math.ceil(s.files_due / DRIVE_BATCH) + math.ceil(s.shortcut_targets_due / DRIVE_BATCH),
        "sheets.spreadsheets.get": 1,
        "dashboard read": int(s.tabs_exist),
        "fence": int(s.rows_to_existing_tabs),
        "sheets.spreadsheets.batchUpdate": math.ceil(s.write_bytes / CALL_BYTES),
        "check": int(s.rows_to_keyed_tabs),
    }
    terms["total"] = sum(terms.values())
    return terms
