"""The report of one consultation as Markdown, with the same sections as the HTML report.

``render_markdown(result, kb) -> str``: case summary, verdict, the twelve factors as a table,
findings, what the officer can do, what to ask at the next visit, sources, and appendices (facts
as recorded, explanation trace, other unknowns). Content comes from ``engine.reports.content``;
the section order is that of ``engine.reports.html`` (see docs/reports-and-history.md).

Every value from the case or the knowledge base goes through ``engine.safe_text.markdown``: on one
line, HTML characters as entities and Markdown's marks escaped, so a case cannot inject HTML or
a script, a link, or a line (a heading, "VERDICT: LIKELY"), nor break a table. Names of facts
and rules stand in code spans as they are (they are checked names).

Must not: run rules, print, or write files.
"""
from __future__ import annotations

from engine.knowledge.spec import FACTOR_IDS, KnowledgeBase
from engine.safe_text import markdown as md
from engine.reports.content import (
    VERDICT_WORDS, asserted_text, case_heading, cited_sources, factor_label, factor_levels,
    facts_given, finding_texts, intervention_label, matched_text, ordered_findings,
    recommendation_rules, status_words, unknowns_by_group, unknowns_to_ask,
)


def render_markdown(result: dict, kb: KnowledgeBase) -> str:
    """The whole report as one Markdown document (no trailing newline after its last line)."""
    head = case_heading(result)
    out = [f"# {md(head[0])}", ""]
    out += [md(line) + "  " for line in head[1:]]
    out += _md_summary(result, kb) + _md_verdict(result) + _md_factors(result, kb)
    out += _md_findings(result, kb) + _md_recommendations(result, kb) + _md_withheld(result, kb)
    out += _md_unknowns(result)
    out += ["", "## Sources", ""]
    out += [f"- **{md(key)}**: {md(text)}" + (f" ({md(url)})" if url else "")
            for key, text, url in cited_sources(result, kb)]
    out += _md_appendix(result, kb) + _md_other_unknowns(result, kb)
    kbi = result["knowledge_base"]
    out += ["", f"_Knowledge base {md(kbi['version'])} ({md(kbi['digest'])})_", ""]
    return "\n".join(out)


def _md_cell(text) -> str:
    return md(str(text))


def _md_summary(result: dict, kb: KnowledgeBase) -> list[str]:
    meta = result.get("case", {}).get("metadata", {})
    out = ["", "## Case summary", ""]
    for key in ("owner", "officer", "visit_date", "notes"):
        if meta.get(key):
            out.append(f"- {key.replace('_', ' ').capitalize()}: {md(meta[key])}")
    kbi = result["knowledge_base"]
    out.append(f"- Facts recorded: {len(facts_given(result, kb))} of {len(kb.input_facts)}; "
               f"{len(result['unknowns'])} unknown facts could change the advice")
    out.append(f"- Knowledge base: {md(kbi.get('name', ''))} {md(kbi['version'])} "
               f"({md(kbi['digest'])})")
    return out


def _md_verdict(result: dict) -> list[str]:
    v = result["verdict"]
    out = ["", "## Verdict", "", f"**{md(VERDICT_WORDS.get(v['value'], v['value']))}**", ""]
    if v.get("text"):
        out.append(f"{md(v['text'])} (rule {md(v['rule'])})")
    out += [f"- {md(text)}" for text in finding_texts(result, v.get("because", []))]
    return out


def _md_factors(result: dict, kb: KnowledgeBase) -> list[str]:
    out = ["", "## The twelve factors at a glance", "",
           "| Factor | Status | Barrier | Enablers | Findings |", "|---|---|---|---|---|"]
    for fid in FACTOR_IDS:
        entry = result["factors"][fid]
        level, enablers = factor_levels(result, fid)
        bar = "■" * level + "□" * (3 - level) if level else "-"
        out.append(f"| {_md_cell(factor_label(kb, fid))} | {md(status_words(entry))} | {bar} | "
                   f"{'+' * enablers or '-'} | {md(', '.join(entry['findings']) or '-')} |")
    return out


def _md_findings(result: dict, kb: KnowledgeBase) -> list[str]:
    out = ["", "## Findings", ""]
    if not result["findings"]:
        out.append("(none)")
    for f in ordered_findings(result):
        tag = f["kind"] + (f", {f['severity']}" if f["severity"] else "")
        out.append(f"- **{md(tag)}** ({md(factor_label(kb, f['factor']))}): {md(f['text'])} "
                   f"_rule {md(f['rule'])}; {md(', '.join(f['sources']))}_")
        for m in f.get("mitigations", []):
            out.append(f"  - remedy available ({md(m['by'])}): {md(m['text'])}")
    return out


def _md_recommendations(result: dict, kb: KnowledgeBase) -> list[str]:
    out = ["", "## What the officer can do", ""]
    if not result["recommendations"]:
        out.append("(no recommendation)")
    for i, r in enumerate(result["recommendations"], 1):
        out.append(f"{i}. **{md(intervention_label(kb, r['intervention']))}**: {md(r['text'])}")
        for extra in r.get("also", []):
            out.append(f"   Also: {md(extra)}")
        out += [f"   - Because: {md(text)}" for text in finding_texts(result, r["addresses"])]
        out.append(f"   _rule {md(', '.join(recommendation_rules(r)))}; "
                   f"{md(', '.join(r['sources']))}_")
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
    out += [f"{i}. {md(u.get('question') or u['fact'])} ({_code(u['fact'])}; matters for "
            f"{md(', '.join(u['matters_for']))})" for i, u in enumerate(first, 1)]
    if rest:
        out += ["", f"{len(rest)} more facts could change the advice: see Appendix C."]
    return out


def _md_appendix(result: dict, kb: KnowledgeBase) -> list[str]:
    out = ["", "## Appendix A: facts as recorded", "", "| Group | Fact | Value |", "|---|---|---|"]
    out += [f"| {_md_cell(group)} | {_code(name)} | {_md_cell(value)} |"
            for group, name, value, _ in facts_given(result, kb)]
    out += ["", "## Appendix B: explanation trace", "",
            "| # | Rule | Matched | Asserted |", "|---|---|---|---|"]
    for t in result["trace"]:
        out.append(f"| {md(t['seq'])} | {md(t['rule'])} | {_md_cell(matched_text(t['matched']))} | "
                   f"{_md_cell(asserted_text(t['asserted']))} |")
    return out


def _md_other_unknowns(result: dict, kb: KnowledgeBase) -> list[str]:
    _, rest = unknowns_to_ask(result)
    if not rest:
        return []
    out = ["", "## Appendix C: other facts that could change the advice", ""]
    for label, items in unknowns_by_group(result, kb, rest):
        out += [f"**{md(label)}**", ""]
        out += [f"- {md(u.get('question') or u['fact'])} ({_code(u['fact'])})" for u in items]
        out.append("")
    return out


def _code(name: str) -> str:
    """A fact's name as a code span; a name that is not a plain identifier (a damaged stored
    result) is escaped instead, so it cannot close the span."""
    return f"`{name}`" if name.replace("_", "").replace(".", "").isalnum() else md(name)
