"""The roster (ทะเบียนบุคลากร): who may submit, their unit and role, from a spreadsheet tab or a CSV file.

Columns are found by their header text, so the admin may reorder them. A row without an email is skipped;
emails
are compared lowercased.
"""

from __future__ import annotations

import csv
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from connectors.a1 import quote_sheet
from connectors.base import SheetsClient
from daemon.errors import ConfigError
from daemon.settings import RosterColumns, RosterSettings


@dataclass(frozen=True)
class RosterEntry:
    email: str
    name: str
    unit: str
    role: str
    staff_type: str


def load_roster(settings: RosterSettings, sheets: SheetsClient) -> list[RosterEntry]:
    """The roster rows, from the configured source. A missing column is a configuration error."""
    if settings.csv_file is not None:
        try:
            with settings.csv_file.open(encoding="utf-8-sig", newline="") as handle:
                rows = [list(r) for r in csv.reader(handle)]
        except OSError as exc:
            raise ConfigError(
                str(settings.csv_file), None, "roster.csv_file", str(exc.strerror or exc)
            ) from None
        return parse_rows(rows, settings.columns, source=str(settings.csv_file))
    assert settings.spreadsheet_id is not None  # settings validation guarantees one source
    sink = sheets.open(settings.spreadsheet_id)
    range_name = quote_sheet(settings.tab)
    values = sink.read([range_name]).get(range_name, [])
    return parse_rows(values, settings.columns, source=f"{settings.spreadsheet_id}/{settings.tab}")


def parse_rows(rows: Sequence[Sequence[Any]], columns: RosterColumns, *, source: str) -> list[RosterEntry]:
    if not rows:
        return []
    header = [str(cell).strip() for cell in rows[0]]
    wanted = columns.model_dump()
    positions: dict[str, int | None] = {}
    for field_name, title in wanted.items():
        positions[field_name] = header.index(title) if title in header else None
    if positions["email"] is None:
        raise ConfigError(
            source, 1, "roster.columns.email", f"no column titled {columns.email!r} in the roster"
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
    return [entries[e] for e in sorted(entries)]
