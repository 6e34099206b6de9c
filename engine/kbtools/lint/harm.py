"""Harm: advice the knowledge base forbids itself ("do no harm", ``never`` in
``interventions.yaml``).

Each intervention may carry ``never`` pairs: never advise it when a condition holds (a market
that ends with a project, a buyer known not to exist ...). The consultation withholds it there
and says so; these checks make sure the pairs and the rules agree.

KB811 (error)
    A rule advises an intervention (``recommend``, or a ``mitigate`` by it) although its own
    conditions - with the findings it asserts - imply a ``never`` condition of that
    intervention: its advice would always be withheld. The rule and the pair contradict each
    other; change the rule's conditions, or the pair.
KB812 (warning)
    A ``never`` pair of an intervention that no rule advises: it protects nothing. Remove it, or
    fix the intervention id.
KB813 (error)
    A ``never`` condition that can never hold (its conditions contradict each other or ask for a
    value the fact cannot take): the pair protects nothing. Fix the condition.

Conditions lint cannot read count as unconstrained, so KB811 is reported only when implied.

Must not: check which rules list an intervention (``wiring``). Entry point: ``check(ctx)``.
"""
from __future__ import annotations

from engine.errors import Problem
from engine.kbtools import constraints as k
from engine.knowledge.spec import MitigateAction, RecommendAction, RuleSpec

from .context import Context, problem

ID = "harm"


def check(ctx: Context) -> list[Problem]:
    """KB811-KB813, pair by pair in the catalogue's order."""
    out = []
    advisers: dict = {}
    for rule in ctx.kb.rules:
        for iid in _advised(rule):
            advisers.setdefault(iid, []).append(rule)
    for iid, spec in ctx.kb.interventions.items():
        for never in spec.never:
            pseudo = RuleSpec(never.id, "", never.reason, (never.condition,), (), never.sources,
                              loc=never.loc)
            cn = k.rule_constraints(pseudo, ctx.kb)
            if cn.first_empty is not None:
                out.append(problem("KB813", never.condition.loc,
                                   f"{never.id}: the condition can never hold: "
                                   f"{k.describe(cn.first_empty[0])} has no value that fits"))
                continue
            if iid not in advisers:
                out.append(problem("KB812", never.loc, f"{never.id}: no rule advises {iid}, so "
                                                       "the pair protects nothing", "warning"))
            for rule in advisers.get(iid, ()):
                if _implies(ctx, rule, cn):
                    out.append(problem("KB811", rule.loc,
                                       f'rule "{rule.id}" advises {iid} where {never.id} '
                                       f"({never.loc}) always forbids it ({never.reason}): "
                                       "change the rule's conditions or the pair"))
    return out


def _advised(rule: RuleSpec) -> set:
    return ({a.intervention for a in rule.actions_of(RecommendAction)}
            | {a.by for a in rule.actions_of(MitigateAction)})


def _implies(ctx: Context, rule: RuleSpec, never) -> bool:
    """Whenever the rule fires (its conditions hold and its findings are asserted), the never
    condition holds."""
    have = dict(ctx.constraints[rule.id].by_key)
    for finding in rule.findings():
        key = ("finding", finding.id)
        have[key] = k.meet(have.get(key, k.Constraint()), k.Constraint(known=True))
    if not never.opaque <= ctx.constraints[rule.id].opaque:
        return False
    return all(key in have and k.implies(have[key], con, k.domain_of(key, ctx.kb))
               for key, con in never.by_key.items())
