"""How a typed value becomes a cell: RAW and USER_ENTERED input, number formatting, and a small formula
evaluator.

USER_ENTERED parses like a person typing into Sheets: a leading ``=`` makes a formula (kept as
``formulaValue``), ``12`` / ``1,234.5`` / ``-3e2`` become numbers, ``85%`` becomes 0.85 with a PERCENT
format, TRUE/FALSE become booleans, a leading apostrophe forces text (the apostrophe is not kept), and a
typed date becomes a serial number with a DATE format (sandbox/dates.py says which shapes, by the
spreadsheet's locale). RAW stores strings as strings, whatever they look like. The evaluator computes a
safe subset (arithmetic, comparisons, ``&``, cell references and ranges,
SUM/AVERAGE/MIN/MAX/COUNT/ROUND/IF/CONCATENATE/HYPERLINK); any other function gives Google's ``#NAME?``
error and nothing is ever fetched or executed.
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from sandbox import dates

Scalar = float | str | bool | None
# Thai digits (๘๕) stay text, as in Sheets: the patterns are ASCII-only.
# Resolves (sheet title or None, A1 cells) to a grid of effective scalars; raises LookupError if unknown.
Resolver = Callable[[str | None, str], list[list[Scalar]]]

_NUMBER = re.compile(r"^[+-]?(?:\d{1,3}(?:,\d{3})+|\d+)?(?:\.\d+)?(?:[eE][+-]?\d+)?$", re.ASCII)


def raw_value(value: Any) -> dict[str, Any] | None:
    """RAW input: stored as-is. None means "leave the cell alone"."""
    if value is None:
        return None
    if isinstance(value, bool):
        return {"boolValue": value}
    if isinstance(value, int | float):
        return {"numberValue": float(value)}
    return {"stringValue": str(value)}


def user_entered_value(
    value: Any, locale: str = "en_US"
) -> tuple[dict[str, Any] | None, dict[str, Any] | None]:
    """USER_ENTERED input: (userEnteredValue, numberFormat to apply or None); ``locale`` is the
    spreadsheet's, for dates."""
    if value is None or isinstance(value, bool | int | float):
        return raw_value(value), None
    text = str(value)
    if text.startswith("'"):
        return {"stringValue": text[1:]}, None
    if text.startswith("=") and len(text) > 1:
        return {"formulaValue": text}, None
    if text.upper() in ("TRUE", "FALSE"):
        return {"boolValue": text.upper() == "TRUE"}, None
    typed_date = dates.parse(text, locale)
    if typed_date is not None:
        return {"numberValue": typed_date[0]}, typed_date[1]
    stripped = text.strip()
    percent = stripped.endswith("%")
    body = stripped[:-1].strip() if percent else stripped
    if body and any(ch.isdigit() for ch in body) and _NUMBER.match(body):
        number = float(body.replace(",", ""))
        if percent:
            pattern = "0%" if number == int(number) else "0.00%"
            return {"numberValue": number / 100}, {"type": "PERCENT", "pattern": pattern}
        if "," in body:
            pattern = "#,##0.00" if "." in body else "#,##0"
            return {"numberValue": number}, {"type": "NUMBER", "pattern": pattern}
        return {"numberValue": number}, None
    return {"stringValue": text}, None


def format_number(number: float, number_format: dict[str, Any] | None) -> str:
    """The text Sheets shows for a number under its format (the patterns this sandbox sets, else General)."""
    pattern = (number_format or {}).get("pattern", "")
    kind = (number_format or {}).get("type", "")
    if kind in dates.DATE_TYPES and pattern:
        return dates.format_serial(number, pattern)
    if kind == "PERCENT" or pattern.endswith("%"):
        decimals = len(pattern.split(".")[1].rstrip("%")) if "." in pattern else 0
        return f"{number * 100:.{decimals}f}%"
    if pattern.startswith("#,##0"):
        decimals = len(pattern.split(".")[1]) if "." in pattern else 0
        return f"{number:,.{decimals}f}"
    if pattern.startswith("0") and set(pattern) <= {"0", "."}:
        decimals = len(pattern.split(".")[1]) if "." in pattern else 0
        return f"{number:.{decimals}f}"
    if math.isfinite(number) and number == int(number) and abs(number) < 1e15:
        return str(int(number))
    text = f"{number:.10g}"
    return text


def scalar_text(value: Scalar, number_format: dict[str, Any] | None = None) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, float):
        return format_number(value, number_format)
    return value


class FormulaError(Exception):
    def __init__(self, kind: str, message: str) -> None:
        super().__init__(message)
        self.kind = kind  # ErrorValue.type: ERROR, NAME, DIVIDE_BY_ZERO, VALUE, REF, N_A
        self.message = message


