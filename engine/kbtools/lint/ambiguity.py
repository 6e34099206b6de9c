"""Ambiguity: two rules that can derive one value on the same case.

KB704 (warning)
    Two rules derive the same derived fact with different values, and their conditions can hold
    on the same case: the value the other rules then read depends on which of them fires last,
    that is on the order of the files, not on the knowledge. Make their conditions exclusive
    (``x is known`` / ``x is unknown``, distinct values, ``not fired('R')``), or derive two
    facts. Rules that derive the same value (the same expression) agree, and are not reported.

Exclusion is judged by ``pairs``: facts as intervals and value sets, findings as id sets, what
the only producer of a derived fact needed, and ``not fired``; a pair it cannot show exclusive
is reported, so a pair the knowledge engineer knows to be exclusive for a reason lint cannot
see takes a waiver with that reason.

Must not: judge verdict rules (``verdict_table``: their order decides on purpose). Entry point:
``check(ctx)``.
"""
from __future__ import annotations

from engine import language as c
from engine.errors import Problem
from engine.knowledge.spec import DeriveAction

from . import pairs
from .context import Context, about_rules, problem

ID = "ambiguity"


def check(ctx: Context) -> list[Problem]:
    """KB704 for each pair of rules deriving one fact, reported at the later rule."""
    out = []
    by_name: dict = {}
    for rule in ctx.kb.rules:
        if ctx.constraints[rule.id].first_empty is not None:
            continue  # can never fire (reachability)
        for action in rule.actions_of(DeriveAction):
            by_name.setdefault(action.name, []).append((rule, c.to_text(action.value)))
    for name, producers in by_name.items():
        for i, (first, first_value) in enumerate(producers):
            for later, value in producers[i + 1:]:
                if value != first_value and not pairs.exclusive(ctx, first, later):
                    out.append(problem(
                        "KB704", later.loc,
                        f'rules "{later.id}" and "{first.id}" ({first.loc}) both derive '
                        f'"{name}" ({value} and {first_value}) and can hold on the same case: '
                        "the value used then depends on which fires last. Make their "
                        "conditions exclusive", "warning", about_rules(later, first)))
    return out
