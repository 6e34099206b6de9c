"""The alpha network of ``matcher.LeanReteMatcher``: which patterns a fact matches, by lookup.

experta's alpha network is a trie of feature tests tried one after another: every declared fact
was compared with every finding id, kind and rule name any pattern tests, each comparison a
Python call that also called a logger (about 2,000 tests per consultation). Here:
- facts are dispatched on their exact type (experta's ``TypeCheck``), then on the fields that
  patterns test for equality with a literal (``Finding(id="B1")``) by dictionary lookup, so a
  fact only meets the patterns that could match it;
- a pattern with a predicate that cannot hold while its field is None is not tried on a fact
  whose field is None (an unknown input fact; about half of a generated case's);
- each pattern's remaining tests (predicates on ``Case`` fields, bindings) run as one compiled
  function per pattern (``compiled_checks``), with experta's semantics;
- nothing is logged, unless experta's ``MATCH`` watcher is on: then the pattern runs experta's
  own checks, which log as they always did.

A pattern's result is the context experta's trie would have built for it, and each pattern ends
in an ``AlphaTerminal`` to which experta's own ``wire_rule`` attaches the beta network.
No I/O. Entry point: ``AlphaNetwork(ruleset)``; ``.terminals`` (pattern -> node) and
``.matches(fact)`` (pairs of terminal and context).
"""
from __future__ import annotations  # noqa: I001 - experta after compat

from collections import Counter, defaultdict
from itertools import chain

from engine.compat import experta  # noqa: F401 - compat first: it makes experta importable
from experta.fact import InitialFact
from experta.fieldconstraint import ANDFC, L, P, W
from experta.matchers.rete.abstract import Node
from experta.matchers.rete.check import FactCapture, FeatureCheck, TypeCheck
from experta.matchers.rete.mixins import AnyChild, NoMemory
from experta.matchers.rete.utils import extract_facts, generate_checks
from experta.rule import Rule

from .compiled_checks import compile_pattern, merge_all, plain_field

_MISSING = object()


class AlphaTerminal(AnyChild, NoMemory, Node):
    """Where one pattern's tests end; the beta network hangs below it."""

    def __init__(self, pattern, checks: tuple):
        super().__init__()
        self.pattern = pattern
        self.checks = checks  # experta's checks, TypeCheck excluded, FactCapture last
        self.test = compile_pattern(checks)

    def logged_test(self, fact):
        """The same test through experta's own check objects, which log."""
        return merge_all(check(fact) for check in self.checks)

    def __str__(self):  # pragma: no cover
        return f"AlphaTerminal: {self.pattern!r}"


class AlphaNetwork:
    """Every pattern of a rule set, indexed by fact type and literal fields."""

    def __init__(self, ruleset):
        ruleset = set(ruleset)
        ruleset.add(Rule(InitialFact()))  # as experta: EXISTS and leading NOTs join on it
        rule_facts = {rule: extract_facts(rule) for rule in ruleset}
        self.terminals: dict = {}
        for fact in chain.from_iterable(rule_facts.values()):
            if fact not in self.terminals:
                checks = sorted((c for c in generate_checks(fact) if not isinstance(c, TypeCheck)),
                                key=_check_rank)
                self.terminals[fact] = AlphaTerminal(fact, tuple(checks))
        self._by_type: dict = {}
        per_type = defaultdict(list)
        for fact, terminal in self.terminals.items():
            per_type[type(fact)].append(terminal)
        for cls, terminals in per_type.items():
            self._by_type[cls] = _TypeIndex(cls, terminals)

    def matches(self, fact, logged: bool = False) -> list:
        """``(terminal, context)`` for every pattern ``fact`` matches; ``logged``: through
        experta's own checks, which log (its ``MATCH`` watcher is on)."""
        index = self._by_type.get(type(fact))
        if index is None:
            return []
        out = []
        if logged:
            for terminal in index.all:
                context = terminal.logged_test(fact)
                if context is not None:
                    out.append((terminal, context))
            return out
        for terminal in index.candidates(fact):
            context = terminal.test(fact)
            if context is not None:
                out.append((terminal, context))
        return out


class _TypeIndex:
    """The patterns of one fact type: hash buckets on literal fields, and the rest."""

    def __init__(self, cls, terminals: list):
        self.all = tuple(terminals)
        literal = {t: _literal_fields(t.checks) for t in terminals}
        if getattr(cls, "__fields__", None):  # defaults could answer a missing field: no index
            literal = {t: {} for t in terminals}
        counts = Counter(chain.from_iterable(literal.values()))
        order = sorted(counts, key=lambda f: (-counts[f], str(f)))
        self.indexes: list = []  # (field, {value: (terminal, ...)})
        rest = []
        buckets = {f: defaultdict(list) for f in order}
        for terminal in terminals:
            for field in order:
                if field in literal[terminal]:
                    buckets[field][literal[terminal][field]].append(terminal)
                    break
            else:
                rest.append(terminal)
        for field in order:
            if buckets[field]:
                self.indexes.append((field, {v: tuple(ts) for v, ts in buckets[field].items()},
                                     tuple(chain.from_iterable(buckets[field].values()))))
        self.rest = tuple(rest)
        # field -> the patterns of ``rest`` that cannot match while that field is None (unknown)
        self.fail_on_none: dict = defaultdict(set)
        for terminal in rest:
            for field in _fails_on_none(terminal.checks):
                self.fail_on_none[field].add(terminal)

    def candidates(self, fact):
        out = list(self.rest)
        if self.fail_on_none:  # a pattern whose predicate needs a field that is unknown: skip
            skip: set = set()
            for field, terminals in self.fail_on_none.items():
                if fact.get(field, _MISSING) is None:
                    skip |= terminals
            if skip:
                out = [t for t in out if t not in skip]
        for field, buckets, everything in self.indexes:
            value = fact.get(field, _MISSING)
            if value is _MISSING:
                continue
            try:
                found = buckets.get(value)
            except TypeError:  # an unhashable value: try every pattern of this index
                out.extend(everything)
                continue
            if found:
                out.extend(found)
        return out


def _fails_on_none(checks) -> list:
    """Fields on which a pattern has a predicate that says, of itself, that it never holds for
    None (``none_fails``, which ``elements.field_predicate`` works out once): the pattern cannot
    match a fact whose field is None, so the test need not run. Other predicates are run."""
    out = []
    for check in checks:
        if not (isinstance(check, FeatureCheck) and plain_field(check.what)):
            continue
        parts = check.how if isinstance(check.how, ANDFC) else (check.how,)
        if any(type(p) is P and getattr(p.match, "none_fails", False) for p in parts):
            out.append(check.what)
    return out


def _literal_fields(checks) -> dict:
    """Fields a pattern tests for equality with a hashable literal, and the literal."""
    out = {}
    for check in checks:
        if (isinstance(check, FeatureCheck) and plain_field(check.what)
                and type(check.how) is L and check.how.__bind__ is None):
            try:
                hash(check.how.value)
            except TypeError:
                continue
            out[check.what] = check.how.value
    return out


def _check_rank(check) -> tuple:
    """Cheap, selective tests first; bindings next; the fact capture last (as experta)."""
    if isinstance(check, FactCapture):
        return (3, "")
    how = check.how if isinstance(check, FeatureCheck) else None
    if type(how) is L and how.__bind__ is None:
        return (0, str(check.what))
    if type(how) is W:
        return (2, str(check.what))
    return (1, str(check.what))
