"""Why not: why a finding, intervention or verdict value was *not* concluded for a case.

For a target id, every rule that could have concluded it (a finding it asserts, an intervention it
recommends or names as a mitigation, a verdict value it concludes) is checked against the case's
final state: each of its ``when`` conditions is evaluated in three-valued logic
(``kleene.evaluate``) and shown as it is written (``language.to_text``) with the values it read
(facts, derived facts, parameters), so the officer sees "payback_months > 2 * horizon_months:
false (payback_months = 5, horizon_months = 6)". A condition that is unknown names the facts
that were not given. A verdict rule whose conditions all hold but which lost to a verdict rule of
higher priority says so.

Must not: print, read files or render (``reports.whynot`` lays the record out). Entry points:
``why_not(kb, run, target) -> WhyNot``, ``rule_check(kb, run, rule) -> RuleCheck`` (one rule,
as ``kb test`` shows a failed example), ``targets_of(kb)``.
"""
from __future__ import annotations

from dataclasses import dataclass

from engine import language as c
from engine.consultation.conclusions import conclusions
from engine.consultation.safeguards import apply_safeguards
from engine.errors import UnknownId, did_you_mean
from engine.inference.runner import Run
from engine.knowledge.spec import (
    VERDICTS, FindingAction, KnowledgeBase, MitigateAction, RecommendAction, VerdictAction,
)
from engine.language import formatting, kleene


@dataclass(frozen=True)
class ConditionCheck:
    text: str  # the condition as written
    holds: bool | None  # True, False, or None (unknown)
    values: tuple  # (name, value as text, kind: fact | derived | parameter | finding | rule)
    unknown: tuple  # input facts it reads that the case does not give


@dataclass(frozen=True)
class RuleCheck:
    rule: str
    description: str
    location: str
    fired: bool
    concludes: tuple  # what the rule concludes, in short phrases
    conditions: tuple  # ConditionCheck
    lost_to: str | None = None  # the verdict rule that concluded first, when all conditions hold

    @property
    def failed(self) -> tuple:
        return tuple(x for x in self.conditions if x.holds is False)

    @property
    def undecided(self) -> tuple:
        return tuple(x for x in self.conditions if x.holds is None)


@dataclass(frozen=True)
class WhyNot:
    target: str
    kind: str  # finding | intervention | verdict
    concluded: bool
    by: tuple  # rule ids that did conclude it
    rules: tuple  # RuleCheck, for every rule that could conclude it
    actual_verdict: str | None = None
    withheld: dict | None = None  # an intervention concluded but withheld (safeguards): do no harm
    findings: dict | None = None  # finding id -> {kind, severity, text}: what the case concluded


def targets_of(kb: KnowledgeBase) -> dict:
    """Every id ``why_not`` accepts -> its kind."""
    out = {v: "verdict" for v in VERDICTS}
    out.update({iid: "intervention" for iid in kb.interventions})
    for rule in kb.rules:
        for a in rule.actions:
            if isinstance(a, FindingAction):
                out[a.id] = "finding"
    return out


def id_of(kb: KnowledgeBase, words: str | None) -> str | None:
    """The id an officer means by ``words``: an id as written, else (ignoring case, spaces,
    hyphens and underscores) an id, an intervention's label as reports show it ("Start small"
    -> STAGED) or a verdict in words ("possible with support"); ``words`` unchanged when
    nothing matches (the caller's error then names what can be asked)."""
    if not words or words in targets_of(kb) or words == "verdict":
        return words

    def folded(text: str) -> str:
        return " ".join(text.lower().replace("_", " ").replace("-", " ").split())

    want = folded(words)
    names = {folded(t): t for t in targets_of(kb)}
    names.update({folded(spec.label): iid for iid, spec in kb.interventions.items()
                  if spec.label})
    return names.get(want, words)


def _concludes(rule, target: str, kind: str) -> bool:
    for a in rule.actions:
        if kind == "finding" and isinstance(a, FindingAction) and a.id == target:
            return True
        if kind == "intervention" and (
                (isinstance(a, RecommendAction) and a.intervention == target) or
                (isinstance(a, MitigateAction) and a.by == target)):
            return True
        if kind == "verdict" and isinstance(a, VerdictAction) and a.value == target:
            return True
    return False


