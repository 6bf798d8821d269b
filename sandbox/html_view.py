"""A read-only HTML view of the sandbox: an index of forms and spreadsheets, each spreadsheet with a link per
tab, each tab as a table with its conditional formats applied and its charts drawn as bars, each form's
questions. Every piece of stored text is escaped: respondents' answers are hostile input.

Conditional formats are shown as Sheets shows them: for each cell, the first rule (in the tab's order) whose
ranges hold the cell and whose condition is true gives its format over the cell's own. A custom formula is
evaluated by the sandbox's formula subset, its relative references moved from the range's first cell to the
cell; a formula outside that subset never applies.
"""

from __future__ import annotations

import re
from html import escape
from typing import Any

from sandbox import formulas
from sandbox.a1 import A1Error, column_index, column_letters, from_grid_range, parse_cells
from sandbox.core import ApiRequest, ApiResponse, Router, Store
from sandbox.sheets import spreadsheets
from sandbox.sheets_model import closed_bounds, effective_scalar, get_cell

_HEADERS = {"Content-Type": "text/html; charset=utf-8"}
_MAX_ROWS = 2000  # a person scrolls; past this the page stops being useful

_STYLE = """
body{font-family:"Sarabun","Noto Sans Thai","Leelawadee UI","Tahoma",system-ui,sans-serif;
  margin:1.5rem;color:#202124}
.note{background:#fff8e1;border:1px solid #f0c36d;padding:.4rem .8rem;display:inline-block;border-radius:4px}
table.grid{border-collapse:collapse;font-size:13px;margin-bottom:2rem}
table.grid td,table.grid th{border:1px solid #dadce0;padding:2px 6px;vertical-align:bottom;
  white-space:pre-wrap}
table.grid th.hdr{background:#f1f3f4;color:#5f6368;font-weight:normal;position:sticky;top:0}
table.grid tr.frozen td{position:sticky;top:1.4rem;box-shadow:0 2px 0 #9aa0a6}
.dv{color:#5f6368;font-size:11px}
nav.tabs a{margin-right:1rem}
.chart{border:1px solid #dadce0;padding:.5rem 1rem;margin-bottom:1.5rem;display:inline-block}
.bar{display:flex;align-items:center;font-size:12px;margin:2px 0}
.bar .label{width:22rem;overflow:hidden;white-space:nowrap;text-overflow:ellipsis}
.bar span.seg{display:inline-block;height:14px}
"""
_PALETTE = ("#d93025", "#f29900", "#fbbc04", "#34a853", "#1a73e8", "#9334e6", "#5f6368")
_REF = re.compile(r"(\$?)([A-Z]{1,3})(\$?)(\d+)(?![\w(])")


def _page(title: str, body: str) -> ApiResponse:
    html = (
        '<!doctype html><html lang="th"><head><meta charset="utf-8">'
        f"<title>{escape(title)}</title><style>{_STYLE}</style></head><body>"
        '<p class="note">มุมมองอ่านอย่างเดียวของแซนด์บ็อกซ์ (read-only view of the sandbox)</p>'
        f"{body}</body></html>"
    )
    return ApiResponse(200, html, dict(_HEADERS))


def _not_found(what: str) -> ApiResponse:
    response = _page("ไม่พบ", f"<h1>ไม่พบ {escape(what)}</h1><p><a href='/'>กลับหน้าแรก</a></p>")
    response.status = 404
    return response


def _color(color: dict[str, Any] | None) -> str | None:
    if not color:
        return None
    channels = [round(float(color.get(k, 0)) * 255) for k in ("red", "green", "blue")]
    return "#" + "".join(f"{max(0, min(255, v)):02x}" for v in channels)


def _cell_style(fmt: dict[str, Any]) -> str:
    rules = []
    background = _color(fmt.get("backgroundColor") or fmt.get("backgroundColorStyle", {}).get("rgbColor"))
    if background:
        rules.append(f"background:{background}")
    text = fmt.get("textFormat") or {}
    if text.get("bold"):
        rules.append("font-weight:bold")
    if text.get("italic"):
        rules.append("font-style:italic")
    if text.get("strikethrough"):
        rules.append("text-decoration:line-through")
    foreground = _color(text.get("foregroundColor") or text.get("foregroundColorStyle", {}).get("rgbColor"))
    if foreground:
        rules.append(f"color:{foreground}")
    align = fmt.get("horizontalAlignment")
    if align in ("LEFT", "CENTER", "RIGHT"):
        rules.append(f"text-align:{align.lower()}")
    return ";".join(rules)


