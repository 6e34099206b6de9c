"""Compare two versions of a knowledge base: what changed in the rules, and what that does to cases.

A rule change is reviewed together with its effect: rules added, removed and changed (field by
field, conditions line by line), parameters whose value changed, and, over every worked case of
the new knowledge base run on both versions, which verdicts, factor statuses, findings and
recommendations changed.

Must not: print or write files; read files except case files through ``cases.load_case``.
Entry points: ``diff_knowledge_bases(old, new) -> KbDiff`` (two ``Advisor``s),
``render_diff(diff) -> str``.
"""
from __future__ import annotations

from dataclasses import dataclass, field, fields

from engine import language as c
from engine.consultation.cases import load_case
from engine.consultation.result import build_result
from engine.errors import CaseError
from engine.inference.runner import Advisor
from engine.knowledge.spec import KnowledgeBase, RuleSpec, Template


@dataclass
class RuleChange:
    """A rule added, removed or changed (then each changed field with its old and new value)."""

    id: str
    status: str  # added | removed | changed
    where: str
    changes: list = field(default_factory=list)  # (field, old, new)


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

    def to_dict(self) -> dict:
        """Plain data for ``kb diff --format json``."""
        return {
            "old": self.old, "new": self.new,
            "rules": [{"id": r.id, "status": r.status, "where": r.where,
                       "changes": [{"field": f, "old": o, "new": n} for f, o, n in r.changes]}
                      for r in self.rules],
            "parameters": [{"name": n, "old": o, "new": v} for n, o, v in self.parameters],
            "cases_run": self.cases_run,
            "cases": [{"id": x.id, "where": x.where, "error": x.error or None,
                       "verdict": list(x.verdict) if x.verdict else None,
                       "factors": {k: list(v) for k, v in x.factors.items()},
                       "findings": {"removed": list(x.findings[0]), "added": list(x.findings[1])},
                       "recommendations": {"removed": list(x.recommendations[0]),
                                           "added": list(x.recommendations[1])}}
                      for x in self.cases],
        }


def _plain(value):
    if isinstance(value, Template):
        return value.source
    if isinstance(value, tuple):
        return [_plain(v) for v in value]
    if isinstance(value, dict):
        return {k: _plain(v) for k, v in value.items()}
    if hasattr(value, "__dataclass_fields__"):
        if hasattr(value, "source") and hasattr(value, "node"):  # a Condition
            return value.source
        out = {f.name: _plain(getattr(value, f.name)) for f in fields(value) if f.name != "loc"}
        if "value" in out and not isinstance(out["value"], (str, int, float, bool, type(None))):
            out["value"] = c.to_text(value.value)
        return {"action": type(value).__name__.replace("Action", "").lower(), **out}
    return value


def rule_fields(rule: RuleSpec) -> dict:
    """A rule as comparable plain data, without file positions."""
    return {f.name: _plain(getattr(rule, f.name)) for f in fields(rule)
            if f.name not in ("id", "loc")}


def diff_rules(old: KnowledgeBase, new: KnowledgeBase) -> list[RuleChange]:
    """Rules added and changed (in the new files' order), then rules removed."""
    before = {r.id: r for r in old.rules}
    after = {r.id: r for r in new.rules}
    out = []
    for rid, rule in after.items():
        if rid not in before:
            out.append(RuleChange(rid, "added", str(rule.loc)))
            continue
        a, b = rule_fields(before[rid]), rule_fields(rule)
        changes = [(k, a[k], b[k]) for k in b if a.get(k) != b[k]]
        if changes:
            out.append(RuleChange(rid, "changed", str(rule.loc), changes))
    for rid, rule in before.items():
        if rid not in after:
            out.append(RuleChange(rid, "removed", str(rule.loc)))
    return out


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
    result = build_result(advisor.kb, case, advisor.run(case.facts), advisor)
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


def diff_knowledge_bases(old: Advisor, new: Advisor) -> KbDiff:
    """Rules, parameters, and every worked case of the new knowledge base run on both."""
    out = KbDiff(old.kb.root, new.kb.root, diff_rules(old.kb, new.kb),
                 diff_parameters(old.kb, new.kb))
    for path in new.kb.case_files:
        change = diff_case(old, new, path)
        out.cases_run += 1
        if change.changed:
            out.cases.append(change)
    return out


# ---------------------------------------------------------------- text

def _show(value) -> str:
    if isinstance(value, list):
        return "; ".join(_show(v) for v in value) or "(none)"
    if isinstance(value, dict):
        return ", ".join(f"{k}={_show(v)}" for k, v in value.items())
    return str(value)


def _field_lines(name: str, old, new) -> list[str]:
    if name in ("conditions", "actions", "examples", "sources") and \
            isinstance(old, list) and isinstance(new, list):
        label = {"conditions": "when", "actions": "then"}.get(name, name)
        return ([f"      - {label}: {_show(v)}" for v in old if v not in new] +
                [f"      + {label}: {_show(v)}" for v in new if v not in old])
    return [f"      - {name}: {_show(old)}", f"      + {name}: {_show(new)}"]


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
            lines.extend(_field_lines(name, old, new))
    if d.parameters:
        lines += ["", f"Parameters: {len(d.parameters)} changed"]
        for name, old, new in d.parameters:
            lines.append(f"  ~ {name}: {_show(old)} -> {_show(new)}")
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
