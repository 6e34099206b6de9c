"""Compare two versions of a knowledge base: what changed in the rules, and what that does to
rule examples and worked cases.

A rule change is reviewed together with its effect: rules added, removed and changed (only the
fields, and within actions and examples only the keys, that changed: ``rulediff``), parameters
whose value changed; every rule example of the new knowledge base run on both versions (whether
its rule fires, whether it passes), and every worked case of the new knowledge base run on both
(verdicts, factor statuses, findings and recommendations).

Must not: print or write files; read files except case files through ``cases.load_case``.
Entry points: ``diff_knowledge_bases(old, new) -> KbDiff`` (two ``Advisor``s),
``render_diff(diff) -> str``.
"""
from __future__ import annotations

from dataclasses import dataclass, field

from engine.consultation.cases import load_case
from engine.consultation.result import build_result
from engine.errors import CaseError, ValueProblem
from engine.inference.runner import Advisor
from engine.kbtools.expectations import example_unmet
from engine.kbtools.rulediff import RuleChange, diff_rules, field_lines, show
from engine.knowledge.spec import KnowledgeBase
from engine.knowledge.values import check_value

__all__ = ["CaseChange", "ExampleChange", "KbDiff", "RuleChange", "diff_knowledge_bases",
           "render_diff"]


@dataclass
class ExampleChange:
    """A rule example whose outcome differs between the two versions: ``before`` and ``after``
    in words ("passes, TM-1 fires", "FAILS: expected ...; actual ...")."""

    what: str  # "example TM-1 #2"
    where: str
    before: str
    after: str


@dataclass
class CaseChange:
    """What changed in one worked case from the old knowledge base to the new one."""

    id: str
    where: str
    verdict: tuple | None = None  # (old, new) when it changed
    factors: dict = field(default_factory=dict)  # factor -> (old status, new status)
    findings: tuple = ((), ())  # (removed, added)
    recommendations: tuple = ((), ())  # (removed, added)
    error: str = ""

    @property
    def changed(self) -> bool:
        return bool(self.verdict or self.factors or any(self.findings) or
                    any(self.recommendations) or self.error)


@dataclass
class KbDiff:
    """Rule and parameter changes from ``old`` to ``new`` (folders), and the cases that moved."""

    old: str
    new: str
    rules: list = field(default_factory=list)
    parameters: list = field(default_factory=list)  # (name, old value, new value)
    cases: list = field(default_factory=list)  # CaseChange, changed ones only
    cases_run: int = 0
    examples: list = field(default_factory=list)  # ExampleChange, changed ones only
    examples_run: int = 0

    def to_dict(self) -> dict:
        """Plain data for ``kb diff --format json``."""
        return {
            "old": self.old, "new": self.new,
            "rules": [{"id": r.id, "status": r.status, "where": r.where,
                       "changes": [{"field": f, "old": o, "new": n} for f, o, n in r.changes]}
                      for r in self.rules],
            "parameters": [{"name": n, "old": o, "new": v} for n, o, v in self.parameters],
            "examples_run": self.examples_run,
            "examples": [{"example": x.what, "where": x.where, "before": x.before,
                          "after": x.after} for x in self.examples],
            "cases_run": self.cases_run,
            "cases": [{"id": x.id, "where": x.where, "error": x.error or None,
                       "verdict": list(x.verdict) if x.verdict else None,
                       "factors": {k: list(v) for k, v in x.factors.items()},
                       "findings": {"removed": list(x.findings[0]), "added": list(x.findings[1])},
                       "recommendations": {"removed": list(x.recommendations[0]),
                                           "added": list(x.recommendations[1])}}
                      for x in self.cases],
        }


def diff_parameters(old: KnowledgeBase, new: KnowledgeBase) -> list[tuple]:
    """(name, old value, new value) of each parameter whose value changed (None: absent)."""
    names = list(new.parameters) + [n for n in old.parameters if n not in new.parameters]
    out = []
    for name in names:
        a, b = old.parameters.get(name), new.parameters.get(name)
        va, vb = (a.value if a else None), (b.value if b else None)
        if va != vb:
            out.append((name, va, vb))
    return out


def _outcome(advisor: Advisor, path: str) -> dict:
    case = load_case(path, advisor.kb)
    result = build_result(advisor.kb, case, advisor.run(case.facts))
    return {"id": case.id, "verdict": result["verdict"]["value"],
            "factors": {k: v["status"] for k, v in result["factors"].items()},
            "findings": [f["id"] for f in result["findings"]],
            "recommendations": [r["intervention"] for r in result["recommendations"]]}


def _gone_and_new(a: list, b: list) -> tuple:
    return (tuple(x for x in a if x not in b), tuple(x for x in b if x not in a))


