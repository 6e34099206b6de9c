"""What if: consult a case before and after changing some facts, and compare the two results.

``parse_settings`` reads ``FACT=VALUE`` strings (as typed after ``--set``) with the same checks as
a case file (``knowledge.values.parse_text``); ``unknown``, ``?`` or nothing after ``=`` makes the fact
unknown. ``what_if`` runs the case as it is and with the changes, and returns one dict: the facts
changed, the verdict with its confidence and the verdicts still possible, every factor's status
and the recommendations before and after, and the rules that fired in one run but not the other. ``render_text`` shows it side by side.

Must not: print or read files. Entry points: ``parse_settings(kb, items)``,
``what_if(advisor, case, changes)``, ``render_text(diff, kb)``.
"""
from __future__ import annotations

import dataclasses

from engine.consultation.cases import Case
from engine.consultation.result import build_result
from engine.errors import CaseError, Location, Problem, ValueProblem, did_you_mean
from engine.knowledge.spec import KnowledgeBase
from engine.knowledge.values import parse_text
from engine.language.formatting import format_value

UNKNOWN_WORDS = {"", "?", "unknown", "null", "none"}


def parse_settings(kb: KnowledgeBase, items) -> dict:
    """``["fact=value", ...]`` -> {fact: checked value or None}; CaseError lists every problem."""
    out, problems = {}, []
    for item in items:
        where = Location(f"--set {item}")
        name, sep, text = item.partition("=")
        name = name.strip()
        if not sep or not name:
            problems.append(Problem(where, "expected FACT=VALUE, e.g. --set "
                                           "alternative_market_without_stigma=false"))
            continue
        spec = kb.input_facts.get(name)
        if spec is None:
            why = "is derived by the rules; set the facts it is computed from" \
                if name in kb.derived_facts else \
                f"is not a fact of the vocabulary{did_you_mean(name, kb.input_facts)}"
            problems.append(Problem(where, f'"{name}" {why}'))
            continue
        if text.strip().lower() in UNKNOWN_WORDS and spec.type not in ("list[enum]", "str"):
            out[name] = None
            continue
        try:
            out[name] = parse_text(spec, text)
        except ValueProblem as exc:
            problems.append(Problem(where, str(exc)))
    if problems:
        raise CaseError(problems)
    return out


def _summary(result: dict, kb: KnowledgeBase) -> dict:
    rule_ids = {r.id for r in kb.rules}  # not the built-in assessment
    return {
        "verdict": result["verdict"]["value"],
        "verdict_rule": result["verdict"]["rule"],
        "confidence": result["verdict"]["confidence"],
        "possible": result["verdict"]["possible_values"],
        "factors": {fid: {"status": e["status"], "severity": e["severity"],
                          "mitigable": e["mitigable"]} for fid, e in result["factors"].items()},
        "recommendations": [r["intervention"] for r in result["recommendations"]],
        "rules": list(dict.fromkeys(t["rule"] for t in result["trace"]
                                    if t["rule"] in rule_ids)),
    }


def what_if(advisor, case: Case, changes: dict) -> dict:
    """Both results and what differs between them."""
    kb = advisor.kb
    facts = dict(case.facts)
    for name, value in changes.items():
        if value is None:
            facts.pop(name, None)
        else:
            facts[name] = value
    after_case = dataclasses.replace(case, facts=facts)
    before = _summary(build_result(kb, case, advisor.run(case.facts), advisor), kb)
    after = _summary(build_result(kb, after_case, advisor.run(facts), advisor), kb)
    rules_before, rules_after = set(before["rules"]), set(after["rules"])
    recs_before, recs_after = before["recommendations"], after["recommendations"]
    return {
        "case_id": case.id,
        "set": {name: {"before": _plain(case.facts.get(name)), "after": _plain(value)}
                for name, value in changes.items()},
        "verdict": {"before": before["verdict"], "after": after["verdict"],
                    "rule_before": before["verdict_rule"], "rule_after": after["verdict_rule"],
                    "confidence_before": before["confidence"],
                    "confidence_after": after["confidence"],
                    "possible_before": before["possible"], "possible_after": after["possible"],
                    "changed": before["verdict"] != after["verdict"]},
        "factors": {fid: {"before": before["factors"][fid], "after": after["factors"][fid],
                          "changed": before["factors"][fid] != after["factors"][fid]}
                    for fid in before["factors"]},
        "recommendations": {"before": recs_before, "after": recs_after,
                            "added": [r for r in recs_after if r not in recs_before],
                            "removed": [r for r in recs_before if r not in recs_after]},
        "rules": {"only_before": [r for r in before["rules"] if r not in rules_after],
                  "only_after": [r for r in after["rules"] if r not in rules_before]},
    }


def _plain(value):
    return list(value) if isinstance(value, tuple) else value


def _status(entry: dict) -> str:
    if entry["status"] != "barrier":
        return entry["status"]
    extra = ", mitigable" if entry["mitigable"] else ""
    return f"barrier ({entry['severity']}{extra})"


def render_text(diff: dict, kb: KnowledgeBase) -> str:
    """Before and after side by side; a * marks each line that changed."""
    sets = ", ".join(f"{n} = {format_value(_tuple(v['after']))} (was "
                     f"{format_value(_tuple(v['before']))})" for n, v in diff["set"].items())
    lines = [f"What if {sets or 'nothing changes'}?  (case {diff['case_id']})", ""]
    rows = [("", "BEFORE", "AFTER", "")]
    v = diff["verdict"]
    rows.append(("Verdict", format_value(v["before"]), format_value(v["after"]),
                 "*" if v["changed"] else ""))
    rows.append(("Confidence", v["confidence_before"], v["confidence_after"],
                 "*" if v["confidence_before"] != v["confidence_after"] else ""))
    for fid, entry in diff["factors"].items():
        label = kb.factors[fid].label if fid in kb.factors else fid
        rows.append((label, _status(entry["before"]), _status(entry["after"]),
                     "*" if entry["changed"] else ""))
    w0 = max(len(r[0]) for r in rows)
    w1 = max(len(r[1]) for r in rows)
    w2 = max(len(r[2]) for r in rows)
    for r in rows:
        lines.append(f"{r[0]:<{w0}}  {r[1]:<{w1}}  {r[2]:<{w2}}  {r[3]}".rstrip())
    recs = diff["recommendations"]
    lines += ["", "Recommendations before: " + (", ".join(recs["before"]) or "none"),
              "Recommendations after:  " + (", ".join(recs["after"]) or "none")]
    if recs["added"]:
        lines.append("  added:   " + ", ".join(recs["added"]))
    if recs["removed"]:
        lines.append("  removed: " + ", ".join(recs["removed"]))
    changed = diff["rules"]
    lines.append("")
    if not changed["only_before"] and not changed["only_after"]:
        lines.append("The same rules fired in both runs.")
    for key, words in (("only_before", "Rules that fired only before:"),
                       ("only_after", "Rules that fired only after:")):
        if changed[key]:
            lines.append(words)
            for rid in changed[key]:
                lines.append(f"  {rid}: {_description(kb, rid)}")
    return "\n".join(lines) + "\n"


def _tuple(value):
    return tuple(value) if isinstance(value, list) else value


def _description(kb: KnowledgeBase, rule_id: str) -> str:
    try:
        return kb.rule(rule_id).description
    except KeyError:
        return "built-in rule"
