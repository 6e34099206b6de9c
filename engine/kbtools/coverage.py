"""Coverage: how much of the rules a set of runs exercised.

A rule is covered when it fired in some run. A condition (one ``when`` entry) is covered when
it was seen both true and false across the runs: a rule that fired saw each of its conditions
true; for a rule that did not fire, each condition is evaluated three-valued
(``language.kleene``) on the run's final state (input facts, derived facts, findings, firings,
verdict, parameters); an error or an unknown counts as neither.

Must not: run rules (it reads finished runs); print. Entry points:
``uncovered_conditions(kb, runs) -> list[ConditionCoverage]``, ``condition_truths(kb, runs)``.
"""
from __future__ import annotations

from dataclasses import dataclass

from engine.knowledge.spec import Condition, KnowledgeBase, RuleSpec
from engine.language import kleene


@dataclass(frozen=True)
class ConditionCoverage:
    """One condition of a rule and the truth values it took (``None``: unknown)."""

    rule: RuleSpec
    condition: Condition
    seen: frozenset  # of True, False, None

    @property
    def missing(self) -> str:
        """What it was never seen as: ``"true"``, ``"false"`` or ``"true and false"``."""
        return " and ".join(w for v, w in ((True, "true"), (False, "false"))
                            if v not in self.seen)


def uncovered_conditions(kb: KnowledgeBase, runs: list) -> list[ConditionCoverage]:
    """The conditions not seen both true and false across ``runs`` (``Run``s), in file order."""
    seen = condition_truths(kb, runs)
    out = []
    for rule in kb.rules:
        for i, cond in enumerate(rule.conditions):
            values = seen.get((rule.id, i), frozenset())
            if not {True, False} <= values:
                out.append(ConditionCoverage(rule, cond, frozenset(values)))
    return out


def condition_truths(kb: KnowledgeBase, runs: list) -> dict:
    """(rule id, condition index) -> set of truth values the condition took across ``runs``."""
    seen: dict = {}
    for run in runs:
        state = run.state(kb.parameter_values)
        for rule in kb.rules:
            for i, cond in enumerate(rule.conditions):
                if rule.id in state.fired:
                    value = True  # it held when the rule fired
                else:
                    try:
                        value = kleene.evaluate(cond.node, state)
                    except (TypeError, ValueError, OverflowError):
                        value = None
                seen.setdefault((rule.id, i), set()).add(value if isinstance(value, bool)
                                                          else None)
    return seen
