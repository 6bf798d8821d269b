"""The roster (ทะเบียนบุคลากร): who may submit, their unit and role, from a spreadsheet tab or a CSV file.

Columns are found by their header text, so the admin may reorder them. A row without an email is skipped;
emails are compared lowercased.

The roster is data people edit, so what is wrong with it is a failed part of the sync, never a config error
that stops the service: a renamed email header, an emptied tab or a missing CSV file raise
``PartUnusableError`` with a hint, and the people stored by the last good read stand.
"""

from __future__ import annotations

import csv
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from connectors.a1 import quote_sheet
from connectors.base import SheetsClient
from daemon.settings import RosterColumns, RosterSettings
from daemon.sync.failures import PartUnusableError


@dataclass(frozen=True)
class RosterEntry:
    email: str
    name: str
    unit: str
    role: str
    staff_type: str


def load_roster(settings: RosterSettings, sheets: SheetsClient) -> list[RosterEntry]:
    """The roster rows, from the configured source; ``PartUnusableError`` when there are none to use."""
    if settings.csv_file is not None:
        try:
            with settings.csv_file.open(encoding="utf-8-sig", newline="") as handle:
                rows = [list(r) for r in csv.reader(handle)]
        except (OSError, UnicodeDecodeError, csv.Error) as exc:
            reason = exc.strerror if isinstance(exc, OSError) and exc.strerror else str(exc)
            raise PartUnusableError(
                f"{settings.csv_file}: {reason}",
                f"ตรวจไฟล์ roster.csv_file ใน kpisync.toml / check roster.csv_file in kpisync.toml: {reason}",
            ) from None
        return parse_rows(rows, settings.columns, source=str(settings.csv_file))
    assert settings.spreadsheet_id is not None  # settings validation guarantees one source
    sink = sheets.open(settings.spreadsheet_id)
    range_name = quote_sheet(settings.tab)
    values = sink.read([range_name]).get(range_name, [])
    return parse_rows(values, settings.columns, source=f"{settings.spreadsheet_id}/{settings.tab}")


def parse_rows(rows: Sequence[Sequence[Any]], columns: RosterColumns, *, source: str) -> list[RosterEntry]:
    """The people of a roster grid (header row first); ``PartUnusableError`` for a grid with no email column
    or no one in it, since storing that would mark every person as gone."""
    if not rows:
        raise _empty(source)
    header = [str(cell).strip() for cell in rows[0]]
    wanted = columns.model_dump()
    positions: dict[str, int | None] = {}
    for field_name, title in wanted.items():
        positions[field_name] = header.index(title) if title in header else None
    if positions["email"] is None:
        raise PartUnusableError(
            f"{source}: no column titled {columns.email!r} in the roster's first row",
            f"คอลัมน์อีเมลในทะเบียนบุคลากรต้องชื่อ {columns.email!r}: แก้หัวคอลัมน์กลับ"
            f" หรือแก้ roster.columns.email ใน kpisync.toml / the roster's email column must be titled"
            f" {columns.email!r}: rename the header back, or set roster.columns.email in kpisync.toml",
        )
    entries: dict[str, RosterEntry] = {}
    for row in rows[1:]:

        def cell(name: str, row: Sequence[Any] = row) -> str:
            index = positions[name]
            if index is None or index >= len(row):
                return ""
            return " ".join(str(row[index]).split())

        email = cell("email").lower()
        if not email or "@" not in email:
            continue
        entries[email] = RosterEntry(email, cell("name"), cell("unit"), cell("role"), cell("staff_type"))
    if not entries:
        raise _empty(source)
    return [entries[e] for e in sorted(entries)]


def _empty(source: str) -> PartUnusableError:
    return PartUnusableError(
        f"{source}: the roster lists no one with an email address",
        "ทะเบียนบุคลากรว่าง (ไม่มีแถวที่มีอีเมล): ตรวจว่าแท็บถูกล้างหรือย้ายโดยไม่ตั้งใจหรือไม่ / the roster is empty"
        " (no row with an email): check whether the tab was cleared or moved by mistake",
    )
