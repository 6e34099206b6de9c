"""What would make it work: the smallest sets of changes, to facts an owner or officer can act
on, that would bring a case's verdict up to a goal (``whatif CASE --goal likely``).

The facts that can be acted on, with the values an action can give and the interventions that
bring it about, are declared in facts.yaml (``action:``). The search is principled, not a brute
force over everything:

1. Relevance. The verdict changes only if the verdict rule that concluded it stops holding or a
   rule concluding the goal (or better) that comes before it starts to. Only actionable facts
   that those rules read, through derived facts, findings, mitigations and fired rules (the
   knowledge base's dependency graph, as ``OpenWorld`` prepares it), can matter; the rest are
   skipped.
2. Proof of absence. The open world (``openworld``: three-valued evaluation with the changed
   facts left open) gives every verdict some answer to them could give. When even all the
   relevant facts left open cannot give the goal, no set of changes to them can: the search
   says so at once.
3. Facts that are needed. A fact without which even all the other relevant facts left open
   cannot give the goal belongs to every change set that works; only sets holding all of them
   are enumerated.
4. Breadth first by the number of changes (1, 2, ... ``max_changes``): a superset of a set
   that already works is skipped (it is not smallest); a set whose actions give three or more
   combinations of values is first checked in the open world (skipped when the goal is out of
   its reach); then the values are tried, each a real run of the engine. The search stops at
   the first size that works.

It is bounded in time: ``budget`` seconds (``BUDGET_SECONDS`` by default, 20); when the budget
runs out it reports what it found and how far it searched. Goals are ordered: reaching
"likely" also satisfies "possible_with_support".

Must not: print, read files or render (``reports.whatif.render_goal`` does). Entry point:
``search_goal(advisor, case, goal, budget, max_changes) -> dict``.
"""
from __future__ import annotations

import itertools
import time

from engine import language as c
from engine.consultation.openworld import OpenWorld
from engine.consultation.result import build_result
from engine.knowledge.spec import VerdictAction

GOAL_RANK = {None: -1, "unlikely": 0, "possible_with_support": 1, "likely": 2}
GOALS = ("likely", "possible_with_support")
BUDGET_SECONDS = 20.0  # the documented time bound of one search (--budget)
MAX_CHANGES = 3  # the largest change set tried (--max-changes)
MAX_SETS = 5  # change sets reported, of the smallest size found
_WORLDS: dict = {}


def _world(kb) -> OpenWorld:
    cached = _WORLDS.get(id(kb))
    if cached is None or cached.kb is not kb:
        cached = _WORLDS[id(kb)] = OpenWorld(kb)
    return cached


def reaches(verdict: str | None, goal: str) -> bool:
    """Whether ``verdict`` is ``goal`` or better."""
    return GOAL_RANK.get(verdict, -1) >= GOAL_RANK[goal]


def relevant_facts(world: OpenWorld, rule_ids) -> set:
    """Input facts that the rules ``rule_ids`` read, directly or through derived facts,
    findings (their producers and the rules that mitigate them) and fired rules."""
    facts, seen, pending = set(), set(), list(rule_ids)
    while pending:
        rid = pending.pop()
        if rid in seen or rid not in world.rules:
            continue
        seen.add(rid)
        rule = world.rules[rid]
        for name in world.reads[rid]:
            if name in world.inputs:
                facts.add(name)
            pending += [r for r, _ in world.derivers.get(name, ())]
        for node in c.walk(world.condition[rid]):
            if isinstance(node, c.FindingRef):
                pending += _finding_rules(world, node.finding)
            elif isinstance(node, (c.FindingPattern, c.Count)):
                pattern = node.pattern if isinstance(node, c.Count) else node
                for fid, producer, _ in world.candidates(pattern):
                    pending += [producer, *world.mitigators.get(fid, ())]
            elif isinstance(node, c.Fired):
                pending.append(node.rule)
        for action in rule.actions:  # a derived value's expression reads facts too
            value = getattr(action, "value", None)
            if isinstance(value, c.Node):
                facts |= c.names_in(value) & world.inputs
    return facts


def _finding_rules(world: OpenWorld, finding: str) -> list:
    return [rid for rid, _ in world.producers.get(finding, ())] + \
        list(world.mitigators.get(finding, ()))


def possible_verdicts(world: OpenWorld, answers: dict) -> set:
    """Every verdict some answer to the facts missing from ``answers`` could give (``None``
    asked and unknown; absent = open), first verdict rule that holds wins."""
    truths = world.truths(answers)
    out: set = set()
    for rid in world.kb.order.verdict_rules:
        truth = truths.get(rid)
        if truth is False:
            continue
        out.add(next(a.value for a in world.rules[rid].actions if isinstance(a, VerdictAction)))
        if truth is True:
            return out
    return out | {None}


