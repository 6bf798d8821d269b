"""Pure layout: a DashboardModel becomes tab grids (titles, columns, rows of cell values), with no Google in
sight.

Keyed tabs (the submissions, the per-person summary, the missing work, the sync log) find their rows by a
key column, so people may sort, filter, insert and move rows and a new row changes only itself; the small
tabs (units, indicators, the legend) are laid out by position and rewritten where they differ. Every cell is
cut to what Google accepts (``cells.CELL_LIMIT``) here, so publish never sends a cell Google would refuse.
Publish turns these grids into the fewest calls; this module decides only what each cell should say.
"""

from __future__ import annotations

from decimal import Decimal

from daemon.dashboard import cells, labels
from daemon.dashboard.cells import CellValue, LinkRun, RichText
from daemon.dashboard.labels import pick
from daemon.dashboard.layout_legend import layout_legend
from daemon.dashboard.layout_summary import layout_summary, layout_units
from daemon.dashboard.layout_work import layout_indicators, layout_missing, layout_sync_log
from daemon.dashboard.model import DashboardModel, SubmissionRow
from daemon.dashboard.tabs import Column, ColumnKind, DashboardLayout, Tab, column, titled
from scoring.explain import Lang
from scoring.flags import FlagCode, flag_label

__all__ = ["CellValue", "Column", "DashboardLayout", "LinkRun", "RichText", "Tab", "layout"]

_WIDTHS = {
    "submission_key": 150,
    "submitted_at": 140,
    "version": 70,
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
    "certification": 140,
    "decision": 130,
    "override_score": 130,
    "comment": 260,
}
_NUMBER_COLUMNS = frozenset({"score", "score_used", "max_score"})


def submission_columns(lang: Lang) -> tuple[Column, ...]:
    cols = []
    for key, phrase in labels.SUBMISSION_HEADERS.items():
        kind: ColumnKind = (
            "number" if key in _NUMBER_COLUMNS else "rich" if key == "evidence" else
            "count" if key == "version" else "text"
        )  # fmt: skip
        cols.append(column(key, phrase, lang, kind, _WIDTHS.get(key, 120)))
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
    review = row.review
    return {
        "submission_key": row.submission_key,
        "submitted_at": format_time(row),
        "version": Decimal(row.version),
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
        "certification": pick(labels.CERTIFICATION[row.certification], lang),
        "decision": review.decision if review else None,
        "override_score": review.override_score if review else None,
        "comment": review.comment if review else None,
    }


# Columns holding the respondent's own text: one too long is flagged by the results (a stored flag).
_RESPONDENT_TEXTS = frozenset({"answer", "note", "name", "indicator"})


def _fitted_submission(values: list[CellValue], cols: tuple[Column, ...], lang: Lang) -> list[CellValue]:
    """Cut what Google would refuse, and say in the row's flags which column was cut and how long it was
    (for the respondent's own texts the stored flag says it already)."""
    notes: list[tuple[str, int | None]] = []
    for i, col in enumerate(cols):
        if cells.over(values[i]):
            if col.key not in _RESPONDENT_TEXTS:
                notes.append((col.header, cells.text_units(values[i])))
            values[i] = cells.cut(values[i])
    for i in sorted(cells.fit_row(values)):
        notes.append((cols[i].header, None))
    if notes:
        label = flag_label(FlagCode.CELL_TRUNCATED, lang)
        words = labels.TRUNCATED
        lines = [
            f"{label}: " + pick(words, lang).format(column=header, length=f"{n:,}" if n else "-")
            for header, n in notes
        ]
        at = next(i for i, c in enumerate(cols) if c.key == "flags")
        current = values[at]
        values[at] = "\n".join([current, *lines] if isinstance(current, str) and current else lines)
    return values


def layout_submissions(model: DashboardModel) -> Tab:
    lang = model.lang
    cols = submission_columns(lang)
    rows = []
    for sub in model.submissions:
        values = submission_values(sub, lang)
        rows.append(_fitted_submission([values.get(c.key) for c in cols], cols, lang))
    return titled(
        "submissions", labels.TAB_TITLES["submissions"], lang, cols, rows,
        key_column="submission_key", vanished={"status": pick(labels.ROW_STATUS["removed"], lang)},
        fitted=True,
    )  # fmt: skip


def layout(model: DashboardModel) -> DashboardLayout:
    """Every tab of the dashboard for ``model``, in the order they stand in the spreadsheet."""
    return DashboardLayout(
        (
            layout_submissions(model),
            layout_summary(model),
            layout_missing(model),
            layout_units(model),
            layout_indicators(model),
            layout_legend(model),
            layout_sync_log(model),
        )
    )
