"""Turn a run into the consultation result of ``docs/contract/result.md``.

Factor statuses, the merged and ordered recommendations (less what a "never" pair withholds,
``safeguards``), and the unknowns that matter are derived here from the run's records and the
open world of the facts not given; the verdict's possible values and confidence come from
``confidence`` (which explores the completions of the case through ``possible``).
Pure: no I/O. Entry point: ``build_result(kb, case, run, advisor) -> dict``.
"""
from __future__ import annotations

from engine.consultation.cases import Case
from engine.consultation.confidence import (
    factor_status, outlook, ranked_unknowns, verdict_confidence,
)
from engine.consultation.safeguards import apply_safeguards
from engine.inference.runner import Run
from engine.knowledge.spec import FACTOR_IDS, KnowledgeBase

SEVERITY_RANK = {"blocking": 0, "significant": 1, "minor": 2}
_KIND_RANK = {"note": 3, "enabler": 4}  # after every barrier


def factor_table(kb: KnowledgeBase, run: Run, seen) -> dict:
    """Each factor's status, severity, mitigability, findings, and whether the status is
    ``settled``; neutral and unknown as ``confidence.factor_status`` decides from the open world
    (``seen``: the consultation's ``possible.Outlook``)."""
    table = {}
    for fid in FACTOR_IDS:
        findings = [f for f in run.findings.values() if f.factor == fid]
        barriers = [f for f in findings if f.kind == "barrier"]
        status, settled = factor_status(kb, seen.world, seen.truths, fid, findings)
        severity, mitigable = None, None
        if barriers:
            worst = min(barriers, key=lambda f: SEVERITY_RANK.get(f.severity, 3))
            severity = worst.severity
            serious = [f.mitigable for f in barriers if SEVERITY_RANK.get(f.severity, 3) <= 1]
            # three-valued: False if one is not, else unknown if one is unknown (policy)
            mitigable = False if False in serious else None if None in serious else True
        table[fid] = {"status": status, "settled": settled, "severity": severity,
                      "mitigable": mitigable,
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


def build_result(kb: KnowledgeBase, case: Case, run: Run, advisor=None) -> dict:
    """The contract dict of one consultation; ``advisor`` (the ``Advisor`` that made ``run``, or
    None for the one compiled for ``kb``) runs the completions that show which verdicts are
    still possible."""
    seen = outlook(kb, run, advisor)
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
    verdict.update(verdict_confidence(seen))
    return {
        "case_id": case.id,
        "knowledge_base": {"name": kb.name, "version": kb.version, "digest": kb.digest},
        "verdict": verdict,
        "factors": factor_table(kb, run, seen),
        "findings": findings,
        "recommendations": recommendations,
        "withheld": withheld,
        "unknowns": ranked_unknowns(kb, seen, seen.world, run.facts, recommendations,
                                    verdict["confidence_because"]),
        "trace": [f.to_dict() for f in run.firings],
        "case": {"metadata": dict(case.metadata), "facts": {k: list(v) if isinstance(v, tuple)
                                                            else v for k, v in case.facts.items()}},
    }
