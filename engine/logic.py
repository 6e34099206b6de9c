"""Three-valued evaluation of the condition language, and text templates.

A value is known or ``None`` (unknown). Comparisons with an unknown are unknown; ``and``, ``or``
and ``not`` follow Kleene's logic, so an unknown is never read as false or zero. Evaluation never
raises on a value: a type mismatch or a division by zero gives unknown.

Used by the compiled rules' predicates, by explanations ("why not"), by the unknowns report and by
templates. Entry points: ``evaluate(node, state)``, ``holds(node, state)``, ``render(template, state)``;
``compile_holds(node)`` for the compiled rules' predicates (the same answer, as one closure).
"""
from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import Any, Mapping

from . import conditions as c

UNKNOWN_TEXT = "unknown"


@dataclass(frozen=True)
class FindingState:
    id: str
    kind: str
    factor: str
    severity: str | None
    mitigated: bool


@dataclass
class State:
    """What is known at one moment: values by name, findings, firings, verdict."""

    values: Mapping[str, Any]
    findings: Mapping[str, FindingState] = field(default_factory=dict)
    fired: frozenset = frozenset()
    verdict: str | None = None


def _is_number(v) -> bool:
    return isinstance(v, (int, float)) and not isinstance(v, bool)


def evaluate(node, state: State):
    """Value of an expression: a number, text, bool, tuple, or None when unknown."""
    t = type(node)
    if t is c.Num or t is c.Str or t is c.Bool:
        return node.value
    if t is c.Name:
        if node.name == "verdict":  # the state's, or the value a compiled TEST bound
            return state.verdict if state.verdict is not None else state.values.get("verdict")
        return state.values.get(node.name)
    if t is c.ListLit:
        return tuple(i.value for i in node.items)
    if t is c.Compare:
        return _compare(node.op, evaluate(node.left, state), evaluate(node.right, state))
    if t is c.And:
        result = True
        for item in node.items:
            v = evaluate(item, state)
            if v is False:
                return False
            if v is None:
                result = None
        return result
    if t is c.Or:
        result = False
        for item in node.items:
            v = evaluate(item, state)
            if v is True:
                return True
            if v is None:
                result = None
        return result
    if t is c.Not:
        return _not(evaluate(node.operand, state))
    if t is c.IsKnown:
        v = evaluate(node.operand, state)
        return (v is not None) == node.known
    if t is c.IsEmpty:
        return _is_empty(evaluate(node.operand, state), node.empty)
    if t is c.Arith:
        return _arith(node.op, evaluate(node.left, state), evaluate(node.right, state))
    if t is c.Neg:
        return _neg(evaluate(node.operand, state))
    if t is c.Func:
        args = [evaluate(a, state) for a in node.args]
        if not args or not all(_is_number(a) for a in args):
            return None
        return {"min": min, "max": max, "abs": lambda x: abs(x)}[node.name](*args)
    if t is c.FindingRef:
        return node.finding in state.findings
    if t is c.FindingPattern:
        return any(pattern_matches(node, f) for f in state.findings.values())
    if t is c.Count:
        return sum(1 for f in state.findings.values() if pattern_matches(node.pattern, f)) \
            >= node.at_least
    if t is c.Fired:
        return node.rule in state.fired
    return None


def holds(node, state: State) -> bool:
    """True only when the condition is definitely true."""
    try:
        return evaluate(node, state) is True
    except (TypeError, ValueError, OverflowError, RecursionError):
        return False


def compile_holds(node):
    """``values -> holds(node, State(values))``, with the tree walked once, here.

    The compiled rules test input facts hundreds of times per consultation; a closure per node
    costs a fraction of ``evaluate``'s dispatch on the node type at every call. Same result for
    every input: node types other than the plain expressions below use ``evaluate`` itself."""
    try:
        value = _compile(node)
    except RecursionError:  # too deep to compile: evaluate it as it is
        def value(values):
            return evaluate(node, State(values))

    def compiled_holds(values) -> bool:
        try:
            return value(values) is True
        except (TypeError, ValueError, OverflowError, RecursionError):
            return False
    return compiled_holds


