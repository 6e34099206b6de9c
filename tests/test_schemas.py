"""The JSON Schemas of knowledge_base/schemas (for editors) accept every shipped file, and refuse
what the loader refuses: planted defects are caught by both.

A file ``X.yaml`` at the top of the knowledge base has ``schemas/X.schema.json``; ``rules/*.yaml``
have ``rules.schema.json``, ``cases/*.yaml`` ``case.schema.json`` (docs/knowledge-base.md,
"Editor support"). A new table is one schema file more (or one property of an existing one).
"""
from __future__ import annotations

import json
from pathlib import Path

import pytest
import yaml
from jsonschema import Draft202012Validator
from referencing import Registry, Resource

from engine.consultation.cases import load_case
from engine.kbtools.expected import read_expected
from engine.knowledge.loader import load_knowledge_base, validate
from tests.conftest import SHIPPED_KB, replace_in

SCHEMAS = SHIPPED_KB / "schemas"


def _registry() -> Registry:
    resources = [(p.name, Resource.from_contents(json.loads(p.read_text())))
                 for p in SCHEMAS.glob("*.schema.json")]
    return Registry().with_resources(resources)


REGISTRY = _registry()


def schema_name(root: Path, path: Path) -> str:
    """The schema of a knowledge-base file, by the naming convention."""
    relative = path.relative_to(root)
    if relative.parts[0] == "rules":
        return "rules.schema.json"
    if relative.parts[0] == "cases":
        return "case.schema.json"
    if relative.parts[0] == "translations":
        return "translation.schema.json"
    return f"{path.stem}.schema.json"


def schema_errors(root: Path, path: Path) -> list[str]:
    schema = REGISTRY.contents(schema_name(root, path))
    validator = Draft202012Validator(schema, registry=REGISTRY)
    data = yaml.safe_load(path.read_text())
    return [f"{'/'.join(str(p) for p in e.absolute_path)}: {e.message}"
            for e in validator.iter_errors(data)]


def shipped_files() -> list[Path]:
    return sorted(p for p in SHIPPED_KB.rglob("*.yaml"))


def test_every_schema_is_a_valid_json_schema():
    for path in SCHEMAS.glob("*.schema.json"):
        Draft202012Validator.check_schema(json.loads(path.read_text()))


@pytest.mark.parametrize("path", shipped_files(), ids=lambda p: str(p.relative_to(SHIPPED_KB)))
def test_every_shipped_file_has_a_schema_and_meets_it(path):
    assert (SCHEMAS / schema_name(SHIPPED_KB, path)).is_file(), \
        f"{path} has no schema: add {schema_name(SHIPPED_KB, path)} to {SCHEMAS}"
    assert schema_errors(SHIPPED_KB, path) == []


def test_the_schemas_are_shipped_as_package_data():
    text = (SHIPPED_KB.parent / "pyproject.toml").read_text()
    assert '"schemas/*.schema.json"' in text


# (file, text in it, what it becomes, words of the loader's message)
PLANTED = [
    ("facts.yaml", "  question: On average, how much does", "  questoin: On average, how much does",
     'unknown field "questoin" in a fact (did you mean "question"?)'),
    ("parameters.yaml", "    rationale: PR-3.", "    rationle: PR-3.",
     'unknown field "rationle"'),
    ("rules/verdict.yaml", "    salience: 49", "    salience: 60", "salience must be from -50 to 50"),
    ("rules/verdict.yaml", "        not_fired: [VD-U1]", "        findings: []",
     '"findings: []" asserts nothing'),
    ("rules/time.yaml", "      - derive:\n          name: horizon_months",
     "      - derived:\n          name: horizon_months", 'unknown action "derived"'),
    ("rules/time.yaml", "factor: time", "factor: timing", 'unknown factor "timing"'),
    ("facts.yaml", "  waive:\n  - code: KB201\n    reason: Free text the officer records",
     "  waive:\n  - code: KB201\n    because: Free text the officer records",
     'a waiver needs "reason"'),
]


@pytest.mark.parametrize("file, old, new, words", PLANTED,
                         ids=["fact-key", "parameter-key", "salience", "empty-list", "action",
                              "factor", "waiver-reason"])
def test_a_planted_defect_is_refused_by_the_loader_and_the_schema(kb_copy, file, old, new, words):
    root = kb_copy(SHIPPED_KB)
    replace_in(root / file, old, new)
    assert any(words in p.message for p in validate(root) if p.severity == "error")
    assert schema_errors(root, root / file)


def test_a_misspelt_expectation_is_refused_by_kb_test_and_the_schema(kb_copy):
    root = kb_copy(SHIPPED_KB)
    path = root / "cases/uganda-dairy-heifer-long-wait.yaml"
    replace_in(path, "  verdict: unlikely", "  verdic: unlikely")
    kb = load_knowledge_base(root)
    case = load_case(path, kb)
    _, problems = read_expected(case.expected, kb, case.expected.loc)
    assert [p.message for p in problems] == [
        'unknown key "verdic" in expected (did you mean "verdict"?): the keys are verdict, '
        "barriers, enablers, neutral, unknown, interventions, not_interventions, findings, "
        "not_findings, fired, not_fired"]
    assert schema_errors(root, path) == [
        "expected: Additional properties are not allowed ('verdic' was unexpected)"]
