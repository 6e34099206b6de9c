"""Stored consultations as an officer reads them: the history list, and two visits compared.

Works on the rows ``engine.history.History`` returns (``list()`` rows, ``get()`` rows with
``facts`` and ``result``). Pure: no database, no printing. Entry points: ``compare(old, new)``
-> dict of what changed in facts, verdict, factor statuses, findings and recommendations;
``same_enterprise(old, new)``; ``render_list(rows)`` and ``render_comparison(diff, kb)`` -> text;
``export_record(row)`` and ``CSV_FIELDS`` for ``history export``.
"""
from __future__ import annotations

import json

from engine.history.store import COLUMNS as SUMMARY
from engine.language.formatting import format_value
from engine.reports.render import _factor_label, _intervention_label
from engine.knowledge.spec import KnowledgeBase

CSV_FIELDS = SUMMARY + ("findings", "recommendations", "facts_json")


def same_enterprise(old: dict, new: dict) -> bool:
    """Two rows are visits of the same enterprise: same case id, or same enterprise name."""
    if old["case_id"] == new["case_id"]:
        return True
    return bool(old.get("enterprise")) and \
        old["enterprise"].strip().casefold() == (new.get("enterprise") or "").strip().casefold()


def compare(old: dict, new: dict) -> dict:
    """What changed from ``old`` to ``new`` (two ``History.get`` rows)."""
    a, b = old["result"], new["result"]
    facts = {}
    for name in sorted(set(old["facts"]) | set(new["facts"])):
        before, after = old["facts"].get(name), new["facts"].get(name)
        if before != after:
            facts[name] = {"before": before, "after": after}
    factors = {}
    for fid, entry in b["factors"].items():
        was = a["factors"].get(fid, {})
        if (was.get("status"), was.get("severity")) != (entry["status"], entry["severity"]):
            factors[fid] = {"before": _status(was), "after": _status(entry)}
    return {
        "before": {k: old[k] for k in SUMMARY}, "after": {k: new[k] for k in SUMMARY},
        "same_knowledge_base": old["kb_digest"] == new["kb_digest"],
        "facts": facts,
        "verdict": {"before": a["verdict"]["value"], "after": b["verdict"]["value"]},
        "factors": factors,
        "findings": _added_removed([f["id"] for f in a["findings"]],
                                   [f["id"] for f in b["findings"]]),
        "recommendations": _added_removed([r["intervention"] for r in a["recommendations"]],
                                          [r["intervention"] for r in b["recommendations"]]),
    }


def _added_removed(before: list, after: list) -> dict:
    return {"added": [x for x in after if x not in before],
            "removed": [x for x in before if x not in after],
            "kept": [x for x in after if x in before]}


def _status(entry: dict) -> str | None:
    if not entry:
        return None
    return entry["status"] + (f" ({entry['severity']})" if entry.get("severity") else "")


def _visit(row: dict) -> str:
    who = f", {row['officer']}" if row.get("officer") else ""
    return f"#{row['id']} ({row['created_at']}{who}; knowledge base {row['kb_version']})"


def render_comparison(diff: dict, kb: KnowledgeBase) -> str:
    old, new = diff["before"], diff["after"]
    name = new.get("enterprise") or new["case_id"]
    out = [f"{name}: visit {_visit(old)} -> visit {_visit(new)}"]
    if not diff["same_knowledge_base"]:
        out.append("  Note: the knowledge base changed between the visits "
                   f"({old['kb_digest']} -> {new['kb_digest']}); some advice may differ for "
                   "that reason alone.")
    v = diff["verdict"]
    out += ["", "VERDICT: " + (f"{v['before']} -> {v['after']}" if v["before"] != v["after"]
                               else f"{v['after']} (unchanged)")]
    out += ["", f"FACTS ({len(diff['facts'])} changed)"]
    for fact, change in diff["facts"].items():
        out.append(f"  {fact}: {_value(change['before'])} -> {_value(change['after'])}")
    out += ["", f"FACTORS ({len(diff['factors'])} changed)"]
    for fid, change in diff["factors"].items():
        out.append(f"  {_factor_label(kb, fid)}: {change['before']} -> {change['after']}")
    out += ["", "FINDINGS"] + _changes(diff["findings"], str)
    out += ["", "RECOMMENDATIONS"] + _changes(diff["recommendations"],
                                              lambda i: _intervention_label(kb, i))
    return "\n".join(out) + "\n"


def _value(value) -> str:
    return "(not given)" if value is None else format_value(value)


def _changes(change: dict, label) -> list[str]:
    out = [f"  + {label(x)}" for x in change["added"]]
    out += [f"  - {label(x)}" for x in change["removed"]]
    if change["kept"]:
        out.append(f"  = {', '.join(label(x) for x in change['kept'])}")
    return out or ["  (none)"]


def render_list(rows: list[dict]) -> str:
    """The history as a table, one consultation a line."""
    head = ("id", "time (UTC)", "case", "enterprise", "officer", "verdict", "kb")
    lines = [(str(r["id"]), r["created_at"], r["case_id"], r.get("enterprise") or "-",
              r.get("officer") or "-", r.get("verdict") or "-", r["kb_version"]) for r in rows]
    widths = [max(len(x) for x in col) for col in zip(head, *lines)]
    fmt = "  ".join(f"{{:<{w}}}" for w in widths)
    return "\n".join(fmt.format(*line).rstrip() for line in [head, *lines]) + "\n"


def export_record(row: dict, flat: bool = False) -> dict:
    """A ``History.get`` row for export: whole (JSON Lines) or ``flat`` for one CSV line."""
    if not flat:
        return {**{k: row[k] for k in SUMMARY}, "facts": row["facts"], "result": row["result"]}
    result = row["result"]
    return {**{k: row[k] for k in SUMMARY},
            "findings": " ".join(f["id"] for f in result["findings"]),
            "recommendations": " ".join(r["intervention"] for r in result["recommendations"]),
            "facts_json": json.dumps(row["facts"], sort_keys=True, ensure_ascii=False)}
