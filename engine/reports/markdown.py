"""The report of one consultation as Markdown, with the same sections as the HTML report.

``render_markdown(result, kb) -> str``: case summary, verdict, the twelve factors as a table,
findings, what the officer can do, what to ask at the next visit, sources, and appendices (facts
as recorded, explanation trace, other unknowns). Content comes from ``engine.reports.content``;
the section order is that of ``engine.reports.html`` (see docs/reports-and-history.md).

Must not: run rules, print, or write files. Table cells go through ``_md_cell`` so a ``|`` or a
line break in a case's text cannot break a table.
"""
from __future__ import annotations

from engine.knowledge.spec import FACTOR_IDS, KnowledgeBase
from engine.reports.content import (
    VERDICT_WORDS, asserted_text, case_heading, cited_sources, factor_label, factor_levels,
    facts_given, finding_texts, intervention_label, matched_text, ordered_findings,
    recommendation_rules, status_words, unknowns_by_group, unknowns_to_ask,
)


def render_markdown(result: dict, kb: KnowledgeBase) -> str:
    """The whole report as one Markdown document (no trailing newline after its last line)."""
    head = case_heading(result)
    out = [f"# {head[0]}", ""]
    out += [line + "  " for line in head[1:]]
    out += _md_summary(result, kb) + _md_verdict(result) + _md_factors(result, kb)
    out += _md_findings(result, kb) + _md_recommendations(result, kb) + _md_withheld(result, kb)
    out += _md_unknowns(result)
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


def _md_verdict(result: dict) -> list[str]:
    v = result["verdict"]
    out = ["", "## Verdict", "", f"**{VERDICT_WORDS.get(v['value'], v['value'])}**", ""]
    if v.get("text"):
        out.append(f"{v['text']} (rule `{v['rule']}`)")
    out += [f"- {text}" for text in finding_texts(result, v.get("because", []))]
    return out


def _md_factors(result: dict, kb: KnowledgeBase) -> list[str]:
    out = ["", "## The twelve factors at a glance", "",
           "| Factor | Status | Barrier | Enablers | Findings |", "|---|---|---|---|---|"]
    for fid in FACTOR_IDS:
        entry = result["factors"][fid]
        level, enablers = factor_levels(result, fid)
        bar = "■" * level + "□" * (3 - level) if level else "-"
        out.append(f"| {_md_cell(factor_label(kb, fid))} | {status_words(entry)} | {bar} | "
                   f"{'+' * enablers or '-'} | {', '.join(entry['findings']) or '-'} |")
    return out


def _md_findings(result: dict, kb: KnowledgeBase) -> list[str]:
    out = ["", "## Findings", ""]
    if not result["findings"]:
        out.append("(none)")
    for f in ordered_findings(result):
        tag = f["kind"] + (f", {f['severity']}" if f["severity"] else "")
        out.append(f"- **{tag}** ({factor_label(kb, f['factor'])}): {f['text']} "
                   f"_rule {f['rule']}; {', '.join(f['sources'])}_")
        for m in f.get("mitigations", []):
            out.append(f"  - remedy available ({m['by']}): {m['text']}")
    return out


def _md_recommendations(result: dict, kb: KnowledgeBase) -> list[str]:
    out = ["", "## What the officer can do", ""]
    if not result["recommendations"]:
        out.append("(no recommendation)")
    for i, r in enumerate(result["recommendations"], 1):
        out.append(f"{i}. **{intervention_label(kb, r['intervention'])}**: {r['text']}")
        for extra in r.get("also", []):
            out.append(f"   Also: {extra}")
        out += [f"   - Because: {text}" for text in finding_texts(result, r["addresses"])]
        out.append(f"   _rule {', '.join(recommendation_rules(r))}; "
                   f"{', '.join(r['sources'])}_")
    return out


def _md_withheld(result: dict, kb: KnowledgeBase) -> list[str]:
    if not result.get("withheld"):
        return []
    out = ["", "## Not advised here (do no harm)", ""]
    for w in result["withheld"]:
        out.append(f"- **{intervention_label(kb, w['intervention'])}**: {w['text']} "
                   f"_Because: {w['because']} ({w['never']}; {', '.join(w['sources'])})_")
    return out


def _md_unknowns(result: dict) -> list[str]:
    out = ["", "## To ask at the next visit", ""]
    if not result["unknowns"]:
        out.append("Nothing: no missing fact could change this advice.")
    first, rest = unknowns_to_ask(result)
    out += [f"{i}. {u.get('question') or u['fact']} (`{u['fact']}`; matters for "
            f"{', '.join(u['matters_for'])})" for i, u in enumerate(first, 1)]
    if rest:
        out += ["", f"{len(rest)} more facts could change the advice: see Appendix C."]
    return out


def _md_appendix(result: dict, kb: KnowledgeBase) -> list[str]:
    out = ["", "## Appendix A: facts as recorded", "", "| Group | Fact | Value |", "|---|---|---|"]
    out += [f"| {_md_cell(group)} | `{name}` | {_md_cell(value)} |"
            for group, name, value, _ in facts_given(result, kb)]
    out += ["", "## Appendix B: explanation trace", "",
            "| # | Rule | Matched | Asserted |", "|---|---|---|---|"]
    for t in result["trace"]:
        out.append(f"| {t['seq']} | {t['rule']} | {_md_cell(matched_text(t['matched']))} | "
                   f"{_md_cell(asserted_text(t['asserted']))} |")
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
