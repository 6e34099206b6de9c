"""Why not, as the officer reads it: ``mse-advisor explain CASE --why-not ID``.

``render_why_not(why) -> str`` lays out the ``WhyNot`` record ``engine.consultation.whynot``
builds: whether the target was concluded (and, for an intervention a "never" pair withholds,
that it is not advised here and why), then every rule that could conclude it with each
condition marked holds / FAILED / unknown and the values it read, the verdict rule it lost to,
and the facts that were not given.

Must not: evaluate conditions or run rules (the record holds every answer); print.
Entry points: ``render_why_not(why)``; ``rule_check_lines(check)`` (one rule, also under a failed
example of ``kb test``).
"""
from __future__ import annotations

from engine.language.formatting import format_value

HOLDS_WORDS = {True: "holds", False: "FAILED", None: "unknown"}
KIND_WORDS = {"finding": "finding", "intervention": "intervention", "verdict": "verdict value"}


def render_why_not(why) -> str:
    """The answer (a ``consultation.whynot.WhyNot``) as lines ending with a newline."""
    what = f"{why.target} ({KIND_WORDS[why.kind]})"
    lines = []
    if why.concluded:
        lines.append(f"{what} WAS concluded in this case, by {', '.join(why.by)}.")
        if why.withheld:  # do no harm (consultation.safeguards)
            lines.append(f"It is NOT advised here: {why.withheld['text']} Because: "
                         f"{why.withheld['because']} ({why.withheld['never']}).")
    else:
        lines.append(f"{what} was not concluded in this case.")
        if why.kind == "verdict":
            lines.append(f"The verdict is {format_value(why.actual_verdict)}.")
    if not why.rules:
        lines.append("No rule of the knowledge base concludes it.")
        return "\n".join(lines) + "\n"
    lines.append(f"{len(why.rules)} rule(s) could conclude it:")
    for check in why.rules:
        lines += ["", *rule_check_lines(check)]
    return "\n".join(lines) + "\n"


def rule_check_lines(check, indent: str = "") -> list[str]:
    """One rule's check (a ``consultation.whynot.RuleCheck``) as lines: whether it fired, what it
    concludes, each condition's truth value with the values it read, the verdict rule it lost
    to, the facts not given; each line starts with ``indent``."""
    status = "fired" if check.fired else "did not fire"
    lines = [f"{check.rule} ({status}): {check.description}",
             f"  concludes: {'; '.join(check.concludes)}",
             f"  at {check.location}"]
    for cond in check.conditions:
        shown = ", ".join(f"{n} = {v}" for n, v, _ in cond.values)
        lines.append(f"  {HOLDS_WORDS[cond.holds]:8} {cond.text}" +
                     (f"   [{shown}]" if shown else ""))
    if check.lost_to:
        lines.append(f"  All its conditions hold, but verdict rule {check.lost_to} "
                     "has priority and concluded first.")
    unknown = sorted({u for cond in check.conditions for u in cond.unknown})
    if unknown and not check.fired:
        lines.append(f"  not given: {', '.join(unknown)}")
    return [indent + line for line in lines]
