"""A failed rule example or worked case as text that says why: what was expected and what came
out, the facts it ran on, each rule concerned with the truth value of each condition and the
values it read, and the parameters those rules compare with (JUDGMENT ones marked).

``kb test`` prints this under each FAIL line; the rule checks are ``whynot``'s, laid out by
``whynot.rule_check_lines``.

Must not: run anything (the ``Outcome`` carries the run's checks); print. Entry point:
``render_failure(outcome, kb) -> str``.
"""
from __future__ import annotations

from engine.consultation.whynot import rule_check_lines
from engine.kbtools.expectations import Outcome
from engine.knowledge.spec import KnowledgeBase
from engine.language import formatting

MAX_GIVEN_SHOWN = 30  # facts listed for a case; the rest are summarised


def render_failure(outcome: Outcome, kb: KnowledgeBase, indent: str = "    ") -> str:
    """The lines under a failed example's or case's FAIL line, ending with a newline."""
    lines = []
    for expected, actual in outcome.differences:
        lines += [f"expected: {expected}", f"actual:   {actual}"]
    if outcome.problems and not outcome.checks:
        return "".join(f"{indent}{line}\n" for line in lines)
    lines.append("given:    " + _given(outcome.given) + " (everything else unknown)")
    for check in outcome.checks:
        lines.extend(rule_check_lines(check, "  "))
    params = _parameters(outcome.checks, kb)
    if params:
        lines.append("parameters read: " + ", ".join(params))
    return "".join(f"{indent}{line}\n" for line in lines)


def _given(facts: dict) -> str:
    if not facts:
        return "nothing"
    shown = [f"{name} = {formatting.format_value(value)}"
             for name, value in list(facts.items())[:MAX_GIVEN_SHOWN]]
    more = len(facts) - len(shown)
    return ", ".join(shown) + (f" and {more} more" if more > 0 else "")


def _parameters(checks: list, kb: KnowledgeBase) -> list[str]:
    """``name = value`` of every parameter the checked conditions read, JUDGMENT marked."""
    out = {}
    for check in checks:
        for cond in check.conditions:
            for name, value, kind in cond.values:
                if kind == "parameter" and name not in out:
                    judged = " (JUDGMENT)" if kb.parameters[name].judgment else ""
                    out[name] = f"{name} = {value}{judged}"
    return list(out.values())
