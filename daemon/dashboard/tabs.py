"""The shapes every tab of the dashboard shares: a Column (its key, header in either language, kind and
owner) and a Tab (title, columns, rows, and how its rows are found), plus the helpers that make them."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import Literal

from daemon.dashboard import cells, labels
from daemon.dashboard.cells import CellValue
from daemon.dashboard.labels import pick
from scoring.explain import Lang

ColumnKind = Literal["text", "number", "count", "rich"]
Owner = Literal["daemon", "committee"]


@dataclass(frozen=True)
class Column:
    key: str  # stable identifier used by code
    header: str  # the header in the dashboard's language
    match: frozenset[str]  # every header text that identifies this column (either language)
    kind: ColumnKind = "text"
    owner: Owner = "daemon"
    width: int = 120  # pixels


@dataclass(frozen=True)
class Tab:
    key: str  # "submissions", "summary", "units", "missing", "indicators", "sync_log", "legend"
    title: str
    titles: frozenset[str]  # the title in either language, so a language switch finds the same tab
    columns: tuple[Column, ...]
    # One value per column. A committee column holds the stored review: written only into a row the daemon
    # appends (a new row, or one a person deleted by mistake), never into an existing row.
    rows: tuple[tuple[CellValue, ...], ...]
    key_column: str | None = None  # rows are matched by this column's value instead of by position
    # Cells to set on a keyed row no longer in the model; None: the row itself is deleted (tabs where no
    # person owns a cell).
    vanished: dict[str, CellValue] | None = None

    def column(self, key: str) -> Column:
        return next(c for c in self.columns if c.key == key)

    def index(self, key: str) -> int:
        return next(i for i, c in enumerate(self.columns) if c.key == key)

    @property
    def has_committee(self) -> bool:
        return any(c.owner == "committee" for c in self.columns)


@dataclass(frozen=True)
class DashboardLayout:
    tabs: tuple[Tab, ...]

    def tab(self, key: str) -> Tab:
        return next(t for t in self.tabs if t.key == key)

    @property
    def submissions(self) -> Tab:
        return self.tab("submissions")

    @property
    def summary(self) -> Tab:
        return self.tab("summary")

    @property
    def units(self) -> Tab:
        return self.tab("units")

    @property
    def legend(self) -> Tab:
        return self.tab("legend")


_COMMITTEE_COLUMNS = frozenset({"decision", "override_score", "comment"})


def column(
    key: str, phrase: tuple[str, str], lang: Lang, kind: ColumnKind = "text", width: int = 120
) -> Column:
    owner: Owner = "committee" if key in _COMMITTEE_COLUMNS else "daemon"
    return Column(key, pick(phrase, lang), labels.all_forms(phrase), kind, owner, width)


def titled(
    key: str, phrase: tuple[str, str], lang: Lang, columns: tuple[Column, ...], rows: list[list[CellValue]],
    *, key_column: str | None = None, vanished: dict[str, CellValue] | None = None, fitted: bool = False,
) -> Tab:  # fmt: skip
    """A tab titled by ``phrase`` with every cell cut to what Google accepts (unless the rows come
    ``fitted`` already: their lists are then reused)."""
    share = _Sharing(len(columns))
    cut = tuple(share.row(row if fitted else [cells.cut(v) for v in row]) for row in rows)
    return Tab(key, pick(phrase, lang), labels.all_forms(phrase), columns, cut, key_column, vanished)


class _Sharing:
    """One copy of each text or number a column repeats (a row's indicator, round, score, version, the same
    explanation): a tab of 50,000 rows otherwise holds as many equal strings and Decimals through the whole
    publish. A column whose first rows are mostly distinct (keys, times) is no longer looked at."""

    _PROBE = 256

    def __init__(self, width: int) -> None:
        self._texts: list[dict[str, str] | None] = [{} for _ in range(width)]
        self._numbers: list[dict[str, Decimal] | None] = [{} for _ in range(width)]
        self._rows = 0

    def row(self, values: list[CellValue]) -> tuple[CellValue, ...]:
        texts, numbers = self._texts, self._numbers
        for i, value in enumerate(values):
            if isinstance(value, str):
                known = texts[i]
                if known is not None:
                    values[i] = known.setdefault(value, value)
            elif isinstance(value, Decimal):
                by_digits = numbers[i]
                if by_digits is not None:
                    # Keyed by how it reads: 2.50 and 2.5 are equal numbers but not the same text.
                    values[i] = by_digits.setdefault(str(value), value)
        self._rows += 1
        if self._rows == self._PROBE:
            self._texts = [k if k is not None and len(k) * 2 <= self._PROBE else None for k in texts]
            self._numbers = [k if k is not None and len(k) * 2 <= self._PROBE else None for k in numbers]
        return tuple(values)
