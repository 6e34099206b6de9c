"""The condition language written back as text: ``to_text(node)`` gives a condition that
``parser.parse`` reads back to the same tree (for docs, lint, traces and explanations).
Must not: evaluate or resolve names.
Entry point: ``to_text(node) -> str``.
"""
from __future__ import annotations

import re
from decimal import Decimal

from .lexer import KEYWORDS
from .syntax import (
    And, Arith, Bool, Compare, Count, FindingPattern, FindingRef, Fired, Func, IsEmpty, IsKnown,
    ListLit, Name, Neg, Not, Num, Or, Str,
)


def to_text(node) -> str:
    """Render a node back to the condition language (for docs, lint and traces)."""
    if isinstance(node, Num):
        v = node.value
        # positional notation: the language has no exponents ("1e-07" would not read back)
        return str(int(v)) if float(v).is_integer() else format(Decimal(repr(v)), "f")
    if isinstance(node, Str):
        return _quoted(node.value)
    if isinstance(node, Bool):
        return "true" if node.value else "false"
    if isinstance(node, ListLit):
        return "[" + ", ".join(to_text(i) for i in node.items) + "]"
    if isinstance(node, Name):
        return node.name
    if isinstance(node, Neg):
        return "-" + _operand(node.operand)
    if isinstance(node, Arith):
        return f"{_operand(node.left, Neg)} {node.op} {_operand(node.right, Neg)}"
    if isinstance(node, Func):
        return f"{node.name}(" + ", ".join(to_text(a) for a in node.args) + ")"
    if isinstance(node, Compare):
        op = {"not_in": "not in"}.get(node.op, node.op)
        return f"{_operand(node.left, Arith, Neg)} {op} {_operand(node.right, Arith, Neg)}"
    if isinstance(node, IsKnown):
        return f"{node.operand.name} is {'known' if node.known else 'unknown'}"
    if isinstance(node, IsEmpty):
        return f"{_operand(node.operand, Arith, Neg)} is {'empty' if node.empty else 'not empty'}"
    if isinstance(node, Not):
        return "not " + _paren(node.operand)
    if isinstance(node, And):
        return " and ".join(_paren(i) for i in node.items)
    if isinstance(node, Or):
        return " or ".join(_paren(i) for i in node.items)
    if isinstance(node, FindingRef):
        plain = re.fullmatch(r"[A-Za-z_][A-Za-z0-9_]*", node.finding) and \
            node.finding not in KEYWORDS
        return f"finding({node.finding if plain else _quoted(node.finding)})"
    if isinstance(node, FindingPattern):
        attrs = ", ".join(f"{k}={_attr_text(v)}" for k, v in node.attrs)
        return f"{node.kind or 'finding'}({attrs})"
    if isinstance(node, Count):
        return f"count({to_text(node.pattern)}) >= {node.at_least}"
    if isinstance(node, Fired):
        return f"fired({_quoted(node.rule)})"
    return str(node)


def _attr_text(v) -> str:
    if isinstance(v, tuple):
        return "[" + ", ".join(_attr_text(i) for i in v) + "]"
    if isinstance(v, bool):
        return "true" if v else "false"
    return _quoted(v) if isinstance(v, str) else to_text(Num(v))


def _quoted(text: str) -> str:
    """Quote text as the tokenizer reads it back (it knows no backslash escapes)."""
    return f'"{text}"' if "'" in text else f"'{text}'"


_ATOMS = (Num, Str, Bool, ListLit, Name, Func, FindingRef, FindingPattern, Fired)


def _operand(node, *binds_tighter) -> str:
    """An operand in brackets unless it is an atom or binds more tightly than its operator."""
    text = to_text(node)
    return text if isinstance(node, _ATOMS + binds_tighter) else f"({text})"


def _paren(node) -> str:
    text = to_text(node)
    return f"({text})" if isinstance(node, (And, Or, Arith)) else text
