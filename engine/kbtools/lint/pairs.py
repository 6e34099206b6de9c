"""Two rules' conditions compared: whether one implies the other, whether they exclude each other.

Read by the families that judge pairs of rules (``verdict_table``, ``ambiguity``). A rule's
conditions are taken conjunct by conjunct: a condition on one fact as an interval or value set
(``constraints.reading``), a condition on findings as a set of finding ids
(``constraints.patterns``), anything else as its text, which only the same text implies. Both
answers err on the safe side: ``implies`` is True only when it is certain, ``exclusive`` only
when the rules certainly cannot hold on one case, so the checks built on them report only what
they can show.

A rule that needs a derived fact also needs what its only producer needed (one level), and a
rule that asks ``not fired('R')`` cannot fire together with R.

Must not: report problems; evaluate rules on cases. Entry points: ``implies(ctx, a, b)``,
``exclusive(ctx, a, b)``, ``is_verdict_guard(node)``.
"""
from __future__ import annotations

from engine import language as c
from engine.kbtools import constraints as k
from engine.kbtools.constraints import patterns
from engine.kbtools.constraints.reading import _Opaque, atoms
from engine.knowledge.spec import RuleSpec

from .context import Context


def is_verdict_guard(node) -> bool:
    """``verdict is unknown``: every verdict rule has it, written or not."""
    return isinstance(node, c.IsKnown) and node.operand.name == "verdict" and not node.known


def implies(ctx: Context, a: RuleSpec, b: RuleSpec) -> bool:
    """Whenever ``a``'s conditions hold, ``b``'s hold (the verdict guard left aside)."""
    mine = ctx.constraints[a.id].by_key
    found = patterns.finding_conditions(a, ctx.kb)
    texts = {c.to_text(node) for cond in a.conditions for node in patterns.conjuncts(cond.node)}
    for cond in b.conditions:
        for node in patterns.conjuncts(cond.node):
            if is_verdict_guard(node):
                continue
            wanted = patterns.read(node, ctx.kb)
            if wanted is not None:
                if not any(patterns.implies(have, wanted) for have in found):
                    return False
                continue
            try:
                parts = atoms(node, ctx.kb)
            except _Opaque:
                if c.to_text(node) not in texts:
                    return False
                continue
            for key, con in parts:
                if key not in mine or not k.implies(mine[key], con, k.domain_of(key, ctx.kb)):
                    return False
    return True


def exclusive(ctx: Context, a: RuleSpec, b: RuleSpec) -> bool:
    """``a`` and ``b`` certainly cannot both hold on one case."""
    for x, y in ((a, b), (b, a)):
        key = ("fired", y.id)
        if key in ctx.constraints[x.id].by_key and \
                ctx.constraints[x.id].by_key[key].known is False:
            return True  # x runs after y and only if y did not fire
    ca, cb = _effective(ctx, a), _effective(ctx, b)
    for key in set(ca) & set(cb):
        if k.is_empty(k.meet(ca[key], cb[key]), k.domain_of(key, ctx.kb)):
            return True
    fa, fb = patterns.finding_conditions(a, ctx.kb), patterns.finding_conditions(b, ctx.kb)
    if any(patterns.excludes(x, y) for x in fa for y in fb):
        return True
    ta, tb = ctx.constraints[a.id].opaque, ctx.constraints[b.id].opaque
    return any(f"not {t}" in tb or f"not ({t})" in tb for t in ta) or \
        any(f"not {t}" in ta or f"not ({t})" in ta for t in tb)


def _effective(ctx: Context, rule: RuleSpec) -> dict:
    """The rule's constraints by key, with those of the only producer of each derived fact it
    needs (one level: what that producer needed held when the value was derived)."""
    out = dict(ctx.constraints[rule.id].by_key)
    for key in list(out):
        if key[0] != "fact" or key[1] not in ctx.kb.derived_facts or out[key].known is False:
            continue
        producers = ctx.producers.get(("derived", key[1]), [])
        if len(producers) == 1 and producers[0] != rule.id:
            for pkey, con in ctx.constraints[producers[0]].by_key.items():
                out[pkey] = k.meet(out.get(pkey, k.Constraint()), con)
    return out
