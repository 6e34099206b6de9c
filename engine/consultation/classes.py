"""Value classes of a number: the values the rules cannot tell apart, so one stands for all.

A number matters to the rules only through the comparisons that read it. Where every rule that
can still fire reads a fact ``f`` only in comparisons ``S op O`` with ``op`` one of < <= > >= ==
!=, ``S`` affine in ``f`` (``f``, ``2 * f + 1``, ``k * f`` with ``k`` a parameter or a settled
value) and ``O`` settled in the branch, each comparison flips at one threshold
``t = (O - S(0)) / (S(1) - S(0))``; every value of ``f`` in one interval between thresholds, or
equal to one threshold, compares alike everywhere, so a case split needs one value per class (and
"unknown"). A derived fact that copies ``f`` (``derive: {name: horizon_months, value:
profit_horizon_months}``) is followed: its comparisons are ``f``'s too. Any other reading (a
function, ``f`` on both sides, a derived value computed from it, a comparison with something
still open) and the number is not split.

Must not: evaluate rules, run the engine, or choose what to split (``splits`` does). Entry
points: ``NumberReadings(world)``, then ``.classes(ev, spec)`` -> values, or None.
"""
from __future__ import annotations

import math
from collections.abc import Mapping

from engine import language as c
from engine.consultation.probes import is_number, valid_values
from engine.knowledge.spec import DeriveAction
from engine.knowledge.values import bounds
from engine.language import kleene

ORDERING = ("<", "<=", ">", ">=", "==", "!=")


class NumberReadings:
    """Where each numeric input fact and each derived fact is read, for one ``OpenWorld``:
    name -> [(kind, rule id, ...)] with kind ``known`` (``is known``), ``compare`` (the side
    holding it and the other side), ``copy`` (the derived fact copying it) or ``opaque``."""

    def __init__(self, world):
        self.world = world
        kb = world.kb
        tracked = {n for n, s in kb.input_facts.items() if s.is_numeric} | set(kb.derived_facts)
        self.readings: dict = {}
        for rule in kb.rules:
            for cond in rule.conditions:
                self._visit(cond.node, rule.id, tracked)
            for action in rule.actions:
                if not isinstance(action, DeriveAction):
                    continue
                if type(action.value) is c.Name and action.value.name in tracked:
                    self._add(action.value.name, ("copy", rule.id, action.name))
                else:
                    for name in c.names_in(action.value) & tracked:
                        self._add(name, ("opaque", rule.id))

    def _add(self, name: str, entry: tuple) -> None:
        self.readings.setdefault(name, []).append(entry)

    def _visit(self, node, rule_id: str, tracked: set) -> None:
        t = type(node)
        if t is c.IsKnown:
            if node.operand.name in tracked:
                self._add(node.operand.name, ("known", rule_id))
            return
        if t is c.Compare and node.op in ORDERING:
            for side, other in ((node.left, node.right), (node.right, node.left)):
                for name in c.names_in(side) & tracked:
                    affine = name not in c.names_in(other) and _affine(side, name)
                    self._add(name, ("compare", rule_id, side, other) if affine
                              else ("opaque", rule_id))
            return
        if t is c.Name:
            if node.name in tracked:
                self._add(node.name, ("opaque", rule_id))
            return
        for child in c.children(node):
            self._visit(child, rule_id, tracked)

    def classes(self, ev, spec):
        """One valid value of the numeric fact ``spec`` per class in branch ``ev`` (an open-world
        evaluation where the fact is open), then None; or None when it cannot be split here."""
        points: set = set()
        if not self._thresholds(ev, spec.name, points, {spec.name}):
            return None
        return _representatives(spec, sorted(points)) + (None,)

    def _thresholds(self, ev, name: str, points: set, seen: set) -> bool:
        for entry in self.readings.get(name, ()):
            kind, rule_id = entry[0], entry[1]
            if ev.truth.get(rule_id) is False or kind == "known":
                continue  # a rule that cannot fire here reads nothing that matters
            if kind == "opaque":
                return False
            if kind == "copy":
                if entry[2] not in seen:
                    seen.add(entry[2])
                    if not self._thresholds(ev, entry[2], points, seen):
                        return False
                continue
            side, other = entry[2], entry[3]
            if any(ev.is_open(n) for n in (c.names_in(side) - {name}) | c.names_in(other)):
                return False
            try:
                target = kleene.evaluate(other, ev.state)
                at0, at1 = (kleene.evaluate(side, kleene.State(_With(ev.state.values, name, x)))
                            for x in (0, 1))
            except (TypeError, ValueError, OverflowError, RecursionError):
                return False
            if target is None or at0 is None or at1 is None:
                continue  # unknown whatever the number: no threshold
            if not (is_number(target) and is_number(at0) and is_number(at1)):
                return False
            if at1 != at0:
                points.add((target - at0) / (at1 - at0))
        return True


def _affine(node, name: str) -> bool:
    """Whether ``node`` is affine in ``name``: built from it, numbers and other names with
    +, -, negation, products with one factor free of it, and quotients by something free of it."""
    t = type(node)
    if t in (c.Num, c.Name):
        return True
    if t is c.Neg:
        return _affine(node.operand, name)
    if t is c.Arith:
        left, right = name in c.names_in(node.left), name in c.names_in(node.right)
        if node.op in ("+", "-"):
            return _affine(node.left, name) and _affine(node.right, name)
        if node.op == "*":
            return not (left and right) and _affine(node.left, name) and \
                _affine(node.right, name)
        if node.op == "/":
            return not right and _affine(node.left, name)
    return name not in c.names_in(node)


class _With(Mapping):
    """A state's values with one name set to one value."""

    def __init__(self, values, name: str, value):
        self.values, self.name, self.value = values, name, value

    def get(self, key, default=None):
        return self.value if key == self.name else self.values.get(key, default)

    def __getitem__(self, key):
        return self.get(key)

    def __iter__(self):
        return iter(())

    def __len__(self):
        return 0


def _representatives(spec, points: list) -> tuple:
    """A valid value at each threshold and inside each interval around them (within range)."""
    low, high = bounds(spec)
    edges = [low] + [p for p in points if p > low and (high is None or p < high)]
    edges += [high] if high is not None else [edges[-1] + 2]
    candidates = list(points)
    for a, b in zip(edges, edges[1:]):
        if spec.is_whole:
            inside = math.floor(a) + 1
            if inside < b:
                candidates.append(inside)
        else:
            candidates.append((a + b) / 2)
    candidates += [low, high] if high is not None else [low]
    return valid_values(spec, candidates)
