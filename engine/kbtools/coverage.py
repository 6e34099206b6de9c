"""``kb test``: run every rule example and worked case, then measure what they exercised.

Builds on ``examples`` (which checks each example and case against its expectation) and adds
coverage: rules that fired in no run, and conditions (each ``when`` entry) never seen both true
and false across all runs. A rule that fired saw each of its conditions true; for a rule that did
not fire, each condition is evaluated three-valued on the run's final state (input facts,
derived facts, findings, parameters). Also turns a consultation into a new worked case with its
current outcome as the expectation (``recorded_case``).

Pure apart from reading case files through ``cases.load_case``; printing and writing are the
CLI's. Entry points: ``run_tests(advisor)``, ``recorded_case(case, result)``.
"""
from __future__ import annotations

from dataclasses import dataclass, field


from engine.language import kleene
from engine.consultation.cases import Case, load_case
from engine.errors import CaseError
from engine.kbtools.examples import Outcome, check_case, check_examples
from engine.inference.runner import Advisor, Run
from engine.knowledge.spec import Condition, KnowledgeBase, RuleSpec


@dataclass(frozen=True)
class ConditionCoverage:
    rule: RuleSpec
    condition: Condition
    seen: frozenset  # of True, False, None

    @property
    def missing(self) -> str:
        return " and ".join(w for v, w in ((True, "true"), (False, "false"))
                            if v not in self.seen)


@dataclass
class SuiteReport:
    outcomes: list = field(default_factory=list)  # Outcome, examples first, then cases
    unfired: list = field(default_factory=list)  # RuleSpec that fired in no run
    conditions: list = field(default_factory=list)  # ConditionCoverage never seen both ways
    condition_count: int = 0
    rule_count: int = 0

    @property
    def failures(self) -> list:
        return [o for o in self.outcomes if not o.passed]

    @property
    def passed(self) -> bool:
        return not self.failures


def load_cases(kb: KnowledgeBase) -> tuple[list, list]:
    """The worked cases of ``kb`` (``cases/*.yaml``), and a failed Outcome per unreadable one."""
    cases, broken = [], []
    for path in kb.case_files:
        try:
            cases.append(load_case(path, kb))
        except CaseError as exc:
            diffs = [("a readable case", str(p)) for p in exc.problems]
            broken.append(Outcome(f"case {path}", path, False, diffs))
    return cases, broken


def run_tests(advisor: Advisor, cases: list | None = None) -> SuiteReport:
    """Run every example and case (``cases`` defaults to the knowledge base's own)."""
    kb = advisor.kb
    outcomes = check_examples(advisor)
    broken: list = []
    if cases is None:
        cases, broken = load_cases(kb)
    for case in cases:
        outcome = check_case(advisor, case)
        if not case.expected:
            outcome.passed = False
            outcome.differences.append(("an expected outcome", "the case states none"))
        outcomes.append(outcome)
    outcomes.extend(broken)
    runs = [o.run for o in outcomes if o.run is not None]
    fired = set().union(*(o.fired for o in outcomes)) if outcomes else set()
    report = SuiteReport(outcomes, [r for r in kb.rules if r.id not in fired])
    report.rule_count = len(kb.rules)
    seen = condition_truths(kb, runs)
    for rule in kb.rules:
        for i, cond in enumerate(rule.conditions):
            report.condition_count += 1
            values = seen.get((rule.id, i), frozenset())
            if not {True, False} <= values:
                report.conditions.append(ConditionCoverage(rule, cond, frozenset(values)))
    return report


def condition_truths(kb: KnowledgeBase, runs: list) -> dict:
    """(rule id, condition index) -> set of truth values the condition took across ``runs``."""
    params = {n: p.value for n, p in kb.parameters.items()}
    seen: dict = {}
    for run in runs:
        state = _final_state(run, params)
        for rule in kb.rules:
            for i, cond in enumerate(rule.conditions):
                if rule.id in state.fired:
                    value = True  # it held when the rule fired
                else:
                    try:
                        value = kleene.evaluate(cond.node, state)
                    except (TypeError, ValueError, OverflowError):
                        value = None
                seen.setdefault((rule.id, i), set()).add(value if isinstance(value, bool)
                                                          else None)
    return seen


def _final_state(run: Run, params: dict) -> kleene.State:
    state = run.state()
    values = dict(state.values)
    values.update(params)
    return kleene.State(values, state.findings, state.fired, state.verdict)


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
    """A worked case: the case's metadata and facts, with its current outcome as expected."""
    out = {k: v for k, v in case.metadata.items() if v is not None}
    out["id"] = case.id
    out["facts"] = {k: list(v) if isinstance(v, tuple) else v for k, v in case.facts.items()}
    out["expected"] = expected_of(result)
    return {"id": out.pop("id"), **out}
