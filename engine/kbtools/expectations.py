"""Expectations a knowledge base carries about itself: rule examples and worked cases, checked
against what the rules conclude.

A rule example runs the whole knowledge base on its ``given`` facts and checks whether the rule
fired, and what else it states (findings, verdict, rules fired or not: ``knowledge.examples``).
A worked case checks its ``expected`` (``expected``: verdict, factor statuses, interventions,
findings, rules fired or not, each list read as "exactly", "at least" or "none of"). A failure
carries what explains it: the given facts, and for each rule concerned the truth value of each
condition with the values it read (``whynot.rule_check``), parameters included. ``expected_of``
is the inverse: a consultation's outcome as the ``expected`` a worked case would state
(``recording`` writes a consultation down as a new worked case with it).

Must not: print, or write case files. Entry points: ``check_examples(advisor)``,
``example_unmet(rule_id, example, run)``, ``check_case(advisor, case) -> Outcome``,
``expected_of(result) -> dict``.
"""
from __future__ import annotations

from dataclasses import dataclass, field

from engine.consultation.cases import Case
from engine.consultation.result import build_result
from engine.consultation.whynot import rule_check, why_not
from engine.errors import Location
from engine.inference.runner import Advisor
from engine.kbtools.expected import Expected, Unmet, read_expected, unmet
from engine.knowledge.spec import FindingAction, KnowledgeBase

MAX_EXPLAINED_RULES = 6  # rules shown for one unmet expectation (the first in file order)


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
    given: dict = field(default_factory=dict)  # the input facts it ran on
    checks: list = field(default_factory=list)  # whynot.RuleCheck of the rules concerned
    parameters: list = field(default_factory=list)  # "name = value" the checked rules read
    problems: list = field(default_factory=list)  # what is wrong with the expectation itself

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
            found = example_unmet(rule.id, example, run)
            outcome = Outcome(str(example.loc), not found,
                              [(u.expected, u.actual) for u in found], fired, run=run,
                              rule=rule.id, example=i, given=dict(example.given))
            outcome.checks, outcome.parameters = explain(advisor.kb, run, found)
            out.append(outcome)
    return out


def example_unmet(rule_id: str, example, run) -> list[Unmet]:
    """What the run of one example of rule ``rule_id`` does not meet: whether the rule fires,
    then the example's findings, verdict and rules fired or not."""
    lists = {key: ids for key, ids in (
        ("findings", example.findings), ("not_findings", example.not_findings),
        ("fired", example.fired), ("not_fired", example.not_fired)) if ids}
    found = unmet(Expected(example.verdict, lists), run)
    fired = any(f.rule == rule_id for f in run.firings)
    if fired != example.fires:
        found.insert(0, Unmet(f"{rule_id} {'fires' if example.fires else 'does not fire'}",
                              f"it {'fired' if fired else 'did not fire'}",
                              (("rule", rule_id),)))
    return found


def check_case(advisor: Advisor, case: Case) -> Outcome:
    """Run a worked case and compare the result with its ``expected`` (none: it passes)."""
    run = advisor.run(case.facts)
    result = build_result(advisor.kb, case, run)
    expected, problems = read_expected(case.expected or {}, advisor.kb,
                                       getattr(case.expected, "loc", None) or _at(case.path))
    found = unmet(expected, run, result)
    fired = frozenset(f.rule for f in run.firings)
    diffs = [("a valid expectation", str(p)) for p in problems] + \
        [(u.expected, u.actual) for u in found]
    outcome = Outcome(case.path, not diffs, diffs, fired, result, run, case=case.id,
                      given=dict(case.facts), problems=problems)
    outcome.checks, outcome.parameters = explain(advisor.kb, run, found)
    return outcome


def _at(path: str) -> Location:
    return Location(path, 1, 1)


def explain(kb: KnowledgeBase, run, found: list) -> tuple[list, list]:
    """What explains the unmet expectations ``found``: the ``whynot.RuleCheck`` of every rule
    they concern, each once (the rule pinned, the rules that could conclude a missing finding,
    intervention or verdict, or assert a finding of the factor and status in question), and
    ``name = value`` of every parameter those rules read, JUDGMENT ones marked."""
    if not found:
        return [], []
    state = run.state(kb.parameter_values)
    checks, seen = [], set()
    for item in found:
        for target in item.explain:
            for rule in _rules_for(kb, run, target):
                if rule.id not in seen:
                    seen.add(rule.id)
                    checks.append(rule_check(kb, run, rule, state))
    params = {}
    for check in checks:
        for cond in check.conditions:
            for name, value, kind in cond.values:
                if kind == "parameter" and name not in params:
                    judged = " (JUDGMENT)" if kb.parameters[name].judgment else ""
                    params[name] = f"{name} = {value}{judged}"
    return checks, list(params.values())


def _rules_for(kb: KnowledgeBase, run, target: tuple) -> list:
    kind = target[0]
    if kind == "rule":
        return [kb.rule(target[1])]
    if kind == "factor":
        _, factor, status = target
        return [r for r in kb.rules if any(
            isinstance(a, FindingAction) and a.factor == factor and a.kind == status
            for a in r.actions)][:MAX_EXPLAINED_RULES]
    ids = {c.rule for c in why_not(kb, run, target[1]).rules}
    return [r for r in kb.rules if r.id in ids][:MAX_EXPLAINED_RULES]


def expected_of(result: dict) -> dict:
    """A consultation's outcome as a worked case's ``expected``: what ``check_case`` checks."""
    factors = result["factors"]
    out = {
        "verdict": result["verdict"]["value"],
        "barriers": [f for f, e in factors.items() if e["status"] == "barrier"],
        "enablers": [f for f, e in factors.items() if e["status"] == "enabler"],
        "interventions": [r["intervention"] for r in result["recommendations"]],
    }
    if not out["interventions"]:  # "at least none" asserts nothing: refused in a case
        del out["interventions"]
    return out
