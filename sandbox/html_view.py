"""A read-only HTML view of the sandbox: an index of forms and spreadsheets, each sheet as a table, each
form's questions. Every piece of stored text is escaped: respondents' answers are hostile input."""

from __future__ import annotations

from html import escape
from typing import Any

from sandbox.a1 import column_letters
from sandbox.core import ApiRequest, ApiResponse, Router, Store
from sandbox.sheets import spreadsheets
from sandbox.sheets_model import get_cell

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
"""


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


def _cell_html(cell: dict[str, Any] | None) -> str:
    if not cell:
        return "<td></td>"
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
    style = _cell_style(cell.get("userEnteredFormat") or {})
    return f'<td style="{escape(style)}">{text}</td>' if style else f"<td>{text}</td>"


def _sheet_html(sheet: dict[str, Any]) -> str:
    props = sheet["properties"]
    frozen = int(props.get("gridProperties", {}).get("frozenRowCount", 0) or 0)
    rows = sheet["rows"][:_MAX_ROWS]
    width = max((len(r) for r in rows), default=0)
    parts = [f"<h2>{escape(str(props['title']))}</h2>"]
    if not rows:
        parts.append("<p>(ว่าง / empty)</p>")
        return "".join(parts)
    header = "".join(f'<th class="hdr">{column_letters(c)}</th>' for c in range(width))
    parts.append(f'<table class="grid"><tr><th class="hdr"></th>{header}</tr>')
    for r, _ in enumerate(rows):
        cls = ' class="frozen"' if r < frozen else ""
        cells = "".join(_cell_html(get_cell(sheet, r, c)) for c in range(width))
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
            tabs = "".join(_sheet_html(sheet) for sheet in ss["sheets"])
        return _page(title, f"<p><a href='/'>← หน้าแรก</a></p><h1>{escape(title)}</h1>{tabs}")

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
