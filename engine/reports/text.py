"""The report of one consultation as plain text, for the terminal, within 80 columns.

``render_text(result, kb, technical=False) -> str``. The default speaks to the officer (what
``engine.reports.plain`` decides): the twelve factors, what stands in the way and what can
help, what works in the owner's favour, notes, advice withheld, the questions for the next
visit, then the first three things to do and, last, the verdict with its confidence, so the
terminal's last lines hold the answer. ``technical=True`` is the knowledge engineer's report:
verdict first, rule ids, sources, intervention codes and fact names.
Content (labels, order, what to ask) comes from ``engine.reports.content`` and ``plain``; this
module only lays it out, so text, Markdown, HTML and JSON always say the same thing. Every
value is shown on one line without control characters or bidirectional controls (``engine.safe_text``), so a line break in a case's name cannot forge a
line such as "VERDICT: LIKELY" and nothing in a case can steer the officer's terminal.

Must not: run rules, print, or write files.
"""
from __future__ import annotations

import textwrap

from engine.knowledge.spec import FACTOR_IDS, KnowledgeBase
from engine.safe_text import every_text, one_line, terminal
from engine.reports.content import (
    STATUS_ORDER, case_heading, changes_words, factor_label, finding_texts,
    intervention_label, plain_status, recommendation_rules, status_words, unknowns_to_ask,
    verdict_block,
)
from engine.reports.untranslated import fallback_note
from engine.reports.plain import (
    BECAUSE, COLLECT_FIRST, LEANING, SECTION_WORDS, Advice, PlainReport,
    first_steps_title, plain_report,
)
from engine.reports.content import SEVERITY_WORDS

WIDTH = 80


def wrap(text: str, indent: str = "", hang: str | None = None) -> list[str]:
    """``text`` wrapped to ``WIDTH`` columns: the first line after ``indent``, the others after
    ``hang`` (default: as many spaces)."""
    hang = " " * len(indent) if hang is None else hang
    return textwrap.wrap(text, WIDTH, initial_indent=indent, subsequent_indent=hang,
                         break_on_hyphens=False, break_long_words=True) or [indent.rstrip()]


def render_text(result: dict, kb: KnowledgeBase, technical: bool = False) -> str:
    """The whole report as lines of plain text within 80 columns, ending with a newline."""
    result = every_text(result, one_line)
    if not technical:
        return terminal("\n".join(_plain(plain_report(result, kb), result, kb))) + "\n"
    lines = _technical(result, kb)
    return terminal("\n".join(w for line in lines for w in wrap(line, "", _hang(line)))) + "\n"


def _hang(line: str) -> str:
    """The indent of a wrapped technical line's continuation: under its text."""
    body = line.lstrip()
    pad = len(line) - len(body)
    for mark in ("- ", "[", "Because: "):
        if body.startswith(mark):
            return " " * (pad + (len(mark) if mark != "[" else 2))
    return " " * (pad + 2)


def _plain(rep: PlainReport, result: dict, kb: KnowledgeBase) -> list[str]:
    _ = kb.language.gettext
    out = [w for line in rep.heading for w in wrap(line)]
    out += ["", _("THE TWELVE FACTORS")]
    width = max(len(factor_label(kb, f)) for f in FACTOR_IDS)
    for fid in FACTOR_IDS:
        out.append(f"  {factor_label(kb, fid):<{width}}  "
                   f"{plain_status(result['factors'][fid], kb.language)}")
    for (title, intro), items, numbered in zip(SECTION_WORDS, rep.sections,
                                               (True, False, False)):
        if not items:
            continue
        out += ["", _(title).upper()]
        for i, item in enumerate(items, 1):
            mark = f"  {i}. " if numbered else "  - "
            tag = f"({_(SEVERITY_WORDS.get(item.severity, item.severity))}) " \
                if item.severity else ""
            out += wrap(tag + item.text, mark)
            if item.remedy:
                out += wrap(_("A remedy is at hand:") + " " + item.remedy, "     ")
            if item.advice:
                out.append(f"     {_(intro)}")
                for a in item.advice:
                    out += _advice_lines(a, "     - ")
    if rep.other_advice:
        out += ["", _("OTHER ADVICE")]
        for a in rep.other_advice:
            out += _advice_lines(a, "  - ")
    if rep.withheld:
        out += ["", _("NOT ADVISED HERE (do no harm)")]
        for label, text, because in rep.withheld:
            out += wrap(f"{label}: {text} {_(BECAUSE)} {because}", "  - ")
    out += ["", _("TO ASK AT THE NEXT VISIT")]
    out += [w for i, q in enumerate(rep.questions, 1) for w in wrap(q, f"  {i}. ")] \
        or ["  " + _("Nothing: no missing fact could change this advice.")]
    if rep.more_questions:
        out += wrap(_("... and {count} more that matter less (all of them: --format markdown "
                      "--appendix)").format(count=len(rep.more_questions)), "  ")
    out += ["", first_steps_title(len(rep.first_steps), kb.language).upper()]
    out += [w for i, a in enumerate(rep.first_steps, 1) for w in _advice_lines(a, f"  {i}. ")]
    if not rep.first_steps:
        out.append("  " + _("(no advice)"))
    out += [""] + verdict_lines(rep)
    note = fallback_note(kb, "\n".join(out))
    return out + (["", *wrap(note)] if note else [])


