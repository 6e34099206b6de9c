"""Case files: validated against the vocabulary, every problem with file and line."""
import pytest

from engine.consultation.cases import load_case
from engine.errors import CaseError
from engine.knowledge.loader import load_knowledge_base
from tests.conftest import TINY_KB, write


@pytest.fixture(scope="module")
def kb():
    return load_knowledge_base(TINY_KB)


def problems_of(path, kb):
    with pytest.raises(CaseError) as info:
        load_case(path, kb)
    return [str(p) for p in info.value.problems]


def test_valid_case_keeps_known_facts_only(tmp_path, kb):
    path = write(tmp_path / "c.yaml", "id: c-1\nsector: coffee\nfacts:\n  payback_months: 12\n"
                                      "  upgrade_type: [process, channel]\n  buyer_identified: null\n")
    case = load_case(path, kb)
    assert case.facts == {"payback_months": 12, "upgrade_type": ("process", "channel")}
    assert case.metadata["sector"] == "coffee"


def test_misspelled_fact_names_file_line_and_suggestion(tmp_path, kb):
    path = write(tmp_path / "c.yaml", "id: c-1\nfacts:\n  payback_months: 12\n"
                                      "  profit_horizon_month: 6\n")
    assert problems_of(path, kb) == [
        f'{path}:4:3: unknown fact "profit_horizon_month" (did you mean "profit_horizon_months"?)']


@pytest.mark.parametrize("value, expected", [
    ('"twelve"', 'payback_months takes a whole number of at least 0, not the text "twelve"'),
    ("true", "payback_months takes a whole number of at least 0, not true"),
    ("-3", "payback_months = -3 is out of range"),
    ("2.5", "payback_months takes a whole number, not 2.5"),
    (".nan", "payback_months must be a finite number"),
])
def test_wrong_number_values_are_reported(tmp_path, kb, value, expected):
    path = write(tmp_path / "c.yaml", f"id: c-1\nfacts:\n  payback_months: {value}\n")
    [problem] = problems_of(path, kb)
    assert problem.startswith(f"{path}:3:")
    assert expected in problem


def test_enum_and_list_values_are_checked(tmp_path, kb):
    path = write(tmp_path / "c.yaml", "id: c-1\nfacts:\n  buyer_commitment: writen\n"
                                      "  upgrade_type: [process, process]\n"
                                      "  transport_cost_pct_of_sales: 140\n")
    joined = "\n".join(problems_of(path, kb))
    assert '"writen" is not a value of buyer_commitment' in joined
    assert '"process" is listed twice in upgrade_type' in joined
    assert "transport_cost_pct_of_sales = 140 is out of range" in joined


def test_broken_yaml_names_the_line(tmp_path, kb):
    path = write(tmp_path / "c.yaml", "id: c-1\nfacts:\n  payback_months: [12\n")
    [problem] = problems_of(path, kb)
    # the slip is the "[" left open on line 3, not the end of the file where PyYAML gives up
    assert problem.startswith(f"{path}:3:19: not valid YAML") and 'add "]"' in problem


def test_json_case_is_accepted(tmp_path, kb):
    path = write(tmp_path / "c.json", '{"id": "c-2", "facts": {"payback_months": 12}}')
    assert load_case(path, kb).facts == {"payback_months": 12}


@pytest.mark.parametrize("content, message", [
    ("", "file is empty"),
    ("- just\n- a list\n", "a case file must be a map"),
    ("id: c-1\n", 'the case has no "facts:" map'),
    ("facts: {}\n", 'the case needs an "id:"'),
    ("id: 'bad id!'\nfacts: {}\n", "may hold only letters"),
])
def test_shapes_that_are_not_cases(tmp_path, kb, content, message):
    path = write(tmp_path / "c.yaml", content)
    assert message in "\n".join(problems_of(path, kb))


def test_missing_file_and_folder(tmp_path, kb):
    assert "no such file" in problems_of(tmp_path / "none.yaml", kb)[0]
    assert "is a folder" in problems_of(tmp_path, kb)[0]
