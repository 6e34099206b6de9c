"""Overlap: rules that say the same thing twice, and rules that say opposite things at once.

KB401 (warning)
    A duplicate or subsumed rule: the same conclusion as another rule, and its conditions imply
    the other's, so it never adds anything. Remove the narrower rule, or make the conclusions
    differ. For verdict rules the order counts too: the narrower rule is redundant only if the
    broader one is tried no later (its salience is no lower).
KB402 (warning)
    A barrier and an enabler on one factor whose conditions can hold on the same case. Make the
    conditions exclusive, or add ``compatible_with: [other rule id]`` to the later rule if both
    are meant. Rules that speak about different facts are separate evidence, not a conflict.

Rules that can never fire are left out (``reachability`` reports them). Conditions lint cannot
read count as unconstrained, so it reports only overlaps it can prove.

Must not: report rules that cannot fire. Entry point: ``check(ctx)``.
"""
from __future__ import annotations

from engine import language as c
from engine.errors import Problem
from engine.kbtools import constraints as k
from engine.knowledge.spec import (
    DeriveAction, FindingAction, MitigateAction, RecommendAction, RuleSpec, VerdictAction,
)

from .context import Context, about_rules, problem

ID = "overlap"


def check(ctx: Context) -> list[Problem]:
    """KB401 and KB402 for every pair of satisfiable rules, in file order."""
    out = []
    rules = [r for r in ctx.kb.rules if ctx.constraints[r.id].first_empty is None]
    signature = {r.id: _conclusion(r) for r in rules}
    for i, a in enumerate(rules):
        for b in rules[i + 1:]:
            if signature[a.id] == signature[b.id]:
                out.extend(_subsumption(ctx, a, b))
            conflict = _conflict(ctx, a, b) or _conflict(ctx, b, a)
            if conflict:
                out.append(conflict)
    return out


def _subsumption(ctx: Context, a: RuleSpec, b: RuleSpec) -> list[Problem]:
    """``a`` comes first in the files. Report the redundant rule (the later if equal)."""
    a_in_b, b_in_a = _implies(ctx, a, b), _implies(ctx, b, a)
    if a.concludes_verdict:  # the first matching verdict rule wins: order matters too
        a_in_b = a_in_b and b.salience >= a.salience
        b_in_a = b_in_a and a.salience >= b.salience
    if a_in_b and b_in_a:
        return [problem("KB401", b.loc, f'rule "{b.id}" duplicates rule "{a.id}" ({a.loc}):'
                                        " same conclusion on the same conditions", "warning",
                        about_rules(b, a))]
    if a_in_b:
        redundant, general = a, b
    elif b_in_a:
        redundant, general = b, a
    else:
        return []
    return [problem("KB401", redundant.loc,
                    f'rule "{redundant.id}" is subsumed by rule "{general.id}" '
                    f"({general.loc}): same conclusion, and its conditions imply "
                    f'those of "{general.id}"', "warning", about_rules(redundant, general))]


def _implies(ctx: Context, a: RuleSpec, b: RuleSpec) -> bool:
    """Whenever ``a``'s conditions hold, ``b``'s hold."""
    ca, cb = ctx.constraints[a.id], ctx.constraints[b.id]
    if not cb.opaque <= ca.opaque:
        return False
    for key, con in cb.by_key.items():
        if key not in ca.by_key or not k.implies(ca.by_key[key], con, k.domain_of(key, ctx.kb)):
            return False
    return True


def _conflict(ctx: Context, a: RuleSpec, b: RuleSpec) -> Problem | None:
    """``a`` asserts a barrier, ``b`` an enabler, on one factor, and both can hold."""
    barriers = {f.factor for f in a.findings() if f.kind == "barrier"}
    factors = sorted(barriers & {f.factor for f in b.findings() if f.kind == "enabler"})
    if not factors or b.id in a.compatible_with or a.id in b.compatible_with:
        return None
    if not _can_hold_together(ctx, a, b):
        return None
    later, earlier = (b, a) if _order(b) > _order(a) else (a, b)
    return problem("KB402", later.loc,
                   f'rules "{a.id}" (barrier) and "{b.id}" (enabler) on {", ".join(factors)}'
                   f" can hold on the same case ({earlier.id} at {earlier.loc}): make their "
                   f'conditions exclusive, or add "compatible_with: [{earlier.id}]" to '
                   f'"{later.id}" if both are meant', "warning", about_rules(later, earlier))


def _can_hold_together(ctx: Context, a: RuleSpec, b: RuleSpec) -> bool:
    """Both rules speak about something in common, and lint cannot show them exclusive."""
    ca, cb = ctx.constraints[a.id], ctx.constraints[b.id]
    shared = set(ca.by_key) & set(cb.by_key) | (ca.opaque & cb.opaque)
    if not shared:
        return False  # they speak about different things: separate evidence, not a conflict
    for key in set(ca.by_key) & set(cb.by_key):
        if k.is_empty(k.meet(ca.by_key[key], cb.by_key[key]), k.domain_of(key, ctx.kb)):
            return False
    return not (_negates_one(ca.opaque, cb.opaque) or _negates_one(cb.opaque, ca.opaque))


def _negates_one(texts: set, others: set) -> bool:
    """Some opaque condition of ``others`` is written as the negation of one of ``texts``."""
    return any(f"not {text}" in others or f"not ({text})" in others for text in texts)


def _order(rule: RuleSpec) -> tuple:
    return (rule.loc.path, rule.loc.line, rule.loc.col)


def _conclusion(rule: RuleSpec) -> tuple:
    """What a rule concludes, without texts: two rules with equal signatures say the same."""
    parts = set()
    for a in rule.actions:
        if isinstance(a, FindingAction):
            parts.add(("finding", a.id))
        elif isinstance(a, RecommendAction):
            parts.add(("recommend", a.intervention, a.fact))
        elif isinstance(a, MitigateAction):
            parts.add(("mitigate", a.finding, a.by))
        elif isinstance(a, DeriveAction):
            parts.add(("derive", a.name, c.to_text(a.value)))
        elif isinstance(a, VerdictAction):
            parts.add(("verdict", a.value))
    return tuple(sorted(parts, key=str))
