"""Working memory: the experta fact classes a compiled knowledge base reads and asserts.

- ``Case``: one fact holding every input fact (``None`` when unknown); rules test its fields.
- ``Finding``, ``Mitigation``, ``Derived``, ``Verdict``: what rules conclude; other rules match them.
- ``Assessment``: one per barrier once mitigations are in, saying whether it counts as mitigated
  (built-in rule ``ASSESS``, ``policy.counts_as_mitigated``); ``barrier(mitigated=false)``
  matches these.
- ``Tally``: how many distinct findings (or assessments) matching a ``count(...)`` pattern are
  in working memory; one per step up to the largest ``n`` a rule asks (``Tally(key, n)``).
- ``Fired``: one per firing of a rule that some condition reads with ``fired(...)``, which
  matches it (``compiler.fired_read``).

Must not: decide anything (the compiler and the session do). Entry points: the fact classes,
``new_fact(cls, **fields)``, ``WorkingMemory`` (experta's fact list).
"""
from __future__ import annotations  # noqa: I001 - experta after compat

import logging

from engine.compat import Fact, watchers
from experta.factlist import FactList
from experta.utils import freeze


class Case(Fact):
    """All input facts of the consultation, one field each."""


class Finding(Fact):
    """A barrier, enabler or note: id, kind, factor, severity, mitigable."""


class Mitigation(Fact):
    """A mitigation available in this case for a barrier: finding, by."""


class Derived(Fact):
    """A value computed by a rule: name, value."""


class Verdict(Fact):
    """The concluded verdict: value."""


class Fired(Fact):
    """A rule has fired: rule."""


class Tally(Fact):
    """A count's pattern has matched n distinct findings: key (the pattern), n."""


class Assessment(Fact):
    """A barrier after mitigations: finding, kind, factor, severity, mitigated."""


class WorkingMemory(FactList):
    """experta's fact list; a fact's identity (to refuse duplicates) computed without a call
    to ``Fact.is_special`` per field (a few per cent of a consultation), and ``declare`` without
    a call to a validation that has nothing to check or a logger that is off."""

    def declare(self, fact):
        """experta's ``FactList.declare``: the fact with its id, or None for a duplicate."""
        if not isinstance(fact, Fact):
            raise ValueError("The fact must descend the Fact class.")
        if fact.__fields__:
            fact.validate()
        fact_id = self._get_fact_id(fact)
        counter = self.reference_counter
        if not self.duplication and fact_id in counter:
            return None
        idx = self.last_index
        fact.__factid__ = idx
        self[idx] = fact
        self.last_index = idx + 1
        self.added.append(fact)
        counter[fact_id] += 1
        if watchers.FACTS.isEnabledFor(logging.INFO):
            watchers.FACTS.info(" ==> %s: %r", fact, fact)
        return fact

    @staticmethod
    def _get_fact_id(fact):
        return frozenset([fact.__class__] + [
            (k, v) for k, v in fact.items()
            if not (isinstance(k, str) and k.startswith("__") and k.endswith("__"))])


_PLAIN = (str, int, float, bool, type(None), tuple)  # values experta's ``freeze`` keeps as they are


def new_fact(cls, **fields) -> Fact:
    """``cls(**fields)`` without experta's per-field ``__setitem__`` and ``freeze`` dispatch:
    the same dict and attributes, for the facts the engine itself declares."""
    fact = cls.__new__(cls)
    for key, value in fields.items():
        if type(value) not in _PLAIN:
            fields[key] = freeze(value)
    dict.update(fact, fields)
    fact._Fact__defaults = {}
    return fact
