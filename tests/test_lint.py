"""kb lint: each planted defect is reported with its code, file and line; the shipped knowledge
base has no error.

Defects are planted in copies of the tiny test knowledge base (tests/fixtures/tiny_kb), one per
test, so each test names the code it expects and the exact line of the planted text.
"""
import json

import pytest
from click.testing import CliRunner

from cli import main
from engine.kbtools import constraints as k
from engine.errors import Location
from engine.kbtools.lint import lint_folder
from engine.knowledge.loader import load_knowledge_base
from tests.conftest import SHIPPED_KB, TINY_KB, replace_in, write

TM5 = """\
  - id: TM-5
    description: Quick benefits.
    when:
      - months_to_first_benefit <= 6
"""


def found(kb, code):
    """(file, line, col) of every problem with ``code``."""
    return [(p.where.path, p.where.line, p.where.col, p.severity) for p in lint_folder(kb)
            if p.code == code]


def at(path, line, col, severity="error"):
    return (str(path), line, col, severity)


def append_rules(kb, text: str) -> int:
    """Append rules to rules/time.yaml; return the line of the first appended line."""
    path = kb / "rules/time.yaml"
    before = path.read_text()
    path.write_text(before + text)
    return before.count("\n") + 1


def test_tiny_knowledge_base_has_no_lint_error():
    assert [str(p) for p in lint_folder(TINY_KB) if p.severity == "error"] == []


def test_shipped_knowledge_base_has_no_lint_error():
    assert [f"{p.code} {p}" for p in lint_folder(SHIPPED_KB) if p.severity == "error"] == []


def test_contradictory_condition_is_reported_on_its_line(kb_copy):
    kb = kb_copy()
    line = replace_in(kb / "rules/time.yaml", "      - months_to_first_benefit <= 6\n",
                      "      - months_to_first_benefit <= 6\n"
                      "      - months_to_first_benefit > 10\n") + 1
    assert found(kb, "KB301") == [at(kb / "rules/time.yaml", line, 9)]
    message = next(p.message for p in lint_folder(kb) if p.code == "KB301")
    assert '"months_to_first_benefit > 10" contradicts "months_to_first_benefit <= 6"' in message


def test_conditions_that_cannot_both_hold_on_a_bool_and_an_enum(kb_copy):
    kb = kb_copy()
    enum_line = replace_in(kb / "rules/time.yaml", "      - payback_months > payback",
                           "      - demonstrated_locally in ['demo_nearby', 'elsewhere_only']\n"
                           "      - demonstrated_locally == 'by_peers_here'\n"
                           "      - payback_months > payback") + 1
    line = replace_in(kb / "rules/time.yaml", "      - months_to_first_benefit <= 6\n",
                      "      - months_to_first_benefit <= 6\n"
                      "      - can_be_staged\n"
                      "      - not can_be_staged\n") + 2
    assert found(kb, "KB301") == [at(kb / "rules/time.yaml", enum_line, 9),
                                  at(kb / "rules/time.yaml", line, 9)]


@pytest.mark.parametrize("planted, code", [
    ("months_to_first_benefit < 0", "KB302"),  # months are never negative
    ("barrier(factor='social.gender')", "KB303"),  # no rule asserts a gender barrier
    ("months_to_first_benfit <= 6", "KB101"),  # a typo: undefined fact
])
def test_defect_in_one_condition_is_reported_on_its_line(kb_copy, planted, code):
    kb = kb_copy()
    line = replace_in(kb / "rules/time.yaml", "months_to_first_benefit <= 6", planted)
    assert found(kb, code) == [at(kb / "rules/time.yaml", line, 9)]


def test_duplicated_rule_under_a_new_id_is_reported_at_the_copy(kb_copy):
    kb = kb_copy()
    text = (kb / "rules/time.yaml").read_text()
    block = text[text.index("  - id: TM-5"):]
    line = append_rules(kb, block.replace("id: TM-5", "id: TM-5-copy"))
    assert found(kb, "KB401") == [at(kb / "rules/time.yaml", line, 5, "warning")]


