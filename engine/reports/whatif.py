"""What if, as the officer reads it: ``mse-advisor whatif CASE --set FACT=VALUE``.

``render_what_if(diff, kb) -> str`` lays out the comparison ``engine.consultation.whatif``
returns: the facts changed, the verdict and every factor's status before and after side by side
(a ``*`` marks each line that changed), the recommendations, and the rules that fired in one run
only, with the knowledge base's labels and rule descriptions.

Must not: run rules or compare anything itself (the dict holds both runs); print.
"""
from __future__ import annotations

from engine.knowledge.spec import KnowledgeBase
from engine.language.formatting import format_value
from engine.reports.content import factor_label, status_words


def render_what_if(diff: dict, kb: KnowledgeBase) -> str:
    """Before and after side by side, as lines ending with a newline."""
    sets = ", ".join(f"{n} = {format_value(_tuple(v['after']))} (was "
                     f"{format_value(_tuple(v['before']))})" for n, v in diff["set"].items())
    lines = [f"What if {sets or 'nothing changes'}?  (case {diff['case_id']})", ""]
    lines += _table(diff, kb)
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
            lines += [f"  {rid}: {_description(kb, rid)}" for rid in changed[key]]
    return "\n".join(lines) + "\n"


def _table(diff: dict, kb: KnowledgeBase) -> list[str]:
    """The verdict and each factor, before and after, in padded columns."""
    v = diff["verdict"]
    rows = [("", "BEFORE", "AFTER", ""),
            ("Verdict", format_value(v["before"]), format_value(v["after"]),
             "*" if v["changed"] else "")]
    for fid, entry in diff["factors"].items():
        rows.append((factor_label(kb, fid), status_words(entry["before"]),
                     status_words(entry["after"]), "*" if entry["changed"] else ""))
    w0, w1, w2 = (max(len(r[i]) for r in rows) for i in range(3))
    return [f"{r[0]:<{w0}}  {r[1]:<{w1}}  {r[2]:<{w2}}  {r[3]}".rstrip() for r in rows]


def _tuple(value):
    return tuple(value) if isinstance(value, list) else value


def _description(kb: KnowledgeBase, rule_id: str) -> str:
    try:
        return kb.rule(rule_id).description
    except KeyError:
        return "built-in rule"