def _safe_href(url: str) -> str | None:
    return url if url.lower().startswith(("http://", "https://", "mailto:")) else None


def _anchor(href: str, inner_html: str) -> str:
    return f'<a href="{escape(href)}" rel="noopener noreferrer">{inner_html}</a>'


def _runs_html(text: str, runs: list[dict[str, Any]]) -> str:
    """Text whose runs carry their own formats (several links in one cell). Google counts a run's startIndex
    in UTF-16 code units, so the text is cut in those units, not in Python characters."""
    units = text.encode("utf-16-le")
    starts = sorted(
        (int(r.get("startIndex", 0)), r.get("format") or {}) for r in runs if int(r.get("startIndex", 0)) >= 0
    )
    if not starts or starts[0][0] > 0:
        starts.insert(0, (0, {}))
    parts = []
    for i, (start, fmt) in enumerate(starts):
        end = starts[i + 1][0] if i + 1 < len(starts) else len(units) // 2
        piece = escape(units[2 * start : 2 * end].decode("utf-16-le", errors="replace"))
        uri = (fmt.get("link") or {}).get("uri")
        href = _safe_href(str(uri)) if uri else None
        parts.append(_anchor(href, piece) if href else piece)
    return "".join(parts)


def _cell_html(cell: dict[str, Any] | None, extra: str = "") -> str:
    if not cell:
        return f'<td style="{escape(extra)}"></td>' if extra else "<td></td>"
    plain = str(cell.get("formattedValue", ""))
    link = cell.get("hyperlink") or (cell.get("userEnteredFormat") or {}).get("textFormat", {}).get(
        "link", {}
    ).get("uri")
    href = _safe_href(str(link)) if link else None
    if href:
        text = _anchor(href, escape(plain))
    elif cell.get("textFormatRuns"):
        text = _runs_html(plain, cell["textFormatRuns"])
    else:
        text = escape(plain)
    validation = (cell.get("dataValidation") or {}).get("condition") or {}
    if validation.get("type") == "ONE_OF_LIST":
        options = " / ".join(str(v.get("userEnteredValue", "")) for v in validation.get("values", []))
        text += f'<div class="dv">▾ {escape(options)}</div>'
    elif validation.get("type") == "BOOLEAN":
        text += '<div class="dv">☐</div>'
    style = ";".join(x for x in (_cell_style(cell.get("userEnteredFormat") or {}), extra) if x)
    return f'<td style="{escape(style)}">{text}</td>' if style else f"<td>{text}</td>"


def _or_blank(cell: dict[str, Any] | None) -> formulas.Scalar:
    value = effective_scalar(cell)
    return "" if value is None else value


def _shift(formula: str, rows: int, cols: int) -> str:
    """``formula`` with its relative references moved by (rows, cols); text in quotes is left alone."""

    def move(m: re.Match[str]) -> str:
        col_abs, letters, row_abs, number = m.groups()
        col = letters if col_abs else column_letters(column_index(letters) + cols)
        row = number if row_abs else str(int(number) + rows)
        return f"{col_abs}{col}{row_abs}{row}"

    parts = formula.split('"')
    return '"'.join(_REF.sub(move, p) if i % 2 == 0 else p for i, p in enumerate(parts))