def test_rule_with_narrower_conditions_and_same_conclusion_is_subsumed(kb_copy):
    kb = kb_copy()
    text = (kb / "rules/time.yaml").read_text()
    block = text[text.index("  - id: TM-5"):]
    line = append_rules(kb, block.replace("id: TM-5", "id: TM-5-narrow").replace(
        "months_to_first_benefit <= 6", "months_to_first_benefit < 4").replace(
        "months_to_first_benefit: 3}", "months_to_first_benefit: 2}"))
    problems = [p for p in lint_folder(kb) if p.code == "KB401"]
    assert [(p.where.line, p.severity) for p in problems] == [(line, "warning")]
    assert 'rule "TM-5-narrow" is subsumed by rule "TM-5"' in problems[0].message


BARRIER_ON_TM5_CONDITIONS = """\
  - id: TM-5-slow
    description: Planted - a barrier on the same conditions as the enabler TM-5.
    when:
      - months_to_first_benefit <= 6
    then:
      - finding:
          id: planted_slow
          kind: barrier
          severity: minor
          text: Planted.
    sources: [JUDGMENT]
    examples:
      - given: {months_to_first_benefit: 3}
        fires: true
"""


def test_barrier_and_enabler_on_the_same_conditions_conflict(kb_copy):
    kb = kb_copy()
    line = append_rules(kb, BARRIER_ON_TM5_CONDITIONS)
    assert found(kb, "KB402") == [at(kb / "rules/time.yaml", line, 5, "warning")]


def test_declared_compatible_pair_is_not_a_conflict(kb_copy):
    kb = kb_copy()
    append_rules(kb, BARRIER_ON_TM5_CONDITIONS.replace(
        "    sources: [JUDGMENT]", "    compatible_with: [TM-5]\n    sources: [JUDGMENT]"))
    assert found(kb, "KB402") == []


def test_compatible_with_an_unknown_rule_suggests_the_id(kb_copy):
    kb = kb_copy()
    line = append_rules(kb, BARRIER_ON_TM5_CONDITIONS.replace(
        "    sources: [JUDGMENT]", "    compatible_with: [TM-55]\n    sources: [JUDGMENT]"))
    problems = [p for p in lint_folder(kb) if p.code == "KB105"]
    assert [p.where.line for p in problems] == [line + 10]
    assert 'compatible_with names no rule "TM-55" (did you mean "TM-5"?)' in problems[0].message


def test_exclusive_barrier_and_enabler_do_not_conflict(kb_copy):
    kb = kb_copy()
    append_rules(kb, BARRIER_ON_TM5_CONDITIONS.replace("months_to_first_benefit <= 6",
                                                       "months_to_first_benefit > 6")
                 .replace("months_to_first_benefit: 3", "months_to_first_benefit: 9"))
    assert found(kb, "KB402") == []


CIRCLE = """\
  - id: CY-1
    description: Planted - derives wait_a from wait_b.
    when:
      - wait_b is known
    then:
      - derive: {name: wait_a, value: wait_b + 1}
    sources: [JUDGMENT]
    examples:
      - given: {}
        fires: false
  - id: CY-2
    description: Planted - derives wait_b from wait_a.
    when:
      - wait_a > 2
    then:
      - derive: {name: wait_b, value: wait_a}
    sources: [JUDGMENT]
    examples:
      - given: {}
        fires: false
"""
DERIVED_FACTS = """\
- name: wait_a
  type: months
  derived: true
  factor: time
- name: wait_b
  type: months
  derived: true
  factor: time
"""


def test_circular_pair_of_derivations_is_reported_at_both_rules(kb_copy):
    kb = kb_copy()
    (kb / "facts.yaml").write_text((kb / "facts.yaml").read_text() + DERIVED_FACTS)
    line = append_rules(kb, CIRCLE)
    assert found(kb, "KB501") == [at(kb / "rules/time.yaml", line, 5),
                                  at(kb / "rules/time.yaml", line + 10, 5)]
    assert found(kb, "KB304") == []  # the circle is reported once, as a circle


