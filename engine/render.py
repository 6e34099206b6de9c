"""Render a consultation result (the contract dict) as plain text or Markdown.

Renderers only read the result and the knowledge base's labels; they never run rules, so text,
Markdown and JSON always say the same thing. Entry points: ``render_text``, ``render_markdown``,
``render_explanation``.
"""
from __future__ import annotations

from .explain import Node, derivation
from .logic import format_value
from .spec import FACTOR_IDS, KnowledgeBase

VERDICT_WORDS = {
    "likely": "LIKELY: the owner is likely to take up the upgrade",
    "possible_with_support": "POSSIBLE WITH SUPPORT: the upgrade can work if the obstacles "
                             "below are addressed",
    "unlikely": "UNLIKELY: as things stand the owner is unlikely to take up the upgrade",
    None: "NO VERDICT",
}


UNKNOWNS_SHOWN = 10


def _unknowns_by_weight(result: dict) -> list:
    """Facts asked for by a COLLECT recommendation first, then those more rules need."""
    asked = {fact for r in result["recommendations"] for fact in r.get("facts", [])}
    return sorted(result["unknowns"], key=lambda u: (u["fact"] not in asked,
                                                     -len(u["matters_for"])))


def _factor_label(kb: KnowledgeBase, fid: str) -> str:
    spec = kb.factors.get(fid)
    return spec.label if spec else fid


def _status_words(entry: dict) -> str:
    status = entry["status"]
    if status != "barrier":
        return status
    extra = [entry["severity"] or ""]
    if entry["mitigable"]:
        extra.append("mitigable")
    return f"barrier ({', '.join(e for e in extra if e)})"


def _intervention_label(kb: KnowledgeBase, iid: str) -> str:
    spec = kb.interventions.get(iid)
    return f"{iid} ({spec.label})" if spec else iid


def _header(result: dict) -> list[str]:
    meta = result.get("case", {}).get("metadata", {})
    title = f"Case {result['case_id']}"
    if meta.get("enterprise"):
        title += f": {meta['enterprise']}"
    where = ", ".join(v for v in (meta.get("sector"), meta.get("country")) if v)
    lines = [title + (f" ({where})" if where else "")]
    if meta.get("opportunity"):
        lines.append(f"Opportunity: {meta['opportunity']}")
    return lines


def render_text(result: dict, kb: KnowledgeBase) -> str:
    out = _header(result)
    v = result["verdict"]
    out += ["", "VERDICT: " + VERDICT_WORDS.get(v["value"], str(v["value"]))]
    if v.get("text"):
        out.append(f"  {v['text']}  [rule {v['rule']}]")
    findings = {f["id"]: f for f in result["findings"]}
    for fid in v.get("because", []):
        if fid in findings:
            out.append(f"  - {findings[fid]['text']}")
    out += ["", "FACTORS AT A GLANCE"]
    width = max(len(_factor_label(kb, f)) for f in FACTOR_IDS)
    for fid in FACTOR_IDS:
        out.append(f"  {_factor_label(kb, fid):<{width}}  {_status_words(result['factors'][fid])}")
    shown = [f for f in result["findings"] if f["kind"] in ("barrier", "enabler", "note")]
    out += ["", "FINDINGS"]
    if not shown:
        out.append("  (none)")
    for f in sorted(shown, key=lambda f: ("barrier", "enabler", "note").index(f["kind"])):
        tag = f["kind"] + (f", {f['severity']}" if f["severity"] else "")
        out.append(f"  [{tag}] {_factor_label(kb, f['factor'])}: {f['text']}")
        for m in f.get("mitigations", []):
            out.append(f"      remedy available ({m['by']}): {m['text']}")
        out.append(f"      rule {f['rule']}; sources {', '.join(f['sources'])}")
    out += ["", "WHAT YOU CAN DO"]
    if not result["recommendations"]:
        out.append("  (no recommendation)")
    for i, r in enumerate(result["recommendations"], 1):
        out.append(f"  {i}. {_intervention_label(kb, r['intervention'])}: {r['text']}")
        for extra in r.get("also", []):
            out.append(f"     Also: {extra}")
        answers = [findings[a]["text"] for a in r["addresses"] if a in findings]
        if answers:
            out.append(f"     Because: {answers[0]}")
            for a in answers[1:]:
                out.append(f"              {a}")
        out.append(f"     rule {', '.join(r.get('rules', [r['rule']]))}; sources "
                   f"{', '.join(r['sources'])}")
    if result["unknowns"]:
        out += ["", "STILL UNKNOWN: ask at the next visit"]
        for u in _unknowns_by_weight(result)[:UNKNOWNS_SHOWN]:
            out.append(f"  - {u.get('question') or u['fact']} ({u['fact']}; matters for "
                       f"{', '.join(u['matters_for'])})")
        rest = len(result["unknowns"]) - UNKNOWNS_SHOWN
        if rest > 0:
            out.append(f"  ... and {rest} more that matter less (all of them: --format json "
                       "or markdown)")
    kbi = result["knowledge_base"]
    out += ["", f"Knowledge base {kbi['version']} ({kbi['digest']}). "
                f"{len(result['trace'])} rule firings; see them with: mse-advisor explain CASE"]
    return "\n".join(out) + "\n"


