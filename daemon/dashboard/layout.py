"""Pure layout: a DashboardModel becomes tab grids (titles, columns, rows of cell values), with no Google in
sight.

Four tabs: the submissions (one row per submission, keyed by its submission key, followed by the
committee's columns the daemon never writes), the summary (one row per person per round), the summary by
unit (one row per unit per round) and a legend.
Publish turns these grids into the fewest calls; this module decides only what each cell should say.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from typing import Literal

from daemon.dashboard import labels
from daemon.dashboard.labels import pick
from daemon.dashboard.model import DashboardModel, SubmissionRow, SummaryRow, UnitRow
from scoring.explain import Lang

ColumnKind = Literal["text", "number", "rich"]
Owner = Literal["daemon", "committee"]


@dataclass(frozen=True)
class LinkRun:
    """A stretch of a cell's text that is a link (Sheets textFormatRuns: the run starts at ``start``)."""

    start: int
    end: int
    uri: str


@dataclass(frozen=True)
class RichText:
    """Cell text with links inside it, written as text-format links, never as a =HYPERLINK formula."""

    text: str
    links: tuple[LinkRun, ...] = ()


CellValue = str | Decimal | RichText | None


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
    key: str  # "submissions", "summary", "legend"
    title: str
    titles: frozenset[str]  # the title in either language, so a language switch finds the same tab
    columns: tuple[Column, ...]
    rows: tuple[tuple[CellValue, ...], ...]  # one value per column; committee columns are always None
    key_column: str | None = None  # rows are matched by this column's value instead of by position
    vanished: dict[str, CellValue] = field(
        default_factory=dict
    )  # cells to set on a keyed row no longer in the model

    def column(self, key: str) -> Column:
        return next(c for c in self.columns if c.key == key)

    def index(self, key: str) -> int:
        return next(i for i, c in enumerate(self.columns) if c.key == key)


@dataclass(frozen=True)
class DashboardLayout:
    submissions: Tab
    summary: Tab
    units: Tab
    legend: Tab

    @property
    def tabs(self) -> tuple[Tab, ...]:
        return (self.submissions, self.summary, self.units, self.legend)


_WIDTHS = {
    "submission_key": 150,
    "submitted_at": 140,
    "email": 200,
    "name": 180,
    "unit": 170,
    "indicator": 260,
    "round": 130,
    "answer": 110,
    "note": 200,
    "evidence": 260,
    "evidence_status": 160,
    "score": 110,
    "score_used": 110,
    "max_score": 90,
    "explanation": 320,
    "flags": 260,
    "status": 130,
    "decision": 130,
    "override_score": 130,
    "comment": 260,
}
_NUMBER_COLUMNS = frozenset({"score", "score_used", "max_score"})
_COMMITTEE_COLUMNS = frozenset({"decision", "override_score", "comment"})


def _column(key: str, phrase: tuple[str, str], lang: Lang, kind: ColumnKind, width: int) -> Column:
    owner: Owner = "committee" if key in _COMMITTEE_COLUMNS else "daemon"
    return Column(key, pick(phrase, lang), labels.all_forms(phrase), kind, owner, width)


def submission_columns(lang: Lang) -> tuple[Column, ...]:
    cols = []
    for key, phrase in labels.SUBMISSION_HEADERS.items():
        kind: ColumnKind = "number" if key in _NUMBER_COLUMNS else "rich" if key == "evidence" else "text"
        cols.append(_column(key, phrase, lang, kind, _WIDTHS.get(key, 120)))
    return tuple(cols)


def format_time(row: SubmissionRow) -> str:
    # Text, not a date serial: RAW keeps it exactly as shown and it compares exactly on the next sync.
    return row.submitted_at.strftime("%Y-%m-%d %H:%M:%S")


def evidence_cell(row: SubmissionRow) -> RichText | None:
    """One line per piece of evidence; each line's label links to the evidence when there is a link."""
    if not row.evidence:
        return None
    parts: list[str] = []
    links: list[LinkRun] = []
    pos = 0
    for i, ev in enumerate(row.evidence):
        if i:
            parts.append("\n")
            pos += 1
        label = ev.label or ev.url or "-"
        if ev.url:
            links.append(LinkRun(pos, pos + len(label), ev.url))
        parts.append(label)
        pos += len(label)
    return RichText("".join(parts), tuple(links))


def evidence_status_cell(row: SubmissionRow, lang: Lang) -> str:
    if not row.evidence:
        return pick(labels.EVIDENCE_STATUS["none"], lang)
    words = []
    for ev in row.evidence:
        phrase = labels.EVIDENCE_STATUS.get(ev.status)
        words.append(pick(phrase, lang) if phrase else ev.status)
    return "\n".join(words)


def flags_cell(row: SubmissionRow) -> str:
    return "\n".join(f"{f.label}: {f.detail}" if f.detail else f.label for f in row.flags)


def explanation_cell(row: SubmissionRow, lang: Lang) -> str:
    """The auto score's explanation as the engine wrote it, then, when the committee's word decides the score
    used, a line saying so."""
    if row.score is not None or row.explanation:
        auto = row.explanation
    else:
        phrase = labels.SCORE_STATUS.get(row.score_status)
        auto = pick(phrase, lang) if phrase else row.score_status
    return "\n".join(line for line in (auto, row.used_explanation) if line)


