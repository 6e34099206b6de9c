"""The report of one consultation as Markdown, with the same sections as the HTML report.

``render_markdown(result, kb, technical=False, appendix=False) -> str``. The default is the
officer's report, section for section that of ``engine.reports.printed`` (what
``engine.reports.plain`` decides). ``technical=True`` is the knowledge engineer's, section for
section that of ``engine.reports.html``: case summary, verdict, the twelve factors as a table,
findings, what the officer can do, what to ask at the next visit, sources. With ``appendix``
both add the facts as recorded, the explanation trace and the other unknowns.

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
    asserted_text, case_heading, changes_words, cited_sources, factor_label, factor_levels,
    facts_given, finding_texts, intervention_label, matched_text, ordered_findings,
    plain_status, recommendation_rules, status_words, unknowns_by_group, unknowns_to_ask,
    verdict_block,
)
from engine.reports.untranslated import fallback_note
from engine.reports.plain import (
    BECAUSE, TABLE_HEAD, COLLECT_FIRST, JUDGMENT_NOTE, LEANING, SECTION_WORDS, Advice,
    PlainReport, first_steps_title, plain_report,
)
from engine.reports.content import SEVERITY_WORDS


def render_markdown(result: dict, kb: KnowledgeBase, technical: bool = False,
                    appendix: bool = False) -> str:
    """The whole report as one Markdown document (no trailing newline after its last line)."""
    if not technical:
        return "\n".join(_plain(plain_report(result, kb), result, kb, appendix))
    head = case_heading(result)
    out = [f"# {md(head[0])}", ""]
    out += [md(line) + "  " for line in head[1:]]
    out += _md_summary(result, kb) + _md_verdict(result) + _md_factors(result, kb)
    out += _md_findings(result, kb) + _md_recommendations(result, kb) + _md_withheld(result, kb)
    out += _md_unknowns(result)
    out += ["", "## Sources", ""]
    out += [f"- **{md(key)}**: {md(text)}" + (f" ({md(url)})" if url else "")
            for key, text, url in cited_sources(result, kb)]
    if appendix:
        out += _md_appendix(result, kb, True) + _md_other_unknowns(result, kb, True)
    kbi = result["knowledge_base"]
    out += ["", f"_Knowledge base {md(kbi['version'])} ({md(kbi['digest'])})_", ""]
    return "\n".join(out)


def _plain(rep: PlainReport, result: dict, kb: KnowledgeBase, appendix: bool) -> list[str]:
    """The officer's report; every text through ``md`` (safe_text.markdown)."""
    _ = rep.lang.gettext
    out = [f"# {md(rep.heading[0])}", ""] + [md(line) + "  " for line in rep.heading[1:]]
    out += ["", f"## {_('Verdict')}", "", f"**{md(rep.headline)}**", ""]
    if rep.confidence == "low":
        out += [md(_(LEANING).format(verdict=rep.verdict)), ""]
    out.append(md(rep.reason))
    if rep.confidence_text:
        out += ["", f"**{md(rep.confidence_text)}**"]
    if rep.collect_first:
        out += ["", md(_(COLLECT_FIRST)), ""]
        out += [f"{i}. {md(q)}" for i, q in enumerate(rep.collect_first, 1)]
    out += ["", f"## {first_steps_title(len(rep.first_steps), rep.lang)}", ""]
    out += [f"{i}. {_md_advice(a)}" for i, a in enumerate(rep.first_steps, 1)] \
        or [md(_("No advice for this case."))]
    out += ["", f"## {_('The twelve factors')}", "",
            "| " + " | ".join(_(t) for t in TABLE_HEAD) + " |",
            "|---|---|"]
    out += [f"| {_md_cell(factor_label(kb, fid))} | "
            f"{md(plain_status(result['factors'][fid], rep.lang))} |" for fid in FACTOR_IDS]
    for (title, intro), items, numbered in zip(SECTION_WORDS, rep.sections,
                                               (True, False, False)):
        if not items:
            continue
        out += ["", f"## {_(title)}", ""]
        for i, item in enumerate(items, 1):
            tag = f"**{md(_(SEVERITY_WORDS.get(item.severity, '')))}**: " if item.severity else ""
            out.append(f"{f'{i}.' if numbered else '-'} {tag}{md(item.text)}")
            if item.remedy:
                out.append(f"   {_('A remedy is at hand:')} {md(item.remedy)}")
            if item.advice:
                out += [f"   {_(intro)}"] + [f"   - {_md_advice(a)}" for a in item.advice]
    if rep.other_advice:
        out += ["", f"## {_('Other advice')}", ""] + [f"- {_md_advice(a)}"
                                                      for a in rep.other_advice]
    if rep.withheld:
        out += ["", f"## {_('Not advised here (do no harm)')}", ""]
        out += [f"- **{md(label)}**: {md(text)} {_(BECAUSE)} {md(because)}"
                for label, text, because in rep.withheld]
    out += ["", f"## {_('To ask at the next visit')}", ""]
    out += [f"{i}. {md(q)}" for i, q in enumerate(rep.questions, 1)] \
        or [_("Nothing: no missing fact could change this advice.")]
    if rep.more_questions:
        where = _("see Appendix C") if appendix else _("print them with --appendix")
        out += ["", md(_("{count} more facts could change the advice: {where}.").format(
            count=len(rep.more_questions), where=where))]
    out += ["", f"## {_('Sources')}", ""] + [f"- **{md(key)}**: {md(text)}"
                                             for key, text in rep.sources]
    if rep.judgment:
        out += ["", _(JUDGMENT_NOTE)]
    if appendix:
        out += _md_appendix(result, kb, False) + _md_other_unknowns(result, kb, False)
    kbi = result["knowledge_base"]
    out += ["", "_" + md(_("Knowledge base {version} ({digest})").format(
        version=kbi['version'], digest=kbi['digest'])) + "_", ""]
    note = fallback_note(kb, "\n".join(out))
    return out + ([md(note), ""] if note else [])


