"""Planted defects, items 2 and 4 of issue 16: the verdict table verified (shadowed rules, a
less cautious verdict first, gaps), ambiguous derivations, rules without a firing example,
waivers; failures and diffs that explain. One copy of the shipped knowledge base per defect.
"""
from __future__ import annotations

import re

from engine.inference.runner import Advisor
from engine.kbtools.diff import diff_knowledge_bases, render_diff
from engine.knowledge.loader import load_knowledge_base
from tests.conftest import SHIPPED_KB, replace_in
from tests.planted import add_rule, at, failures, lint_lines, problems


# ---------------------------------------------------------------- 2. verification of conclusions

def verdict_rule(rule_id: str, value: str, salience: int, condition: str,
                 fires: bool = True, extra: str = "") -> str:
    return f"""  - id: {rule_id}
    salience: {salience}
    description: A planted verdict rule.
    when:
      - {condition}
    then:
      - verdict:
          value: {value}
          text: Planted.
    sources: [JUDGMENT]
{extra}    examples:
      - given: {{upgrade_increases_harm_risk: true}}
        fires: {'true' if fires else 'false'}
"""


def test_a_verdict_rule_behind_one_that_always_wins_is_shadowed(shipped_copy):
    line = add_rule(shipped_copy, verdict_rule(
        "VD-X", "likely", 0, "barrier(severity='blocking', mitigated=false)"))
    path = shipped_copy / "rules/verdict.yaml"
    lines = lint_lines(shipped_copy)
    assert any(x.startswith(f'{at(path, line, 5)}: KB701 error: verdict rule "VD-X" can never '
                            'fire: whenever its conditions hold, those of "VD-U1"') and
               'Give "VD-X" a higher salience than "VD-U1"' in x for x in lines), lines


def test_a_less_cautious_verdict_tried_first_is_reported(shipped_copy):
    line = add_rule(shipped_copy, verdict_rule("VD-X", "likely", 45, "count(enabler()) >= 3"))
    path = shipped_copy / "rules/verdict.yaml"
    [warning] = [x for x in lint_lines(shipped_copy) if "KB702" in x]
    assert warning.startswith(f'{at(path, line, 5)}: KB702 warning: verdict rule "VD-X" '
                              '(likely) is tried before "VD-U4" (unlikely')
    assert 'waive: [{code: KB702, with: [VD-U4, VD-U5, VD-P1' in warning


def test_a_verdict_table_without_fallback_has_a_gap(shipped_copy):
    path = shipped_copy / "rules/verdict.yaml"
    text = path.read_text()
    path.write_text(text[:text.index("  - id: VD-F")])
    line = replace_in(path, "  - id: VD-L1", "  - id: VD-L1")
    [warning] = [x for x in lint_lines(shipped_copy) if "KB703" in x]
    assert warning == (f"{at(path, line, 5)}: KB703 warning: no verdict rule holds when no "
                       "finding is asserted (and nothing else is known): such a case ends "
                       "without a verdict. Add a verdict rule for it, or a fallback tried last "
                       'whose only condition is "verdict is unknown"')


def test_two_rules_deriving_one_value_on_the_same_case_are_reported(shipped_copy):
    line = add_rule(shipped_copy, """  - id: TM-2x
    description: A planted second horizon.
    when:
      - enterprise_role == 'primary_survival'
    then:
      - derive: {name: horizon_months, value: 3}
    sources: [JUDGMENT]
    examples:
      - given: {enterprise_role: primary_survival}
        fires: true
""", "rules/time.yaml")
    path = shipped_copy / "rules/time.yaml"
    found = [x for x in lint_lines(shipped_copy) if "KB704" in x]
    assert f'{at(path, line, 5)}: KB704 warning: rules "TM-2x" and "TM-2a" ' in found[0]
    assert "both derive \"horizon_months\" (3 and profit_horizon_months) and can hold on the " \
           "same case" in found[0] and "Make their conditions exclusive" in found[0]