def test_input_fact_removed_from_every_rule_is_reported_in_facts_yaml(kb_copy):
    kb = kb_copy()
    fact_line = (kb / "facts.yaml").read_text().splitlines().index(
        "- name: payback_months") + 1
    assert at(kb / "facts.yaml", fact_line, 3, "warning") not in found(kb, "KB201")
    replace_in(kb / "rules/time.yaml", "- payback_months > payback_horizon_multiple",
               "- months_to_first_benefit > payback_horizon_multiple")
    replace_in(kb / "rules/time.yaml", "Payback takes {payback_months} months",
               "Payback takes long")
    replace_in(kb / "rules/time.yaml", "{payback_months: 30,", "{months_to_first_benefit: 30,")
    assert at(kb / "facts.yaml", fact_line, 3, "warning") in found(kb, "KB201")


def test_derived_fact_nobody_derives_makes_an_or_branch_dead_not_the_rule(kb_copy):
    kb = kb_copy()
    facts = (kb / "facts.yaml").read_text()
    (kb / "facts.yaml").write_text(facts + DERIVED_FACTS)
    replace_in(kb / "rules/time.yaml", "      - months_to_first_benefit <= 6\n",
               "      - wait_a > 3 or months_to_first_benefit <= 6\n")
    fact_line = facts.count("\n") + 1
    assert found(kb, "KB207") == [at(kb / "facts.yaml", fact_line, 3, "warning")]
    assert [p for p in lint_folder(kb) if p.severity == "error"] == []


def test_rule_that_needs_a_finding_only_an_impossible_rule_asserts(kb_copy):
    kb = kb_copy()
    replace_in(kb / "rules/time.yaml", "months_to_first_benefit <= 6",
               "months_to_first_benefit < 0")
    line = append_rules(kb, """\
  - id: TM-6
    description: Planted - needs quick_benefit, which TM-5 can no longer assert.
    when:
      - finding(quick_benefit)
    then:
      - recommend: {intervention: DEMO, text: Show it.}
    sources: [JUDGMENT]
    examples:
      - given: {months_to_first_benefit: 3}
        fires: false
""")
    v2_line = (kb / "rules/verdict.yaml").read_text().splitlines().index("  - id: V-2") + 1
    assert found(kb, "KB304") == [at(kb / "rules/time.yaml", line, 5),  # needs quick_benefit
                                  at(kb / "rules/verdict.yaml", v2_line, 5)]  # needs an enabler


def test_unused_parameter_and_missing_near_miss_are_warnings(kb_copy):
    kb = kb_copy()
    (kb / "parameters.yaml").write_text((kb / "parameters.yaml").read_text() +
                                        "  unused_limit:\n    value: 3\n    rationale: x.\n")
    codes = {p.code: p.severity for p in lint_folder(kb)}
    assert codes["KB203"] == "warning" and codes["KB603"] == "warning"


@pytest.mark.parametrize("first, second, empty", [
    ("x > 5", "x < 6", True),     # months are whole numbers: nothing between 5 and 6
    ("x >= 5", "x <= 5", False),
    ("x != 5", "x == 5", True),
    ("x is unknown", "x > 1", True),
    ("x > 100", "x < 200", False),
])
def test_whole_number_intervals(first, second, empty):
    kb = load_knowledge_base(TINY_KB)
    rule = kb.rule("TM-5")
    from engine import language as c
    from engine.knowledge.spec import Condition

    conds = tuple(Condition(t.replace("x", "payback_months"),
                            c.parse(t.replace("x", "payback_months")), Location("f", i + 1, 1))
                  for i, t in enumerate((first, second)))
    from dataclasses import replace

    rc = k.rule_constraints(replace(rule, conditions=conds), kb)
    assert (rc.first_empty is not None) == empty


def test_conditions_lint_cannot_read_are_not_reported(kb_copy):
    kb = kb_copy()
    replace_in(kb / "rules/time.yaml", "      - months_to_first_benefit <= 6\n",
               "      - months_to_first_benefit + payback_months <= 6\n"
               "      - months_to_first_benefit + payback_months > 9\n")
    assert [p for p in lint_folder(kb) if p.severity == "error"] == []


@pytest.fixture
def runner():
    return CliRunner(mix_stderr=False) if "mix_stderr" in CliRunner.__init__.__code__.co_varnames \
        else CliRunner()


