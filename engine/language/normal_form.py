"""Conditions rewritten for compilation: parameters replaced by their values, and a rule's
conditions in disjunctive normal form over atoms.

An atom is ``("input", node)``, a maximal sub-expression over input facts only (it becomes one
field predicate or test), or ``("other", node, negated)`` (a finding, count, fired, derived value
or the verdict). Pure tree rewriting, shared by the experta compiler and the CLIPS export.
Must not: import experta, do I/O.
Entry points: ``substitute_parameters(node, parameters)``, ``to_dnf(node, negated, inputs)``.
"""
from __future__ import annotations

import dataclasses

from . import syntax as c

MAX_BRANCHES = 16  # alternatives one rule may expand to


class TooComplex(Exception):
    """The conditions expand to more than ``MAX_BRANCHES`` alternatives."""


def substitute_parameters(node, parameters: dict):
    """Replace parameter names by their values (``parameters``: name -> value), once, when a
    knowledge base is compiled."""
    if isinstance(node, c.Name) and node.name in parameters:
        value = parameters[node.name]
        if isinstance(value, bool):
            return c.Bool(value, node.pos)
        if isinstance(value, str):
            return c.Str(value, node.pos)
        return c.Num(value, node.pos)
    if not dataclasses.is_dataclass(node):
        return node
    changes = {}
    for f in dataclasses.fields(node):
        v = getattr(node, f.name)
        if dataclasses.is_dataclass(v) and not isinstance(v, type):
            changes[f.name] = substitute_parameters(v, parameters)
        elif isinstance(v, tuple) and v and all(dataclasses.is_dataclass(i) for i in v):
            changes[f.name] = tuple(substitute_parameters(i, parameters) for i in v)
    return dataclasses.replace(node, **changes) if changes else node


_NON_INPUT = (c.FindingRef, c.FindingPattern, c.Count, c.Fired)


def is_input_only(node, inputs: set) -> bool:
    for n in c.walk(node):
        if isinstance(n, _NON_INPUT):
            return False
        if isinstance(n, c.Name) and n.name not in inputs:
            return False
    return True


def to_dnf(node, negated: bool, inputs: set) -> list[list[tuple]]:
    """Disjunctive normal form over atoms ``(node, negated)``."""
    if is_input_only(node, inputs):
        return [[("input", c.Not(node, node.pos) if negated else node)]]
    if isinstance(node, c.Not):
        return to_dnf(node.operand, not negated, inputs)
    conjunctive = isinstance(node, c.And) != negated
    if isinstance(node, (c.And, c.Or)):
        parts = [to_dnf(i, negated, inputs) for i in node.items]
        if conjunctive:
            branches = [[]]
            for part in parts:
                branches = [b + p for b in branches for p in part]
                if len(branches) > MAX_BRANCHES:
                    raise TooComplex()
            return branches
        out = [b for part in parts for b in part]
        if len(out) > MAX_BRANCHES:
            raise TooComplex()
        return out
    return [[("other", node, negated)]]
