"""A case written as YAML (the one case dumper), saved safely, and the facts a saved interview
marked unknown read back.

A saved case is an ordinary case file (``consultation.cases`` loads it): metadata, then
``facts:`` (then ``expected:`` for a worked case). A fact the officer answered "unknown" is
written as ``null``, which the case loader reads as unknown and ``unknown_marks`` reads back, so
a resumed interview does not ask it again. Values are dumped with ``yaml.safe_dump`` (plain data
only); nothing read back is ever evaluated. Files are written whole (``engine.files``).

Must not: prompt or print. Entry points: ``case_document``, ``dump_case``, ``save_case``,
``save_somewhere``, ``unknown_marks``, ``new_case``, ``timestamped_path``.
"""
from __future__ import annotations

import datetime as _dt
import os
import tempfile
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import yaml

from engine.consultation.cases import METADATA, Case
from engine.errors import OutputError
from engine.files import write_atomically
from engine.knowledge.located import YamlReadError, YMap
from engine.knowledge.yamlsource import read_document

STAMP = "%Y%m%d-%H%M%S"  # in the names of new cases and of the files they are saved to
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


def dump_case(doc: Mapping, header: str = HEADER) -> str:
    """A case document (``case_document``) as YAML text under ``header`` (comment lines)."""
    return header + yaml.safe_dump(_plain(doc), sort_keys=False, allow_unicode=True,
                                   default_flow_style=False, width=100)


def save_case(path: str | os.PathLike, case_id: str, facts: Mapping[str, Any],
              metadata: Mapping[str, Any] | None = None, expected: Mapping | None = None) -> Path:
    return write_atomically(path, dump_case(case_document(case_id, facts, metadata, expected)))


def save_somewhere(path: str | os.PathLike, case_id: str, facts: Mapping[str, Any],
                   metadata: Mapping[str, Any] | None = None,
                   expected: Mapping | None = None) -> tuple[Path, list[str]]:
    """Save to ``path``, else to a new file in the current folder, else in the temporary
    folder: (where it was saved, why the earlier places failed). ``OutputError`` listing every
    place tried if nowhere works."""
    failures: list[str] = []
    for candidate in (lambda: Path(path), timestamped_path,
                      lambda: timestamped_path(tempfile.gettempdir())):
        target = candidate()
        try:
            return save_case(target, case_id, facts, metadata, expected), failures
        except OSError as exc:
            failures.append(f"{target}: {exc.strerror or exc}")
    raise OutputError(f"could not save the case ({'; '.join(failures)})")


def unknown_marks(path: str | os.PathLike) -> list[str]:
    """Names under ``facts:`` whose value is null (answered "unknown"), in file order.

    Call after ``consultation.cases.load_case`` has accepted the file; an unreadable file
    gives []."""
    try:
        data = read_document(path).data
    except YamlReadError:
        return []
    facts = data.get("facts") if isinstance(data, (dict, YMap)) else None
    if not isinstance(facts, dict):
        return []
    return [str(name) for name, value in facts.items() if value is None]


def new_case(officer: str | None = None, now: _dt.datetime | None = None,
             prefix: str = "interview") -> Case:
    """An empty case to interview for, named like ``interview-20240131-142501``, with the
    officer and today's date as its visit date."""
    now = now or _dt.datetime.now()
    return Case(f"{prefix}-{now.strftime(STAMP)}", {},
                {"officer": officer, "visit_date": now.date().isoformat()})


def timestamped_path(folder: str | os.PathLike = ".", prefix: str = "interview",
                     now: _dt.datetime | None = None) -> Path:
    """A new file name such as ``interview-20240131-142501.yaml`` that does not exist yet."""
    stamp = (now or _dt.datetime.now()).strftime(STAMP)
    base = Path(folder)
    candidate = base / f"{prefix}-{stamp}.yaml"
    n = 2
    while candidate.exists():
        candidate = base / f"{prefix}-{stamp}-{n}.yaml"
        n += 1
    return candidate
