"""Expectations a knowledge base carries about itself: rule examples and worked cases, checked
against what the rules conclude.

A rule example runs the whole knowledge base on its ``given`` facts and checks whether the rule
fired (and, if it says so, which findings and verdict resulted). A worked case checks its
``expected`` verdict, factor statuses and interventions. ``expected_of`` is the inverse: a
consultation's outcome as the ``expected`` a worked case would state (``recording`` writes a
consultation down as a new worked case with it).

Must not: print, or write case files. Entry points: ``check_examples(advisor)``,
``check_case(advisor, case) -> Outcome``, ``expected_of(result) -> dict``.
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
    """One example or case checked: passed, and each difference as (expected, actual) text.
    ``rule`` and ``example`` name a rule example; ``case`` a worked case."""

    where: str
    passed: bool
    differences: list = field(default_factory=list)  # (expected, actual) descriptions
    fired: frozenset = frozenset()
    result: dict | None = None
    run: object = None  # the runner's Run, for coverage
    rule: str | None = None  # the rule whose example this is
    example: int = 0  # which of the rule's examples, from 1
    case: str | None = None  # the worked case's id (its file when it could not be read)

    @property
    def what(self) -> str:
        """``"example TM-1 #1"`` or ``"case sorghum-after-dark"``."""
        return f"example {self.rule} #{self.example}" if self.rule else f"case {self.case}"


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
            out.append(Outcome(str(example.loc), not diffs, diffs, fired, run=run,
                               rule=rule.id, example=i))
    return out


def check_case(advisor: Advisor, case: Case) -> Outcome:
    """Run a worked case and compare the result with its ``expected`` (none: it passes)."""
    run = advisor.run(case.facts)
    result = build_result(advisor.kb, case, run)
    diffs = _differences(case.expected or {}, result)
    fired = frozenset(f.rule for f in run.firings)
    return Outcome(case.path, not diffs, diffs, fired, result, run, case=case.id)


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