def why_not(kb: KnowledgeBase, run: Run, target: str) -> WhyNot:
    """Why ``target`` was or was not concluded in ``run``; ``UnknownId`` (with a did-you-mean)
    when it is no finding, intervention or verdict value of ``kb``."""
    kinds = targets_of(kb)
    kind = kinds.get(target)
    if kind is None:
        raise UnknownId(f'"{target}" is not a finding, intervention or verdict value of this '
                        f"knowledge base{did_you_mean(target, kinds)}")
    state = run.state(kb.parameter_values)
    verdict_rule = run.verdict[2] if run.verdict else None
    checks = [rule_check(kb, run, rule, state) for rule in kb.rules
              if _concludes(rule, target, kind)]
    if kind == "verdict":
        by = (verdict_rule,) if run.verdict and run.verdict[0] == target else ()
    else:
        by = tuple(check.rule for check in checks if check.fired)
    withheld = None
    if kind == "intervention" and by:
        _, held = apply_safeguards(kb, run, [{"intervention": target, "rules": list(by)}])
        withheld = held[0] if held else None
    concluded = {f.id: {"kind": f.kind, "severity": f.severity, "text": f.text,
                        "mitigated": bool(f.mitigations)} for f in run.findings.values()}
    return WhyNot(target, kind, bool(by), by, tuple(checks),
                  run.verdict[0] if run.verdict else None, withheld, concluded)


def rule_check(kb: KnowledgeBase, run: Run, rule, state: kleene.State | None = None) -> RuleCheck:
    """One rule on the run's final state (``state``, when already built): whether it fired,
    each condition's truth value with the values it read, and the verdict rule it lost to."""
    state = state or run.state(kb.parameter_values)
    fired = any(f.rule == rule.id for f in run.firings)
    verdict_rule = run.verdict[2] if run.verdict else None
    conds = tuple(_check(cond.node, cond.source, state, kb) for cond in rule.conditions)
    lost_to = None
    if rule.concludes_verdict and not fired and verdict_rule and \
            all(x.holds is True for x in conds if not _is_verdict_guard(x.text)):
        lost_to = verdict_rule
    return RuleCheck(rule.id, rule.description, str(rule.loc), fired, conclusions(rule, kb),
                     conds, lost_to)


def _is_verdict_guard(text: str) -> bool:
    return text.replace(" ", "") == "verdictisunknown"


def _check(node, source: str, state: kleene.State, kb: KnowledgeBase) -> ConditionCheck:
    try:
        value = kleene.evaluate(node, state)
    except (TypeError, ValueError, OverflowError, RecursionError):
        value = False
    holds = True if value is True else None if value is None else False
    values, unknown = [], []
    names = dict.fromkeys(n.name for n in c.walk(node) if isinstance(n, c.Name))
    for name in names:  # in the order the condition reads them
        if name == "verdict":
            values.append((name, formatting.format_value(state.verdict) if state.verdict
                           else "none yet", "verdict"))
        elif name in kb.parameters:
            values.append((name, formatting.format_value(kb.parameters[name].value), "parameter"))
        elif name in kb.derived_facts:
            v = state.values.get(name)
            values.append((name, formatting.format_value(v) if v is not None else "not derived",
                           "derived"))
        else:
            v = state.values.get(name)
            values.append((name, formatting.format_value(v), "fact"))
            if v is None and name in kb.input_facts:
                unknown.append(name)
    patterns_seen = set()
    for sub in c.walk(node):
        if isinstance(sub, c.FindingRef):
            f = state.findings.get(sub.finding)
            values.append((sub.finding, "concluded" if f else "not concluded", "finding"))
        elif isinstance(sub, (c.FindingPattern, c.Count)):
            pattern = sub.pattern if isinstance(sub, c.Count) else sub
            if pattern in patterns_seen:
                continue
            patterns_seen.add(pattern)
            hits = sorted(f.id for f in state.findings.values()
                          if kleene.pattern_matches(pattern, f))
            values.append(("matching findings", ", ".join(hits) or "none", "findings"))
        elif isinstance(sub, c.Fired):
            values.append((sub.rule, "fired" if sub.rule in state.fired else "did not fire",
                           "rule"))
    return ConditionCheck(source or c.to_text(node), holds, tuple(values), tuple(unknown))
