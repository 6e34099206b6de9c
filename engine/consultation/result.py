"""Turn a run into the consultation result of ``docs/contract/result.md``.

Factor statuses, the merged and ordered recommendations (less what a "never" pair withholds,
``safeguards``), and the unknowns that matter are derived here from the run's records and a
three-valued re-reading of the rules that did not fire.
Pure: no I/O. Entry point: ``build_result(kb, case, run) -> dict``.
"""
from __future__ import annotations

from dataclasses import dataclass

from engine import language as c
from engine.consultation.cases import Case
from engine.consultation.safeguards import apply_safeguards
from engine.inference.runner import Run
from engine.knowledge.spec import FACTOR_IDS, KnowledgeBase
from engine.language import compiled

SEVERITY_RANK = {"blocking": 0, "significant": 1, "minor": 2}
_KIND_RANK = {"note": 3, "enabler": 4}  # after every barrier


@dataclass(frozen=True)
class _RuleReads:
    """What each rule's conditions read: worked out once per knowledge base, not per case."""

    condition: dict  # rule id -> the conjunction of its conditions
    evaluate: dict  # rule id -> that conjunction compiled: State -> True, False or None
    value_names: dict  # rule id -> names whose values it needs (not only known/unknown)
    derived_inputs: dict  # derived fact -> names its deriving rules read
    factors: dict  # rule id -> factors of the findings it asserts


_READS: dict = {}


def _reads(kb: KnowledgeBase) -> _RuleReads:
    cached = _READS.get(id(kb))
    if cached is not None and cached[0] is kb:
        return cached[1]
    condition, evaluate, value_names, derived_inputs, factors = {}, {}, {}, {}, {}
    for rule in kb.rules:
        node = rule.condition
        condition[rule.id] = node
        evaluate[rule.id] = compiled.compile_evaluate(node)
        factors[rule.id] = tuple(dict.fromkeys(a.factor for a in rule.findings()))
        names = set(c.names_in(node))
        for n in c.walk(node):
            if isinstance(n, c.IsKnown):
                names.discard(n.operand.name)  # asking whether it is known needs no value
        value_names[rule.id] = frozenset(names)
        for action in rule.actions:
            name = getattr(action, "name", None)
            if name in kb.derived_facts:
                derived_inputs.setdefault(name, set()).update(
                    c.names_in(node) | c.names_in(action.value))
    reads = _RuleReads(condition, evaluate, value_names, derived_inputs, factors)
    _READS[id(kb)] = (kb, reads)
    return reads


def rule_truth(kb: KnowledgeBase, run: Run) -> dict:
    """Three-valued value of every rule's conditions on the final state."""
    state = run.state(kb.parameter_values)
    fired = state.fired
    evaluate = _reads(kb).evaluate
    return {rule.id: True if rule.id in fired else evaluate[rule.id](state)
            for rule in kb.rules}


def unknowns_that_matter(kb: KnowledgeBase, run: Run, truth: dict) -> list[dict]:
    """Input facts not given whose value could still change what some rule concludes."""
    reads = _reads(kb)
    inputs, derived = kb.input_facts, kb.derived_facts
    matters: dict[str, list] = {}
    for rule in kb.rules:
        if truth.get(rule.id) is not None:
            continue
        seen, pending = set(), list(reads.value_names[rule.id])
        while pending:
            name = pending.pop()
            if name in seen:
                continue
            seen.add(name)
            if name in derived and name not in run.derived:
                pending.extend(reads.derived_inputs.get(name, ()))
        for name in sorted(seen):
            if name in inputs and run.facts.get(name) is None:
                matters.setdefault(name, []).append(rule.id)
    return [{"fact": name, "matters_for": rules, "question": kb.facts[name].question}
            for name, rules in matters.items()]


def factor_table(kb: KnowledgeBase, run: Run, truth: dict) -> dict:
    # A factor could be assessed when some rule that speaks about it (asserts one of its
    # findings) came out definitely true or false on this case.
    factors = _reads(kb).factors
    assessed = {factor for rule in kb.rules if truth.get(rule.id) is not None
                for factor in factors[rule.id]}
    table = {}
    for fid in FACTOR_IDS:
        findings = [f for f in run.findings.values() if f.factor == fid]
        barriers = [f for f in findings if f.kind == "barrier"]
        if barriers:
            worst = min(barriers, key=lambda f: SEVERITY_RANK.get(f.severity, 3))
            status, severity = "barrier", worst.severity
            serious = [f.mitigable for f in barriers if SEVERITY_RANK.get(f.severity, 3) <= 1]
            # three-valued: False if one is not, else unknown if one is unknown (policy)
            mitigable = False if False in serious else None if None in serious else True
        else:
            severity, mitigable = None, None
            if any(f.kind == "enabler" for f in findings):
                status = "enabler"
            elif fid in assessed or findings:
                status = "neutral"
            else:
                status = "unknown"
        table[fid] = {"status": status, "severity": severity, "mitigable": mitigable,
                      "findings": [f.id for f in sorted(findings, key=lambda f: f.seq)]}
    return table


