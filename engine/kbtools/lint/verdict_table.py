"""The verdict table: the verdict rules read as one decision table with the hit policy "first".

The verdict rules are tried in the order ``kb.order.verdict_rules`` gives (stage, then salience);
the first whose conditions hold concludes the verdict. That order can hide a rule, let a less
cautious verdict win, or leave cases without any verdict:

KB701 (error)
    A shadowed verdict rule: whenever its conditions hold, those of a verdict rule tried before
    it hold too, so it can never fire. Give it a higher salience than the rule named (if its
    verdict should win there), narrow the other rule, or remove it.
KB702 (warning)
    Two verdict rules with different verdicts can hold on the same case, and the one tried first
    concludes the less cautious verdict (``policy.VERDICT_CAUTION``: unlikely, then
    possible_with_support, then likely). If that order is meant, waive KB702 on the rule tried
    first, with the reason; otherwise raise the other rule's salience or make the conditions
    exclusive. A last rule whose only condition is ``verdict is unknown`` is the table's
    fallback ("otherwise") and overlaps every rule on purpose.
KB703 (warning)
    A gap: some combination of findings on which no verdict rule holds, so a case can end
    without a verdict. The message names one such combination (no finding at all, one finding,
    or all of them). Add a verdict rule for it, or a fallback tried last whose only condition is
    ``verdict is unknown``.

Overlaps are judged by ``pairs`` (facts as intervals and value sets, findings as id sets):
conditions it cannot compare count as possibly holding together for KB702 and as not implied
for KB701, so KB701 is never a guess.

Must not: restate the rule order (``kb.order`` is read); run the engine. Entry point:
``check(ctx)``.
"""
from __future__ import annotations

from engine.errors import Problem
from engine.knowledge.policy import VERDICT_CAUTION
from engine.knowledge.spec import VerdictAction
from engine.language import kleene

from . import pairs
from .context import Context, about_rules, problem

ID = "verdict_table"


def check(ctx: Context) -> list[Problem]:
    """KB701 and KB702 rule by rule in the order the verdict rules are tried, then KB703."""
    table = [ctx.rules[rid] for rid in ctx.kb.order.verdict_rules
             if ctx.constraints[rid].first_empty is None]  # reachability reports the rest
    out = []
    shadowed = set()
    for i, rule in enumerate(table):
        winner = next((e for e in table[:i] if pairs.implies(ctx, rule, e)), None)
        if winner is not None:
            shadowed.add(rule.id)
            out.append(problem("KB701", rule.loc, _shadowed(ctx, rule, winner),
                               subject=about_rules(rule, winner)))
    for i, first in enumerate(table):
        beaten = [later for later in table[i + 1:]
                  if later.id not in shadowed and not is_fallback(later)
                  and _caution(first) > _caution(later) and not pairs.exclusive(ctx, first, later)]
        if beaten:
            out.append(problem("KB702", first.loc, _less_cautious(first, beaten), "warning",
                               about_rules(first, *beaten)))
    gap = _gap(ctx, table)
    if gap:
        out.append(problem("KB703", table[-1].loc,
                           f"no verdict rule holds when {gap}: such a case ends without a "
                           "verdict. Add a verdict rule for it, or a fallback tried last whose "
                           'only condition is "verdict is unknown"', "warning",
                           about_rules(table[-1])))
    return out


def verdict_of(rule) -> str:
    return next(a.value for a in rule.actions if isinstance(a, VerdictAction))


def is_fallback(rule) -> bool:
    """A verdict rule with no condition but the verdict guard: the table's "otherwise"."""
    return all(pairs.is_verdict_guard(cond.node) for cond in rule.conditions)


def _caution(rule) -> int:
    value = verdict_of(rule)
    return VERDICT_CAUTION.index(value) if value in VERDICT_CAUTION else -1


def _priority(ctx: Context, rule) -> str:
    return f"stage {ctx.kb.order.stage[rule.id]}, salience {rule.salience}"


def _shadowed(ctx: Context, rule, winner) -> str:
    return (f'verdict rule "{rule.id}" can never fire: whenever its conditions hold, those of '
            f'"{winner.id}" ({winner.loc}) hold too, and "{winner.id}" is tried first '
            f"({_priority(ctx, winner)} before {_priority(ctx, rule)}). Give "
            f'"{rule.id}" a higher salience than "{winner.id}" if its verdict should win there, '
            "or remove it")


def _less_cautious(first, beaten: list) -> str:
    others = ", ".join(f'"{r.id}" ({verdict_of(r)}, line {r.loc.line})' for r in beaten)
    ids = ", ".join(r.id for r in beaten)
    return (f'verdict rule "{first.id}" ({verdict_of(first)}) is tried before {others}, and '
            "can hold on the same case as each: the less cautious verdict wins there. If that "
            f'is meant, add to "{first.id}": waive: [{{code: KB702, with: [{ids}], reason: '
            "...}]; else give those rules a higher salience or make the conditions exclusive")


def _gap(ctx: Context, table: list) -> str:
    """A combination of findings (nothing else known) on which no rule of ``table`` holds,
    in words; "" when every combination tried is covered."""
    if not table:
        return ""
    params = {n: p.value for n, p in ctx.kb.parameters.items()}
    for words, findings in _worlds(ctx):
        state = kleene.State(params, findings)
        if not any(all(kleene.evaluate(cond.node, state) is True for cond in rule.conditions)
                   for rule in table):
            return words
    return ""


def _worlds(ctx: Context):
    """``(words, findings by id)``: no finding, each finding alone (a barrier mitigated and
    not), then every finding at once, unmitigated and mitigated."""
    specs = ctx.kb.finding_specs
    yield "no finding is asserted (and nothing else is known)", {}
    for fid, spec in specs.items():
        options = (False,) if spec.kind != "barrier" else (True,) if spec.mitigable else \
            (False, True)
        for mitigated in options:
            state = _finding(fid, spec, mitigated)
            what = spec.kind + (f", {spec.severity}" if spec.severity else "") + (
                ", mitigated" if mitigated else (", not mitigated" if spec.kind == "barrier"
                                                  else ""))
            yield f'the only finding is "{fid}" ({what})', {fid: state}
    for mitigated in (False, True):
        yield (f"every finding is asserted ({'all' if mitigated else 'no'} barrier "
               "mitigated)"), {fid: _finding(fid, s, mitigated) for fid, s in specs.items()}


def _finding(fid: str, spec, mitigated: bool) -> kleene.FindingState:
    return kleene.FindingState(fid, spec.kind, spec.factor, spec.severity,
                               (mitigated or spec.mitigable) and spec.kind == "barrier")