def search_goal(advisor, case, goal: str, budget: float = BUDGET_SECONDS,
                max_changes: int = MAX_CHANGES) -> dict:
    """The smallest change sets that bring ``case`` to ``goal`` (see the module docstring):
    ``{case_id, goal, verdict, reached, candidates, needed, impossible, unknowns_could, sets:
    [{changes: [{fact, before, after}], verdict, confidence, interventions}], more, size,
    tried, runs, complete, seconds, budget}``. ``complete`` says every set up to ``size``
    changes was searched; ``impossible`` that no change to the candidates can reach the goal
    (``unknowns_could``: the answers still missing might)."""
    kb, start = advisor.kb, time.monotonic()
    world = _world(kb)
    run = advisor.run(case.facts)
    now = run.verdict[0] if run.verdict else None
    out = {"case_id": case.id, "goal": goal, "verdict": now, "reached": reaches(now, goal),
           "candidates": [], "needed": [], "impossible": False, "unknowns_could": False,
           "sets": [], "more": 0, "size": 0, "tried": 0, "runs": 1, "complete": True,
           "budget": budget}
    if out["reached"]:
        return _done(out, start)
    order = list(kb.order.verdict_rules)
    current = run.verdict[2] if run.verdict else None
    before = order[:order.index(current)] if current in order else order
    rules = [current] if current else []
    rules += [rid for rid in before if any(isinstance(a, VerdictAction) and reaches(a.value, goal)
                                           for a in world.rules[rid].actions)]
    relevant = relevant_facts(world, rules)
    candidates = [name for name, spec in kb.input_facts.items() if spec.action and
                  name in relevant and _values(spec, case.facts.get(name))]
    out["candidates"] = candidates
    base = {name: case.facts.get(name) for name in kb.input_facts}
    if not candidates or not any(reaches(v, goal) for v in
                                 possible_verdicts(world, _opened(base, candidates))):
        out["impossible"] = True
        # would the answers still missing (with the actions) make it possible?
        missing = [n for n, v in base.items() if v is None]
        out["unknowns_could"] = any(reaches(v, goal) for v in possible_verdicts(
            world, _opened(base, candidates + missing)))
        return _done(out, start)
    # a fact without which even all the others left open cannot reach the goal is in every
    # change set that works: the search enumerates only sets that hold all of them
    needed = [f for f in candidates if not any(
        reaches(v, goal) for v in possible_verdicts(
            world, _opened(base, [x for x in candidates if x != f])))]
    out["needed"] = needed
    others = [f for f in candidates if f not in needed]
    found: list = []
    for size in range(max(1, len(needed)), max_changes + 1):
        out["size"] = size
        for extra in itertools.combinations(others, size - len(needed)):
            chosen = tuple(needed) + extra
            if time.monotonic() - start > budget:
                out["complete"] = False
                return _done(out, start)
            if any(set(f["fact"] for f in s["changes"]) <= set(chosen) for s in found):
                continue
            out["tried"] += 1
            if _combinations(kb, case, chosen) > 2 and not any(
                    reaches(v, goal) for v in possible_verdicts(world, _opened(base, chosen))):
                continue  # the open world is cheaper than trying three or more runs
            hit = _try_values(advisor, case, chosen, goal, out)
            if hit:
                found.append(hit)
        if found:
            break
    out["sets"] = found[:MAX_SETS]
    out["more"] = max(0, len(found) - MAX_SETS)
    return _done(out, start)


def _combinations(kb, case, chosen: tuple) -> int:
    count = 1
    for name in chosen:
        count *= len(_values(kb.facts[name], case.facts.get(name)))
    return count


def _values(spec, now) -> list:
    """The values an action can give the fact, less the one it has."""
    return [v for v in spec.action.values if v != now]


def _opened(base: dict, names) -> dict:
    return {n: v for n, v in base.items() if n not in names}


def _try_values(advisor, case, chosen: tuple, goal: str, out: dict) -> dict | None:
    """The first combination of the actions' values (in the order facts.yaml gives them) that
    reaches ``goal``, as a change set; None when none does."""
    kb = advisor.kb
    for values in itertools.product(*(_values(kb.facts[n], case.facts.get(n)) for n in chosen)):
        facts = dict(case.facts)
        facts.update(zip(chosen, values))
        run = advisor.run(facts)
        out["runs"] += 1
        verdict = run.verdict[0] if run.verdict else None
        if reaches(verdict, goal):
            result = build_result(kb, case, run)
            through = [i for n in chosen for i in kb.facts[n].action.through]
            return {"changes": [{"fact": n, "before": _plain(case.facts.get(n)),
                                 "after": _plain(v)} for n, v in zip(chosen, values)],
                    "verdict": verdict, "confidence": result["verdict"].get("confidence"),
                    "interventions": list(dict.fromkeys(through))}
    return None


def _plain(value):
    return list(value) if isinstance(value, tuple) else value


def _done(out: dict, start: float) -> dict:
    out["seconds"] = round(time.monotonic() - start, 2)
    return out
