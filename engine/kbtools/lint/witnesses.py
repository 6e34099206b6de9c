"""Witnesses: every rule shows, in an example, a case where it fires.

KB705 (warning)
    A rule whose examples all say ``fires: false``: nothing shows that it can fire at all, and
    a rule that never can (shadowed, or needing what never comes) passes ``kb test`` unseen.
    Add an example with ``fires: true``; if no such case exists, the rule is dead: fix or remove
    it. (A rule with no example at all is KB602.)

Must not: run the examples (``kb test`` does, and checks that each one says the truth). Entry
point: ``check(ctx)``.
"""
from __future__ import annotations

from engine.errors import Problem

from .context import Context, about_rules, problem

ID = "witnesses"


def check(ctx: Context) -> list[Problem]:
    """KB705, rule by rule in file order."""
    return [problem("KB705", rule.loc,
                    f'rule "{rule.id}" has no example where it fires (its {len(rule.examples)} '
                    "example(s) all say fires: false): add one with fires: true, or fix the "
                    "rule if no case can make it fire", "warning", about_rules(rule))
            for rule in ctx.kb.rules
            if rule.examples and not any(e.fires for e in rule.examples)]
