"""The primitive operations of three-valued evaluation on plain values: comparison,
arithmetic, negation, emptiness. ``None`` (unknown) in gives ``None`` out; an operation that
does not fit its operands' types gives ``None``, never an exception.

Shared by ``kleene`` (tree walking) and ``compiled`` (closures) so both give the same answer.
Must not: raise on a value; know about syntax trees.
Entry points: ``compare(op, a, b)``, ``arith(op, a, b)``, ``neg``, ``not3``, ``and3``, ``or3``
(Kleene's logic, also read by the open world and ``knowledge.policy``), ``is_empty``,
``is_number``.
"""
from __future__ import annotations

import math


def is_number(v) -> bool:
    return isinstance(v, (int, float)) and not isinstance(v, bool)


def not3(v):
    return None if v is None else (not v if isinstance(v, bool) else None)


def and3(values) -> bool | None:
    """Kleene's ``and`` of any number of values: False if one is False, else None if one is
    None (unknown), else True. Stops at the first False."""
    return _junction(values, False)


def or3(values) -> bool | None:
    """Kleene's ``or`` of any number of values: True if one is True, else None if one is None
    (unknown), else False. Stops at the first True."""
    return _junction(values, True)


def _junction(values, decisive: bool) -> bool | None:
    """``decisive`` as soon as a value is it; else None if a value is unknown; else the other."""
    result: bool | None = not decisive
    for v in values:
        if v is decisive:
            return decisive
        if v is None:
            result = None
    return result


def is_empty(v, empty: bool):
    if not isinstance(v, (tuple, list)):
        return None
    return (len(v) == 0) == empty


def neg(v):
    return -v if is_number(v) else None


def compare(op: str, a, b):
    if a is None or b is None:
        return None
    if op in ("==", "!="):
        if isinstance(a, bool) != isinstance(b, bool):
            return None
        if is_number(a) and is_number(b):
            equal = a == b
        elif type(a) is not type(b) and not (is_number(a) and is_number(b)):
            return None
        else:
            equal = a == b
        return equal if op == "==" else not equal
    if op in ("<", "<=", ">", ">="):
        if not (is_number(a) and is_number(b)):
            return None
        return {"<": a < b, "<=": a <= b, ">": a > b, ">=": a >= b}[op]
    if op in ("in", "not_in"):
        if not isinstance(b, (tuple, list)):
            return None
        inside = a in b
        return inside if op == "in" else not inside
    if op == "contains":
        if not isinstance(a, (tuple, list)):
            return None
        return b in a
    return None


def arith(op: str, a, b):
    if not (is_number(a) and is_number(b)):
        return None
    try:
        if op == "+":
            r = a + b
        elif op == "-":
            r = a - b
        elif op == "*":
            r = a * b
        elif b == 0:
            return None
        else:
            r = a / b
    except (OverflowError, ValueError):
        return None
    if isinstance(r, float) and not math.isfinite(r):
        return None
    return r