class _Rules:
    """A tab's conditional formats, asked cell by cell (formula results kept per moved formula)."""

    def __init__(self, spreadsheet: dict[str, Any], sheet: dict[str, Any]) -> None:
        self.spreadsheet, self.sheet = spreadsheet, sheet
        self.rules = [r for r in sheet.get("conditionalFormats", []) if r.get("booleanRule")]
        self._seen: dict[str, bool] = {}

    def _grid(self, title: str | None, cells: str) -> list[list[formulas.Scalar]]:
        sheet: dict[str, Any] | None = self.sheet
        if title is not None:
            sheet = next((t for t in self.spreadsheet["sheets"] if t["properties"]["title"] == title), None)
        if sheet is None:
            raise LookupError(title)
        try:
            r0, r1, c0, c1 = closed_bounds(sheet, parse_cells(cells))
        except A1Error:
            raise LookupError(cells) from None
        # A blank cell is "" here, as Sheets compares it (=A2<>"" is FALSE for a blank A2), past the data too.
        r1 = min(r1, max(len(sheet["rows"]), r0 + 1))
        return [[_or_blank(get_cell(sheet, r, c)) for c in range(c0, c1)] for r in range(r0, r1)]

    def _formula(self, formula: str) -> bool:
        if formula not in self._seen:
            value = formulas.evaluate(formula, self._grid).effective
            self._seen[formula] = bool(value.get("boolValue")) or bool(value.get("numberValue"))
        return self._seen[formula]

    def _holds(self, condition: dict[str, Any], cell: dict[str, Any] | None, start: tuple[int, int]) -> bool:
        kind = str(condition.get("type") or "")
        values = [str(v.get("userEnteredValue", "")) for v in condition.get("values", [])]
        if kind == "CUSTOM_FORMULA":
            return bool(values) and self._formula(_shift(values[0], *start))
        value = effective_scalar(cell)
        text = "" if value is None else formulas.scalar_text(value)
        if kind in ("BLANK", "NOT_BLANK"):
            return (text == "") == (kind == "BLANK")
        if kind == "TEXT_EQ":
            return bool(values) and text == values[0]
        if kind == "TEXT_CONTAINS":
            return bool(values) and values[0] in text
        if kind == "TEXT_NOT_CONTAINS":
            return bool(values) and values[0] not in text
        if kind.startswith("NUMBER_") and isinstance(value, float) and values:
            limit = float(values[0])
            tests = {
                "GREATER": value > limit, "GREATER_THAN_EQ": value >= limit, "LESS": value < limit,
                "LESS_THAN_EQ": value <= limit, "EQ": value == limit, "NOT_EQ": value != limit,
            }  # fmt: skip
            return bool(tests.get(kind.removeprefix("NUMBER_"), False))
        return False

    def style(self, r: int, c: int) -> str:
        cell = get_cell(self.sheet, r, c)
        for rule in self.rules:
            for grid in rule.get("ranges", []):
                r0, r1, c0, c1 = closed_bounds(self.sheet, from_grid_range(grid))
                if r0 <= r < r1 and c0 <= c < c1:
                    boolean = rule["booleanRule"]
                    if self._holds(boolean.get("condition") or {}, cell, (r - r0, c - c0)):
                        return _cell_style(boolean.get("format") or {})
        return ""


def _segment(series: int, width: float) -> str:
    colour = _PALETTE[series % len(_PALETTE)]
    return f'<span class="seg" style="background:{colour};width:{width:.0f}px"></span>'


def _chart_html(rules: _Rules, chart: dict[str, Any]) -> str:
    """A basic chart as bars: one line per domain value, one coloured segment per series."""
    spec = chart.get("spec") or {}
    basic = spec.get("basicChart") or {}

    def column(source: dict[str, Any]) -> list[formulas.Scalar]:
        grids = (source.get("sourceRange") or {}).get("sources") or [{}]
        r0, r1, c0, _ = closed_bounds(rules.sheet, from_grid_range(grids[0]))
        return [
            effective_scalar(get_cell(rules.sheet, r, c0))
            for r in range(r0, min(r1, len(rules.sheet["rows"])))
        ]

    domains = [column(d.get("domain") or {}) for d in basic.get("domains", [])]
    series = [column(s.get("series") or {}) for s in basic.get("series", [])]
    head = int(basic.get("headerCount", 0) or 0)
    parts = [f'<div class="chart"><strong>{escape(str(spec.get("title", "")))}</strong>']
    if domains and series:
        names = [str(s[0]) if head and s else "" for s in series]
        keys = " ".join(f"{_segment(i, 10)} {escape(n)}" for i, n in enumerate(names))
        parts.append(f"<div>{keys}</div>")
        for i, label in enumerate(domains[0][head:], start=head):
            numbers = [v if i < len(s) and isinstance(v := s[i], float) else 0.0 for s in series]
            segments = "".join(_segment(k, 12 * n) for k, n in enumerate(numbers) if n > 0)
            parts.append(
                f'<div class="bar"><span class="label">{escape(str(label or ""))}</span>{segments}</div>'
            )
    parts.append("</div>")
    return "".join(parts)


def _tab_link(props: dict[str, Any]) -> str:
    return f'<a href="#tab-{escape(str(props["sheetId"]))}">{escape(str(props["title"]))}</a>'