ERROR_TEXT = {
    "ERROR": "#ERROR!",
    "NAME": "#NAME?",
    "DIVIDE_BY_ZERO": "#DIV/0!",
    "VALUE": "#VALUE!",
    "REF": "#REF!",
}


@dataclass
class Evaluated:
    effective: dict[str, Any]  # ExtendedValue
    formatted: str
    hyperlink: str | None = None


_TOKEN = re.compile(
    r"""\s*(?:
    (?P<string>"(?:[^"]|"")*")
  | (?P<ref>(?:(?:'(?:[^']|'')+'|[A-Za-z_][\w.]*)!)?\$?[A-Za-z]{1,3}\$?\d+(?::\$?[A-Za-z]{1,3}\$?\d+)?)
  | (?P<number>\d+(?:\.\d*)?(?:[eE][+-]?\d+)?|\.\d+)
  | (?P<name>[A-Za-z_][A-Za-z0-9_.]*)
  | (?P<op><=|>=|<>|[-+*/^&=<>(),%])
    )""",
    re.VERBOSE | re.ASCII,
)


def _tokenize(text: str) -> list[tuple[str, str]]:
    tokens: list[tuple[str, str]] = []
    pos = 0
    while pos < len(text):
        if text[pos:].strip() == "":
            break
        found = _TOKEN.match(text, pos)
        if not found or found.end() == pos:
            raise FormulaError("ERROR", "Formula parse error.")
        kind = found.lastgroup or ""
        tokens.append((kind, found.group(kind)))
        pos = found.end()
    return tokens


class _Parser:
    """Recursive descent over Sheets' operator precedence: comparison < & < +- < */ < ^ < unary < %."""

    def __init__(self, tokens: list[tuple[str, str]], resolver: Resolver) -> None:
        self.tokens = tokens
        self.pos = 0
        self.resolver = resolver
        self.hyperlink: str | None = None

    def peek(self) -> tuple[str, str] | None:
        return self.tokens[self.pos] if self.pos < len(self.tokens) else None

    def take(self, value: str | None = None) -> tuple[str, str]:
        token = self.peek()
        if token is None or (value is not None and token[1].upper() != value):
            raise FormulaError("ERROR", "Formula parse error.")
        self.pos += 1
        return token

    def parse(self) -> Any:
        result = self.comparison()
        if self.peek() is not None:
            raise FormulaError("ERROR", "Formula parse error.")
        return result

    def comparison(self) -> Any:
        left = self.concat()
        while (token := self.peek()) and token[1] in ("=", "<>", "<", ">", "<=", ">="):
            self.take()
            right = self.concat()
            left = _compare(token[1], _scalar(left), _scalar(right))
        return left

    def concat(self) -> Any:
        left = self.additive()
        while (token := self.peek()) and token[1] == "&":
            self.take()
            left = _text(_scalar(left)) + _text(_scalar(self.additive()))
        return left

    def additive(self) -> Any:
        left = self.term()
        while (token := self.peek()) and token[1] in ("+", "-"):
            self.take()
            right = _num(self.term())
            left = _num(left) + right if token[1] == "+" else _num(left) - right
        return left

    def term(self) -> Any:
        left = self.power()
        while (token := self.peek()) and token[1] in ("*", "/"):
            self.take()
            right = _num(self.power())
            if token[1] == "*":
                left = _num(left) * right
            else:
                if right == 0:
                    raise FormulaError("DIVIDE_BY_ZERO", "Function DIVIDE parameter 2 cannot be zero.")
                left = _num(left) / right
        return left

    def power(self) -> Any:
        left = self.unary()
        while (token := self.peek()) and token[1] == "^":
            self.take()
            left = _num(left) ** _num(self.unary())
        return left

    def unary(self) -> Any:
        token = self.peek()
        if token and token[1] in ("-", "+"):
            self.take()
            value = _num(self.unary())
            return -value if token[1] == "-" else value
        value = self.primary()
        while (token := self.peek()) and token[1] == "%":
            self.take()
            value = _num(value) / 100
        return value

    def primary(self) -> Any:
        kind, text = self.take()
        if kind == "number":
            return float(text)
        if kind == "string":
            return text[1:-1].replace('""', '"')
        if kind == "ref":
            title: str | None = None
            cells = text
            if "!" in text:
                title, _, cells = text.rpartition("!")
                if title.startswith("'"):
                    title = title[1:-1].replace("''", "'")
            try:
                grid = self.resolver(title, cells.replace("$", ""))
            except LookupError:
                raise FormulaError("REF", f"Unresolved sheet name '{title}'.") from None
            return grid if ":" in cells else (grid[0][0] if grid and grid[0] else None)
        if text == "(":
            value = self.comparison()
            self.take(")")
            return value
        if kind == "name":
            if (nxt := self.peek()) and nxt[1] == "(":
                return self.call(text.upper())
            if text.upper() in ("TRUE", "FALSE"):
                return text.upper() == "TRUE"
            raise FormulaError("NAME", f"Unknown range name: '{text}'.")
        raise FormulaError("ERROR", "Formula parse error.")

    def call(self, name: str) -> Any:
        self.take("(")
        args: list[Any] = []
        if (token := self.peek()) and token[1] != ")":
            args.append(self.comparison())
            while (token := self.peek()) and token[1] == ",":
                self.take()
                args.append(self.comparison())
        self.take(")")
        return self.apply(name, args)

    def apply(self, name: str, args: list[Any]) -> Any:
        numbers = [v for v in _flatten(args) if isinstance(v, float)]
        if name == "SUM":
            return float(sum(numbers))
        if name == "AVERAGE":
            if not numbers:
                raise FormulaError("DIVIDE_BY_ZERO", "Function AVERAGE parameter 1 has no numbers.")
            return sum(numbers) / len(numbers)
        if name in ("MIN", "MAX"):
            return (min if name == "MIN" else max)(numbers) if numbers else 0.0
        if name == "COUNT":
            return float(len(numbers))
        if name == "ROUND":
            places = int(_num(args[1])) if len(args) > 1 else 0
            value = _num(args[0]) * 10**places
            return math.floor(abs(value) + 0.5) * (1 if value >= 0 else -1) / 10**places
        if name == "IF":
            chosen = args[1] if _truthy(_scalar(args[0])) else (args[2] if len(args) > 2 else False)
            return chosen
        if name == "CONCATENATE":
            return "".join(_text(v) for v in _flatten(args))
        if name == "HYPERLINK":
            url = _text(_scalar(args[0])) if args else ""
            self.hyperlink = url
            return _text(_scalar(args[1])) if len(args) > 1 else url
        raise FormulaError("NAME", f"Unknown function: '{name}'.")


