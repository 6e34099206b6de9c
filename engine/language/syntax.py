"""The condition language's syntax tree: frozen nodes, and walking them.

Knowledge engineers write conditions such as ``payback_months > 2 * horizon_months`` or
``barrier(factor='risks', severity='significant')``; ``parser`` turns the text into these nodes,
``printer`` turns them back into text, ``kleene`` evaluates them. Every node keeps ``pos``, its
offset in the text, so errors point at the column. Must not: evaluate, resolve names, do I/O.

Entry points: the node classes, ``Node``, ``walk(node)``, ``children(node)``, ``names_in(node)``.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Union


@dataclass(frozen=True)
class Num:
    value: float
    pos: int = 0


@dataclass(frozen=True)
class Str:
    value: str
    pos: int = 0


@dataclass(frozen=True)
class Bool:
    value: bool
    pos: int = 0


@dataclass(frozen=True)
class ListLit:
    items: tuple
    pos: int = 0


@dataclass(frozen=True)
class Name:
    name: str
    pos: int = 0


@dataclass(frozen=True)
class Neg:
    operand: "Node"
    pos: int = 0


@dataclass(frozen=True)
class Arith:
    op: str  # + - * /
    left: "Node"
    right: "Node"
    pos: int = 0


@dataclass(frozen=True)
class Func:
    name: str  # min, max, abs
    args: tuple
    pos: int = 0


@dataclass(frozen=True)
class Compare:
    op: str  # == != < <= > >= in not_in contains
    left: "Node"
    right: "Node"
    pos: int = 0


@dataclass(frozen=True)
class IsKnown:
    operand: Name
    known: bool
    pos: int = 0


@dataclass(frozen=True)
class IsEmpty:
    operand: "Node"
    empty: bool
    pos: int = 0


@dataclass(frozen=True)
class Not:
    operand: "Node"
    pos: int = 0


@dataclass(frozen=True)
class And:
    items: tuple
    pos: int = 0


@dataclass(frozen=True)
class Or:
    items: tuple
    pos: int = 0


@dataclass(frozen=True)
class FindingRef:
    """``finding(id)``: the finding was asserted."""

    finding: str
    pos: int = 0


@dataclass(frozen=True)
class FindingPattern:
    """``barrier(...)``, ``enabler(...)``, ``note(...)``: some finding with these attributes."""

    kind: str | None
    attrs: tuple  # ((name, value-or-tuple), ...)
    pos: int = 0

    def attr(self, name: str, default=None):
        return dict(self.attrs).get(name, default)


@dataclass(frozen=True)
class Count:
    """``count(pattern) >= n`` (also ``>``)."""

    pattern: FindingPattern
    at_least: int
    pos: int = 0


@dataclass(frozen=True)
class Fired:
    rule: str
    pos: int = 0


Node = Union[Num, Str, Bool, ListLit, Name, Neg, Arith, Func, Compare, IsKnown, IsEmpty, Not,
             And, Or, FindingRef, FindingPattern, Count, Fired]

PATTERN_KINDS = {"barrier": "barrier", "enabler": "enabler", "note": "note", "finding": None}
PATTERN_ATTRS = ("factor", "severity", "kind", "mitigated", "id")
ARITH_FUNCS = ("min", "max", "abs")


def walk(node):
    """Yield a node and all nodes below it."""
    yield node
    for child in children(node):
        yield from walk(child)


def children(node) -> tuple:
    """The nodes directly below ``node``, in order (none for a leaf)."""
    if isinstance(node, (And, Or)):
        return node.items
    if isinstance(node, (Not, Neg)):
        return (node.operand,)
    if isinstance(node, IsKnown):
        return (node.operand,)
    if isinstance(node, IsEmpty):
        return (node.operand,)
    if isinstance(node, (Arith, Compare)):
        return (node.left, node.right)
    if isinstance(node, Func):
        return node.args
    if isinstance(node, ListLit):
        return node.items
    if isinstance(node, Count):
        return (node.pattern,)
    return ()


def names_in(node) -> set[str]:
    """Bare names (facts, derived facts, parameters) that an expression reads."""
    return {n.name for n in walk(node) if isinstance(n, Name)}

