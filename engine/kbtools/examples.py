"""Check a knowledge base against its own expectations: rule examples and worked cases.

A rule example runs the whole knowledge base on its ``given`` facts and checks whether the rule
fired (and, if it says so, which findings and verdict resulted). A worked case checks its
``expected`` verdict, factor statuses and interventions. Pure: takes specs and cases, returns
``Outcome`` records; printing is the caller's business.

Entry points: ``check_examples(advisor)``, ``check_case(advisor, case)``.
"""
from __future__ import annotations

from dataclasses import dataclass, field

from engine.consultation.cases import Case
from engine.consultation.result import build_result
from engine.inference.runner import Advisor


@dataclass
class Outcome:
    what: str  # "example TM-1 #1" or "case sorghum-after-dark"
    where: str
    passed: bool
    differences: list = field(default_factory=list)  # (expected, actual) descriptions
    fired: frozenset = frozenset()
    result: dict | None = None
    run: object = None  # the runner's Run, for coverage


def check_examples(advisor: Advisor, rule_ids: set | None = None) -> list[Outcome]:
    out = []
    for rule in advisor.kb.rules:
        if rule_ids is not None and rule.id not in rule_ids:
            continue
        for i, example in enumerate(rule.examples, 1):
            run = advisor.run(example.given)
            fired = frozenset(f.rule for f in run.firings)
            diffs = []
            if (rule.id in fired) != example.fires:
                diffs.append((f"{rule.id} {'fires' if example.fires else 'does not fire'}",
                              f"it {'fired' if rule.id in fired else 'did not fire'}"))
            for fid in example.findings:
                if fid not in run.findings:
                    diffs.append((f"finding {fid}", "not asserted"))
            if example.verdict and (run.verdict or (None,))[0] != example.verdict:
                diffs.append((f"verdict {example.verdict}",
                              f"verdict {(run.verdict or (None,))[0]}"))
            out.append(Outcome(f"example {rule.id} #{i}", str(example.loc), not diffs, diffs,
                               fired, run=run))
    return out


def check_case(advisor: Advisor, case: Case) -> Outcome:
    run = advisor.run(case.facts)
    result = build_result(advisor.kb, case, run)
    expected = case.expected or {}
    diffs = []
    want = expected.get("verdict")
    if want and result["verdict"]["value"] != want:
        diffs.append((f"verdict {want}", f"verdict {result['verdict']['value']} "
                                         f"(rule {result['verdict']['rule']})"))
    for status, key in (("barrier", "barriers"), ("enabler", "enablers")):
        for fid in expected.get(key) or []:
            got = result["factors"].get(fid, {}).get("status")
            if got != status:
                diffs.append((f"{fid} is a {status}", f"{fid} is {got}"))
    for status in ("neutral", "unknown"):
        for fid in expected.get(status) or []:
            got = result["factors"].get(fid, {}).get("status")
            if got != status:
                diffs.append((f"{fid} is {status}", f"{fid} is {got}"))
    recommended = [r["intervention"] for r in result["recommendations"]]
    for iid in expected.get("interventions") or []:
        if iid not in recommended:
            diffs.append((f"{iid} recommended", "recommended: " + (", ".join(recommended)
                                                                   or "nothing")))
    for iid in expected.get("not_interventions") or []:
        if iid in recommended:
            diffs.append((f"{iid} not recommended", f"{iid} recommended"))
    fired = frozenset(f.rule for f in run.firings)
    return Outcome(f"case {case.id}", case.path, not diffs, diffs, fired, result, run)