def _flatten(values: list[Any]) -> list[Scalar]:
    out: list[Scalar] = []
    for value in values:
        if isinstance(value, list):
            for row in value:
                out.extend(row)
        else:
            out.append(value)
    return out


def _scalar(value: Any) -> Scalar:
    if isinstance(value, list):
        return value[0][0] if value and value[0] else None
    return value  # type: ignore[no-any-return]


def _num(value: Any) -> float:
    value = _scalar(value)
    if value is None:
        return 0.0
    if isinstance(value, bool):
        return 1.0 if value else 0.0
    if isinstance(value, float):
        return value
    try:
        return float(value.replace(",", ""))
    except ValueError:
        raise FormulaError("VALUE", f"Function expects number values. But '{value}' is a text.") from None


def _text(value: Scalar) -> str:
    return scalar_text(value)


def _truthy(value: Scalar) -> bool:
    if isinstance(value, str):
        return value.upper() == "TRUE"
    return bool(value)


def _blank_as(other: Scalar) -> Scalar:
    """A blank cell compares as the other side's empty value: "" beside text, FALSE beside a boolean, 0
    beside a number (in Sheets both =A1="" and =A1=0 are TRUE for a blank A1)."""
    if isinstance(other, str):
        return ""
    if isinstance(other, bool):
        return False
    return 0.0


def _compare(op: str, left: Scalar, right: Scalar) -> bool:
    left = _blank_as(right) if left is None else left
    right = _blank_as(left) if right is None else right
    a: Any = left.upper() if isinstance(left, str) else left
    b: Any = right.upper() if isinstance(right, str) else right
    if type(a) is not type(b):
        a, b = str(a), str(b)
    return bool({"=": a == b, "<>": a != b, "<": a < b, ">": a > b, "<=": a <= b, ">=": a >= b}[op])


def to_extended(value: Scalar) -> dict[str, Any]:
    if isinstance(value, bool):
        return {"boolValue": value}
    if isinstance(value, float):
        return {"numberValue": value}
    return {"stringValue": value or ""}


def evaluate(formula: str, resolver: Resolver, number_format: dict[str, Any] | None = None) -> Evaluated:
    """Evaluate ``=...``; errors become Google's errorValue with its ``#NAME?``-style text."""
    parser = _Parser([], resolver)
    try:
        parser = _Parser(_tokenize(formula[1:]), resolver)
        value = _scalar(parser.parse())
    except FormulaError as exc:
        return Evaluated(
            {"errorValue": {"type": exc.kind, "message": exc.message}}, ERROR_TEXT.get(exc.kind, "#ERROR!")
        )
    except (ArithmeticError, IndexError):
        return Evaluated({"errorValue": {"type": "ERROR", "message": "Formula parse error."}}, "#ERROR!")
    return Evaluated(to_extended(value), scalar_text(value, number_format), parser.hyperlink)
