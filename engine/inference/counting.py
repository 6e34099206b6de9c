"""What a compiled knowledge base declares for the conditions that count: ``count(...)`` and
``fired(...)``.

- ``count(pattern) >= n`` is not an n-way join of findings (C(m, n) partial matches): the
  session tallies the distinct findings (or assessments) each count's pattern matches as it
  declares them, and declares ``Tally(key, n)`` up to the largest n a rule asks; the rule joins
  that one fact (``tally_counts`` gives the tests, ``Counting`` does the tallying). When the
  rule fires, its trace names the findings the join would have bound.
- a ``Fired`` fact is declared only for the rules some condition reads with ``fired(...)``
  (``fired_read``).

Must not: print or do I/O. Entry points: ``fired_read(kb)``, ``tally_counts(counted)`` (for the
compiler), ``Counting`` (a base of the session's engine class).
"""
from __future__ import annotations

from engine import language as c
from engine.inference.memory import Assessment, Finding, Tally, new_fact
from engine.knowledge.spec import KnowledgeBase


def fired_read(kb: KnowledgeBase) -> frozenset:
    """Ids of the rules some condition reads with ``fired(...)``: only their firings declare a
    ``Fired`` fact (a fact no pattern reads would only cost its matching; fewer facts shift
    later fact ids without changing their order, so the agenda's order is the same)."""
    return frozenset(node.rule for rule in kb.rules for cond in rule.conditions
                     for node in c.walk(cond.node) if isinstance(node, c.Fired))


def tally_counts(counted: dict) -> dict:
    """Fact class -> ((count key, test on a fact of that class, largest n), ...): what the
    session tallies as it declares findings and assessments (``memory.Tally``)."""
    out: dict = {}
    for key, (pattern, largest) in counted.items():
        fields = {"kind": (pattern.kind,)} if pattern.kind else {}
        mitigated = pattern.attr("mitigated") is not None
        for name, value in pattern.attrs:
            name = "finding" if name == "id" and mitigated else name
            fields[name] = value if isinstance(value, tuple) else (value,)
        out.setdefault(Assessment if mitigated else Finding, []).append(
            (key, _fields_test(tuple(fields.items())), largest))
    return {cls: tuple(entries) for cls, entries in out.items()}


def _fields_test(fields: tuple):
    def test(fact) -> bool:
        return all(fact.get(name) in allowed for name, allowed in fields)
    return test


class Counting:
    """The session's half of ``count(...)``: the facts each count has counted so far."""

    counts: dict  # fact class -> ((count key, test, largest n), ...) (``tally_counts``)
    counted: dict  # count key -> the facts it counted, in declaration order (per consultation)

    def _tally(self, fact, counts: tuple, declare_one) -> None:
        """Count a new finding or assessment for each ``count(...)`` whose pattern it matches;
        declare ``Tally(key, n)`` up to the largest n a rule asks of that count."""
        for key, test, largest in counts:
            if test(fact):
                seen = self.counted.setdefault(key, [])
                seen.append(fact)
                if len(seen) <= largest:
                    declare_one(new_fact(Tally, key=key, n=len(seen)))

    def _counted_bindings(self, plan, bindings: dict) -> dict:
        """``bindings`` with each Tally replaced by the findings it counted, bound to the names
        of the n-way join the count stands for, as the agenda would have picked them: the join
        activation with the most recent facts wins, so the most recently declared findings not
        bound otherwise (then those that are), bound in increasing order of their ids."""
        out = dict(bindings)
        for var, key, names in plan.tallies:
            if out.pop(var, None) is None:
                continue  # another branch of the rule
            other = {id(f) for f in out.values() if isinstance(f, (Finding, Assessment))}
            seen = self.counted[key]
            chosen = ([f for f in reversed(seen) if id(f) not in other]
                      + [f for f in reversed(seen) if id(f) in other])[:len(names)]
            field = "finding" if isinstance(chosen[0], Assessment) else "id"
            out.update(zip(names, sorted(chosen, key=lambda f: f[field])))
        return out
