"""What every check family reads about one knowledge base, worked out once per ``lint`` run.

For each rule: what it reads and writes (``knowledge.dependencies``) and what its conditions
demand of each fact (``kbtools.constraints``); for each conclusion, the rules that produce it.
Results one family works out and another reuses are kept with ``memo`` (derivation's circles,
which reachability skips).

Must not: report problems (the families do); do I/O. Entry points: ``Context(kb)``,
``problem(code, where, message, severity)``.
"""
from __future__ import annotations

from typing import Callable

from engine.errors import Location, Problem
from engine.kbtools import constraints as k
from engine.knowledge.dependencies import rule_dependencies
from engine.knowledge.spec import KnowledgeBase


class Context:
    """A loaded knowledge base with what the checks share.

    ``deps``: rule id -> ``Dependencies`` (keys such as ``("derived", name)``, ``("finding",
    id)``, ``("fired", rule id)`` it produces, needs, needs absent); ``constraints``: rule id ->
    ``RuleConstraints``; ``producers``: key -> rule ids producing it, in file order; ``rules``:
    rule id -> ``RuleSpec``."""

    def __init__(self, kb: KnowledgeBase):
        self.kb = kb
        derived = set(kb.derived_facts)
        self.deps = {r.id: rule_dependencies(r, derived, kb.finding_specs) for r in kb.rules}
        self.constraints = {r.id: k.rule_constraints(r, kb) for r in kb.rules}
        self.producers: dict = {}
        for r in kb.rules:
            for key in self.deps[r.id].produces:
                self.producers.setdefault(key, []).append(r.id)
        self.rules = {r.id: r for r in kb.rules}
        self._memo: dict = {}

    def memo(self, name: str, compute: Callable[[], object]):
        """``compute()`` the first time ``name`` is asked for in this run, the same value after."""
        if name not in self._memo:
            self._memo[name] = compute()
        return self._memo[name]


def problem(code: str, where: Location, message: str, severity: str = "error",
            subject: tuple = ()) -> Problem:
    """One lint problem: a code such as ``KB301``, where, the message, ``error`` or ``warning``,
    and what it is about (``("rule:TM-1",)``, ``("fact:x",)``; a pair warning names the rule it
    is reported at first): a waiver of that rule or entry can silence a warning."""
    return Problem(where, message, code, severity, tuple(subject))


def about_rules(*rules) -> tuple:
    """The ``subject`` of a problem about these rules (``RuleSpec``s), the reported one first."""
    return tuple(f"rule:{r.id}" for r in rules)
