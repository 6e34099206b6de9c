"""Kind 1 of issue 17: a case file means what it looks like.

YAML is read under the advisor's schema (no YAML 1.1 surprises: ``NO``, ``0755``, ``1:20``,
``0x1F``, ``yes``), ids and metadata are text exactly as written, a ``.json`` case is read as
JSON (``1e5`` a number, a surrogate pair one character), and a duplicate key is refused in a
JSON case file and in a JSON-lines row as it is in YAML.
"""
from __future__ import annotations

import json

import pytest

from engine.consultation.batch import read_items
from engine.consultation.cases import case_from_mapping, load_case
from engine.errors import CaseError
from engine.knowledge.jsonsource import parse_json
from engine.knowledge.loader import load_knowledge_base
from engine.knowledge.located import YamlReadError
from engine.knowledge.yamlsource import parse_document
from tests.conftest import TINY_KB, write

KB = load_knowledge_base(TINY_KB)


def case_of(tmp_path, text: str, name: str = "case.yaml"):
    return load_case(write(tmp_path / name, text), KB)


def refusal(tmp_path, text: str, name: str = "case.yaml") -> str:
    with pytest.raises(CaseError) as info:
        case_of(tmp_path, text, name)
    return "\n".join(str(p) for p in info.value.problems)


@pytest.mark.parametrize("written", ["NO", "no", "No", "yes", "on", "OFF", "y", "n", "Null!",
                                     "0755", "1:20", "0x1F", "0o17", "1_000", "1e5", "-.inf",
                                     "2024-01-31", "true", "12", "+3", ".5"])
def test_metadata_is_text_exactly_as_written(tmp_path, written):
    case = case_of(tmp_path, f"id: c1\ncountry: {written}\nenterprise: {written}\nfacts: {{}}\n")
    assert case.metadata["country"] == written and case.metadata["enterprise"] == written


@pytest.mark.parametrize("written", ["0755", "007", "1e5", "12", "true", "2024-01-31"])
def test_a_case_id_is_the_text_written_not_the_number_it_spells(tmp_path, written):
    assert case_of(tmp_path, f"id: {written}\nfacts: {{}}\n").id == written


def test_a_number_without_a_written_form_is_refused_with_put_it_in_quotes():
    with pytest.raises(CaseError, match=r'"enterprise" must be text: put it in quotes'):
        case_from_mapping({"id": "c1", "enterprise": 1.5, "facts": {}}, KB)
    with pytest.raises(CaseError, match=r'"country" must be text: put it in quotes'):
        case_from_mapping({"id": "c1", "country": False, "facts": {}}, KB)
    assert case_from_mapping({"id": 17, "facts": {}}, KB).id == "17"  # one way to write 17


@pytest.mark.parametrize("written", ["1:20", "0x1F", "0o17", "1_000", "12:30:00"])
def test_a_number_fact_written_the_yaml_1_1_way_is_refused_not_converted(tmp_path, written):
    message = refusal(tmp_path, f"id: c1\nfacts:\n  payback_months: {written}\n")
    assert f'case.yaml:3:19: payback_months takes a whole number of at least 0, not the text ' \
           f'"{written}"' in message


def test_a_leading_zero_is_a_decimal_number_not_octal(tmp_path):
    assert case_of(tmp_path, "id: c1\nfacts:\n  payback_months: 0755\n").facts == \
        {"payback_months": 755}


def test_yes_and_no_still_answer_a_true_false_fact(tmp_path):
    case = case_of(tmp_path, "id: c1\nfacts:\n  can_be_staged: yes\n  "
                             "premium_confirmed_by_buyer: No\n")
    assert case.facts == {"can_be_staged": True, "premium_confirmed_by_buyer": False}


def test_choices_match_without_regard_to_case_or_spaces(tmp_path):
    case = case_of(tmp_path, "id: c1\nfacts:\n  demonstrated_locally: Demo Nearby\n"
                             "  upgrade_type: [Process, PRODUCT]\n")
    assert case.facts == {"demonstrated_locally": "demo_nearby",
                          "upgrade_type": ("process", "product")}


# -- JSON case files ---------------------------------------------------------------------------

def test_a_json_case_is_read_as_json(tmp_path):
    data = {"id": "j1", "enterprise": "Café \U0001F600 ☕", "facts": {
        "expected_net_gain_pct": 1e1, "payback_months": 12, "can_be_staged": True}}
    text = json.dumps(data)  # ensure_ascii: the emoji is written as a surrogate pair
    assert "\\ud83d\\ude00" in text
    case = case_of(tmp_path, text, "case.json")
    assert case.metadata["enterprise"] == "Café \U0001F600 ☕"
    assert case.facts == {"expected_net_gain_pct": 10.0, "payback_months": 12,
                          "can_be_staged": True}