def diff_case(old: Advisor, new: Advisor, path: str) -> CaseChange:
    """The case file at ``path`` run on both; a case that does not load says so in ``error``."""
    try:
        after = _outcome(new, path)
    except CaseError as exc:
        return CaseChange(path, path, error="does not load on the new knowledge base: "
                                            + "; ".join(str(p) for p in exc.problems))
    try:
        before = _outcome(old, path)
    except CaseError as exc:
        return CaseChange(after["id"], path, error="does not load on the old knowledge base: "
                                                   + "; ".join(str(p) for p in exc.problems))
    change = CaseChange(after["id"], path)
    if before["verdict"] != after["verdict"]:
        change.verdict = (before["verdict"], after["verdict"])
    change.factors = {k: (before["factors"].get(k), v) for k, v in after["factors"].items()
                      if before["factors"].get(k) != v}
    change.findings = _gone_and_new(before["findings"], after["findings"])
    change.recommendations = _gone_and_new(before["recommendations"], after["recommendations"])
    return change


def diff_examples(old: Advisor, new: Advisor) -> tuple[list, int]:
    """Every rule example of the new knowledge base run on both versions: the ones whose rule
    fires on one and not the other, or that pass on one and fail on the other; and how many ran.
    Facts the old version lacks (or types differently) are left unknown there."""
    out, count = [], 0
    for rule in new.kb.rules:
        for i, example in enumerate(rule.examples, 1):
            count += 1
            after = _example_outcome(new, rule.id, example, example.given)
            given, dropped = _facts_for(old.kb, example.given)
            before = _example_outcome(old, rule.id, example, given) + (
                f" (left unknown there: {', '.join(dropped)})" if dropped else "")
            if before.split(" (left")[0] != after:
                out.append(ExampleChange(f"example {rule.id} #{i}", str(example.loc), before,
                                         after))
    return out, count


def _example_outcome(advisor: Advisor, rule_id: str, example, given: dict) -> str:
    run = advisor.run(given)
    fired = any(f.rule == rule_id for f in run.firings)
    state = f"{rule_id} {'fires' if fired else 'does not fire'}"
    found = example_unmet(rule_id, example, run)
    if not found:
        return f"passes ({state})"
    return f"FAILS ({state}): " + "; ".join(f"expected {u.expected}, actual {u.actual}"
                                            for u in found)


def _facts_for(kb: KnowledgeBase, given: dict) -> tuple[dict, list]:
    """``given`` as ``kb`` can take it, and the names it cannot (unknown there, or typed
    otherwise)."""
    out, dropped = {}, []
    for name, value in given.items():
        spec = kb.input_facts.get(name)
        try:
            out[name] = check_value(spec, value) if spec is not None else None
        except ValueProblem:
            out[name] = None
        if out[name] is None:
            dropped.append(name)
            del out[name]
    return out, dropped


def diff_knowledge_bases(old: Advisor, new: Advisor) -> KbDiff:
    """Rules, parameters, every rule example and every worked case of the new knowledge base
    run on both."""
    out = KbDiff(old.kb.root, new.kb.root, diff_rules(old.kb, new.kb),
                 diff_parameters(old.kb, new.kb))
    out.examples, out.examples_run = diff_examples(old, new)
    for path in new.kb.case_files:
        change = diff_case(old, new, path)
        out.cases_run += 1
        if change.changed:
            out.cases.append(change)
    return out


# ---------------------------------------------------------------- text

def render_diff(d: KbDiff) -> str:
    """The diff as text: rules, parameters, then the worked cases that changed."""
    lines = [f"Knowledge base {d.old} -> {d.new}", ""]
    added = [r for r in d.rules if r.status == "added"]
    removed = [r for r in d.rules if r.status == "removed"]
    changed = [r for r in d.rules if r.status == "changed"]
    lines.append(f"Rules: {len(added)} added, {len(removed)} removed, {len(changed)} changed")
    for r in added:
        lines.append(f"  + {r.id} ({r.where})")
    for r in removed:
        lines.append(f"  - {r.id} ({r.where})")
    for r in changed:
        lines.append(f"  ~ {r.id} ({r.where}): {', '.join(f for f, _, _ in r.changes)}")
        for name, old, new in r.changes:
            lines.extend(field_lines(name, old, new))
    if d.parameters:
        lines += ["", f"Parameters: {len(d.parameters)} changed"]
        for name, old, new in d.parameters:
            lines.append(f"  ~ {name}: {show(old)} -> {show(new)}")
    lines += ["", f"Rule examples: {len(d.examples)} of {d.examples_run} changed"]
    for x in d.examples:
        lines += [f"  {x.what} ({x.where})", f"    before: {x.before}", f"    after:  {x.after}"]
    lines += ["", f"Worked cases: {len(d.cases)} of {d.cases_run} changed"]
    for x in d.cases:
        lines.append(f"  {x.id} ({x.where})")
        if x.error:
            lines.append(f"    {x.error}")
        if x.verdict:
            lines.append(f"    verdict: {x.verdict[0]} -> {x.verdict[1]}")
        for fid, (old, new) in x.factors.items():
            lines.append(f"    factor {fid}: {old} -> {new}")
        for label, (gone, new) in (("finding", x.findings),
                                   ("recommendation", x.recommendations)):
            lines += [f"    - {label} {i}" for i in gone] + [f"    + {label} {i}" for i in new]
    return "\n".join(lines) + "\n"
