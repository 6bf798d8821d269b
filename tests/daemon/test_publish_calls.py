"""How a write is cut into calls (daemon.dashboard.calls): in order, within the limit, every call filled."""

from __future__ import annotations

import json
from typing import Any

from hypothesis import given
from hypothesis import strategies as st

from daemon.dashboard import calls
from daemon.dashboard import sheet_requests as req
from daemon.dashboard.cells import LinkRun, RichText
from daemon.dashboard.layout import submission_columns
from daemon.dashboard.tabs import Tab
from scoring.explain import Lang

# A piece: a whole request (its text) or a run of rows (each row's text), for a sheet id.
_texts = st.text(alphabet='aกข\n"\\', min_size=0, max_size=60)
_pieces = st.lists(
    st.one_of(
        st.tuples(st.just("whole"), _texts),
        st.tuples(st.sampled_from(["append", "update"]), st.lists(_texts, min_size=1, max_size=12)),
    ),
    max_size=8,
)


def _encode(spec: list[tuple[str, Any]]) -> list[calls.Piece]:
    out: list[calls.Piece] = []
    for n, (kind, value) in enumerate(spec):
        if kind == "whole":
            out.append(calls.encode({"note": {"text": value}}))
            continue
        rows = [req.encoded_row([{"userEnteredValue": {"stringValue": t}}]) for t in value]
        out.append(req.append_run(n, rows) if kind == "append" else req.update_run(n, 5, 2, rows))
    return out


def _flat(requests: list[dict[str, Any]]) -> list[tuple[str, int, Any]]:
    """Each request as (kind, sheet id, text) per row, a whole request as one item; updateCells rows with
    the row index each lands on."""
    out: list[tuple[str, int, Any]] = []
    for r in requests:
        if "note" in r:
            out.append(("whole", -1, r["note"]["text"]))
        elif "appendCells" in r:
            body = r["appendCells"]
            assert body["fields"] == "*"
            out += [("append", body["sheetId"], row["values"][0]["userEnteredValue"]["stringValue"])
                    for row in body["rows"]]  # fmt: skip
        else:
            body = r["updateCells"]
            start = body["start"]
            assert body["fields"] == req.UPDATE_FIELDS and start["columnIndex"] == 2
            for i, row in enumerate(body["rows"]):
                text = row["values"][0]["userEnteredValue"]["stringValue"]
                out.append((f"update@{start['rowIndex'] + i}", start["sheetId"], text))
    return out


def _expected(spec: list[tuple[str, Any]]) -> list[tuple[str, int, Any]]:
    out: list[tuple[str, int, Any]] = []
    for n, (kind, value) in enumerate(spec):
        if kind == "whole":
            out.append(("whole", -1, value))
        elif kind == "append":
            out += [("append", n, t) for t in value]
        else:
            out += [(f"update@{5 + i}", n, t) for i, t in enumerate(value)]
    return out


@given(spec=_pieces, limit=st.integers(min_value=400, max_value=3_000))
def test_calls_carry_every_piece_in_order_within_the_limit_and_full(
    spec: list[tuple[str, Any]], limit: int
) -> None:
    """Whole requests and runs of rows come out as valid JSON bodies of at most ``limit`` bytes, carrying
    every row once, in order, each cut updateCells starting at its own row; and a call is sent only when the
    next request or row would not fit it."""
    bodies = list(calls.pack(_encode(spec), limit))
    assert all(len(b) <= limit for b in bodies)
    decoded = [json.loads(b)["requests"] for b in bodies]
    assert all(decoded)
    assert [item for requests in decoded for item in _flat(requests)] == _expected(spec)
    for body, after in zip(bodies, decoded[1:], strict=False):
        first = after[0]
        # What opened the next call, cut to its first row: it would not have fitted after this one.
        for kind in ("appendCells", "updateCells"):
            if kind in first:
                first = {kind: {**first[kind], "rows": first[kind]["rows"][:1]}}
        assert len(body) + 1 + len(calls.encode(first)) > limit


def test_text_goes_as_utf8_and_a_lone_surrogate_as_its_escape() -> None:
    """Thai text goes as UTF-8 (three bytes a character), not as escapes, and a lone surrogate becomes its
    JSON escape instead of failing the write."""
    assert calls.encode("ครู") == '"ครู"'.encode()
    assert calls.encode("a\ud800b") == b'"a\\ud800b"'
    assert json.loads(calls.encode("a\ud800b")) == "a\ud800b"


_values = st.one_of(
    st.none(),
    st.just(""),
    _texts,
    st.decimals(allow_nan=False, allow_infinity=False, places=5, min_value=-1000, max_value=1000),
    st.builds(lambda t: RichText(t, (LinkRun(0, len(t), "https://drive.google.com/file/d/F/view"),)), _texts),
    st.builds(lambda t: RichText(t + "\nb", (LinkRun(len(t) + 1, len(t) + 2, "https://x.example"),)), _texts),
)


@given(data=st.data(), lang=st.sampled_from(["th", "en"]), gaps=st.integers(min_value=0, max_value=3))
def test_a_new_row_is_encoded_as_its_cells_say(data: st.DataObject, lang: Lang, gaps: int) -> None:
    """The fast encoding of an appended row is the JSON of each value's row_cell (value, number format,
    dropdown) at its column's position, in any column order, blanks between, trailing empty cells dropped."""
    columns = submission_columns(lang)
    tab = Tab("submissions", "t", frozenset(), columns, ())
    order = data.draw(st.permutations(range(len(columns) + gaps)))
    positions = {c.key: order[i] for i, c in enumerate(columns)}
    values = data.draw(st.lists(_values, min_size=len(columns), max_size=len(columns)))
    expected: list[dict[str, Any]] = [{} for _ in range(max(positions.values()) + 1)]
    for col, value in zip(columns, values, strict=True):
        expected[positions[col.key]] = req.row_cell(col, value, lang)
    while expected and not expected[-1]:
        expected.pop()
    assert json.loads(req.row_encoder(tab, positions, lang)(values)) == {"values": expected}