def _sheet_html(spreadsheet: dict[str, Any], sheet: dict[str, Any]) -> str:
    props = sheet["properties"]
    frozen = int(props.get("gridProperties", {}).get("frozenRowCount", 0) or 0)
    rows = sheet["rows"][:_MAX_ROWS]
    width = max((len(r) for r in rows), default=0)
    rules = _Rules(spreadsheet, sheet)
    parts = [f'<h2 id="tab-{escape(str(props["sheetId"]))}">{escape(str(props["title"]))}</h2>']
    parts += [_chart_html(rules, chart) for chart in sheet.get("charts", [])]
    if not rows:
        parts.append("<p>(ว่าง / empty)</p>")
        return "".join(parts)
    header = "".join(f'<th class="hdr">{column_letters(c)}</th>' for c in range(width))
    parts.append(f'<table class="grid"><tr><th class="hdr"></th>{header}</tr>')
    for r, _ in enumerate(rows):
        cls = ' class="frozen"' if r < frozen else ""
        cells = "".join(_cell_html(get_cell(sheet, r, c), rules.style(r, c)) for c in range(width))
        parts.append(f'<tr{cls}><th class="hdr">{r + 1}</th>{cells}</tr>')
    parts.append("</table>")
    if len(sheet["rows"]) > _MAX_ROWS:
        parts.append(f"<p>… {len(sheet['rows']) - _MAX_ROWS} more rows not shown</p>")
    return "".join(parts)


def register(router: Router, store: Store, sharing: object = None) -> None:
    """Add ``GET /``, ``GET /view/spreadsheets/{id}`` and ``GET /view/forms/{id}`` (a sandbox-only view: it
    shows everything, whoever the documents are shared with, so ``sharing`` is not consulted)."""

    def index(request: ApiRequest) -> ApiResponse:
        with store.lock:
            section = store.section("forms")
            form_items = []
            for form_id, data in section.get("forms", {}).items():
                title = data.get("info", {}).get("title", form_id)
                count = len(section.get("responses", {}).get(form_id) or {})
                form_items.append(
                    f'<li><a href="/view/forms/{escape(form_id)}">{escape(str(title))}</a>'
                    f" — {count} คำตอบ</li>"
                )
            sheet_items = [
                f'<li><a href="/view/spreadsheets/{escape(sid)}">{escape(str(ss["properties"]["title"]))}</a>'
                f" — {len(ss['sheets'])} แผ่นงาน</li>"
                for sid, ss in spreadsheets(store).items()
            ]
        body = (
            "<h1>kpisync sandbox</h1>"
            f"<h2>แบบฟอร์ม (Forms)</h2><ul>{''.join(form_items) or '<li>ไม่มี</li>'}</ul>"
            f"<h2>สเปรดชีต (Spreadsheets)</h2><ul>{''.join(sheet_items) or '<li>ไม่มี</li>'}</ul>"
        )
        return _page("kpisync sandbox", body)

    def spreadsheet(request: ApiRequest) -> ApiResponse:
        spreadsheet_id = request.path_params["spreadsheetId"]
        with store.lock:
            ss = spreadsheets(store).get(spreadsheet_id)
            if ss is None:
                return _not_found(spreadsheet_id)
            title = str(ss["properties"]["title"])
            links = "".join(_tab_link(t["properties"]) for t in ss["sheets"])
            tabs = "".join(_sheet_html(ss, sheet) for sheet in ss["sheets"])
        nav = f'<nav class="tabs">แท็บ (tabs): {links}</nav>'
        return _page(title, f"<p><a href='/'>← หน้าแรก</a></p><h1>{escape(title)}</h1>{nav}{tabs}")

    def form(request: ApiRequest) -> ApiResponse:
        form_id = request.path_params["formId"]
        with store.lock:
            section = store.section("forms")
            data = section.get("forms", {}).get(form_id)
            if data is None:
                return _not_found(form_id)
            count = len(section.get("responses", {}).get(form_id) or {})
        title = str(data.get("info", {}).get("title", form_id))
        questions = []
        for item in data.get("items", []):
            kind = next((k for k in item if k.endswith("Item")), "item")
            questions.append(f"<li>{escape(str(item.get('title', '')))} <small>({escape(kind)})</small></li>")
        body = (
            f"<p><a href='/'>← หน้าแรก</a></p><h1>{escape(title)}</h1>"
            f"<p>จำนวนคำตอบ (responses): {count}</p><ol>{''.join(questions)}</ol>"
        )
        return _page(title, body)

    router.add("GET", "/", None, "sandbox", index)
    router.add("GET", "/view/spreadsheets/{spreadsheetId}", None, "sandbox", spreadsheet)
    router.add("GET", "/view/forms/{formId}", None, "sandbox", form)
