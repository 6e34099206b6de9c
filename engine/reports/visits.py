"""The case history as text: the list of stored consultations, and two visits compared.

``render_list(rows) -> str`` lays out ``History.list()`` rows (``engine.history.store``) as a
table, each verdict with its confidence; ``stored_heading(row)`` heads one stored consultation;
``render_comparison(diff, kb) -> str`` lays out what ``engine.history.visits.compare`` found
changed between two visits (the verdict and its confidence before and after), with the
knowledge base's factor and intervention labels.

Every value is shown on one line without control characters (``engine.safe_text``): a stored
name cannot forge a line or steer the terminal.

Must not: open the database, compare anything itself (that is ``engine.history.visits``), run
rules or print.
"""
from __future__ import annotations

from engine.knowledge.spec import KnowledgeBase
from engine.language.formatting import format_value
from engine.reports.content import factor_label, intervention_label, verdict_block
from engine.safe_text import every_text, one_line, terminal


def render_list(rows: list[dict]) -> str:
    """The history as a table, one consultation a line, columns padded to the widest value;
    ``rows`` are ``History.list()`` dicts. Ends with a newline."""
    head = ("id", "time (UTC)", "case", "enterprise", "officer", "verdict", "confidence", "kb")
    rows = every_text(rows, one_line)
    lines = [(str(r["id"]), r["created_at"], r["case_id"], r.get("enterprise") or "-",
              r.get("officer") or "-", r.get("verdict") or "-", r.get("confidence") or "-",
              r["kb_version"]) for r in rows]
    widths = [max(len(x) for x in col) for col in zip(head, *lines)]
    fmt = "  ".join(f"{{:<{w}}}" for w in widths)
    return "\n".join(fmt.format(*line).rstrip() for line in [head, *lines]) + "\n"


def stored_heading(row: dict) -> str:
    """The line above a stored consultation's text report: number, time, officer, knowledge
    base; followed by an empty line."""
    row = every_text(row, one_line)
    return (f"Consultation #{row['id']} of {row['created_at']} (UTC)"
            + (f" by {row['officer']}" if row["officer"] else "")
            + f"; knowledge base {row['kb_version']} ({row['kb_digest']})\n\n")


def render_comparison(diff: dict, kb: KnowledgeBase) -> str:
    """The changes between two visits (the dict of ``engine.history.visits.compare``): verdict,
    facts, factors, findings and recommendations added (+), removed (-) and kept (=). Ends
    with a newline."""
    diff = every_text(diff, one_line)
    old, new = diff["before"], diff["after"]
    name = new.get("enterprise") or new["case_id"]
    out = [f"{name}: visit {_visit(old)} -> visit {_visit(new)}"]
    if not diff["same_knowledge_base"]:
        out.append("  Note: the knowledge base changed between the visits "
                   f"({old['kb_digest']} -> {new['kb_digest']}); some advice may differ for "
                   "that reason alone.")
    v = diff["verdict"]
    before = _with_confidence(v["before"], v.get("confidence_before"))
    after = _with_confidence(v["after"], v.get("confidence_after"))
    out += ["", "VERDICT: " + (f"{before} -> {after}" if before != after
                               else f"{after} (unchanged)")]
    out += ["", f"FACTS ({len(diff['facts'])} changed)"]
    for fact, change in diff["facts"].items():
        out.append(f"  {fact}: {one_line(_value(change['before']))} -> "
                   f"{one_line(_value(change['after']))}")
    out += ["", f"FACTORS ({len(diff['factors'])} changed)"]
    for fid, change in diff["factors"].items():
        out.append(f"  {factor_label(kb, fid)}: {change['before']} -> {change['after']}")
    out += ["", "FINDINGS"] + _changes(diff["findings"], str)
    out += ["", "RECOMMENDATIONS"] + _changes(diff["recommendations"],
                                              lambda i: intervention_label(kb, i))
    return terminal("\n".join(out)) + "\n"


def _with_confidence(verdict, confidence) -> str:
    return f"{verdict} (confidence {confidence})" if confidence else str(verdict)


def _visit(row: dict) -> str:
    who = f", {row['officer']}" if row.get("officer") else ""
    return f"#{row['id']} ({row['created_at']}{who}; knowledge base {row['kb_version']})"


def _value(value) -> str:
    return "(not given)" if value is None else format_value(value)


def _changes(change: dict, label) -> list[str]:
    out = [f"  + {label(x)}" for x in change["added"]]
    out += [f"  - {label(x)}" for x in change["removed"]]
    if change["kept"]:
        out.append(f"  = {', '.join(label(x) for x in change['kept'])}")
    return out or ["  (none)"]


def interview_ending(result: dict, visit: int | None = None, lang=None) -> str:
    """The last lines after an interview's advice, so that they are on screen when it ends:
    "Stored as visit 2 of case ..." (``visit`` None: not stored), then the verdict with its
    confidence (``content.verdict_block``), each line at most 80 columns; in ``lang`` (a
    ``Language``; default English)."""
    from engine.consultation.wording import STORED, fit

    block = verdict_block(result, lang) if lang else verdict_block(result)
    stored = lang.gettext(STORED) if lang else STORED
    lines = [stored.format(visit=visit, case=one_line(result["case_id"]))] if visit else []
    lines += ["", block["headline"]] + [x for x in (block["leaning"], block["confidence"]) if x]
    return fit("\n".join(lines))
