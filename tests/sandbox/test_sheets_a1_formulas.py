"""A1 notation and USER_ENTERED parsing, pure functions."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from sandbox import formulas
from sandbox.a1 import A1Error, Bounds, column_index, column_letters, format_a1, parse_a1, quote_title

TITLES = ["Sheet1", "ผลงาน 'ครู'", "สรุป"]


@given(st.integers(min_value=0, max_value=18_277))
def test_column_letters_round_trip(index: int) -> None:
    """Column letters and indexes convert both ways for every column Sheets allows."""
    assert column_index(column_letters(index)) == index


@given(
    st.sampled_from(TITLES),
    st.integers(0, 999),
    st.integers(1, 50),
    st.integers(0, 25),
    st.integers(1, 10),
)
def test_format_then_parse_gives_the_same_bounds(
    title: str, row: int, height: int, col: int, width: int
) -> None:
    """A range the sandbox prints parses back to the same sheet and bounds."""
    text = format_a1(title, row, row + height, col, col + width)
    parsed = parse_a1(text, TITLES)
    assert parsed.sheet_title == title
    assert parsed.bounds == Bounds(row, row + height, col, col + width)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("A1", Bounds(0, 1, 0, 1)),
        ("b2:c", Bounds(1, None, 1, 3)),
        ("A:A", Bounds(None, None, 0, 1)),
        ("1:3", Bounds(0, 3, None, None)),
        ("C3:A1", Bounds(0, 3, 0, 3)),
        ("$A$1:$B$2", Bounds(0, 2, 0, 2)),
    ],
)
def test_cell_shapes(text: str, expected: Bounds) -> None:
    """Every A1 shape Google accepts maps to the right zero-based, end-exclusive bounds."""
    parsed = parse_a1(text, TITLES)
    assert parsed.sheet_title is None
    assert parsed.bounds == expected


def test_quoted_thai_title_with_apostrophe() -> None:
    """A quoted title with a doubled apostrophe names the Thai sheet."""
    parsed = parse_a1("'ผลงาน ''ครู'''!A1:B2", TITLES)
    assert parsed.sheet_title == "ผลงาน 'ครู'"
    assert quote_title("ผลงาน 'ครู'") == "'ผลงาน ''ครู'''"


def test_bare_title_is_the_whole_sheet() -> None:
    """A bare sheet title means the whole sheet."""
    parsed = parse_a1("สรุป", TITLES)
    assert parsed.whole_sheet and parsed.sheet_title == "สรุป"


@pytest.mark.parametrize("text", ["", "A1::", "Nope!A1", "A0", "A:3", "'Sheet1", "A1:B2:C3", "ZZZZ1"])
def test_unparseable_ranges_are_refused(text: str) -> None:
    """Text Google cannot parse (or an unknown sheet) raises A1Error."""
    with pytest.raises(A1Error):
        parse_a1(text, TITLES)


@pytest.mark.parametrize(
    ("typed", "value", "number_format"),
    [
        ("12", {"numberValue": 12.0}, None),
        ("1,234.5", {"numberValue": 1234.5}, {"type": "NUMBER", "pattern": "#,##0.00"}),
        ("85%", {"numberValue": 0.85}, {"type": "PERCENT", "pattern": "0%"}),
        ("-3e2", {"numberValue": -300.0}, None),
        ("TRUE", {"boolValue": True}, None),
        ("=1+1", {"formulaValue": "=1+1"}, None),
        ("'=1+1", {"stringValue": "=1+1"}, None),
        ("+66 81 234 5678", {"stringValue": "+66 81 234 5678"}, None),
        ("29 ส.ค. 68", {"stringValue": "29 ส.ค. 68"}, None),
        ("๘๕", {"stringValue": "๘๕"}, None),
    ],
)
def test_user_entered_parsing(typed: str, value: dict[str, object], number_format: object) -> None:
    """USER_ENTERED turns typed text into numbers, booleans and formulas like the Sheets UI."""
    assert formulas.user_entered_value(typed) == (value, number_format)


def test_raw_keeps_strings_as_strings() -> None:
    """RAW never parses: "12" and "=1+1" stay strings, JSON numbers stay numbers."""
    assert formulas.raw_value("12") == {"stringValue": "12"}
    assert formulas.raw_value("=1+1") == {"stringValue": "=1+1"}
    assert formulas.raw_value(7) == {"numberValue": 7.0}


def _grid(title: str | None, cells: str) -> list[list[formulas.Scalar]]:
    if title == "Missing":
        raise LookupError(title)
    return [[1.0, 2.0], [3.0, "x"]] if ":" in cells else [[5.0]]


@pytest.mark.parametrize(
    ("formula", "effective", "shown"),
    [
        ("=1+2*3", {"numberValue": 7.0}, "7"),
        ("=SUM(A1:B2)", {"numberValue": 6.0}, "6"),
        ("=A1/4", {"numberValue": 1.25}, "1.25"),
        ('="a"&"b"', {"stringValue": "ab"}, "ab"),
        ('=IF(A1>4,"hi","lo")', {"stringValue": "hi"}, "hi"),
        (
            "=1/0",
            {
                "errorValue": {
                    "type": "DIVIDE_BY_ZERO",
                    "message": "Function DIVIDE parameter 2 cannot be zero.",
                }
            },
            "#DIV/0!",
        ),
        (
            '=IMPORTXML("http://evil.example","//a")',
            {"errorValue": {"type": "NAME", "message": "Unknown function: 'IMPORTXML'."}},
            "#NAME?",
        ),
        ("=1+", {"errorValue": {"type": "ERROR", "message": "Formula parse error."}}, "#ERROR!"),
        (
            "=Missing!A1",
            {"errorValue": {"type": "REF", "message": "Unresolved sheet name 'Missing'."}},
            "#REF!",
        ),
    ],
)
def test_formula_subset(formula: str, effective: dict[str, object], shown: str) -> None:
    """The evaluator computes the safe subset and gives Google's error values for the rest."""
    result = formulas.evaluate(formula, _grid)
    assert result.effective == effective
    assert result.formatted == shown


def test_hyperlink_formula_sets_the_link() -> None:
    """=HYPERLINK shows its label and exposes the URL as the cell's hyperlink."""
    result = formulas.evaluate('=HYPERLINK("http://evil.example","x")', _grid)
    assert (result.formatted, result.hyperlink) == ("x", "http://evil.example")


@given(st.floats(min_value=-1e9, max_value=1e9, allow_nan=False).map(lambda v: round(v, 4)))
def test_typed_plain_numbers_parse_to_themselves(number: float) -> None:
    """Any plain decimal a person types comes back as the same number."""
    value, _ = formulas.user_entered_value(repr(number))
    assert value == {"numberValue": float(repr(number))}


@pytest.mark.parametrize(
    ("formula", "expected"),
    [
        ('=A1=""', True),
        ("=A1=0", True),
        ("=A1=FALSE", True),
        ('=A1<>""', False),
        ('=""=A1', True),
        ("=A1=1", False),
    ],
)
def test_a_blank_cell_compares_as_the_other_side_s_empty_value(formula: str, expected: bool) -> None:
    """In Sheets a blank A1 equals "", 0 and FALSE alike (a rule like =$F2="" depends on it)."""
    assert formulas.evaluate(formula, lambda _title, _cells: [[None]]).effective == {"boolValue": expected}
