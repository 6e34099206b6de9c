"""Every ```yaml example of docs/knowledge-base.md loads: the documentation cannot rot.

The snippets are merged into a copy of the tiny test knowledge base (their facts, parameters,
sources and interventions replace or extend its own; the rule file replaces its time rules; the
table of remedies becomes its remedies.yaml), the result must validate without errors, and the
documented rule's and remedy's examples must pass.
"""
import re
from pathlib import Path

import yaml

from engine.knowledge.translations import read_translation

from engine.consultation.cases import load_case
from engine.kbtools.expectations import check_examples
from engine.kbtools.expected import read_expected
from engine.knowledge.loader import load_knowledge_base, validate
from engine.inference.runner import Advisor
from tests.conftest import ROOT

DOC = ROOT / "docs" / "knowledge-base.md"


def snippets() -> list[dict]:
    blocks = re.findall(r"```yaml\n(.*?)```", DOC.read_text(), re.S)
    return [yaml.safe_load(b) for b in blocks]


def test_every_yaml_example_parses():
    assert len(snippets()) >= 8


def _merge_list(path: Path, key: str, entries: list, by: str):
    data = yaml.safe_load(path.read_text())
    index = {e[by]: i for i, e in enumerate(data[key])}
    for e in entries:
        if e[by] in index:
            data[key][index[e[by]]] = e
        else:
            data[key].append(e)
    path.write_text(yaml.safe_dump(data, sort_keys=False))


def _merge_map(path: Path, key: str, entries: dict):
    data = yaml.safe_load(path.read_text())
    data[key].update(entries)
    path.write_text(yaml.safe_dump(data, sort_keys=False))


def test_documented_format_loads_and_runs(kb_copy, tmp_path):
    kb = kb_copy()
    (kb / "rules/time.yaml").unlink()
    case_path = None
    for snippet in snippets():
        if "language" in snippet:  # a translation file: read as the engine reads one
            (kb / "translations").mkdir(exist_ok=True)
            path = kb / "translations" / f"{snippet['language']}.yaml"
            path.write_text(yaml.safe_dump(snippet, sort_keys=False, allow_unicode=True))
            problems: list = []
            assert read_translation(path, problems) and problems == []
        elif "rules" in snippet:
            (kb / "rules/documented.yaml").write_text(yaml.safe_dump(snippet, sort_keys=False))
        elif "facts" in snippet and "id" in snippet:
            case_path = tmp_path / "case.yaml"
            case_path.write_text(yaml.safe_dump(snippet, sort_keys=False))
        elif "facts" in snippet:
            _merge_list(kb / "facts.yaml", "facts", snippet["facts"], "name")
        elif "factors" in snippet:
            _merge_list(kb / "factors.yaml", "factors", snippet["factors"], "id")
        elif "parameters" in snippet:
            _merge_map(kb / "parameters.yaml", "parameters", snippet["parameters"])
        elif "sources" in snippet:
            _merge_map(kb / "sources.yaml", "sources", snippet["sources"])
        elif "words" in snippet:
            (kb / "words.yaml").write_text(yaml.safe_dump(snippet, sort_keys=False))
        elif "remedies" in snippet:
            (kb / "remedies.yaml").write_text(yaml.safe_dump(snippet, sort_keys=False))
        elif "interventions" in snippet:
            _merge_map(kb / "interventions.yaml", "interventions", snippet["interventions"])
        elif "name" in snippet:
            (kb / "kb.yaml").write_text(yaml.safe_dump(snippet, sort_keys=False))
    errors = [str(p) for p in validate(kb) if p.severity == "error"]
    assert errors == []
    advisor = Advisor(load_knowledge_base(kb))
    outcomes = check_examples(advisor, {"TM-1", "RM-STAGED.wait_longer_than_horizon"})
    assert {o.what.split(" #")[0] for o in outcomes} == {
        "example TM-1", "example RM-STAGED.wait_longer_than_horizon"}
    assert all(o.passed for o in outcomes), [o.differences for o in outcomes]
    assert set(advisor.kb.words) == {"owner_their"}
    assert case_path is not None
    case = load_case(case_path, advisor.kb)
    assert case.facts["household_consumes_product_pct"] == 70
    assert read_expected(case.expected, advisor.kb, case.expected.loc)[1] == []
