"""Render a consultation result (the contract dict) as plain text or Markdown.

Renderers only read the result and the knowledge base's labels; they never run rules, so text,
Markdown and JSON always say the same thing. Entry points: ``render_text``, ``render_markdown``,
``render_explanation``.
"""
from __future__ import annotations

from engine.consultation.explain import Node, derivation
from engine.language.formatting import format_value
from engine.knowledge.spec import FACTOR_IDS, KnowledgeBase

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
    """The report as Markdown, with the same sections as the HTML report (engine/report_html)."""
    head = _header(result)
    out = [f"# {head[0]}", ""]
    out += [line + "  " for line in head[1:]]
    out += _md_summary(result, kb)
    v = result["verdict"]
    out += ["", "## Verdict", "", f"**{VERDICT_WORDS.get(v['value'], v['value'])}**", ""]
    if v.get("text"):
        out.append(f"{v['text']} (rule `{v['rule']}`)")
    findings = {f["id"]: f for f in result["findings"]}
    for fid in v.get("because", []):
        if fid in findings:
            out.append(f"- {findings[fid]['text']}")
    out += _md_factors(result, kb) + _md_findings(result, kb)
    out += ["", "## What the officer can do", ""]
    if not result["recommendations"]:
        out.append("(no recommendation)")
    for i, r in enumerate(result["recommendations"], 1):
        out.append(f"{i}. **{_intervention_label(kb, r['intervention'])}**: {r['text']}")
        for extra in r.get("also", []):
            out.append(f"   Also: {extra}")
        for a in r["addresses"]:
            if a in findings:
                out.append(f"   - Because: {findings[a]['text']}")
        out.append(f"   _rule {', '.join(r.get('rules', [r['rule']]))}; "
                   f"{', '.join(r['sources'])}_")
    out += _md_unknowns(result, kb)
    out += ["", "## Sources", ""]
    out += [f"- **{key}**: {text}" + (f" <{url}>" if url else "")
            for key, text, url in cited_sources(result, kb)]
    out += _md_appendix(result, kb) + _md_other_unknowns(result, kb)
    kbi = result["knowledge_base"]
    out += ["", f"_Knowledge base {kbi['version']} ({kbi['digest']})_", ""]
    return "\n".join(out)


def _md_cell(text) -> str:
    return str(text).replace("|", "\\|").replace("\n", " ")


def _md_summary(result: dict, kb: KnowledgeBase) -> list[str]:
    meta = result.get("case", {}).get("metadata", {})
    out = ["", "## Case summary", ""]
    for key in ("owner", "officer", "visit_date", "notes"):
        if meta.get(key):
            out.append(f"- {key.replace('_', ' ').capitalize()}: {meta[key]}")
    kbi = result["knowledge_base"]
    out.append(f"- Facts recorded: {len(facts_given(result, kb))} of {len(kb.input_facts)}; "
               f"{len(result['unknowns'])} unknown facts could change the advice")
    out.append(f"- Knowledge base: {kbi.get('name', '')} {kbi['version']} ({kbi['digest']})")
    return out


def _md_factors(result: dict, kb: KnowledgeBase) -> list[str]:
    out = ["", "## The twelve factors at a glance", "",
           "| Factor | Status | Barrier | Enablers | Findings |", "|---|---|---|---|---|"]
    for fid in FACTOR_IDS:
        entry = result["factors"][fid]
        level, enablers = factor_levels(result, fid)
        bar = "■" * level + "□" * (3 - level) if level else "-"
        out.append(f"| {_md_cell(_factor_label(kb, fid))} | {_status_words(entry)} | {bar} | "
                   f"{'+' * enablers or '-'} | {', '.join(entry['findings']) or '-'} |")
    return out


def _md_findings(result: dict, kb: KnowledgeBase) -> list[str]:
    out = ["", "## Findings", ""]
    if not result["findings"]:
        out.append("(none)")
    for f in ordered_findings(result):
        tag = f["kind"] + (f", {f['severity']}" if f["severity"] else "")
        out.append(f"- **{tag}** ({_factor_label(kb, f['factor'])}): {f['text']} "
                   f"_rule {f['rule']}; {', '.join(f['sources'])}_")
        for m in f.get("mitigations", []):
            out.append(f"  - remedy available ({m['by']}): {m['text']}")
    return out


def _md_unknowns(result: dict, kb: KnowledgeBase) -> list[str]:
    out = ["", "## To ask at the next visit", ""]
    if not result["unknowns"]:
        out.append("Nothing: no missing fact could change this advice.")
    first, rest = unknowns_to_ask(result)
    out += [f"{i}. {u.get('question') or u['fact']} (`{u['fact']}`; matters for "
            f"{', '.join(u['matters_for'])})" for i, u in enumerate(first, 1)]
    if rest:
        out += ["", f"{len(rest)} more facts could change the advice: see Appendix C."]
    return out