def test_cli_lint_prints_code_severity_and_position_and_exits_1_on_error(runner, kb_copy):
    kb = kb_copy()
    line = replace_in(kb / "rules/time.yaml", "months_to_first_benefit <= 6",
                      "months_to_first_benefit < 0")
    r = runner.invoke(main, ["kb", "lint", "--kb", str(kb)])
    assert r.exit_code == 1
    assert f"{kb}/rules/time.yaml:{line}:9: KB302 error: rule \"TM-5\" can never fire" in r.stdout
    assert 'KB304 error: rule "V-2" can never fire: it needs a finding matching ' \
           '"count(enabler()) >= 1", and only rules that can never fire produce it (TM-5)' \
        in r.stdout
    assert "2 error(s)" in r.stdout


def test_cli_lint_warnings_pass_unless_strict(runner):
    r = runner.invoke(main, ["kb", "lint", "--kb", str(TINY_KB)])
    assert r.exit_code == 0 and "0 error(s)" in r.stdout and "KB603 warning" in r.stdout
    r = runner.invoke(main, ["kb", "lint", "--kb", str(TINY_KB), "--strict"])
    assert r.exit_code == 1 and "KB603 error" in r.stdout


def test_cli_lint_json(runner):
    r = runner.invoke(main, ["kb", "lint", "--kb", str(TINY_KB), "--format", "json"])
    data = json.loads(r.stdout)
    assert r.exit_code == 0 and data["errors"] == 0
    assert {"code", "severity", "file", "line", "col", "message"} <= set(data["problems"][0])


# ---------------------------------------------------------------- on a copy of the shipped one
# Each planted rule file marks the lines lint must report with "# <- reported here" (about the
# planted pair; the planted enabler may also meet barriers of the shipped rules).

PLANTED = {
    "KB301": """\
  - id: ZZ-1
    description: Planted - contradictory conditions.
    when:
      - months_to_first_benefit > 10
      - months_to_first_benefit < 5  # <- reported here
    then:
      - finding: {id: zz_planted, kind: note, text: Planted.}
""",
    "KB401": """\
  - id: ZZ-1
    description: Planted - a rule.
    when:
      - months_to_first_benefit > 40
      - can_be_staged
    then:
      - finding: {id: zz_planted, kind: note, text: Planted.}
  - id: ZZ-2  # <- reported here
    description: Planted - the same rule under a new id.
    when:
      - can_be_staged
      - months_to_first_benefit > 40
    then:
      - finding: {id: zz_planted, kind: note, text: Planted.}
""",
    "KB402": """\
  - id: ZZ-1
    description: Planted - a barrier.
    when:
      - months_to_first_benefit > 40
    then:
      - finding: {id: zz_barrier, kind: barrier, severity: minor, text: Planted.}
  - id: ZZ-2  # <- reported here
    description: Planted - an enabler on the same conditions.
    when:
      - months_to_first_benefit > 40
    then:
      - finding: {id: zz_enabler, kind: enabler, text: Planted.}
""",
    "KB501": """\
  - id: ZZ-1  # <- reported here
    description: Planted - needs what ZZ-2 concludes.
    when:
      - finding(zz_b)
    then:
      - finding: {id: zz_a, kind: note, text: Planted.}
  - id: ZZ-2  # <- reported here
    description: Planted - needs what ZZ-1 concludes.
    when:
      - finding(zz_a)
    then:
      - finding: {id: zz_b, kind: note, text: Planted.}
""",
}


@pytest.mark.parametrize("code", sorted(PLANTED))
def test_defect_planted_in_a_copy_of_the_shipped_knowledge_base(kb_copy, code):
    kb = kb_copy(SHIPPED_KB)
    text = "factor: time\nrules:\n" + PLANTED[code].replace(
        "    then:", "    sources: [JUDGMENT]\n    then:")
    path = write(kb / "rules/zz_planted.yaml", text)
    marked = [i for i, ln in enumerate(text.splitlines(), 1) if "# <- reported here" in ln]
    assert [p.where.line for p in lint_folder(kb) if p.code == code
            and p.where.path == str(path) and "ZZ-1" in p.message] == marked
