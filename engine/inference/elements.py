"""The experta pieces compiled rules are made of: field predicates, tests, the rule class.

- ``field_predicate``: a ``P`` on one ``Case`` field; ``test_over``: a ``TEST`` over bound
  variables. Both hold only when the condition definitely holds (three-valued, ``logic``), each
  evaluated by one closure compiled once (``compiled.compile_holds``).
- every ``TEST`` made here also carries ``context_test``, the same test reading the matcher's
  context directly, which ``beta.LeanWhere`` calls instead of experta's keyword-argument call.
- ``CompiledRule``: experta's ``Rule``, hashed once.
Nothing here reads files or prints. Used by ``compiler`` only.
"""
from __future__ import annotations

import inspect


from engine.language import compiled
from engine.compat import TEST, L, P, Rule


class CompiledRule(Rule):
    """experta's ``Rule``, hashed once: experta hashes every condition element on each call,
    and the agenda and conflict sets hash an activation's rule hundreds of times per
    consultation. Same hash and equality as ``Rule`` (recomputed if what it covers changes)."""

    def __hash__(self):
        cached = self.__dict__.get("_hash_cache")
        if (cached is not None and cached[0] is self._wrapped
                and cached[1] is self._wrapped_self and cached[2] == self.salience):
            return cached[3]
        value = super().__hash__()
        self._hash_cache = (self._wrapped, self._wrapped_self, self.salience, value)
        return value

    __eq__ = Rule.__eq__


def field_predicate(node, fact: str):
    """A ``P`` predicate on one Case field: true only when the condition definitely holds."""
    holds = compiled.compile_holds(node)

    def predicate(value):
        return holds({fact: value})
    predicate.none_fails = not holds({fact: None})  # alpha skips it on an unknown value
    return P(predicate)


def test_over(node, names: dict):
    """A ``TEST`` over bound variables; ``names`` maps variable -> fact or derived name."""
    holds = compiled.compile_holds(node)

    def test(**bound):
        return holds({names[var]: value for var, value in bound.items()})
    test.__signature__ = inspect.Signature(
        [inspect.Parameter(v, inspect.Parameter.KEYWORD_ONLY) for v in names])
    pairs = tuple(names.items())

    def context_test(context):  # the same test on the matcher's context (beta.LeanWhere)
        return holds({name: context.get(var) for var, name in pairs})
    test.context_test = context_test
    return TEST(test)


def in_values(values):
    """A field constraint: equal to one of ``values``."""
    values = values if isinstance(values, tuple) else (values,)
    constraint = L(values[0])
    for v in values[1:]:
        constraint = constraint | L(v)
    return constraint
