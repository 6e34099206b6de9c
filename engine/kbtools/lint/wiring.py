"""Wiring: barrier rules and the remedies the intervention catalogue lists for them.

The catalogue says, for each intervention, which barrier rules it is used for (``use_when`` in
``interventions.yaml``, brief section 5). A barrier rule so listed should advise it; where it
deliberately does not, it says why in ``omits: {INTERVENTION: why}``.

KB801 (warning)
    A barrier rule the catalogue lists an intervention for recommends no such intervention and
    does not say why. Add a ``recommend`` of it to the rule, or ``omits: {ID: why not}``.
KB802 (warning)
    A rule's ``omits`` names an intervention it recommends anyway, or one the catalogue does not
    list for it: the reason is stale. Remove the entry.
KB803 (warning)
    ``use_when`` names a rule that asserts no barrier: the catalogue lists remedies for
    barriers. Name the barrier rule, or remove the entry.

Only what a rule recommends itself counts: a remedy of the table (``remedies.yaml``) is advised
only where it is available, so it does not stand in for the barrier rule's own advice.

Must not: judge whether advice is harmful (``harm``). Entry point: ``check(ctx)``.
"""
from __future__ import annotations

from engine.errors import Problem
from engine.knowledge.spec import RecommendAction

from .context import Context, problem

ID = "wiring"


def check(ctx: Context) -> list[Problem]:
    """KB801-KB803, rule by rule."""
    listed: dict = {}  # rule id -> interventions the catalogue lists for it
    out = []
    for iid, spec in ctx.kb.interventions.items():
        for rid in spec.use_when:
            rule = ctx.rules.get(rid)
            if rule is None:
                continue  # the loader reports it
            if not any(f.kind == "barrier" for f in rule.findings()):
                out.append(problem("KB803", spec.loc, f'{iid}: use_when names rule "{rid}", which '
                                                      "asserts no barrier", "warning"))
                continue
            listed.setdefault(rid, []).append(iid)
    for rule in ctx.kb.rules:
        advised = {a.intervention for a in rule.actions_of(RecommendAction)}
        omitted = dict(rule.omits)
        for iid in listed.get(rule.id, ()):
            if iid not in advised and iid not in omitted:
                out.append(problem("KB801", rule.loc,
                                   f'rule "{rule.id}" asserts a barrier the catalogue lists {iid} '
                                   f"for (interventions.yaml use_when), but does not recommend it:"
                                   f' add a recommend, or say why not in "omits: {{{iid}: ...}}"',
                                   "warning"))
        for iid in omitted:
            if iid in advised or iid not in listed.get(rule.id, ()):
                why = "recommends it anyway" if iid in advised else \
                    f"is not listed under {iid}'s use_when"
                out.append(problem("KB802", rule.loc, f'rule "{rule.id}" omits {iid} but {why}: '
                                                      "remove the entry", "warning"))
    return out