def _compile(node):
    """A closure ``values -> evaluate(node, State(values))`` (no findings, firings or verdict)."""
    t = type(node)
    if t is c.Num or t is c.Str or t is c.Bool or t is c.ListLit:
        constant = evaluate(node, State({}))
        return lambda values: constant
    if t is c.Name:
        name = node.name
        return lambda values: values.get(name)  # "verdict" too: a TEST binds it by that name
    if t is c.Compare or t is c.Arith:
        op, left, right = node.op, _compile(node.left), _compile(node.right)
        combine = _compare if t is c.Compare else _arith
        return lambda values: combine(op, left(values), right(values))
    if t is c.And or t is c.Or:
        items = tuple(_compile(i) for i in node.items)
        stop, other = (False, True) if t is c.And else (True, False)

        def junction(values):
            result = other
            for item in items:
                v = item(values)
                if v is stop:
                    return stop
                if v is None:
                    result = None
            return result
        return junction
    if t is c.Not or t is c.IsKnown or t is c.IsEmpty or t is c.Neg:
        operand = _compile(node.operand)
        if t is c.Not:
            return lambda values: _not(operand(values))
        if t is c.IsKnown:
            known = node.known
            return lambda values: (operand(values) is not None) == known
        if t is c.IsEmpty:
            empty = node.empty
            return lambda values: _is_empty(operand(values), empty)
        return lambda values: _neg(operand(values))
    return lambda values: evaluate(node, State(values))


def _not(v):
    return None if v is None else (not v if isinstance(v, bool) else None)


def _is_empty(v, empty: bool):
    if not isinstance(v, (tuple, list)):
        return None
    return (len(v) == 0) == empty


def _neg(v):
    return -v if _is_number(v) else None


def pattern_matches(pattern: c.FindingPattern, finding: FindingState) -> bool:
    if pattern.kind and finding.kind != pattern.kind:
        return False
    for key, want in pattern.attrs:
        have = finding.mitigated if key == "mitigated" else getattr(finding, key)
        if isinstance(want, tuple):
            if have not in want:
                return False
        elif have != want:
            return False
    return True


def _compare(op: str, a, b):
    if a is None or b is None:
        return None
    if op in ("==", "!="):
        if isinstance(a, bool) != isinstance(b, bool):
            return None
        if _is_number(a) and _is_number(b):
            equal = a == b
        elif type(a) is not type(b) and not (_is_number(a) and _is_number(b)):
            return None
        else:
            equal = a == b
        return equal if op == "==" else not equal
    if op in ("<", "<=", ">", ">="):
        if not (_is_number(a) and _is_number(b)):
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


def _arith(op: str, a, b):
    if not (_is_number(a) and _is_number(b)):
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


def format_value(value, fmt: str = "") -> str:
    """A value as an officer reads it: 27, 12.5, yes/no, a list joined by commas."""
    if value is None:
        return UNKNOWN_TEXT
    if isinstance(value, bool):
        return "yes" if value else "no"
    if _is_number(value):
        if fmt:
            try:
                return format(value, fmt)
            except (ValueError, TypeError):
                pass
        if isinstance(value, float):
            return str(int(value)) if value.is_integer() else f"{value:.2f}".rstrip("0")
        return str(value)
    if isinstance(value, (tuple, list)):
        return ", ".join(str(v).replace("_", " ") for v in value) or "none"
    return str(value).replace("_", " ") if "_" in str(value) and " " not in str(value) \
        else str(value)


def render(template, state: State) -> str:
    """Fill a ``spec.Template`` with the state's values."""
    if template is None:
        return ""
    out = []
    for part in template.parts:
        if isinstance(part, str):
            out.append(part)
        else:
            try:
                out.append(format_value(evaluate(part.node, state), part.fmt))
            except (TypeError, ValueError, OverflowError):
                out.append(UNKNOWN_TEXT)
    return " ".join("".join(out).split())
