"""The agenda: which activation fires next, decided the same way in every process.

experta's ``DepthStrategy`` keeps a sorted list (``bisect.insort``) and, to remove an activation
that no longer matches, looks only at the neighbours of its bisection point. When several
activations share a key (same salience, same facts: e.g. every rule that only tests the absence
of something, or a ``count`` matching the same findings in different roles) the wrong neighbour
is looked at, the stale activation stays and fires later: a rule fired twice, or a second
verdict overwrote the first. Ties were also broken by set iteration order, which depends on
``PYTHONHASHSEED``, so two processes could give different traces for one case.

``OrderedAgenda`` keeps the same order as experta's depth strategy (salience, then the most
recent facts first) and breaks the remaining ties by rule order (file order, then branch), then
by the bound facts, so the order is total and reproducible. Removal is exact (a dict keyed by
the activation) and picking the next one is a heap pop. No I/O, no printing.

Entry point: ``OrderedStrategy`` (an experta ``__strategy__``) and ``OrderedAgenda``.
"""
from __future__ import annotations  # noqa: I001 - experta after compat

import heapq

from engine.compat import Fact  # compat first: it makes experta importable
from experta.abstract import Strategy
from experta.fact import InitialFact
from experta.factlist import FactList

__all__ = ["FactList", "InitialFact", "OrderedAgenda", "OrderedStrategy"]


def _ident(activation) -> tuple:
    ident = getattr(activation, "ident", None)  # computed once by beta.LeanActivation
    if ident is not None:
        return ident
    return (activation.rule, frozenset(activation.facts),
            frozenset(activation.context.items()))


def _binding_key(context: dict) -> tuple:
    out = []
    for name in sorted(context):
        value = context[name]
        out.append((name, value["__factid__"] if isinstance(value, Fact) else repr(value)))
    return tuple(out)


class _Entry:
    """A heap entry; the greatest key fires first, as in experta's depth strategy. The last
    part of the key, the bound facts, is worked out only for two entries that tie on the rest."""

    __slots__ = ("activation", "ident", "key", "_bound")

    def __init__(self, key, ident, activation):
        self.key, self.ident, self.activation = key, ident, activation
        self._bound = None

    def bound(self) -> tuple:
        if self._bound is None:
            self._bound = _binding_key(self.activation.context)
        return self._bound

    def __lt__(self, other):
        key, other_key = self.key, other.key
        if key == other_key:
            return self.bound() > other.bound()
        return key > other_key


class OrderedAgenda:
    """Live activations by identity, and a heap giving the next one to fire."""

    def __init__(self):
        self.live: dict = {}
        self.heap: list = []
        self.fired: set = set()  # rules marked ``once`` that have fired

    @property
    def activations(self) -> list:
        """Live activations, next to fire last (experta's convention)."""
        return [e.activation for e in sorted(self.live.values(), reverse=True)]

    def add(self, activation) -> None:
        ident = _ident(activation)
        if ident in self.live:
            return
        rule = activation.rule
        order = getattr(rule._wrapped, "order", 0)
        key = (rule.salience,
               sorted((f["__factid__"] for f in activation.facts), reverse=True), -order)
        entry = _Entry(key, ident, activation)
        self.live[ident] = entry
        heapq.heappush(self.heap, entry)

    def remove(self, activation) -> None:
        self.live.pop(_ident(activation), None)

    def get_next(self):
        """The next activation to fire; activations of a ``once`` rule that fired are dropped."""
        heap, live, fired = self.heap, self.live, self.fired
        while heap:
            entry = heapq.heappop(heap)
            if live.get(entry.ident) is not entry:
                continue
            del live[entry.ident]
            rhs = entry.activation.rule._wrapped
            if getattr(rhs, "once", False):
                if rhs.__name__ in fired:
                    continue
                fired.add(rhs.__name__)
            return entry.activation
        return None


class OrderedStrategy(Strategy):
    """Feeds experta's added/removed activations to an ``OrderedAgenda``."""

    def _update_agenda(self, agenda, added, removed):
        for activation in removed:
            agenda.remove(activation)
        for activation in added:
            agenda.add(activation)

    def update_agenda(self, agenda, added, removed):
        # experta's base class logs every activation first; watchers are off (see compat).
        self._update_agenda(agenda, added, removed)
