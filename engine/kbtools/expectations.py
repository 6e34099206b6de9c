"""Expectations a knowledge base carries about itself: rule examples and worked cases, checked
against what the rules conclude, and a consultation written down as a new expectation.

A rule example runs the whole knowledge base on its ``given`` facts and checks whether the rule
fired (and, if it says so, which findings and verdict resulted). A worked case checks its
``expected`` verdict, factor statuses and interventions. ``expected_of`` is the inverse: a
consultation's outcome as the ``expected`` a worked case would state.

Must not: print, or write case files (the CLI does). Entry points: ``check_examples(advisor)``,
``check_case(advisor, case) -> Outcome``, ``recorded_case(case, result) -> dict``.
"""
from __future__ import annotations

from dataclasses import dataclass, field

from engine.consultation.cases import Case
from engine.consultation.result import build_result
from engine.inference.runner import Advisor

FACTOR_EXPECTATIONS = (  # (key in expected, factor status, the status in words)
    ("barriers", "barrier", "a barrier"), ("enablers", "enabler", "a enabler"),  # sic (kept)
    ("neutral", "neutral", "neutral"), ("unknown", "unknown", "unknown"),
)


@dataclass
class Outcome:
    """One example or case checked: passed, and each difference as (expected, actual) text."""

    what: str  # "example TM-1 #1" or "case sorghum-after-dark"
    where: str
    passed: bool
    differences: list = field(default_factory=list)  # (expected, actual) descriptions
    fired: frozenset = frozenset()
    result: dict | None = None
    run: object = None  # the runner's Run, for coverage


def check_examples(advisor: Advisor, rule_ids: set | None = None) -> list[Outcome]:
    """Every example of every rule (or of the rules in ``rule_ids``), in file order."""
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
    """Run a worked case and compare the result with its ``expected`` (none: it passes)."""
    run = advisor.run(case.facts)
    result = build_result(advisor.kb, case, run)
    diffs = _differences(case.expected or {}, result)
    fired = frozenset(f.rule for f in run.firings)
    return Outcome(f"case {case.id}", case.path, not diffs, diffs, fired, result, run)


def _differences(expected: dict, result: dict) -> list[tuple]:
    """(expected, actual) for each part of ``expected`` the result (contract dict) does not meet."""
    diffs = []
    want = expected.get("verdict")
    if want and result["verdict"]["value"] != want:
        diffs.append((f"verdict {want}", f"verdict {result['verdict']['value']} "
                                         f"(rule {result['verdict']['rule']})"))
    for key, status, said in FACTOR_EXPECTATIONS:
        for fid in expected.get(key) or []:
            got = result["factors"].get(fid, {}).get("status")
            if got != status:
                diffs.append((f"{fid} is {said}", f"{fid} is {got}"))
    recommended = [r["intervention"] for r in result["recommendations"]]
    for iid in expected.get("interventions") or []:
        if iid not in recommended:
            diffs.append((f"{iid} recommended", "recommended: " + (", ".join(recommended)
                                                                   or "nothing")))
    for iid in expected.get("not_interventions") or []:
        if iid in recommended:
            diffs.append((f"{iid} not recommended", f"{iid} recommended"))
    return diffs


def expected_of(result: dict) -> dict:
    """A consultation's outcome as a worked case's ``expected``: what ``check_case`` checks."""
    factors = result["factors"]
    return {
        "verdict": result["verdict"]["value"],
        "barriers": [f for f, e in factors.items() if e["status"] == "barrier"],
        "enablers": [f for f, e in factors.items() if e["status"] == "enabler"],
        "interventions": [r["intervention"] for r in result["recommendations"]],
    }


def recorded_case(case: Case, result: dict) -> dict:
    """A worked case: the case's metadata and facts, with its current outcome as expected
    (plain data for ``yaml.safe_dump``, ``id`` first)."""
    out = {k: v for k, v in case.metadata.items() if v is not None}
    out["id"] = case.id
    out["facts"] = {k: list(v) if isinstance(v, tuple) else v for k, v in case.facts.items()}
    out["expected"] = expected_of(result)
    return {"id": out.pop("id"), **out}
