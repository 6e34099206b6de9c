"""How sure a consultation's advice is: the verdicts still possible, the confidence they give,
which factors are settled, and the unknown facts ranked by what they could change.

Read off one exploration of the case (``possible.VerdictOutlook``), in which every fact the case
does not give is open (it may still be learnt), as ``docs/contract/result.md`` defines:

- ``confidence``: ``high`` when the verdict given is the only possible one, ``low`` when both
  ``likely`` and ``unlikely`` are possible, else ``medium``;
- ``confidence_because``: the open facts that could change the verdict (those that reach a
  verdict rule that can still fire), those that could change it most first: a fact that on its
  own (every other open fact unknown) moves the verdict furthest (``likely`` to ``unlikely`` is
  two steps) first, then those feeding more of the verdict rules that can still fire, then those
  read by more of the rules that can still fire, then vocabulary order. Empty at ``high``;
- a factor is ``neutral`` only when none of its rules fired and none can fire whatever the open
  facts turn out to be; with nothing found and a rule that could still fire, or only notes, it
  is ``unknown`` (not assessed yet), as is a factor no rule speaks about. ``settled``: no open
  fact can change the status;
- the unknowns that matter, ranked by what they can change: the verdict first (in the order
  above), then a barrier (a rule that can still find or mitigate one), then a recommendation,
  then anything else; within each, facts a COLLECT recommendation names, then those more rules
  need, then vocabulary order.

Must not: print, touch files, or run rules other than through ``possible``. Entry points:
``outlook(kb, run, advisor)``, ``verdict_confidence(outlook)``, ``factor_status(...)``,
``ranked_unknowns(...)``.
"""
from __future__ import annotations

from engine.consultation.possible import Outlook, VerdictOutlook, moves
from engine.knowledge.spec import FindingAction, KnowledgeBase, MitigateAction, RecommendAction

CHANGES = ("verdict", "barrier", "recommendation", "finding")  # what an unknown can change

def outlook(kb: KnowledgeBase, run, advisor=None) -> Outlook:
    """The exploration of a finished consultation: the facts ``run`` had values for are given,
    every other input fact is open. ``advisor``: the ``Advisor`` of ``kb`` (None: the one
    already compiled for it, or a new one)."""
    if advisor is None or advisor.kb is not kb:
        from engine.inference.runner import Advisor

        advisor = Advisor.of(kb)
    answers = {n: v for n, v in run.facts.items() if v is not None}
    verdict = run.verdict[0] if run.verdict else None
    return VerdictOutlook.of(kb, advisor).explore(answers, verdict)


def level(value, possible) -> str:
    """``high``, ``medium`` or ``low`` (``docs/contract/result.md``)."""
    if set(possible) <= {value}:
        return "high"
    return "low" if {"likely", "unlikely"} <= set(possible) else "medium"


def verdict_confidence(seen: Outlook) -> dict:
    """``possible_values``, ``confidence`` and ``confidence_because`` of the verdict."""
    confidence = level(seen.verdict, seen.possible)
    because = [] if confidence == "high" else rank_for_verdict(seen)
    return {"possible_values": list(seen.possible), "confidence": confidence,
            "confidence_because": because}


def rank_for_verdict(seen: Outlook) -> list[str]:
    """The open facts that could change the verdict, those that could change it most first."""
    def key(name):
        verdict_rules, readers = seen.cone[name]
        far = max((moves(seen.verdict, v) for v in seen.flips.get(name, ())), default=0)
        return (-far, -len(verdict_rules), -readers)

    return sorted(seen.cone, key=key)  # the cone is in vocabulary order: ties keep it


def factor_status(kb: KnowledgeBase, world, truths: dict, factor: str,
                  findings: list) -> tuple[str, bool]:
    """(status, settled) of one factor, given the findings of its that the run asserted and the
    open-world statuses of the rules (True, False, None = pending)."""
    kinds = {f.kind for f in findings}
    rules = world.factor_rules.get(factor, ())
    by_kind: dict = {"barrier": [], "enabler": [], "note": []}
    for rid in rules:
        for action in world.rules[rid].findings():
            if action.factor == factor:
                by_kind[action.kind].append(truths[rid])
    sure = {k: any(t is True for t in v) for k, v in by_kind.items()}
    maybe = {k: any(t is not False for t in v) for k, v in by_kind.items()}
    if "barrier" in kinds:
        return "barrier", sure["barrier"]
    if "enabler" in kinds:
        return "enabler", sure["enabler"] and not maybe["barrier"]
    if not rules:  # nothing in the knowledge base can assess it: not assessed, for good
        return "unknown", True
    if not findings and not any(truths[r] is not False for r in rules):
        return "neutral", True
    return "unknown", sure["note"] and not maybe["barrier"] and not maybe["enabler"]


def ranked_unknowns(kb: KnowledgeBase, seen: Outlook, world, given: dict,
                    recommendations: list, because: list) -> list[dict]:
    """The open facts some rule that can still fire needs, each ``{fact, matters_for,
    question, changes}``, ranked by what they can change (module docstring)."""
    matters: dict = {}
    for rid, status in seen.truths.items():
        if status is None:
            for name in world.inputs_needed(rid, seen.truths):
                if given.get(name) is None:
                    matters.setdefault(name, []).append(rid)
    collect = {fact for r in recommendations for fact in r.get("facts", [])}
    position = {name: i for i, name in enumerate(kb.input_facts)}
    order = {name: i for i, name in enumerate(because)}
    out = []
    for name, rules in matters.items():
        changes = "verdict" if name in order else _changes(world, rules)
        out.append({"fact": name, "matters_for": rules, "question": kb.facts[name].question,
                    "changes": changes})
    out.sort(key=lambda u: (CHANGES.index(u["changes"]), order.get(u["fact"], 0),
                            u["fact"] not in collect, -len(u["matters_for"]),
                            position.get(u["fact"], 0)))
    return out


def _changes(world, rule_ids: list) -> str:
    """What the rules an unknown feeds can change: a barrier, a recommendation, or a finding."""
    actions = [a for rid in rule_ids for a in world.rules[rid].actions]
    if any(isinstance(a, FindingAction) and a.kind == "barrier" or isinstance(a, MitigateAction)
           for a in actions):
        return "barrier"
    if any(isinstance(a, RecommendAction) for a in actions):
        return "recommendation"
    return "finding"
