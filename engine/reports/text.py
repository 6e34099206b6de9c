"""The report of one consultation as plain text, for the terminal.

``render_text(result, kb) -> str``: heading, verdict with the findings it rests on, the twelve
factors at a glance, findings (barriers, enablers, notes), what the officer can do, and the
first unknowns to ask at the next visit. Content (labels, order, what to ask) comes from
``engine.reports.content``; this module only lays it out, so text, Markdown, HTML and JSON
always say the same thing. Every value is shown on one line without control characters or
bidirectional controls (``engine.safe_text``), so a line break in a case's name cannot forge a
line such as "VERDICT: LIKELY" and nothing in a case can steer the officer's terminal.

Must not: run rules, print, or write files.
"""
from __future__ import annotations

from engine.knowledge.spec import FACTOR_IDS, KnowledgeBase
from engine.safe_text import every_text, one_line, terminal
from engine.reports.content import (
    STATUS_ORDER, VERDICT_WORDS, case_heading, factor_label, finding_texts, intervention_label,
    recommendation_rules, status_words, unknowns_to_ask,
)


def render_text(result: dict, kb: KnowledgeBase) -> str:
    """The whole report as lines of plain text, ending with a newline."""
    result = every_text(result, one_line)
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
                 "rule firings; see them with: mse-advisor explain CASE")]
    return terminal("\n".join(out)) + "\n"


def _verdict(result: dict) -> list[str]:
    v = result["verdict"]
    out = ["", "VERDICT: " + VERDICT_WORDS.get(v["value"], str(v["value"]))]
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
        out.append(f"  - {u.get('question') or u['fact']} ({u['fact']}; matters for "
                   f"{', '.join(u['matters_for'])})")
    if rest:
        out.append(f"  ... and {len(rest)} more that matter less (all of them: --format json "
                   "or markdown)")
    return out