def _md_advice(a: Advice) -> str:
    if a.see:
        return f"**{md(a.label)}** ({md(a.see)})"
    return f"**{md(a.label)}**: {md(a.text)}" + "".join(f" {md(t)}" for t in a.also)


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
    v, block = result["verdict"], verdict_block(result)
    out = ["", "## Verdict", "", f"**{md(block['headline'])}**", ""]
    if block["leaning"]:
        out += [f"Leaning: **{md(block['leaning'])}**", ""]
    if block["confidence"]:
        out += [md(block["confidence"]), ""]
    if block["collect"]:
        out += ["Collect first:", ""]
        out += [f"- {md(c['question'])} ({_code(c['fact'])})" for c in block["collect"]] + [""]
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
    out += [f"{i}. {md(u.get('question') or u['fact'])} ({_code(u['fact'])}; "
            + (f"{md(changes_words(u))}; " if changes_words(u) else "")
            + f"matters for {md(', '.join(u['matters_for']))})" for i, u in enumerate(first, 1)]
    if rest:
        out += ["", f"{len(rest)} more facts could change the advice: see Appendix C."]
    return out


def _md_appendix(result: dict, kb: KnowledgeBase, technical: bool) -> list[str]:
    out = ["", "## Appendix A: facts as recorded", "", "| Group | Fact | Value |", "|---|---|---|"]
    out += [f"| {_md_cell(group)} | {_code(name) if technical else _md_cell(meaning)} | "
            f"{_md_cell(value)} |" for group, name, value, meaning in facts_given(result, kb)]
    out += ["", "## Appendix B: explanation trace", "",
            "| # | Rule | Matched | Asserted |", "|---|---|---|---|"]
    for t in result["trace"]:
        out.append(f"| {md(t['seq'])} | {md(t['rule'])} | {_md_cell(matched_text(t['matched']))} | "
                   f"{_md_cell(asserted_text(t['asserted']))} |")
    return out


def _md_other_unknowns(result: dict, kb: KnowledgeBase, technical: bool) -> list[str]:
    _, rest = unknowns_to_ask(result)
    if not rest:
        return []
    out = ["", "## Appendix C: other facts that could change the advice", ""]
    for label, items in unknowns_by_group(result, kb, rest):
        out += [f"**{md(label)}**", ""]
        out += [f"- {md(u.get('question') or u['fact'])}"
                + (f" ({_code(u['fact'])})" if technical else "") for u in items]
        out.append("")
    return out


def _code(name: str) -> str:
    """A fact's name as a code span; a name that is not a plain identifier (a damaged stored
    result) is escaped instead, so it cannot close the span."""
    return f"`{name}`" if name.replace("_", "").replace(".", "").isalnum() else md(name)
