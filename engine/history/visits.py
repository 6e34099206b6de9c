"""Stored consultations compared and exported: what changed between two visits.

Works on the rows ``engine.history.store.History`` returns (``list()`` rows, ``get()`` rows
with ``facts`` and ``result``). Entry points: ``compare(old, new)`` -> dict of what changed in
facts, verdict, factor statuses, findings and recommendations; ``compare_visits(old, new)``, the
same for two visits of one enterprise (``same_enterprise``) or ``UsageError``;
``export_record(row)``, ``CSV_FIELDS`` and ``export_text(rows, fmt)`` for ``history export``.
The list and a comparison as text are ``engine.reports.visits``.

Must not: open the database, print, or render text for people.
"""
from __future__ import annotations

import csv
import io
import json
from typing import Iterable

from engine.errors import UsageError
from engine.history.store import COLUMNS as SUMMARY
from engine.safe_text import csv_cell, json_text, one_line

CSV_FIELDS = SUMMARY + ("findings", "recommendations", "facts_json")


def same_enterprise(old: dict, new: dict) -> bool:
    """Two rows are visits of the same enterprise: same case id, or same enterprise name
    (compared without case and surrounding spaces)."""
    if old["case_id"] == new["case_id"]:
        return True
    return bool(old.get("enterprise")) and \
        old["enterprise"].strip().casefold() == (new.get("enterprise") or "").strip().casefold()


def compare_visits(old: dict, new: dict) -> dict:
    """``compare(old, new)`` when the two rows are visits of the same enterprise; else
    ``UsageError`` naming both."""
    if not same_enterprise(old, new):
        raise UsageError(f"#{old['id']} is case {old['case_id']} ({old['enterprise'] or '-'}) "
                         f"and #{new['id']} is case {new['case_id']} "
                         f"({new['enterprise'] or '-'}): compare two visits of the same "
                         "enterprise ('mse-advisor history list' shows them).")
    return compare(old, new)


def compare(old: dict, new: dict) -> dict:
    """What changed from ``old`` to ``new`` (two ``History.get`` rows): ``before``/``after``
    summaries, ``same_knowledge_base``, ``facts`` and ``factors`` that changed (name ->
    ``{"before", "after"}``), ``verdict`` (``{"before", "after"}``), and ``findings`` and
    ``recommendations`` as ``{"added", "removed", "kept"}`` id lists."""
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


def export_record(row: dict, flat: bool = False) -> dict:
    """A ``History.get`` row for export: whole (JSON Lines: the summary columns, ``facts`` and
    ``result``) or ``flat`` for one CSV line (the keys of ``CSV_FIELDS``; findings and
    recommendations as space-separated ids, facts as sorted JSON), each cell made safe for a
    spreadsheet (``safe_text.csv_cell``: no formula, no control characters, one line)."""
    if not flat:
        return {**{k: row[k] for k in SUMMARY}, "facts": row["facts"], "result": row["result"]}
    result = row["result"]
    flat_row = {**{k: row[k] for k in SUMMARY},
                "findings": " ".join(f["id"] for f in result["findings"]),
                "recommendations": " ".join(r["intervention"] for r in result["recommendations"]),
                "facts_json": json.dumps(row["facts"], sort_keys=True, ensure_ascii=False)}
    return {k: csv_cell(one_line(v)) if isinstance(v, str) else v for k, v in flat_row.items()}


def export_text(rows: Iterable[dict], fmt: str) -> str:
    """``History.export_rows()`` rows as JSON Lines (``fmt`` "jsonl": one whole record a line,
    ``safe_text.json_text``) or CSV ("csv": a header of ``CSV_FIELDS``, then one flat line a
    consultation)."""
    buffer = io.StringIO()
    if fmt == "csv":
        writer = csv.DictWriter(buffer, fieldnames=CSV_FIELDS, lineterminator="\n")
        writer.writeheader()
        writer.writerows(export_record(row, flat=True) for row in rows)
    else:
        for row in rows:
            buffer.write(json_text(json.dumps(export_record(row), ensure_ascii=False)) + "\n")
    return buffer.getvalue()
