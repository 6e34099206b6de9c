"""``kb test``: every rule example and worked case checked, and the coverage they reach.

Runs the examples, then the worked cases (a case stating no expected outcome fails, and so does
one that cannot be read), then measures which rules fired in no run and which conditions were
not seen both true and false (``coverage``); on request (``kb test --questions``) replays each
worked case's first-visit interview and reports the questions it needs.

Must not: print or write files; read files except case files through
``cases.load_case``. Entry points: ``run_tests(advisor) -> SuiteReport``,
``render_report(report, verbose)`` (what ``kb test`` prints).
"""
from __future__ import annotations

from dataclasses import dataclass, field

from engine.consultation.cases import load_case
from engine.consultation.replay import simulate
from engine.errors import CaseError
from engine.inference.runner import Advisor
from engine.kbtools.coverage import uncovered_conditions
from engine.kbtools.expectations import Outcome, check_case, check_examples
from engine.kbtools.failures import render_failure
from engine.knowledge.spec import KnowledgeBase


@dataclass
class SuiteReport:
    """What ``kb test`` found: outcomes, rules never fired, conditions not covered."""

    outcomes: list = field(default_factory=list)  # Outcome, examples first, then cases
    unfired: list = field(default_factory=list)  # RuleSpec that fired in no run
    conditions: list = field(default_factory=list)  # ConditionCoverage never seen both ways
    condition_count: int = 0
    rule_count: int = 0
    interviews: list = field(default_factory=list)  # (case id, questions, stopped, verdict at
    #   the stop, the whole case's verdict), with ``questions`` on

    @property
    def failures(self) -> list:
        return [o for o in self.outcomes if not o.passed]

    @property
    def passed(self) -> bool:
        return not self.failures

    @property
    def failed_rules(self) -> list[str]:
        """Ids of the rules with a failed example, sorted."""
        return sorted({o.rule for o in self.failures if o.rule})

    @property
    def failed_cases(self) -> list[str]:
        """Ids of the failed worked cases (files of the unreadable ones), sorted."""
        return sorted(o.case for o in self.failures if o.case)


def load_cases(kb: KnowledgeBase) -> tuple[list, list]:
    """The worked cases of ``kb`` (``cases/*.yaml``), and a failed Outcome per unreadable one."""
    cases, broken = [], []
    for path in kb.case_files:
        try:
            cases.append(load_case(path, kb))
        except CaseError as exc:
            diffs = [("a readable case", str(p)) for p in exc.problems]
            broken.append(Outcome(path, False, diffs, case=path))
    return cases, broken


def run_tests(advisor: Advisor, cases: list | None = None,
              questions: int | None = None) -> SuiteReport:
    """Run every example and case (``cases`` defaults to the knowledge base's own); with
    ``questions`` (a budget), also replay each case's first-visit interview
    (``consultation.replay``): how many questions it needs, and whether the verdict at its stop
    is the whole case's."""
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
    report.conditions = uncovered_conditions(kb, runs)
    report.condition_count = sum(len(r.conditions) for r in kb.rules)
    if questions:
        for case, outcome in zip(cases, outcomes[len(outcomes) - len(cases) - len(broken):]):
            interview = simulate(advisor, case.facts, questions)
            at_stop, whole = interview.run().verdict, outcome.run.verdict if outcome.run else None
            report.interviews.append((case.id, interview.count(), interview.stopped,
                                      at_stop[0] if at_stop else None,
                                      whole[0] if whole else None))
    return report


def render_report(report: SuiteReport, verbose: bool = False) -> str:
    """What ``kb test`` prints: the failed outcomes (all with ``verbose``) with their
    differences and what explains them (``failures``), the counts, rule coverage and condition
    coverage; ends with a newline."""
    lines = []
    for o in report.outcomes:
        if not o.passed or verbose:
            lines.append(f"{'PASS' if o.passed else 'FAIL'} {o.what} ({o.where})")
        if not o.passed:
            lines.append(render_failure(o).rstrip("\n"))
    total, failed = len(report.outcomes), len(report.failures)
    lines += ["", f"{total} examples and cases: {total - failed} passed, {failed} failed", "",
              f"Coverage: {report.rule_count - len(report.unfired)} of {report.rule_count} rules "
              "fired in some example or case"]
    lines += [f"  never fired: {rule.id} ({rule.loc})" for rule in report.unfired]
    lines.append(f"{report.condition_count - len(report.conditions)} of "
                 f"{report.condition_count} conditions seen both true and false")
    lines += [f'  {cc.condition.loc}: {cc.rule.id}: "{cc.condition.source}" never {cc.missing}'
              for cc in report.conditions]
    if report.interviews:
        lines += ["", "Questions each worked case needs (the first-visit interview replayed):"]
        for case_id, count, stopped, at_stop, whole in report.interviews:
            same = "the verdict at the stop is the whole case's" if at_stop == whole else \
                f"the verdict at the stop is {at_stop}, the whole case's {whole}"
            lines.append(f"  {case_id}: {count} ({stopped}); {same}")
    return "\n".join(lines) + "\n"