def verdict_lines(rep: PlainReport) -> list[str]:
    """The verdict, its reason and confidence (at low confidence: "not enough known yet", the
    leaning verdict, the facts to find out first), within 80 columns."""
    _ = rep.lang.gettext
    out = wrap(_("VERDICT:") + " " + rep.headline, "", "  ")
    if rep.confidence == "low":
        out += wrap(_(LEANING).format(verdict=rep.verdict), "  ")
    out += wrap(rep.reason, "  ")
    if rep.confidence_text:
        out += wrap(rep.confidence_text, "  ")
    if rep.collect_first:
        out += wrap(_(COLLECT_FIRST), "  ")
        out += [w for i, q in enumerate(rep.collect_first, 1) for w in wrap(q, f"  {i}. ")]
    return out


def _advice_lines(a: Advice, mark: str) -> list[str]:
    if a.see:
        return wrap(f"{a.label} ({a.see})", mark)
    return wrap(f"{a.label}: {a.text}" + "".join(f" {t}" for t in a.also), mark)


def _technical(result: dict, kb: KnowledgeBase) -> list[str]:
    """The knowledge engineer's report, line by line (wrapped by ``render_text``)."""
    out = case_heading(result)
    out += _verdict(result)
    out += ["", "FACTORS AT A GLANCE"]
    width = max(len(factor_label(kb, f)) for f in FACTOR_IDS)
    for fid in FACTOR_IDS:
        out.append(f"  {factor_label(kb, fid):<{width}}  {status_words(result['factors'][fid])}")
    out += _findings(result, kb) + _recommendations(result, kb) + _withheld(result, kb)
    out += _unknowns(result)
    kbi = result["knowledge_base"]
    out += ["", (f"Knowledge base {kbi['version']} ({kbi['digest']}). {len(result['trace'])} "
                 "rule firings; see them with: mse-advisor explain CASE --technical")]
    return out


def _verdict(result: dict) -> list[str]:
    v, block = result["verdict"], verdict_block(result)
    out = ["", "VERDICT: " + block["headline"]]
    if block["leaning"]:
        out.append(f"  Leaning: {block['leaning']}")
    if block["confidence"]:
        out.append(f"  {block['confidence']}")
    if block["collect"]:
        out.append("  Collect first:")
        out += [f"    - {c['question']} ({c['fact']})" for c in block["collect"]]
    if v.get("text"):
        out.append(f"  {v['text']}  [rule {v['rule']}]")
    out += [f"  - {text}" for text in finding_texts(result, v.get("because", []))]
    return out


def _findings(result: dict, kb: KnowledgeBase) -> list[str]:
    """Barriers, enablers, notes, each kind in firing order (no severity order here)."""
    shown = [f for f in result["findings"] if f["kind"] in STATUS_ORDER]
    out = ["", "FINDINGS"]
    if not shown:
        out.append("  (none)")
    for f in sorted(shown, key=lambda f: STATUS_ORDER.index(f["kind"])):
        tag = f["kind"] + (f", {f['severity']}" if f["severity"] else "")
        out.append(f"  [{tag}] {factor_label(kb, f['factor'])}: {f['text']}")
        for m in f.get("mitigations", []):
            out.append(f"      remedy available ({m['by']}): {m['text']}")
        out.append(f"      rule {f['rule']}; sources {', '.join(f['sources'])}")
    return out


def _recommendations(result: dict, kb: KnowledgeBase) -> list[str]:
    out = ["", "WHAT YOU CAN DO"]
    if not result["recommendations"]:
        out.append("  (no recommendation)")
    for i, r in enumerate(result["recommendations"], 1):
        out.append(f"  {i}. {intervention_label(kb, r['intervention'])}: {r['text']}")
        for extra in r.get("also", []):
            out.append(f"     Also: {extra}")
        answers = finding_texts(result, r["addresses"])
        if answers:
            out.append(f"     Because: {answers[0]}")
            for a in answers[1:]:
                out.append(f"              {a}")
        out.append(f"     rule {', '.join(recommendation_rules(r))}; sources "
                   f"{', '.join(r['sources'])}")
    return out


def _withheld(result: dict, kb: KnowledgeBase) -> list[str]:
    """Advice the knowledge base forbids in this case (do no harm), said plainly."""
    if not result.get("withheld"):
        return []
    out = ["", "NOT ADVISED HERE (do no harm)"]
    for w in result["withheld"]:
        out.append(f"  - {intervention_label(kb, w['intervention'])}: {w['text']}")
        out.append(f"     Because: {w['because']} ({w['never']}; sources "
                   f"{', '.join(w['sources'])})")
    return out


def _unknowns(result: dict) -> list[str]:
    if not result["unknowns"]:
        return []
    first, rest = unknowns_to_ask(result)
    out = ["", "STILL UNKNOWN: ask at the next visit"]
    for u in first:
        changes = f"{changes_words(u)}; " if changes_words(u) else ""
        out.append(f"  - {u.get('question') or u['fact']} ({u['fact']}; {changes}matters for "
                   f"{', '.join(u['matters_for'])})")
    if rest:
        out.append(f"  ... and {len(rest)} more that matter less (all of them: --format json "
                   "or markdown)")
    return out
