"""Documentation: rules without the sources and examples that let a reviewer check them.

KB601 (error)
    A rule that cites no source. Add ``sources:`` (``JUDGMENT`` for the team's own judgment).
KB602 (warning)
    A rule without examples. Add ``examples:``.
KB603 (warning)
    A rule that compares with a parameter but has no near-miss example (one with
    ``fires: false``), so nothing shows where its threshold lies. Add an example with
    ``fires: false``.

The loader refuses a rule without sources, so ``kb lint`` reports KB601 through
``loader_problems``; the check here covers a ``KnowledgeBase`` built in code. The loader's own
warning for a rule without examples is dropped in favour of KB602 from here (reported once).

Must not: check that the examples pass (``kb test`` runs them). Entry point: ``check(ctx)``.
"""
from __future__ import annotations

from engine import language as c
from engine.errors import Problem
from engine.knowledge.spec import RuleSpec

from .context import Context, about_rules, problem

ID = "documentation"


def check(ctx: Context) -> list[Problem]:
    """KB601-KB603, rule by rule in file order."""
    out = []
    for rule in ctx.kb.rules:
        if not rule.sources:
            out.append(problem("KB601", rule.loc, f'rule "{rule.id}" cites no source'))
        if not rule.examples:
            out.append(problem("KB602", rule.loc, f'rule "{rule.id}" has no example', "warning",
                               about_rules(rule)))
        elif _has_threshold(ctx, rule) and all(e.fires for e in rule.examples):
            out.append(problem("KB603", rule.loc,
                               f'rule "{rule.id}" compares with a parameter but has no '
                               "near-miss example (add one with fires: false)", "warning",
                               about_rules(rule)))
    return out


def _has_threshold(ctx: Context, rule: RuleSpec) -> bool:
    names = set().union(*(c.names_in(cond.node) for cond in rule.conditions))
    return bool(names & set(ctx.kb.parameters))