def test_a_rule_without_an_example_where_it_fires_is_reported(shipped_copy):
    path = shipped_copy / "rules/access_to_resources.yaml"
    replace_in(path, "      - given: {lead_firm_engaged: true, lead_firm_defines_product: true}\n"
                     "        fires: true",
               "      - given: {lead_firm_engaged: true, lead_firm_defines_product: true}\n"
               "        fires: false")
    line = replace_in(path, "  - id: JD-AR-2", "  - id: JD-AR-2")
    assert f'{at(path, line, 5)}: KB705 warning: rule "JD-AR-2" has no example where it fires ' \
           "(its 2 example(s) all say fires: false): add one with fires: true, or fix the rule " \
           "if no case can make it fire" in lint_lines(shipped_copy)
    assert "JD-AR-2 does not fire | it fired" in failures(shipped_copy)["example JD-AR-2 #1"]


def test_a_waiver_silences_one_warning_of_one_rule_and_needs_a_reason(shipped_copy):
    path = shipped_copy / "rules/verdict.yaml"
    add_rule(shipped_copy, verdict_rule(
        "VD-X", "likely", 45, "count(enabler()) >= 3",
        extra="    waive:\n      - code: KB702\n        reason: Planted on purpose for a test of "
              "waivers.\n"))
    assert not [x for x in lint_lines(shipped_copy) if "KB702" in x]
    line = replace_in(path, "        reason: Planted on purpose for a test of waivers.\n", "")
    assert f'{at(path, line - 1, 9)}: a waiver needs "reason"' in problems(shipped_copy)


def test_a_stale_waiver_and_a_waived_error_are_reported(shipped_copy):
    path = shipped_copy / "rules/verdict.yaml"
    line = replace_in(path, "    sources: [VCW-2.8, VCW-2.8.5]\n",
                      "    sources: [VCW-2.8, VCW-2.8.5]\n    waive:\n"
                      "      - {code: KB705, reason: Nothing to silence here at all.}\n"
                      "      - {code: KB701, reason: Errors cannot be waived though.}\n")
    lines = lint_lines(shipped_copy)
    assert f'{at(path, line + 2, 9)}: KB706 warning: rule "VD-U2" waives KB705, but no such ' \
           "warning is reported about it: remove the waiver" in lines
    assert f'{at(path, line + 3, 9)}: KB707 error: rule "VD-U2" waives KB701, which is an ' \
           "error: fix it (only warnings can be waived)" in lines


# ---------------------------------------------------------------- 4. failures that explain

def test_a_failing_example_shows_the_facts_parameters_and_each_condition(shipped_copy):
    replace_in(shipped_copy / "parameters.yaml", "    value: 10\n    unit: \"%\"\n    rationale: PR-3.",
               "    value: 40\n    unit: \"%\"\n    rationale: PR-3.")
    text = failures(shipped_copy)["example PR-3 #2"]
    assert "PR-3 does not fire | it fired" in text
    assert "given:    expected_net_gain_pct = 10 (everything else unknown)" in text
    assert "holds    expected_net_gain_pct < thin_gain_pct   [expected_net_gain_pct = 10, " \
           "thin_gain_pct = 40]" in text
    assert "parameters read: thin_gain_pct = 40 (JUDGMENT)" in text


def test_kb_diff_shows_broken_examples_and_only_the_changed_field_of_an_action(shipped_copy):
    replace_in(shipped_copy / "parameters.yaml", "    value: 10\n    unit: \"%\"\n    rationale: PR-3.",
               "    value: 40\n    unit: \"%\"\n    rationale: PR-3.")
    replace_in(shipped_copy / "rules/time.yaml", "          id: wait_longer_than_horizon\n"
                                                 "          kind: barrier\n"
                                                 "          severity: significant",
               "          id: wait_longer_than_horizon\n          kind: barrier\n"
               "          severity: blocking")
    text = render_diff(diff_knowledge_bases(Advisor(load_knowledge_base(SHIPPED_KB)),
                                            Advisor(load_knowledge_base(shipped_copy))))
    assert "      ~ then finding wait_longer_than_horizon: severity: significant -> blocking\n" \
        in text
    assert re.search(r"Rule examples: [1-9]\d* of \d+ changed", text)
    assert f"  example PR-3 #2 ({shipped_copy}/rules/profits.yaml:" in text
    assert "    before: passes (PR-3 does not fire)\n    after:  FAILS (PR-3 fires): expected " \
           "PR-3 does not fire, actual it fired" in text
