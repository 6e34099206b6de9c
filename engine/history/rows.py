"""A stored consultation read back: its JSON decoded and its shape checked, or why it is damaged.

A history file can be damaged without SQLite noticing: a row edited by hand, a disk error inside a
JSON text, a result written by a program that was not the advisor. One such row must not stop
``history show``, ``export`` or ``compare`` for every other row, so each row is checked here
against the shape the reports read (the result contract, docs/contract/result.md) before it is
handed out. ``History.get`` raises ``HistoryError`` for a damaged row; ``History.export_rows``
skips it and lists it.

Must not: open the database, print, or repair anything. Entry points: ``decode(columns, values,
facts_json, result_json) -> dict`` (raises ``DamagedRow``), ``DamagedRow``.
"""
from __future__ import annotations

import json

OPTIONAL = object()  # marks a key a result may lack (older results, merged recommendations)
TEXT, TEXTS = str, [str]
RESULT_SHAPE = {
    "case_id": TEXT,
    "knowledge_base": {"version": object, "digest": object},
    "verdict": {"value": (str, type(None)), "because": ([str], OPTIONAL),
                "text": (str, type(None), OPTIONAL), "rule": (str, type(None), OPTIONAL)},
    "factors": {"*": {"status": TEXT, "severity": (str, type(None)), "findings": TEXTS,
                      "mitigable": (bool, type(None))}},
    "findings": [{"id": TEXT, "factor": TEXT, "kind": TEXT, "severity": (str, type(None)),
                  "text": TEXT, "rule": TEXT, "sources": TEXTS,
                  "mitigations": ([{"by": TEXT, "text": TEXT}], OPTIONAL)}],
    "recommendations": [{"intervention": TEXT, "text": TEXT, "addresses": TEXTS, "rule": TEXT,
                         "sources": TEXTS, "also": (TEXTS, OPTIONAL),
                         "rules": (TEXTS, OPTIONAL), "facts": (TEXTS, OPTIONAL)}],
    "unknowns": [{"fact": TEXT, "matters_for": TEXTS, "question": (str, type(None), OPTIONAL)}],
    "trace": [{"seq": int, "rule": TEXT, "matched": [dict], "asserted": [dict]}],
    "case": {"metadata": {"*": (str, type(None))}, "facts": dict},
}


class DamagedRow(ValueError):
    """A stored consultation that cannot be read back; the message says what is wrong."""


def decode(columns: tuple, values: tuple, facts_json, result_json) -> dict:
    """One row as a dict of ``columns`` plus ``facts`` and ``result``, decoded and checked."""
    out = dict(zip(columns, values))
    try:
        out["facts"], out["result"] = json.loads(facts_json), json.loads(result_json)
    except (TypeError, ValueError, RecursionError) as exc:
        raise DamagedRow(f"its stored JSON cannot be read ({type(exc).__name__})") from None
    if not isinstance(out["facts"], dict):
        raise DamagedRow("its facts are not a map")
    flaw = shape_flaw(out["result"], RESULT_SHAPE, "result")
    if flaw:
        raise DamagedRow(flaw)
    return out


def shape_flaw(value, shape, where: str) -> str:
    """'' when ``value`` has ``shape``, else what differs and where: a shape is a type, a tuple of
    allowed types (``OPTIONAL`` among them: the key may be absent), a one-item list (a list of
    that shape) or a dict of key -> shape (``"*"``: every value has that shape)."""
    if isinstance(shape, tuple):
        kinds = tuple(s for s in shape if s is not OPTIONAL)
        flaws = [shape_flaw(value, s, where) for s in kinds]
        return "" if "" in flaws else flaws[0]
    if isinstance(shape, list):
        if not isinstance(value, list):
            return f"{where} is not a list"
        return next((f for i, item in enumerate(value)
                     if (f := shape_flaw(item, shape[0], f"{where}[{i}]"))), "")
    if isinstance(shape, dict):
        if not isinstance(value, dict):
            return f"{where} is not a map"
        if "*" in shape:
            return next((f for k, v in value.items()
                         if (f := shape_flaw(v, shape["*"], f"{where}.{k}"))), "")
        for key, inner in shape.items():
            if key not in value:
                if isinstance(inner, tuple) and OPTIONAL in inner:
                    continue
                return f"{where}.{key} is missing"
            flaw = shape_flaw(value[key], inner, f"{where}.{key}")
            if flaw:
                return flaw
        return ""
    if shape is object:
        return ""
    if isinstance(value, bool) and shape is not bool:
        return f"{where} is true/false"
    return "" if isinstance(value, shape) else f"{where} is not {_NAMES.get(shape, 'valid')}"


_NAMES = {str: "text", int: "a whole number", bool: "true or false", dict: "a map",
          type(None): "null"}