def merged_recommendations(run: Run) -> list[dict]:
    """One entry per intervention, most important first: the worst barrier it answers, then
    notes, then the enablers it keeps in place (advice to keep what works ranks below every
    remedy for a barrier).

    A recommendation answers the findings its rule names and the barriers for which its
    intervention is an available mitigation in this case; ``facts`` lists what COLLECT asks.
    """
    def rank(rec) -> tuple:
        # remedies for barriers first (by severity), then what answers a note (COLLECT ...),
        # then keeping an enabler in place, then advice that answers no finding
        severities = []
        for fid in rec.addresses:
            f = run.findings.get(fid)
            if f is not None:
                severities.append(SEVERITY_RANK.get(f.severity, 2) if f.kind == "barrier"
                                  else _KIND_RANK.get(f.kind, 4))
        # the remedy found in this case for a barrier goes before other advice on it
        remedy = 0 if any((rec.intervention, rec.rule, fid) in remedies
                          for fid in rec.addresses) else 1
        return (min(severities) if severities else 5, remedy, rec.seq)

    mitigated_by: dict[str, list] = {}
    remedies = set()  # (intervention, rule, barrier) of every mitigation found
    for f in run.findings.values():
        for by, _, rule, _ in f.mitigations:
            mitigated_by.setdefault(by, []).append(f.id)
            remedies.add((by, rule, f.id))
    by_intervention: dict[str, dict] = {}
    for rec in sorted(run.recommendations, key=rank):
        entry = by_intervention.get(rec.intervention)
        if entry is None:
            by_intervention[rec.intervention] = {
                "intervention": rec.intervention, "text": rec.text,
                "addresses": list(rec.addresses), "rule": rec.rule,
                "sources": list(rec.sources), "also": [], "rules": [rec.rule],
                "facts": [rec.fact] if rec.fact else []}
            for fid in mitigated_by.get(rec.intervention, ()):  # the remedy answers the barrier
                if fid not in by_intervention[rec.intervention]["addresses"]:
                    by_intervention[rec.intervention]["addresses"].append(fid)
            continue
        if rec.fact and rec.fact not in entry["facts"]:
            entry["facts"].append(rec.fact)
        for fid in rec.addresses:
            if fid not in entry["addresses"]:
                entry["addresses"].append(fid)
        for src in rec.sources:
            if src not in entry["sources"]:
                entry["sources"].append(src)
        if rec.text and rec.text != entry["text"] and rec.text not in entry["also"]:
            entry["also"].append(rec.text)
        if rec.rule not in entry["rules"]:
            entry["rules"].append(rec.rule)
    return list(by_intervention.values())


def build_result(kb: KnowledgeBase, case: Case, run: Run) -> dict:
    truth = rule_truth(kb, run)
    findings = [{"id": f.id, "factor": f.factor, "kind": f.kind, "severity": f.severity,
                 "mitigable": f.mitigable if f.kind == "barrier" else None, "text": f.text,
                 "rule": f.rule, "sources": list(f.sources),
                 "mitigations": [{"by": by, "text": text, "rule": rule}
                                 for by, text, rule, _ in f.mitigations]}
                for f in sorted(run.findings.values(), key=lambda f: f.seq)]
    recommendations, withheld = apply_safeguards(kb, run, merged_recommendations(run))
    if run.verdict:
        value, text, rule, _, because = run.verdict
        verdict = {"value": value, "rule": rule, "because": list(because), "text": text}
    else:
        verdict = {"value": None, "rule": None, "because": [],
                   "text": "No verdict rule applied to this case."}
    return {
        "case_id": case.id,
        "knowledge_base": {"name": kb.name, "version": kb.version, "digest": kb.digest},
        "verdict": verdict,
        "factors": factor_table(kb, run, truth),
        "findings": findings,
        "recommendations": recommendations,
        "withheld": withheld,
        "unknowns": unknowns_that_matter(kb, run, truth),
        "trace": [f.to_dict() for f in run.firings],
        "case": {"metadata": dict(case.metadata), "facts": {k: list(v) if isinstance(v, tuple)
                                                            else v for k, v in case.facts.items()}},
    }
