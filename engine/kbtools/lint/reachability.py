"""Reachability: rules that can never fire, on any case.

KB301 (error)
    Two conditions of a rule contradict each other (``x > 10`` and ``x < 5``), so the rule can
    never fire. Fix the conditions.
KB302 (error)
    A condition asks for a value the fact cannot take (outside its range or values). Fix the
    number or value.
KB303 (error)
    The rule needs a derived fact, a finding, or a finding matching a pattern, that no rule
    produces. Add the producing rule or fix the condition.
KB304 (error)
    The rule needs something that only rules that can never fire produce. Fix those rules first.

A rule can fire when each thing its top-level conditions need is produced by some rule that can
fire (a least fixpoint from the rules that need nothing derived). One branch of an ``or`` is
never needed on its own; conditions lint cannot read count as satisfiable. Rules on a circular
derivation are left to ``derivation`` (KB501), so a circle is reported once.

Must not: report unused vocabulary (``names``) or overlaps (``overlap``). Entry point:
``check(ctx)``.
"""
from __future__ import annotations

from engine import language as c
from engine.errors import Problem
from engine.kbtools import constraints as k
from engine.knowledge.dependencies import finding_ids_matching
from engine.knowledge.spec import RuleSpec
from engine.knowledge.values import describe_type

from .context import Context, problem
from .derivation import circles

ID = "reachability"


def check(ctx: Context) -> list[Problem]:
    """KB301-KB303 per rule in file order, then KB304 for the rules nothing can ground."""
    out, impossible = [], set()
    for rule in ctx.kb.rules:
        found = _unsatisfiable(ctx, rule) or _unproduced(ctx, rule)
        if found:
            out.append(found)
            impossible.add(rule.id)
    possible = _groundable(ctx, impossible)
    on_circle = {rid for group in circles(ctx) for rid in group}
    for rule in ctx.kb.rules:
        if rule.id in possible or rule.id in impossible or rule.id in on_circle:
            continue
        needs = [key for key in _required(ctx, rule)
                 if not any(p in possible for p in _producers_of(ctx, key))]
        what = ", ".join(_what(key) for key in needs[:3]) or "its inputs"
        makers = sorted({p for key in needs for p in _producers_of(ctx, key)})
        out.append(problem("KB304", rule.loc,
                           f'rule "{rule.id}" can never fire: it needs {what}, and only '
                           f"rules that can never fire produce it ({', '.join(makers)})"))
    return out


def _unsatisfiable(ctx: Context, rule: RuleSpec) -> Problem | None:
    """KB302 when one condition alone allows no value, KB301 when it contradicts others."""
    rc = ctx.constraints[rule.id]
    if rc.first_empty is None:
        return None
    key, cond, alone = rc.first_empty
    if alone:
        return problem("KB302", cond.loc, f'rule "{rule.id}" can never fire: '
                                          f'"{cond.source}" asks {k.describe(key)} for a '
                                          f"value it cannot take{_domain_text(ctx, key)}")
    others = [f'"{o.source}" (line {o.loc.line})' for o in rc.conditions[key] if o is not cond]
    return problem("KB301", cond.loc, f'rule "{rule.id}" can never fire: "{cond.source}" '
                                      f"contradicts {', '.join(others) or 'itself'} on "
                                      f"{k.describe(key)}")


def _domain_text(ctx: Context, key: tuple) -> str:
    spec = ctx.kb.facts.get(key[1]) if key[0] == "fact" else None
    return f" ({describe_type(spec)})" if spec is not None else ""


def _unproduced(ctx: Context, rule: RuleSpec) -> Problem | None:
    """KB303 at the first condition needing something no rule produces."""
    for cond, node in _conjuncts(rule):
        for key in _required_of(ctx, [node]):
            if not _producers_of(ctx, key):
                return problem("KB303", cond.loc, f'rule "{rule.id}" can never fire: no rule '
                                                  f"produces {_what(key)}")
    return None


def _groundable(ctx: Context, impossible: set) -> set:
    """Rules that can fire on some case: least fixpoint over what they need."""
    possible: set = set()
    changed = True
    while changed:
        changed = False
        for rule in ctx.kb.rules:
            if rule.id in possible or rule.id in impossible:
                continue
            if all(any(p in possible for p in _producers_of(ctx, key))
                   for key in _required(ctx, rule)):
                possible.add(rule.id)
                changed = True
    return possible


def _conjuncts(rule: RuleSpec):
    """Top-level ``and`` parts of a rule's conditions (each with its condition)."""
    for cond in rule.conditions:
        items = cond.node.items if isinstance(cond.node, c.And) else (cond.node,)
        for node in items:
            yield cond, node


def _required(ctx: Context, rule: RuleSpec) -> list:
    """Keys the rule needs positively (top-level conditions); a pattern as a tuple of keys."""
    return _required_of(ctx, [node for _, node in _conjuncts(rule)])


def _required_of(ctx: Context, nodes: list) -> list:
    """What ``nodes`` need: ``("finding", id)``, ``("fired", rule id)``, ``("derived", name)``,
    or ``("pattern", text, finding ids it can match)``."""
    out = []
    for node in nodes:
        if isinstance(node, c.FindingRef):
            out.append(("finding", node.finding))
        elif isinstance(node, c.Fired):
            out.append(("fired", node.rule))
        elif isinstance(node, (c.FindingPattern, c.Count)):
            pattern = node.pattern if isinstance(node, c.Count) else node
            ids = finding_ids_matching(pattern, ctx.kb.finding_specs)
            out.append(("pattern", c.to_text(node), tuple(sorted(ids))))
        elif isinstance(node, c.Or) or (isinstance(node, c.IsKnown) and not node.known):
            continue  # one branch of an "or" is never required on its own
        else:
            for name in sorted(c.names_in(node)):
                if name in ctx.kb.derived_facts:
                    out.append(("derived", name))
    return out


def _producers_of(ctx: Context, key: tuple) -> list:
    if key[0] == "pattern":
        return [p for fid in key[2] for p in ctx.producers.get(("finding", fid), [])]
    return ctx.producers.get(key, [])


def _what(key: tuple) -> str:
    """A required key in words."""
    if key[0] == "pattern":
        return f'a finding matching "{key[1]}"'
    if key[0] == "derived":
        return f'derived fact "{key[1]}"'
    return k.describe(key)
