"""Conditions on findings read as sets of finding ids, so that lint can compare them: when one
such condition implies another, and when two exclude each other.

``finding(x)``, ``barrier(severity='blocking', mitigated=false)``, ``count(enabler()) >= 2`` and
their negations are closed-world: they ask whether (at least n) asserted findings match. Which
findings can match is known from the knowledge base (the ids whose kind, factor, severity and id
fit, ``dependencies.finding_ids_matching``), so ``barrier(id='wait_and_cash_squeeze',
mitigated=false)`` implies ``barrier(severity='blocking', mitigated=false)`` when that finding
is blocking. Whether a barrier is mitigated depends on the case, so it must agree exactly.

Must not: evaluate rules on cases; decide what is a problem (lint does). Entry points:
``finding_conditions(rule, kb) -> list[FindingCondition]``, ``implies(a, b)``,
``excludes(a, b)``, ``conjuncts(node)``.
"""
from __future__ import annotations

from dataclasses import dataclass

from engine import language as c
from engine.knowledge.dependencies import finding_ids_matching
from engine.knowledge.spec import KnowledgeBase, RuleSpec


@dataclass(frozen=True)
class FindingCondition:
    """At least ``at_least`` asserted findings among ``ids`` (whose assessment is
    ``mitigated``, when not None) or, ``negated``, none of them."""

    ids: frozenset
    mitigated: bool | None
    at_least: int = 1
    negated: bool = False
    text: str = ""


def finding_conditions(rule: RuleSpec, kb: KnowledgeBase) -> list[FindingCondition]:
    """The conditions on findings among the rule's top-level conjuncts, in order."""
    out = []
    for cond in rule.conditions:
        for node in conjuncts(cond.node):
            found = read(node, kb)
            if found is not None:
                out.append(found)
    return out


def read(node, kb: KnowledgeBase, negated: bool = False) -> FindingCondition | None:
    """One condition as a ``FindingCondition``; None when it is not about findings alone."""
    text = c.to_text(node)
    if isinstance(node, c.Not):
        return read(node.operand, kb, not negated)
    if isinstance(node, c.FindingRef):
        return FindingCondition(frozenset({node.finding}), None, 1, negated, text)
    if isinstance(node, c.FindingPattern):
        ids = frozenset(finding_ids_matching(node, kb.finding_specs))
        return FindingCondition(ids, node.attr("mitigated"), 1, negated, text)
    if isinstance(node, c.Count) and not negated:
        ids = frozenset(finding_ids_matching(node.pattern, kb.finding_specs))
        return FindingCondition(ids, node.pattern.attr("mitigated"), node.at_least, False, text)
    return None


def implies(a: FindingCondition, b: FindingCondition) -> bool:
    """Whenever ``a`` holds, ``b`` holds."""
    if a.negated != b.negated:
        return False
    if not a.negated:  # a's findings are among b's, assessed alike, and at least as many
        return a.ids <= b.ids and b.mitigated in (None, a.mitigated) and \
            a.at_least >= b.at_least
    return b.ids <= a.ids and a.mitigated in (None, b.mitigated)  # none of a's: none of b's


def excludes(a: FindingCondition, b: FindingCondition) -> bool:
    """``a`` and ``b`` cannot hold on one case: one asks for findings the other forbids."""
    if a.negated == b.negated:
        return False
    present, absent = (b, a) if a.negated else (a, b)
    return present.ids <= absent.ids and absent.mitigated in (None, present.mitigated)


def conjuncts(node) -> list:
    """``a and b`` as its parts (also under a double negation); anything else as itself."""
    if isinstance(node, c.And):
        return [part for item in node.items for part in conjuncts(item)]
    if isinstance(node, c.Not) and isinstance(node.operand, c.Not):
        return conjuncts(node.operand.operand)
    return [node]
