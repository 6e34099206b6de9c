"""Write a case file (YAML) safely, and read back which facts a saved interview marked unknown.

A saved case is an ordinary case file (``engine.cases`` loads it): metadata, then ``facts:``.
A fact the officer answered "unknown" is written as ``null``, which the case loader reads as
unknown and ``unknown_marks`` reads back, so a resumed interview does not ask it again.

Writing is atomic: the text goes to a temporary file in the same folder, is flushed to disk,
and replaces the target with ``os.replace``, so a crash or a full disk never leaves a half-written
case and an existing file is either kept or fully replaced. A new file is readable by its owner
only (cases hold personal details); a replaced file keeps its mode. Values are dumped with
``yaml.safe_dump`` (plain data only); nothing read back is ever evaluated.

Must not: prompt or print. Entry points: ``case_document``, ``dump_case``, ``write_atomically``,
``save_case``, ``save_somewhere``, ``unknown_marks``, ``timestamped_path``.
"""
from __future__ import annotations

import datetime as _dt
import os
import tempfile
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import yaml

from engine.consultation.cases import METADATA
from engine.knowledge.located import YamlReadError, YMap
from engine.knowledge.yamlsource import read_document
from engine.output_target import write_file

HEADER = ("# Case saved by mse-advisor. A fact set to null was answered \"unknown\"; leave a fact "
          "out if it was never asked.\n")


def _plain(value):
    """Plain YAML data: tuples become lists, YAML maps plain dicts."""
    if isinstance(value, Mapping):
        return {str(k): _plain(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_plain(v) for v in value]
    return value


def case_document(case_id: str, facts: Mapping[str, Any], metadata: Mapping[str, Any] | None = None,
                  expected: Mapping | None = None) -> dict:
    """The case as plain data: id and metadata first, then the facts in the order given."""
    doc: dict = {"id": case_id}
    for key in METADATA:
        value = (metadata or {}).get(key)
        if key != "id" and value is not None:
            doc[key] = str(value)
    doc["facts"] = {name: _plain(value) for name, value in facts.items()}
    if expected:
        doc["expected"] = _plain(expected)
    return doc


def dump_case(doc: Mapping) -> str:
    return HEADER + yaml.safe_dump(_plain(doc), sort_keys=False, allow_unicode=True,
                                   default_flow_style=False, width=100)


def write_atomically(path: str | os.PathLike, text: str) -> Path:
    """Write ``text`` to ``path`` through a temporary file in the same folder and os.replace
    (``engine.output_target.write_file``: a device is written in place, never replaced); the
    path as given is returned."""
    write_file(path, text)
    return Path(path)


def save_case(path: str | os.PathLike, case_id: str, facts: Mapping[str, Any],
              metadata: Mapping[str, Any] | None = None, expected: Mapping | None = None) -> Path:
    return write_atomically(path, dump_case(case_document(case_id, facts, metadata, expected)))


def save_somewhere(path: str | os.PathLike, case_id: str, facts: Mapping[str, Any],
                   metadata: Mapping[str, Any] | None = None,
                   expected: Mapping | None = None) -> tuple[Path, list[str]]:
    """Save to ``path``, else to a new file in the current folder, else in the temporary
    folder: (where it was saved, why the earlier places failed). OSError if nowhere works."""
    failures: list[str] = []
    for candidate in (lambda: Path(path), timestamped_path,
                      lambda: timestamped_path(tempfile.gettempdir())):
        target = candidate()
        try:
            return save_case(target, case_id, facts, metadata, expected), failures
        except OSError as exc:
            failures.append(f"{target}: {exc.strerror or exc}")
    raise OSError("; ".join(failures))


def unknown_marks(path: str | os.PathLike) -> list[str]:
    """Names under ``facts:`` whose value is null (answered "unknown"), in file order.

    Call after ``engine.cases.load_case`` has accepted the file; an unreadable file gives []."""
    try:
        data = read_document(path).data
    except YamlReadError:
        return []
    facts = data.get("facts") if isinstance(data, (dict, YMap)) else None
    if not isinstance(facts, dict):
        return []
    return [str(name) for name, value in facts.items() if value is None]


def timestamped_path(folder: str | os.PathLike = ".", prefix: str = "interview",
                     now: _dt.datetime | None = None) -> Path:
    """A new file name such as ``interview-20240131-142501.yaml`` that does not exist yet."""
    stamp = (now or _dt.datetime.now()).strftime("%Y%m%d-%H%M%S")
    base = Path(folder)
    candidate = base / f"{prefix}-{stamp}.yaml"
    n = 2
    while candidate.exists():
        candidate = base / f"{prefix}-{stamp}-{n}.yaml"
        n += 1
    return candidate