def test_1e5_is_a_number_in_json_and_its_text_as_written_in_metadata(tmp_path):
    case = case_of(tmp_path, '{"id": "j1", "enterprise": 1e5, "facts": {"payback_months": 1e1}}',
                   "case.json")
    assert case.metadata["enterprise"] == "1e5" and case.facts == {"payback_months": 10}


def test_the_same_object_is_the_same_case_in_a_json_file_and_a_json_lines_row(tmp_path):
    text = json.dumps({"id": "j1", "country": "\u00c9 \U0001F600", "facts": {
        "payback_months": 3e1, "upgrade_type": ["process"]}})
    case = case_of(tmp_path, text, "case.json")
    [item] = list(read_items(write(tmp_path / "rows.jsonl", text + "\n"), KB))
    assert item.valid and (item.id, item.facts, item.metadata) == (case.id, case.facts,
                                                                    case.metadata)


@pytest.mark.parametrize("name, text, where", [
    ("case.json", '{"id": "a",\n "facts": {},\n "id": "b"}', "case.json:3:3: duplicate key "
                                                           '"id" (first at line 1)'),
    ("case.json", '{"id": "a", "facts": {"payback_months": 1, "payback_months": 2}}',
     'case.json:1:45: duplicate key "payback_months"'),
    ("case.yaml", "id: a\nfacts: {}\nid: b\n", 'case.yaml:3:1: duplicate key "id"'),
])
def test_a_duplicate_key_is_refused_in_json_as_in_yaml(tmp_path, name, text, where):
    assert where in refusal(tmp_path, text, name)


def test_a_duplicate_key_in_a_json_lines_row_is_refused(tmp_path):
    rows = write(tmp_path / "rows.jsonl", '{"id": "a", "facts": {}}\n'
                                          '{"id": "b", "facts": {}, "id": "c"}\n')
    first, second = read_items(rows, KB)
    assert first.valid
    assert second.problems == [f'{rows}:2:27: duplicate key "id" (first at line 2): remove '
                               "one of them"]


@pytest.mark.parametrize("text, message", [
    ('{"id": "a", "facts": {}', "expected , or }"),
    ('{"id": "a\\ud800", "facts": {}}', "lone surrogate"),
    ('{"id": "a", "facts": {}} {}', "more text after the JSON value"),
    ("{'id': 'a'}", 'expected a "name" in double quotes'),
    ('{"id": "a", "facts": {"payback_months": NaN}}', "must be a finite number"),
    ('{"id": "a", "facts": {"payback_months": 1e400}}', "must be a finite number"),
    ('{"id": "a", "facts": {"payback_months": ' + "9" * 5000 + "}}", "5,000 digits"),
    ("[" * 70 + "]" * 70, "nested more than 64 levels deep"),
    ('{"id": "a\tb", "facts": {}}', "Invalid control character"),
])
def test_a_json_case_that_is_not_good_json_is_refused_with_its_position(tmp_path, text, message):
    assert message in refusal(tmp_path, text, "case.json")


def test_json_reader_agrees_with_json_loads_on_what_json_dumps_writes():
    from engine.consultation.casefile import _plain

    data = {"a": [1, -2.5, 1e300, "x\u2028y", None, True, {"b": []}], "é": "\U0001F600"}
    for text in (json.dumps(data), json.dumps(data, ensure_ascii=False, indent=2)):
        assert _plain(parse_json(text, "x.json").data) == json.loads(text)


def test_json_positions_count_lines_and_columns():
    doc = parse_json('{\n  "id": "a",\n  "facts": {"p": 1}\n}', "x.json", first_line=5)
    assert str(doc.data.loc_of("facts")) == "x.json:7:12"
    assert str(doc.data["facts"].key_loc("p")) == "x.json:7:14"  # the text, not its quote
    with pytest.raises(YamlReadError, match="file is empty"):
        parse_json("  \n", "x.json")


def test_knowledge_base_files_are_read_with_the_same_schema():
    doc = parse_document("version: 1.10\nvalues: [no, yes, 0755]\nn: 0755\n", "kb.yaml")
    assert doc.data["version"] == 1.1 and doc.data.written_of("version") == "1.10"
    assert doc.data["values"] == ["no", "yes", 755] and doc.data["n"] == 755
