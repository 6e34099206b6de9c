"""What each rule reads and writes, and the stages (strata) that order rules automatically.

A rule that tests the *absence* of something (``not finding(x)``, ``mitigated=false``,
``d is unknown``) must run only after every rule that could assert it. Stages give that order,
as in stratified Datalog: a rule's stage is at least its producers' stage, plus one across a
negation. A cycle through a negation cannot be ordered and is an error. Verdict rules share one
stage, after everything they read is complete, and are ordered inside it by salience ("first
rule that matches").

Must not: decide what the order means (``policy`` turns stages into the order rules take effect
in, which the rule builder checks and the compiler and lint read).
Entry points: ``rule_dependencies(rule, derived, finding_specs) -> Dependencies``,
``compute_stages(rules, deps, finding_specs) -> Stages``; ``finding_ids_matching(pattern,
finding_specs)`` and ``may_match(pattern, fid, action)``, which findings a pattern can match
(read by lint, the graph and the open world too).
"""
from __future__ import annotations

from dataclasses import dataclass

from engine import language as c
from engine.knowledge.spec import (
    DeriveAction, FindingAction, MitigateAction, RuleSpec, VerdictAction,
)

ASSESS = "(assessment)"


@dataclass(frozen=True)
class Dependencies:
    produces: frozenset  # of node keys
    positive: frozenset
    negative: frozenset


def may_match(pattern: c.FindingPattern, fid: str, action: FindingAction) -> bool:
    """Whether finding ``fid`` as ``action`` asserts it can match ``pattern`` (kind, factor,
    severity, id); ``mitigated=`` is decided per case and not checked here."""
    if pattern.kind and action.kind != pattern.kind:
        return False
    for key, want in pattern.attrs:
        if key == "mitigated":
            continue
        have = fid if key == "id" else getattr(action, key, None)
        if have not in (want if isinstance(want, tuple) else (want,)):
            return False
    return True


def finding_ids_matching(pattern: c.FindingPattern, finding_specs: dict) -> set:
    """Ids of the findings (``finding_specs``: id -> its first ``FindingAction``) a pattern can
    match."""
    return {fid for fid, spec in finding_specs.items() if may_match(pattern, fid, spec)}


def condition_dependencies(node, negated: bool, derived: set, finding_specs: dict,
                           pos: set, neg: set) -> None:
    """Add ``(kind, name)`` keys read by ``node`` to ``pos`` or ``neg`` by polarity."""
    here = neg if negated else pos
    if isinstance(node, c.Not):
        condition_dependencies(node.operand, not negated, derived, finding_specs, pos, neg)
        return
    if isinstance(node, (c.And, c.Or)):
        for item in node.items:
            condition_dependencies(item, negated, derived, finding_specs, pos, neg)
        return
    if isinstance(node, c.FindingRef):
        here.add(("finding", node.finding))
        return
    if isinstance(node, (c.FindingPattern, c.Count)):
        pattern = node.pattern if isinstance(node, c.Count) else node
        if pattern.attr("mitigated") is not None:
            here.add(("assessment", ASSESS))
        for fid in finding_ids_matching(pattern, finding_specs):
            here.add(("finding", fid))
        return
    if isinstance(node, c.Fired):
        here.add(("fired", node.rule))
        return
    if isinstance(node, c.IsKnown):
        name = node.operand.name
        if name == "verdict":
            (neg if node.known == negated else pos).add(("verdict", "verdict"))
        elif name in derived:
            (neg if node.known == negated else pos).add(("derived", name))
        return
    for name in c.names_in(node):
        if name in derived:
            pos.add(("derived", name))  # a value test needs the value: never negative
        elif name == "verdict":
            pos.add(("verdict", "verdict"))


def rule_dependencies(rule: RuleSpec, derived: set, finding_specs: dict) -> Dependencies:
    produces = {("fired", rule.id)}
    for a in rule.actions:
        if isinstance(a, FindingAction):
            produces.add(("finding", a.id))
        elif isinstance(a, MitigateAction):
            produces.add(("mitigation", a.finding))
        elif isinstance(a, DeriveAction):
            produces.add(("derived", a.name))
        elif isinstance(a, VerdictAction):
            produces.add(("verdict", "verdict"))
    pos, neg = set(), set()
    for cond in rule.conditions:
        condition_dependencies(cond.node, False, derived, finding_specs, pos, neg)
    if rule.concludes_verdict:  # the "first verdict wins" guard is not a real dependency
        neg.discard(("verdict", "verdict"))
        pos.discard(("verdict", "verdict"))
    return Dependencies(frozenset(produces), frozenset(pos), frozenset(neg))


@dataclass(frozen=True)
class Stages:
    stage: dict  # rule id -> stage number
    assessment_stage: int
    cycle: tuple  # rule ids on a cycle through negation, if any


def compute_stages(rules: tuple, deps: dict, finding_specs: dict) -> Stages:
    """Assign each rule a stage; report a cycle through negation if there is one."""
    producers: dict = {}
    for r in rules:
        for key in deps[r.id].produces:
            producers.setdefault(key, []).append(r.id)
    barrier_ids = {fid for fid, f in finding_specs.items() if f.kind == "barrier"}
    # Assessments come after every barrier and mitigation is in, so the trace reads in order.
    assess_pos: set = set()
    assess_neg = {("mitigation", fid) for fid in barrier_ids} | \
        {("finding", fid) for fid in barrier_ids}
    ids = [r.id for r in rules] + [ASSESS]
    all_deps = dict(deps)
    all_deps[ASSESS] = Dependencies(frozenset({("assessment", ASSESS)}), frozenset(assess_pos),
                                    frozenset(assess_neg))
    producers.setdefault(("assessment", ASSESS), []).append(ASSESS)
    verdict_rules = [r.id for r in rules if r.concludes_verdict]
    verdict_set = set(verdict_rules)
    stage = {i: 0 for i in ids}
    limit = len(ids) + 2
    for _ in range(limit):
        changed = False
        for rid in ids:
            d = all_deps[rid]
            need = 0
            # "First verdict rule that matches wins" is itself non-monotonic: a verdict rule
            # must wait for everything it reads, positive dependencies included.
            strict = 1 if rid in verdict_set else 0
            for key in d.positive:
                for p in producers.get(key, ()):
                    if p != rid:
                        need = max(need, stage[p] + strict)
            for key in d.negative:
                for p in producers.get(key, ()):
                    need = max(need, stage[p] + 1)
            if need > stage[rid]:
                stage[rid] = need
                changed = True
        if verdict_rules:
            top = max(stage[v] for v in verdict_rules)
            for v in verdict_rules:
                if stage[v] < top:
                    stage[v] = top
                    changed = True
        if not changed:
            return Stages({k: v for k, v in stage.items() if k != ASSESS}, stage[ASSESS], ())
        if max(stage.values()) > limit:
            break
    worst = max(stage.values())
    cycle = tuple(sorted(k for k, v in stage.items() if v >= worst - 1 and k != ASSESS))
    return Stages({k: v for k, v in stage.items() if k != ASSESS}, stage[ASSESS], cycle)
