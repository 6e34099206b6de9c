"""Sets of Kleene values: what a condition may still come out as while facts are unasked.

A condition's value in the open world is a set drawn from {True, False, None}; ``and``, ``or``
and ``not`` apply element by element (Kleene's logic on each pair: ``language.arithmetic``'s
``and3`` and ``or3``). A rule's status is read off its set: True (fires whatever is still
asked), False (cannot fire) or None (pending).

Must not: know about rules, facts or the knowledge base; restate Kleene's logic. Entry points:
``combine``, ``set_of`` (status -> set), ``status_of`` (set -> status), ``ANY``.
"""
from __future__ import annotations

ANY = frozenset((True, False, None))


def set_of(status) -> frozenset:
    """A fire status (True, False, None = open) as the set of truth values it may still take."""
    return frozenset((True, False)) if status is None else frozenset((status,))


def combine(op, a: frozenset, b: frozenset) -> frozenset:
    """Every value ``op`` (``arithmetic.and3`` or ``or3``) gives for a pair drawn from ``a``
    and ``b``."""
    return frozenset(op((x, y)) for x in a for y in b)


def status_of(values: frozenset) -> bool | None:
    """Fires for sure (True), cannot fire (False), or still open (None)."""
    if True not in values:
        return False
    return True if values == {True} else None
