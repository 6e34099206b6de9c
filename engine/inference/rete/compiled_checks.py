"""A pattern's field checks compiled into one function, with experta's semantics.

experta tests a fact against a pattern with one check object per field (``FeatureCheck`` with a
literal ``L``, a predicate ``P``, a wildcard ``W``, or ``&``, ``|``, ``~`` of them) and merges
the bindings each returns into a context. ``compile_pattern`` does the same in one closure per
pattern: a missing field is no match; bindings must agree within the pattern (a negated binding
must differ); the pattern binds the fact itself last. The common pattern (plain fields, distinct
bindings) gets a faster closure that builds its context in one dict.

Must not: change what matches (``tests/test_matcher.py`` compares with stock experta); log.
Entry points: ``compile_pattern(checks)``, ``merge_all(results)`` (experta's own checks'
results merged, for the logged path), ``plain_field(what)``.
"""
from __future__ import annotations  # noqa: I001 - experta after compat

from collections.abc import Mapping

from engine.compat import experta  # noqa: F401 - compat first: it makes experta importable
from experta.fieldconstraint import ANDFC, L, NOTFC, ORFC, P, W
from experta.matchers.rete.check import FactCapture, FeatureCheck


def plain_field(what) -> bool:
    """A field experta reads as ``fact[what]`` (no nested ``a__b`` access, no special key)."""
    if isinstance(what, str):
        return "__" not in what and not what.isnumeric()
    return isinstance(what, int)


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
        if not isinstance(check, FeatureCheck) or not plain_field(check.what):
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


def merge_all(results):
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
    if not isinstance(check, FeatureCheck) or not plain_field(check.what):
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
