"""Three-valued (Kleene) evaluation of the condition language: the one home of what an
unknown fact allows.

A value is known or ``None`` (unknown). Comparisons with an unknown are unknown; ``and``, ``or``
and ``not`` follow Kleene's logic, so an unknown is never read as false or zero (brief, section 0).
Evaluation never raises on a value: a type mismatch or a division by zero gives unknown.

Read by the compiled rules' predicates (through ``compiled``), the open-world evaluation, why-not,
the unknowns report, templates and the kb tools. Must not: do I/O or know about experta.
Entry points: ``evaluate(node, state)``, ``holds(node, state)``, ``pattern_matches``.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Mapping

from . import syntax as c
from .arithmetic import and3, arith, compare, is_empty, is_number, neg, not3, or3


@dataclass(frozen=True)
class FindingState:
    """A finding as conditions see it: its attributes, and whether it is mitigated."""

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
        return compare(node.op, evaluate(node.left, state), evaluate(node.right, state))
    if t is c.And:
        return and3(evaluate(item, state) for item in node.items)
    if t is c.Or:
        return or3(evaluate(item, state) for item in node.items)
    if t is c.Not:
        return not3(evaluate(node.operand, state))
    if t is c.IsKnown:
        v = evaluate(node.operand, state)
        return (v is not None) == node.known
    if t is c.IsEmpty:
        return is_empty(evaluate(node.operand, state), node.empty)
    if t is c.Arith:
        return arith(node.op, evaluate(node.left, state), evaluate(node.right, state))
    if t is c.Neg:
        return neg(evaluate(node.operand, state))
    if t is c.Func:
        args = [evaluate(a, state) for a in node.args]
        if not args or not all(is_number(a) for a in args):
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


def pattern_matches(pattern: c.FindingPattern, finding: FindingState) -> bool:
    """Whether a finding has the pattern's kind and every one of its attributes (a tuple
    attribute: any of its values)."""
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

