"""Sets of Kleene values: what a condition may still come out as while facts are unasked.

A condition's value in the open world is a set drawn from {True, False, None}; ``and``, ``or``
and ``not`` apply element by element (Kleene's logic on each pair: ``language.arithmetic``'s
``and3`` and ``or3``). A rule's status is read off its set: True (fires whatever is still
asked), False (cannot fire) or None (pending).

Must not: know about rules, facts or the knowledge base; restate Kleene's logic. Entry points:
``combine``, ``and_sets``/``or_sets`` (``combine`` with ``and3``/``or3``, looked up), ``set_of``
(status -> set), ``status_of`` (set -> status), ``ANY``.
"""
from __future__ import annotations

from engine.language.arithmetic import and3, or3

ANY = frozenset((True, False, None))


def set_of(status) -> frozenset:
    """A fire status (True, False, None = open) as the set of truth values it may still take."""
    return frozenset((True, False)) if status is None else frozenset((status,))


def combine(op, a: frozenset, b: frozenset) -> frozenset:
    """Every value ``op`` (``arithmetic.and3`` or ``or3``) gives for a pair drawn from ``a``
    and ``b``."""
    return frozenset(op((x, y)) for x in a for y in b)


def _subsets() -> list:
    values = (True, False, None)
    return [frozenset(v for i, v in enumerate(values) if mask >> i & 1) for mask in range(8)]


# There are only eight sets of Kleene values: the two connectives on every pair, worked out once
# (an interview step combines sets hundreds of thousands of times at ten times the shipped size).
_AND = {(a, b): combine(and3, a, b) for a in _subsets() for b in _subsets()}
_OR = {(a, b): combine(or3, a, b) for a in _subsets() for b in _subsets()}


def and_sets(a: frozenset, b: frozenset) -> frozenset:
    """``combine(arithmetic.and3, a, b)``, looked up."""
    return _AND[a, b]


def or_sets(a: frozenset, b: frozenset) -> frozenset:
    """``combine(arithmetic.or3, a, b)``, looked up."""
    return _OR[a, b]


def status_of(values: frozenset) -> bool | None:
    """Fires for sure (True), cannot fire (False), or still open (None)."""
    if True not in values:
        return False
    return True if values == {True} else None
