"""The knowledge-base loader: every problem, with file, line and column, all at once."""
from pathlib import Path

import pytest

from engine.errors import KnowledgeBaseError
from engine.knowledge.loader import load_knowledge_base, validate
from tests.conftest import replace_in, write


def messages(problems):
    return [str(p) for p in problems if p.severity == "error"]


def test_tiny_knowledge_base_is_valid(tiny_kb):
    assert messages(validate(tiny_kb)) == []


def test_loader_reports_unknown_fact_with_line_and_suggestion(kb_copy):
    kb = kb_copy()
    line = replace_in(kb / "rules/time.yaml", "- months_to_first_benefit > horizon_months",
                      "- months_to_first_benfit > horizon_months")
    problems = messages(validate(kb))
    assert len(problems) == 1
    assert f"rules/time.yaml:{line}:9: unknown fact or parameter \"months_to_first_benfit\"" \
        in problems[0]
    assert 'did you mean "months_to_first_benefit"?' in problems[0]


def test_loader_reports_line_of_duplicate_rule_id(kb_copy):
    kb = kb_copy()
    line = replace_in(kb / "rules/time.yaml", "id: TM-4", "id: TM-1")
    problems = messages(validate(kb))
    assert any(f"time.yaml:{line}:" in p and 'duplicate rule id "TM-1"' in p for p in problems)


def test_loader_reports_type_mismatches(kb_copy):
    kb = kb_copy()
    write(kb / "rules/extra.yaml", """\
factor: risks
rules:
  - id: X-1
    description: wrong types
    when:
      - assets_pledged_or_sold > 3
      - buyer_commitment == 'written_twice'
      - upgrade_type contains 'fuctional'
      - payback_months
    then:
      - finding: {id: x_one, kind: barrier, severity: minor, text: x}
    sources: [JUDGMENT]
    examples:
      - given: {}
        fires: false
""")
    problems = messages(validate(kb))
    joined = "\n".join(problems)
    assert 'extra.yaml:6:9: "assets_pledged_or_sold" is true/false: ">" compares numbers' in joined
    assert 'extra.yaml:7:29: "written_twice" is not a value of buyer_commitment' in joined
    assert 'did you mean "functional"?' in joined
    assert 'extra.yaml:9:9: "payback_months" is number, not a yes/no condition' in joined


def test_loader_reports_malformed_condition_and_unknown_source_and_intervention(kb_copy):
    kb = kb_copy()
    replace_in(kb / "rules/time.yaml", "- months_to_first_benefit <= 6",
               "- months_to_first_benefit <=")
    replace_in(kb / "rules/time.yaml", "sources: [JUDGMENT]", "sources: [JUDGEMENT]")
    replace_in(kb / "rules/time.yaml", "intervention: STAGED", "intervention: STAGE")
    joined = "\n".join(messages(validate(kb)))
    assert "expected a fact, a number or a quoted value" in joined
    assert 'unknown source "JUDGEMENT" (did you mean "JUDGMENT"?)' in joined
    assert 'unknown intervention "STAGE" (did you mean "STAGED"?)' in joined


def test_unknown_finding_and_rule_references_are_suggested(kb_copy):
    kb = kb_copy()
    replace_in(kb / "rules/verdict.yaml", "- not barrier()",
               "- not finding(wait_longer_than_horizn) and not fired('TM-11')")
    joined = "\n".join(messages(validate(kb)))
    assert 'no rule asserts a finding "wait_longer_than_horizn" (did you mean ' \
           '"wait_longer_than_horizon"?)' in joined
    assert 'no rule has the id "TM-11" (did you mean "TM-1"?)' in joined


def test_duplicate_yaml_keys_are_errors_not_overwrites(kb_copy):
    kb = kb_copy()
    replace_in(kb / "parameters.yaml", "    value: 6\n", "    value: 6\n    value: 7\n")
    joined = "\n".join(messages(validate(kb)))
    assert joined.count("\n") == 0, joined  # one slip, one message: no cascade
    assert 'parameters.yaml:4:5: duplicate key "value" (first at line 3)' in joined


def test_python_tags_are_refused(kb_copy):
    kb = kb_copy()
    (kb / "kb.yaml").write_text('name: !!python/object/apply:os.system ["echo hi"]\n'
                                'version: "1"\n')
    joined = "\n".join(messages(validate(kb)))
    assert "kb.yaml:1:7: the tag !!python/object/apply:os.system is not allowed" in joined


def test_every_problem_is_reported_in_one_pass(kb_copy):
    kb = kb_copy()
    replace_in(kb / "rules/time.yaml", "months_to_first_benefit > horizon_months",
               "month_to_first_benefit > horizon_months")
    replace_in(kb / "rules/time.yaml", "payback_months > payback",
               "paybak_months > payback")
    replace_in(kb / "rules/time.yaml", "sources: [VCW-2.8.4]", "sources: [VCW-9]")
    assert len(messages(validate(kb))) >= 3


def test_invalid_knowledge_base_is_never_used(kb_copy):
    kb = kb_copy()
    replace_in(kb / "rules/time.yaml", "kind: enabler", "kind: enablr")
    with pytest.raises(KnowledgeBaseError) as info:
        load_knowledge_base(kb)
    assert "kind must be barrier, enabler or note" in str(info.value)


def test_cycle_through_negation_is_reported(kb_copy):
    kb = kb_copy()
    write(kb / "rules/cycle.yaml", """\
factor: risks
rules:
  - id: C-1
    description: a
    when: ["not finding(c_two)"]
    then: [{finding: {id: c_one, kind: note, text: a}}]
    sources: [JUDGMENT]
    examples: [{given: {}, fires: false}]
  - id: C-2
    description: b
    when: ["not finding(c_one)"]
    then: [{finding: {id: c_two, kind: note, text: b}}]
    sources: [JUDGMENT]
    examples: [{given: {}, fires: false}]
""")
    joined = "\n".join(messages(validate(kb)))
    assert "cycle.yaml:3:5: rule \"C-1\" is on a cycle through a negation" in joined


def test_missing_folder_is_a_clear_problem(tmp_path):
    problems = messages(validate(tmp_path / "nope"))
    assert problems and "knowledge base folder not found" in problems[0]


def test_rule_without_examples_is_a_warning(kb_copy):
    kb = kb_copy()
    text = (kb / "rules/time.yaml").read_text()
    start = text.index("    examples:\n      - given: {months_to_first_benefit: 3}")
    (kb / "rules/time.yaml").write_text(text[:start])
    problems = validate(kb)
    assert [p.code for p in problems if p.severity == "warning"] == ["no-example"]
    assert not messages(problems)


def test_docs_state_the_format_the_loader_enforces():
    text = (Path(__file__).parent.parent / "docs/knowledge-base.md").read_text()
    for word in ("finding", "recommend", "mitigate", "derive", "verdict", "is unknown"):
        assert word in text


def test_verdict_is_reserved_for_facts_and_parameters(kb_copy):
    # A fact or parameter named "verdict" type-checked as such but evaluated as the concluded
    # verdict: the name is the condition language's own.
    kb = kb_copy()
    with (kb / "parameters.yaml").open("a") as f:
        f.write("  verdict:\n    value: 3\n    rationale: a clash\n")
    replace_in(kb / "facts.yaml", "- name: owner_goal", "- name: verdict")
    joined = "\n".join(messages(validate(kb)))
    assert '"verdict" is reserved: conditions use it for the concluded verdict; give the ' \
           "parameter another name" in joined
    assert "give the fact another name" in joined
