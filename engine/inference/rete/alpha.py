"""The alpha network of ``matcher.LeanReteMatcher``: which patterns a fact matches, by lookup.

experta's alpha network is a trie of feature tests tried one after another: every declared fact
was compared with every finding id, kind and rule name any pattern tests, each comparison a
Python call that also called a logger (about 2,000 tests per consultation). Here:
- facts are dispatched on their exact type (experta's ``TypeCheck``), then on the fields that
  patterns test for equality with a literal (``Finding(id="B1")``) by dictionary lookup, so a
  fact only meets the patterns that could match it;
- each pattern's remaining tests (predicates on ``Case`` fields, bindings) run as one compiled
  function per pattern, with experta's semantics (missing field = no match; bindings must agree
  within the pattern; the pattern binds the fact itself last);
- nothing is logged, unless experta's ``MATCH`` watcher is on: then the pattern runs experta's
  own checks, which log as they always did.

A pattern's result is the context experta's trie would have built for it, and each pattern ends
in an ``AlphaTerminal`` to which experta's own ``wire_rule`` attaches the beta network.
No I/O. Entry point: ``AlphaNetwork(ruleset)``; ``.terminals`` (pattern -> node) and
``.matches(fact)`` (pairs of terminal and context).
"""
from __future__ import annotations  # noqa: I001 - experta after compat

from collections import Counter, defaultdict
from collections.abc import Mapping
from itertools import chain

from engine.compat import experta  # noqa: F401 - compat first: it makes experta importable
from experta.fact import InitialFact
from experta.fieldconstraint import ANDFC, L, NOTFC, ORFC, P, W
from experta.matchers.rete.abstract import Node
from experta.matchers.rete.check import FactCapture, FeatureCheck, TypeCheck
from experta.matchers.rete.mixins import AnyChild, NoMemory
from experta.matchers.rete.utils import extract_facts, generate_checks
from experta.rule import Rule

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
        return _merge_all(check(fact) for check in self.checks)

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

    def candidates(self, fact):
        out = list(self.rest)
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


def _literal_fields(checks) -> dict:
    """Fields a pattern tests for equality with a hashable literal, and the literal."""
    out = {}
    for check in checks:
        if (isinstance(check, FeatureCheck) and _plain_field(check.what)
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


def _plain_field(what) -> bool:
    """A field experta reads as ``fact[what]`` (no nested ``a__b`` access, no special key)."""
    if isinstance(what, str):
        return "__" not in what and not what.isnumeric()
    return isinstance(what, int)


# ---------------------------------------------------------------- compiled pattern tests

def compile_pattern(checks: tuple):
    """One function ``fact -> context dict or None`` doing what experta's checks do in turn."""
    fast = _fast_pattern(checks)
    if fast is not None:
        return fast
    steps = tuple(_compile_check(check) for check in checks)

    def test(fact):
        context = None
        for step in steps:
            result = step(fact)
            if not result:
                return None
            if result is not True:
                context = _merge(context, result)
                if context is None:
                    return None
        return {} if context is None else context
    return test


def _fast_pattern(checks: tuple):
    """The common pattern: plain fields with literals, predicates and distinct bindings.

    Nothing to merge then: every binding is new, so the context is built in one dict."""
    fields, binds = [], []
    capture = None
    for check in checks:
        if isinstance(check, FactCapture):
            capture = check.bind
            binds.append(capture)
            continue
        if not isinstance(check, FeatureCheck) or not _plain_field(check.what):
            return None
        how = check.how
        if type(how) is L:
            expected = how.value
            test = (lambda value, expected=expected: expected == value)
        elif type(how) is P:
            test = how.match
        elif type(how) is W:
            test = None
        else:
            return None
        bind = how.__bind__
        if bind is not None:
            binds.append(bind)
        fields.append((check.what, test, bind))
    if capture is None or len(set(binds)) != len(binds):
        return None
    fields = tuple(fields)

    def test(fact):
        context = {}
        for what, predicate, bind in fields:
            try:
                value = fact[what]
            except (IndexError, KeyError, TypeError):
                return None
            if predicate is not None and not predicate(value):
                return None
            if bind is not None:
                context[bind] = value
        context[capture] = fact
        return context
    return test


def _merge(context, match):
    """experta's ``FeatureTesterNode`` rule for adding a check's bindings to a context."""
    if not isinstance(match, Mapping):
        return context if context is not None else {}
    if context is None:
        context = {}
    for key, value in match.items():
        if isinstance(key, tuple):  # a negated binding
            if key[1] in context and context[key[1]] == value:
                return None
        else:
            if context.get(key, value) != value:
                return None
            if (False, key) in context and context[(False, key)] == value:
                return None
    merged = dict(context)
    merged.update(match)
    return merged


def _merge_all(results):
    context = {}
    for result in results:
        if not result:
            return None
        context = _merge(context, result)
        if context is None:
            return None
    return context


def _compile_check(check):
    if isinstance(check, FactCapture):
        bind = check.bind
        return lambda fact: {bind: fact}
    if not isinstance(check, FeatureCheck) or not _plain_field(check.what):
        return check  # a form not compiled here (nested access, special key): experta's own
    what, constraint = check.what, _compile_constraint(check.how)

    def feature(fact):
        try:
            value = fact[what]
        except (IndexError, KeyError, TypeError):
            return False
        return constraint(value)
    return feature


def _compile_constraint(how):
    """A field constraint as ``value -> False | True | bindings``, like experta's check functions."""
    bind = getattr(how, "__bind__", None)
    if type(how) is L:
        expected = how.value
        if bind is None:
            return lambda value: True if expected == value else False  # noqa: SIM210 - a bool, as experta
        return lambda value: {bind: value} if expected == value else False
    if type(how) is W:
        return (lambda value: True) if bind is None else (lambda value: {bind: value})
    if type(how) is P:
        match = how.match
        if bind is None:
            return lambda value: bool(match(value))
        return lambda value: {bind: value} if match(value) else False
    if isinstance(how, NOTFC):
        inner = _compile_constraint(how[0])

        def negated(value):
            result = inner(value)
            if isinstance(result, Mapping):
                return {(False, k): v for k, v in result.items()}
            return not result
        return negated
    parts = tuple(_compile_constraint(part) for part in how)
    if isinstance(how, ANDFC):
        def conjunction(value):
            bound = {}
            for part in parts:
                result = part(value)
                if result is False:
                    return False
                if isinstance(result, Mapping):
                    bound.update(result)
                elif result is not True:
                    raise TypeError("Bad check value.")
            return bound or True
        return conjunction
    if isinstance(how, ORFC):
        def disjunction(value):
            for part in parts:
                result = part(value)
                if result:
                    return result
            return False
        return disjunction
    raise TypeError(f"unknown field constraint {how!r}")