def _md_other_unknowns(result: dict, kb: KnowledgeBase) -> list[str]:
    _, rest = unknowns_to_ask(result)
    if not rest:
        return []
    out = ["", "## Appendix C: other facts that could change the advice", ""]
    for label, items in unknowns_by_group(result, kb, rest):
        out += [f"**{label}**", ""]
        out += [f"- {u.get('question') or u['fact']} (`{u['fact']}`)" for u in items]
        out.append("")
    return out


def _md_appendix(result: dict, kb: KnowledgeBase) -> list[str]:
    out = ["", "## Appendix A: facts as recorded", "", "| Group | Fact | Value |", "|---|---|---|"]
    out += [f"| {_md_cell(group)} | `{name}` | {_md_cell(value)} |"
            for group, name, value, _ in facts_given(result, kb)]
    out += ["", "## Appendix B: explanation trace", "",
            "| # | Rule | Matched | Asserted |", "|---|---|---|---|"]
    for t in result["trace"]:
        out.append(f"| {t['seq']} | {t['rule']} | {_md_cell(_matched_text(t['matched']))} | "
                   f"{_md_cell(_asserted_text(t['asserted']))} |")
    return out


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


# Report helpers, shared by the Markdown report above and the HTML one (engine/report_html.py).

SEVERITY_LEVEL = {"blocking": 3, "significant": 2, "minor": 1}
STATUS_ORDER = ("barrier", "enabler", "note")


def group_label(kb: KnowledgeBase, group: str) -> str:
    """A factor's label, or a readable form of a fact group such as ``opportunity``."""
    spec = kb.factors.get(group)
    return spec.label if spec else group.replace("_", " ").capitalize()


def factor_levels(result: dict, fid: str) -> tuple[int, int]:
    """(barrier level 0-3 from the worst severity, number of enabler findings) of a factor."""
    entry = result["factors"][fid]
    level = SEVERITY_LEVEL.get(entry["severity"], 1) if entry["status"] == "barrier" else 0
    kinds = {f["id"]: f["kind"] for f in result["findings"]}
    return level, sum(1 for f in entry["findings"] if kinds.get(f) == "enabler")


def ordered_findings(result: dict) -> list[dict]:
    """Barriers (worst first), then enablers, then notes; the firing order within each."""
    return sorted(result["findings"], key=lambda f: (STATUS_ORDER.index(f["kind"]),
                                                     -SEVERITY_LEVEL.get(f["severity"], 0)))


def facts_given(result: dict, kb: KnowledgeBase) -> list[tuple[str, str, str, str]]:
    """(group label, fact, value with its unit, meaning) of every fact given, vocabulary order."""
    given = result.get("case", {}).get("facts", {})
    out = []
    for name, spec in sorted(kb.input_facts.items(), key=lambda item: _group_rank(item[1])):
        if given.get(name) is None:
            continue
        value = format_value(_tuple(given[name]))
        unit = "%" if spec.type == "percent" else f" {spec.unit}" if spec.unit else ""
        out.append((group_label(kb, spec.factor), name, value + unit, spec.meaning))
    return out


def _group_rank(spec) -> int:
    """Facts about the opportunity first, then the twelve factors in their usual order."""
    order = ("opportunity",) + FACTOR_IDS
    return order.index(spec.factor) if spec and spec.factor in order else len(order)


def unknowns_to_ask(result: dict, limit: int = UNKNOWNS_SHOWN) -> tuple[list, list]:
    """The unknowns to ask first (those a COLLECT names, then those more rules need) and the
    rest, so a report leads with a short list and keeps the long one for an appendix."""
    ordered = _unknowns_by_weight(result)
    return ordered[:limit], ordered[limit:]


def unknowns_by_group(result: dict, kb: KnowledgeBase,
                      items: list | None = None) -> list[tuple[str, list[dict]]]:
    """The unknowns that matter (or ``items`` of them), grouped by their fact's factor."""
    groups: dict[str, list[dict]] = {}
    chosen = result["unknowns"] if items is None else items
    for u in sorted(chosen, key=lambda u: _group_rank(kb.facts.get(u["fact"]))):
        spec = kb.facts.get(u["fact"])
        groups.setdefault(group_label(kb, spec.factor) if spec else "Other", []).append(u)
    return list(groups.items())


def cited_sources(result: dict, kb: KnowledgeBase) -> list[tuple[str, str, str]]:
    """(key, title and reference, url) of every source cited, in order of first citation."""
    keys: list[str] = []
    for item in result["findings"] + result["recommendations"] + result["trace"]:
        keys += [k for k in item.get("sources", []) if k not in keys]
    out = []
    for key in keys:
        spec = kb.sources.get(key)
        text = (f"{spec.title}. {spec.reference}" if spec.reference else spec.title) if spec \
            else "(not in the knowledge base's sources)"
        out.append((key, text, spec.url if spec else ""))
    return out