def submission_values(row: SubmissionRow, lang: Lang) -> dict[str, CellValue]:
    status = "superseded" if row.superseded else "current"
    return {
        "submission_key": row.submission_key,
        "submitted_at": format_time(row),
        "email": row.email,
        "name": row.name,
        "unit": row.unit,
        "indicator": f"{row.indicator_code} {row.indicator_name}".strip(),
        "round": row.round_label,
        "answer": row.answer_text,
        "note": row.note_text,
        "evidence": evidence_cell(row),
        "evidence_status": evidence_status_cell(row, lang),
        "score": row.score,
        "score_used": row.used_score,
        "max_score": row.max_score,
        "explanation": explanation_cell(row, lang),
        "flags": flags_cell(row),
        "status": pick(labels.ROW_STATUS[status], lang),
    }


def layout_submissions(model: DashboardModel) -> Tab:
    cols = submission_columns(model.lang)
    rows = []
    for sub in model.submissions:
        values = submission_values(sub, model.lang)
        rows.append(tuple(values.get(c.key) for c in cols))
    phrase = labels.TAB_TITLES["submissions"]
    return Tab(
        key="submissions",
        title=pick(phrase, model.lang),
        titles=labels.all_forms(phrase),
        columns=cols,
        rows=tuple(rows),
        key_column="submission_key",
        vanished={"status": pick(labels.ROW_STATUS["removed"], model.lang)},
    )


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


def _summary_row(row: SummaryRow, codes: list[str], categories: list[str]) -> tuple[CellValue, ...]:
    scores: list[CellValue] = [row.indicator_scores.get(code) for code in codes]
    by_category: list[CellValue] = [row.category_scores.get(key) for key in categories]
    head: list[CellValue] = [row.email, row.name, row.unit, row.role, row.round_label]
    tail: list[CellValue] = [row.total, row.weighted, Decimal(row.rank), Decimal(row.flags_open)]
    return tuple(head + scores + by_category + tail)


def layout_summary(model: DashboardModel) -> Tab:
    lang = model.lang
    codes = summary_indicator_codes(model)
    h = labels.SUMMARY_HEADERS
    lead = [_column(k, h[k], lang, "text", 180) for k in ("email", "name", "unit", "role", "round")]
    per_indicator = [Column(f"ind:{c}", c, frozenset({c}), "number", "daemon", 90) for c in codes]
    categories = summary_categories(model)
    per_category = [
        Column(f"cat:{k}", name, frozenset({k, name}), "number", "daemon", 140)
        for k, name in categories.items()
    ]
    trail = [_column(k, h[k], lang, "number", 120) for k in ("total", "weighted", "rank", "flags_open")]
    # By round, then role (ranks compare only within a role), then rank: reads like the ranking announcement.
    ordered = sorted(model.summary, key=lambda r: (r.round_label, r.role, r.rank, r.email))
    phrase = labels.TAB_TITLES["summary"]
    return Tab(
        key="summary",
        title=pick(phrase, lang),
        titles=labels.all_forms(phrase),
        columns=tuple(lead + per_indicator + per_category + trail),
        rows=tuple(_summary_row(r, codes, list(categories)) for r in ordered),
    )


def _unit_row(row: UnitRow) -> tuple[CellValue, ...]:
    return (row.round_label, row.unit, Decimal(row.people), row.total, row.weighted_mean, Decimal(row.rank))


def layout_units(model: DashboardModel) -> Tab:
    lang = model.lang
    text_keys = ("round", "unit")
    cols = tuple(
        _column(k, phrase, lang, "text" if k in text_keys else "number", 200 if k == "unit" else 130)
        for k, phrase in labels.UNIT_HEADERS.items()
    )
    ordered = sorted(model.units, key=lambda r: (r.round_label, r.rank, r.unit))
    return Tab(
        key="units",
        title=pick(labels.UNIT_TAB_TITLE, lang),
        titles=labels.all_forms(labels.UNIT_TAB_TITLE),
        columns=cols,
        rows=tuple(_unit_row(r) for r in ordered),
    )


def layout_legend(model: DashboardModel) -> Tab:
    lang = model.lang
    h = labels.LEGEND_HEADERS
    cols = (
        _column("item", h["item"], lang, "text", 260),
        _column("meaning", h["meaning"], lang, "text", 480),
    )
    rows: list[tuple[CellValue, ...]] = []
    for key, meaning in labels.COLUMN_MEANINGS.items():
        rows.append((pick(labels.SUBMISSION_HEADERS[key], lang), pick(meaning, lang)))
    for status in labels.ROW_STATUS.values():
        rows.append((pick(labels.SUBMISSION_HEADERS["status"], lang) + ": " + pick(status, lang), ""))
    summary_title = pick(labels.TAB_TITLES["summary"], lang)
    rows.append(
        (f"{summary_title}: {pick(labels.SUMMARY_HEADERS['rank'], lang)}", pick(labels.RANK_RULE, lang))
    )
    categories = summary_categories(model)
    if categories:
        rows.append((f"{summary_title}: {', '.join(categories.values())}", pick(labels.CATEGORY_RULE, lang)))
    rows.append((pick(labels.UNIT_TAB_TITLE, lang), pick(labels.UNIT_RULE, lang)))
    seen: dict[str, str] = {}
    for sub in model.submissions:
        for flag in sub.flags:
            seen.setdefault(flag.label, flag.code)
    for label, code in sorted(seen.items()):
        rows.append((label, code))
    phrase = labels.TAB_TITLES["legend"]
    return Tab(
        key="legend",
        title=pick(phrase, lang),
        titles=labels.all_forms(phrase),
        columns=cols,
        rows=tuple(rows),
    )


def layout(model: DashboardModel) -> DashboardLayout:
    """Every tab of the dashboard for ``model``."""
    return DashboardLayout(
        layout_submissions(model), layout_summary(model), layout_units(model), layout_legend(model)
    )
