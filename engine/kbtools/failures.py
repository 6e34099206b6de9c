"""A failed rule example or worked case as text that says why: what was expected and what came
out, the facts it ran on, each rule concerned with the truth value of each condition and the
values it read, and the parameters those rules compare with (JUDGMENT ones marked).

``kb test`` prints this under each FAIL line; the rule checks are ``whynot``'s, laid out by
``reports.whynot.rule_check_lines``.

Must not: run anything (the ``Outcome`` carries the run's checks); print. Entry point:
``render_failure(outcome) -> str``.
"""
from __future__ import annotations

from engine.kbtools.expectations import Outcome
from engine.language import formatting
from engine.reports.whynot import rule_check_lines

MAX_GIVEN_SHOWN = 30  # facts listed for a case; the rest are summarised


def render_failure(outcome: Outcome, indent: str = "    ") -> str:
    """The lines under a failed example's or case's FAIL line, ending with a newline."""
    lines = []
    for expected, actual in outcome.differences:
        lines += [f"expected: {expected}", f"actual:   {actual}"]
    if outcome.problems and not outcome.checks:
        return "".join(f"{indent}{line}\n" for line in lines)
    lines.append("given:    " + _given(outcome.given) + " (everything else unknown)")
    for check in outcome.checks:
        lines.extend(rule_check_lines(check, "  "))
    if outcome.parameters:
        lines.append("parameters read: " + ", ".join(outcome.parameters))
    return "".join(f"{indent}{line}\n" for line in lines)


def _given(facts: dict) -> str:
    if not facts:
        return "nothing"
    shown = [f"{name} = {formatting.format_value(value)}"
             for name, value in list(facts.items())[:MAX_GIVEN_SHOWN]]
    more = len(facts) - len(shown)
    return ", ".join(shown) + (f" and {more} more" if more > 0 else "")
