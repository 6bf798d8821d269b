"""The explanation tab (คำอธิบาย): what each tab, column, status and flag means, and the rules behind the
figures, in words (``daemon.dashboard.meanings``), never as codes. It lists every flag and status there is,
not only those seen today, so a flag appearing for the first time changes no cell here."""

from __future__ import annotations

from daemon.dashboard import labels, meanings
from daemon.dashboard.cells import CellValue
from daemon.dashboard.labels import pick
from daemon.dashboard.layout_summary import summary_categories
from daemon.dashboard.model import DashboardModel
from daemon.dashboard.tabs import Tab, column, titled
from scoring.explain import Lang
from scoring.flags import flag_label


def _rows(model: DashboardModel, lang: Lang) -> list[list[CellValue]]:
    rows: list[list[CellValue]] = []

    def add(item: str, meaning: tuple[str, str]) -> None:
        rows.append([item, pick(meaning, lang)])

    for key, meaning in meanings.TABS.items():
        add(f"{pick(labels.TAB_WORD, lang)} {pick(labels.TAB_TITLES[key], lang)}", meaning)
    headers = labels.SUBMISSION_HEADERS
    for key, meaning in meanings.COLUMNS.items():
        add(pick(headers[key], lang), meaning)
    # Each status column: "column: status" and what that status means.
    statuses = (
        ("status", labels.ROW_STATUS, meanings.ROW_STATUS),
        ("certification", labels.CERTIFICATION, meanings.CERTIFICATION),
        ("evidence_status", labels.EVIDENCE_STATUS, meanings.EVIDENCE_STATUS),
        ("explanation", labels.SCORE_STATUS, meanings.SCORE_STATUS),
    )
    for header, words, meaning_of in statuses:
        for key, meaning in meaning_of.items():
            add(f"{pick(headers[header], lang)}: {pick(words[key], lang)}", meaning)
    flags = pick(headers["flags"], lang)
    for code, meaning in meanings.FLAGS.items():
        add(f"{flags}: {flag_label(code, lang)}", meaning)
    summary = pick(labels.TAB_TITLES["summary"], lang)
    add(f"{summary}: {pick(labels.SUMMARY_HEADERS['rank'], lang)}", meanings.RULES["rank"])
    categories = summary_categories(model)
    if categories:
        add(f"{summary}: {', '.join(categories.values())}", meanings.RULES["category"])
    add(pick(labels.TAB_TITLES["units"], lang), meanings.RULES["units"])
    add(pick(labels.TAB_TITLES["indicators"], lang), meanings.RULES["bands"])
    add(pick(labels.TAB_TITLES["submissions"], lang), meanings.RULES["restored"])
    return rows


def layout_legend(model: DashboardModel) -> Tab:
    lang = model.lang
    h = labels.LEGEND_HEADERS
    cols = (column("item", h["item"], lang, "text", 300), column("meaning", h["meaning"], lang, "text", 560))
    return titled("legend", labels.TAB_TITLES["legend"], lang, cols, _rows(model, lang))
