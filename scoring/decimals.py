"""Exact decimal arithmetic for scores: one explicit context, so nothing depends on the global one."""

from __future__ import annotations

from collections.abc import Iterable
from decimal import ROUND_HALF_UP, Context, Decimal

# 50 significant digits: far past any score's 5 decimals, so only the final, explicit quantize ever rounds.
_CTX = Context(prec=50, rounding=ROUND_HALF_UP)
ZERO = Decimal(0)
ONE = Decimal(1)


def div(a: Decimal, b: Decimal) -> Decimal:
    return _CTX.divide(a, b)


def mul(a: Decimal, b: Decimal) -> Decimal:
    return _CTX.multiply(a, b)


def add(a: Decimal, b: Decimal) -> Decimal:
    return _CTX.add(a, b)


def sub(a: Decimal, b: Decimal) -> Decimal:
    return _CTX.subtract(a, b)


def total(values: Iterable[Decimal]) -> Decimal:
    result = ZERO
    for value in values:
        result = _CTX.add(result, value)
    return result


def quantize(value: Decimal, decimals: int) -> Decimal:
    """``value`` rounded half-up to ``decimals`` places (4.745105 → 4.74511 with 5)."""
    return value.quantize(Decimal(1).scaleb(-decimals), rounding=ROUND_HALF_UP, context=_CTX)


def plain(value: Decimal) -> str:
    """A typed or configured number without trailing zeros or exponent: 85, 4.5, 100."""
    text = format(value.normalize(_CTX), "f")
    return "0" if text in {"-0", ""} else text
