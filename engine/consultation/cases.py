"""Read a case file (YAML or JSON) and check its facts against the vocabulary.

A case is metadata plus ``facts:``. An unknown fact name (with a suggestion), a wrong type, an
out-of-range number, a value not in the enum or a malformed file is reported as
``file:line: message``; all problems at once, as ``CaseError`` (exit code 2). A fact left out or
null is unknown. A ``.json`` file is read as JSON, anything else as YAML under the advisor's
schema (``knowledge.yamlschema``: ``NO`` is text, ``0755`` is not octal). The id and the
metadata are text exactly as written: ``id: 0755`` is the case "0755", ``country: NO`` is
Norway; a number that has no written form (in data built by a program) is refused with "put it
in quotes". Entry points: ``load_case(path, kb)``, ``case_from_mapping(data, kb)`` and
``metadata_flaw(key, text)``.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from engine.errors import CaseError, Location, Problem, ValueProblem, did_you_mean
from engine.knowledge.spec import KnowledgeBase
from engine.knowledge.values import check_value, text_flaw
from engine.knowledge.located import YamlReadError, YMap, written_text
from engine.knowledge.yamlsource import read_document

CASE_ID = re.compile(r"^[A-Za-z0-9_-]{1,80}$")
METADATA = ("id", "enterprise", "sector", "country", "opportunity", "officer", "visit_date",
            "notes", "owner")
MAX_CASE_BYTES = 1024 * 1024
MAX_FACTS = 500
MAX_METADATA_CHARS = 2000
MAX_CASE_NODES = 10_000  # values in one case file, aliases expanded


@dataclass(frozen=True)
class Case:
    id: str
    facts: dict  # input fact -> value (only the known ones)
    metadata: dict = field(default_factory=dict)
    expected: dict | None = None
    path: str = ""


def load_case(path: str | Path, kb: KnowledgeBase) -> Case:
    try:
        doc = read_document(path, max_bytes=MAX_CASE_BYTES, max_nodes=MAX_CASE_NODES)
    except YamlReadError as exc:
        raise CaseError(exc.problems) from None
    return case_from_mapping(doc.data, kb, str(path))


def case_from_mapping(data, kb: KnowledgeBase, path: str = "<case>") -> Case:
    problems: list[Problem] = []
    where = getattr(data, "loc", Location(path, 1, 1))
    if not isinstance(data, dict):
        raise CaseError([Problem(where, "a case file must be a map with id: and facts:")])
    metadata = {}
    for key, value in data.items():
        kloc = data.key_loc(key) if isinstance(data, YMap) else where
        if key in ("facts", "expected"):
            continue
        if key not in METADATA:
            problems.append(Problem(kloc, f'unknown field "{str(key)[:60]}"'
                                          f"{did_you_mean(str(key)[:60], METADATA + ('facts',))}"))
            continue
        text, refusal = _as_written(data, key)
        if refusal:
            problems.append(Problem(_loc(data, key, kloc), f'"{key}" {refusal}'))
            continue
        flaw = metadata_flaw(key, text)
        if flaw:
            problems.append(Problem(_loc(data, key, kloc), flaw))
            continue
        metadata[key] = text
    case_id = metadata.get("id")
    if not case_id:
        problems.append(Problem(where, 'the case needs an "id:" (letters, digits, - and _)'))
    elif not CASE_ID.match(case_id):
        problems.append(Problem(_loc(data, "id", where),
                                f'case id "{case_id[:40]}" may hold only letters, digits, "-" '
                                'and "_" (up to 80)'))
    facts_data = data.get("facts")
    facts = {}
    if facts_data is None:
        problems.append(Problem(where, 'the case has no "facts:" map'))
    elif not isinstance(facts_data, dict):
        problems.append(Problem(_loc(data, "facts", where),
                                '"facts" must be a map of fact: value'))
    elif len(facts_data) > MAX_FACTS:
        problems.append(Problem(_loc(data, "facts", where), f"{len(facts_data)} facts, more than "
                                f"the {MAX_FACTS} accepted"))
    else:
        inputs = kb.input_facts
        for name, value in facts_data.items():
            vloc = facts_data.loc_of(name) if isinstance(facts_data, YMap) else where
            kloc = facts_data.key_loc(name) if isinstance(facts_data, YMap) else where
            spec = inputs.get(name) if isinstance(name, str) else None
            if spec is None:
                problems.append(Problem(kloc, f'unknown fact "{str(name)[:60]}"'
                                              f"{did_you_mean(str(name), inputs)}", "unknown-fact"))
                continue
            try:
                checked = check_value(spec, value)
            except ValueProblem as exc:
                problems.append(Problem(vloc, str(exc), "bad-value"))
                continue
            if checked is not None:
                facts[name] = checked
    expected = data.get("expected")
    if expected is not None and not isinstance(expected, dict):
        problems.append(Problem(_loc(data, "expected", where), '"expected" must be a map'))
        expected = None
    if problems:
        raise CaseError(problems)
    return Case(case_id, facts, metadata, expected, path)


def metadata_flaw(key: str, text: str | None) -> str:
    """Why ``text`` cannot be kept as the case's ``key`` ('' when it can): too long, control
    characters, not Unicode. For metadata from elsewhere too (a survey column, ``--officer``),
    so what is accepted once can be saved and read back."""
    if not text:
        return ""
    if len(text) > MAX_METADATA_CHARS:
        return (f'"{key}" is {len(text):,} characters long; at most {MAX_METADATA_CHARS:,} are '
                "accepted")
    flaw = text_flaw(text)
    return f'"{key}" {flaw}' if flaw else ""


def _as_written(data, key) -> tuple[str | None, str]:
    """(the value of metadata ``key`` as text exactly as written, or None when null; why it
    cannot be taken as text, or '')."""
    value = data[key]
    if value is None or isinstance(value, str):
        return value, ""
    if isinstance(value, (dict, list, tuple)):
        return None, "must be text"
    written = written_text(data, key) if isinstance(data, YMap) else None
    if written is not None:
        return written, ""
    if isinstance(value, int) and not isinstance(value, bool):
        return str(value), ""  # a whole number has one way of being written
    if isinstance(value, date) and key == "visit_date":
        return value.isoformat(), ""
    return None, f"must be text: put it in quotes (\"{value}\")"


def _loc(data, key, fallback: Location) -> Location:
    return data.loc_of(key) if isinstance(data, YMap) else fallback
