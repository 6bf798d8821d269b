"""The per-person summary (สรุปคะแนน) and the per-unit summary (สรุปรายหน่วยงาน), as pure functions of the model.

The summary is keyed by person and round (``SummaryRow.row_key``): a new submission rewrites the cells of the
people it changes, never the rows below it, and people may sort the tab as they like. Its indicator columns
carry the indicator's name beside its code. ``layout_summary`` depends on nothing but the model, so an export
(``kpisync export``) lays out the very same table.
"""

from __future__ import annotations

from decimal import Decimal

from daemon.dashboard import labels
from daemon.dashboard.cells import CellValue
from daemon.dashboard.model import DashboardModel, SummaryRow, UnitRow
from daemon.dashboard.tabs import Column, ColumnKind, Tab, column, titled


def summary_indicator_codes(model: DashboardModel) -> list[str]:
    if model.indicator_codes:
        return list(model.indicator_codes)
    seen: dict[str, None] = {}
    for row in model.summary:
        for code in row.indicator_scores:
            seen.setdefault(code, None)
    return sorted(seen)


def summary_categories(model: DashboardModel) -> dict[str, str]:
    """Category key → column header: the model's names, else the keys the rows carry."""
    if model.category_names:
        return dict(model.category_names)
    seen: dict[str, str] = {}
    for row in model.summary:
        for key in row.category_scores:
            seen.setdefault(key, key)
    return dict(sorted(seen.items()))


def _indicator_column(code: str, name: str) -> Column:
    header = f"{code} {name}".strip()
    # Found again by its code alone (as earlier versions wrote it) or by code and name in either language.
    return Column(f"ind:{code}", header, frozenset({code, header}), "number", "daemon", 130)


def _summary_row(row: SummaryRow, codes: list[str], categories: list[str]) -> list[CellValue]:
    scores: list[CellValue] = [row.indicator_scores.get(code) for code in codes]
    by_category: list[CellValue] = [row.category_scores.get(key) for key in categories]
    head: list[CellValue] = [row.row_key, row.email, row.name, row.unit, row.role, row.round_label]
    tail: list[CellValue] = [row.total, row.weighted, Decimal(row.rank), Decimal(row.flags_open)]
    return head + scores + by_category + tail


def layout_summary(model: DashboardModel) -> Tab:
    lang = model.lang
    codes = summary_indicator_codes(model)
    h = labels.SUMMARY_HEADERS
    lead = [column("row_key", h["row_key"], lang, "text", 110)]
    lead += [column(k, h[k], lang, "text", 180) for k in ("email", "name", "unit", "role", "round")]
    per_indicator = [_indicator_column(c, model.indicator_names.get(c, "")) for c in codes]
    categories = summary_categories(model)
    per_category = [
        Column(f"cat:{k}", name, frozenset({k, name}), "number", "daemon", 140)
        for k, name in categories.items()
    ]
    trail = [column("total", h["total"], lang, "number"), column("weighted", h["weighted"], lang, "number")]
    trail += [column(k, h[k], lang, "count") for k in ("rank", "flags_open")]
    # By round, then role (ranks compare only within a role), then rank: how a first publish orders them.
    ordered = sorted(model.summary, key=lambda r: (r.round_label, r.role, r.rank, r.email))
    return titled(
        "summary", labels.TAB_TITLES["summary"], lang, tuple(lead + per_indicator + per_category + trail),
        [_summary_row(r, codes, list(categories)) for r in ordered], key_column="row_key",
    )  # fmt: skip


def _unit_row(row: UnitRow) -> list[CellValue]:
    counts = (row.people, row.submitted, row.incomplete)
    return [row.round_label, row.unit, *map(Decimal, counts), row.total, row.weighted_mean, Decimal(row.rank)]


def layout_units(model: DashboardModel) -> Tab:
    lang = model.lang
    kinds: dict[str, ColumnKind] = {
        "round": "text",
        "unit": "text",
        "total": "number",
        "weighted_mean": "number",
    }
    cols = tuple(
        column(k, phrase, lang, kinds.get(k, "count"), 200 if k == "unit" else 130)
        for k, phrase in labels.UNIT_HEADERS.items()
    )
    ordered = sorted(model.units, key=lambda r: (r.round_label, r.rank, r.unit))
    return titled("units", labels.TAB_TITLES["units"], lang, cols, [_unit_row(r) for r in ordered])
