"""What if: consult a case before and after changing some facts, and compare the two results.

``parse_settings`` reads ``FACT=VALUE`` strings (as typed after ``--set``) with the same checks as
a case file (``knowledge.values.parse_text``); ``unknown``, ``?`` or nothing after ``=`` makes the fact
unknown. ``what_if`` runs the case as it is and with the changes, and returns one dict: the facts
changed, the verdict, every factor's status and the recommendations before and after, and the
rules that fired in one run but not the other (``reports.whatif`` shows it side by side).

Must not: print, read files or render. Entry points: ``parse_settings(kb, items)``,
``what_if(advisor, case, changes)``.
"""
from __future__ import annotations

import dataclasses

from engine.consultation.cases import Case
from engine.consultation.result import build_result
from engine.errors import CaseError, Location, Problem, ValueProblem, did_you_mean
from engine.knowledge.spec import KnowledgeBase
from engine.knowledge.values import parse_text

UNKNOWN_WORDS = {"", "?", "unknown", "null", "none"}


def parse_settings(kb: KnowledgeBase, items) -> dict:
    """``["fact=value", ...]`` -> {fact: checked value or None}; CaseError lists every problem."""
    out, problems = {}, []
    for item in items:
        where = Location(f"--set {item}")
        name, sep, text = item.partition("=")
        name = name.strip()
        if not sep or not name:
            problems.append(Problem(where, "expected FACT=VALUE, e.g. --set "
                                           "alternative_market_without_stigma=false"))
            continue
        spec = kb.input_facts.get(name)
        if spec is None:
            why = "is derived by the rules; set the facts it is computed from" \
                if name in kb.derived_facts else \
                f"is not a fact of the vocabulary{did_you_mean(name, kb.input_facts)}"
            problems.append(Problem(where, f'"{name}" {why}'))
            continue
        if text.strip().lower() in UNKNOWN_WORDS and spec.type not in ("list[enum]", "str"):
            out[name] = None
            continue
        try:
            out[name] = parse_text(spec, text)
        except ValueProblem as exc:
            problems.append(Problem(where, str(exc)))
    if problems:
        raise CaseError(problems)
    return out


def _summary(result: dict, kb: KnowledgeBase) -> dict:
    rule_ids = {r.id for r in kb.rules}  # not the built-in assessment
    return {
        "verdict": result["verdict"]["value"],
        "verdict_rule": result["verdict"]["rule"],
        "factors": {fid: {"status": e["status"], "severity": e["severity"],
                          "mitigable": e["mitigable"]} for fid, e in result["factors"].items()},
        "recommendations": [r["intervention"] for r in result["recommendations"]],
        "rules": list(dict.fromkeys(t["rule"] for t in result["trace"]
                                    if t["rule"] in rule_ids)),
    }


def what_if(advisor, case: Case, changes: dict) -> dict:
    """Both results and what differs between them."""
    kb = advisor.kb
    facts = dict(case.facts)
    for name, value in changes.items():
        if value is None:
            facts.pop(name, None)
        else:
            facts[name] = value
    after_case = dataclasses.replace(case, facts=facts)
    before = _summary(build_result(kb, case, advisor.run(case.facts)), kb)
    after = _summary(build_result(kb, after_case, advisor.run(facts)), kb)
    rules_before, rules_after = set(before["rules"]), set(after["rules"])
    recs_before, recs_after = before["recommendations"], after["recommendations"]
    return {
        "case_id": case.id,
        "set": {name: {"before": _plain(case.facts.get(name)), "after": _plain(value)}
                for name, value in changes.items()},
        "verdict": {"before": before["verdict"], "after": after["verdict"],
                    "rule_before": before["verdict_rule"], "rule_after": after["verdict_rule"],
                    "changed": before["verdict"] != after["verdict"]},
        "factors": {fid: {"before": before["factors"][fid], "after": after["factors"][fid],
                          "changed": before["factors"][fid] != after["factors"][fid]}
                    for fid in before["factors"]},
        "recommendations": {"before": recs_before, "after": recs_after,
                            "added": [r for r in recs_after if r not in recs_before],
                            "removed": [r for r in recs_before if r not in recs_after]},
        "rules": {"only_before": [r for r in before["rules"] if r not in rules_after],
                  "only_after": [r for r in after["rules"] if r not in rules_before]},
    }


def _plain(value):
    return list(value) if isinstance(value, tuple) else value
