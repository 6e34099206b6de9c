"""Planted defects, items 1 and 3 of issue 16: expectations that cannot pass by accident, and
one slip giving one message. One copy of the shipped knowledge base per defect; the message, its
``file:line:col`` and its suggestion are asserted (``tests/planted.py`` holds the helpers).
"""
from __future__ import annotations

import pytest

from tests.conftest import replace_in
from tests.planted import at, column_of, failures, problems


# ---------------------------------------------------------------- 1. strict expectations

CASE = "cases/uganda-dairy-heifer-long-wait.yaml"


@pytest.mark.parametrize("old, new, down, col, message", [
    ("  verdict: unlikely", "  verdic: unlikely", 0, 3,
     'unknown key "verdic" in expected (did you mean "verdict"?)'),
    ("  interventions: [FINANCE, ALTERNATIVE, STAGED]", "  interventions: []", 0, 18,
     '"interventions: []" asserts nothing (interventions means "at least these interventions '
     'are recommended"): list ids, or remove the key'),
    ("  verdict: unlikely", "  verdict: unlikely\n  fired: [TM-1, VD-U33]", 1, 17,
     'unknown rule "VD-U33" in fired (did you mean "VD-U3"?)'),
], ids=["misspelt-key", "empty-at-least-list", "unknown-rule"])
def test_a_slip_in_expected_fails_the_case_at_its_place(shipped_copy, old, new, down, col,
                                                        message):
    path = shipped_copy / CASE
    line = replace_in(path, old, new) + down
    [text] = failures(shipped_copy).values()
    assert f"{at(path, line, col)}: {message}" in text


def test_an_empty_enablers_list_means_none(shipped_copy):
    path = shipped_copy / CASE
    replace_in(path, "  enablers: [profits]", "  enablers: []")
    [text] = failures(shipped_copy).values()
    assert "enablers: exactly none | enablers: profits (not expected: profits)" in text
    assert "clear_confirmed_gain" in text  # the rule asserting the enabler, with its conditions


def test_a_case_pins_rules_that_did_not_fire(shipped_copy):
    replace_in(shipped_copy / CASE, "  verdict: unlikely", "  verdict: unlikely\n"
                                                           "  not_fired: [VD-U3]")
    [text] = failures(shipped_copy).values()
    assert "rule VD-U3 not fired | rule VD-U3 fired" in text


@pytest.mark.parametrize("file, old, new, col, message", [
    ("rules/verdict.yaml", "        verdict: unlikely\n        not_fired: [VD-U1]",
     "        verdic: unlikely\n        not_fired: [VD-U1]", 9,
     'unknown field "verdic" in an example (did you mean "verdict"?)'),
    ("rules/verdict.yaml", "        not_fired: [VD-U1]", "        findings: []", 19,
     '"findings: []" asserts nothing (findings means "at least these findings are asserted"): '
     "list ids, or remove the key"),
    ("rules/time.yaml", "      - given: {profit_horizon_months: 9}",
     "      - given: {horizon_months: 9}", 17,
     '"horizon_months" is a derived fact (rules compute it), not an input: give the input facts '
     "it is derived from"),
], ids=["misspelt-key", "empty-findings", "derived-given"])
def test_a_slip_in_a_rule_example_is_a_load_error_at_its_place(shipped_copy, file, old, new,
                                                                col, message):
    path = shipped_copy / file
    line = replace_in(path, old, new)
    assert f"{at(path, line, col)}: {message}" in problems(shipped_copy)


# ---------------------------------------------------------------- 3. one slip, one message

@pytest.mark.parametrize("file, old, new, col, message", [
    ("facts.yaml", "  type: money\n", "\ttype: money\n", 1,
     "a tab character: YAML takes only spaces here (for indenting, too): replace it with spaces"),
    ("rules/combinations.yaml", "          id: wait_and_cash_squeeze",
     "          id wait_and_cash_squeeze", 11,
     '"id" has no ":" after it: write "id: wait_and_cash_squeeze" (a key and its value are '
     'separated by ": ")'),
    ("parameters.yaml", '    unit: "%"\n    rationale: PR-3.', '   unit: "%"\n    rationale: PR-3.',
     4, "this line starts at column 4, but the keys of this map start at column 5 (line {above}):"
        " line it up"),
], ids=["tab", "missing-colon", "indentation"])
def test_a_yaml_slip_is_one_message_at_its_own_line(shipped_copy, file, old, new, col, message):
    """No follow-on errors in the files that use what the broken file defines."""
    path = shipped_copy / file
    line = replace_in(path, old, new)
    assert problems(shipped_copy) == [
        f"{at(path, line, col)}: not valid YAML: {message.format(above=line - 1)}"]


@pytest.mark.parametrize("written, slip, message", [
    ("payback_months =< 12", "=<", '"=<" is written "<=" here'),
    ("payback_months => 12", "=>", '"=>" is written ">=" here'),
    ("payback_months = 12", "=", '"=" is not a comparison: write "==" to test a value'),
    ("payback_months <> 12", "<>", '"<>" is written "!=" here (is not equal)'),
    ("payback_months > 1 && can_be_staged", "&&", 'unexpected \'&&\': "&&" is written "and"'),
    ("payback_months > 1 || can_be_staged", "||", 'unexpected \'||\': "||" is written "or"'),
    ("!can_be_staged", "!", 'unexpected \'!\': "!" is written "not" here'),
    ("owner_goal == \u2018growth\u2019", "\u2018", "unexpected curly quote '\u2018' (pasted "
                                                    "from a word processor?): write straight "
                                                    "quotes"),
])
def test_an_operator_from_another_language_gets_the_one_meant(shipped_copy, written, slip,
                                                              message):
    path = shipped_copy / "rules/time.yaml"
    line = replace_in(path, "      - profit_horizon_months is known",
                      f"      - \"{written}\"")
    col = column_of(path, line, written) + written.index(slip)
    [problem] = problems(shipped_copy)
    assert problem.startswith(f"{at(path, line, col)}: {message}"), problem


def test_an_unclosed_parenthesis_is_reported_where_it_opens(shipped_copy):
    path = shipped_copy / "rules/time.yaml"
    line = replace_in(path, "      - profit_horizon_months is known",
                      "      - (profit_horizon_months is known and (payback_months > 2)")
    assert problems(shipped_copy) == [
        f'{at(path, line, 9)}: "(" is never closed: add ")"']


# "yes" is text, not true, in the one YAML schema every file is read with (yamlschema)
@pytest.mark.parametrize("written, what", [("ten", "text ('ten')"), ("yes", "text ('yes')"),
                                           ("true", "true/false (True)")])
def test_a_parameter_of_the_wrong_type_is_reported_once_at_its_own_line(shipped_copy, written,
                                                                        what):
    path = shipped_copy / "parameters.yaml"
    line = replace_in(path, "    value: 10\n    unit: \"%\"\n    rationale: PR-3.",
                      f"    value: {written}\n    unit: \"%\"\n    rationale: PR-3.")
    [problem] = problems(shipped_copy)
    assert problem.startswith(f'{at(path, line, 12)}: parameter "thin_gain_pct" is {what}, but '
                              "rules use it as a number (first at ")
    assert problem.endswith("): write a number")