def render_markdown(result: dict, kb: KnowledgeBase) -> str:
    head = _header(result)
    out = [f"# {head[0]}", ""]
    out += [line + "  " for line in head[1:]]
    v = result["verdict"]
    out += ["", "## Verdict", "", f"**{VERDICT_WORDS.get(v['value'], v['value'])}**", ""]
    if v.get("text"):
        out.append(f"{v['text']} (rule `{v['rule']}`)")
    findings = {f["id"]: f for f in result["findings"]}
    out += ["", "## The twelve factors", "", "| Factor | Status | Findings |", "|---|---|---|"]
    for fid in FACTOR_IDS:
        entry = result["factors"][fid]
        out.append(f"| {_factor_label(kb, fid)} | {_status_words(entry)} | "
                   f"{', '.join(entry['findings']) or '-'} |")
    out += ["", "## Findings", ""]
    for f in result["findings"]:
        tag = f["kind"] + (f", {f['severity']}" if f["severity"] else "")
        out.append(f"- **{tag}** ({_factor_label(kb, f['factor'])}): {f['text']} "
                   f"_rule {f['rule']}; {', '.join(f['sources'])}_")
    out += ["", "## What the officer can do", ""]
    for i, r in enumerate(result["recommendations"], 1):
        reasons = "; ".join(findings[a]["text"] for a in r["addresses"] if a in findings)
        out.append(f"{i}. **{_intervention_label(kb, r['intervention'])}**: {r['text']}")
        if reasons:
            out.append(f"   Because: {reasons}")
        out.append(f"   _rule {', '.join(r.get('rules', [r['rule']]))}; "
                   f"{', '.join(r['sources'])}_")
    if result["unknowns"]:
        out += ["", "## To ask at the next visit", ""]
        for u in result["unknowns"]:
            out.append(f"- {u.get('question') or u['fact']} (`{u['fact']}`)")
    out += ["", "## Explanation trace", "", "| # | Rule | Matched | Asserted |", "|---|---|---|---|"]
    for t in result["trace"]:
        out.append(f"| {t['seq']} | {t['rule']} | {_matched_text(t['matched'])} | "
                   f"{_asserted_text(t['asserted'])} |")
    kbi = result["knowledge_base"]
    out += ["", f"_Knowledge base {kbi['version']} ({kbi['digest']})_", ""]
    return "\n".join(out)


def _matched_text(matched: list) -> str:
    parts = []
    for m in matched:
        if "fact" in m:
            parts.append(f"{m['fact']} = {format_value(_tuple(m['value']))}")
        elif "derived" in m:
            parts.append(f"{m['derived']} = {format_value(m['value'])} (#{m['seq']})")
        elif "finding" in m:
            parts.append(f"{m['finding']} (#{m['seq']})")
        elif "mitigation" in m:
            parts.append(f"mitigation of {m['mitigation']} by {m['by']}")
    return ", ".join(parts) or "-"


def _asserted_text(asserted: list) -> str:
    parts = []
    for a in asserted:
        kind, name = next(iter(a.items()))
        value = a.get("value", a.get("kind"))
        parts.append(f"{kind} {name}" + (f" = {format_value(value)}" if value is not None
                                         and kind in ("derived", "assessment") else ""))
    return ", ".join(parts) or "-"


def _tuple(value):
    return tuple(value) if isinstance(value, list) else value


def render_explanation(result: dict, kb: KnowledgeBase, target: str) -> str:
    trees = derivation(result, target)
    if not trees:
        return f"Nothing in this consultation concluded {target}.\n"
    out = []
    for tree in trees:
        _tree_lines(tree, kb, out, 0)
    return "\n".join(out) + "\n"


def _tree_lines(node: Node, kb: KnowledgeBase, out: list, depth: int) -> None:
    pad = "  " * depth
    out.append(f"{pad}{node.concluded}  <= rule {node.rule} (#{node.seq}, {node.location})")
    rule = next((r for r in kb.rules if r.id == node.rule), None)
    if rule is not None:
        out.append(f"{pad}   {rule.description}")
    if node.sources:
        out.append(f"{pad}   sources: {', '.join(node.sources)}")
    for name, value in node.facts:
        out.append(f"{pad}   fact {name} = {format_value(_tuple(value))}")
    for child in node.children:
        _tree_lines(child, kb, out, depth + 1)
