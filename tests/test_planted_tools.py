"""Planted defects and generated knowledge bases for items 6 to 8 of issue 16: the decision-table
view, the CLIPS export (collisions, typed slots, parameters as globals), explanations of a chain
of 1,000 derived values, and where ``kb docs`` writes. (Item 5, the JSON Schemas, is
``test_schemas.py``.)
"""
from __future__ import annotations

from pathlib import Path

import pytest

from engine.consultation.cases import case_from_mapping
from engine.consultation.result import build_result
from engine.errors import UsageError
from engine.inference.runner import Advisor
from engine.kbtools.clips import ClipsAdvisor, export_clips
from engine.kbtools.reference import default_path
from engine.kbtools.table import decision_table, to_csv, to_markdown
from engine.knowledge.loader import load_knowledge_base, validate
from engine.reports.explanation import render_explanation
from tests.conftest import ROOT, SHIPPED_KB, TINY_KB, replace_in
from tests.planted import add_rule

# ---------------------------------------------------------------- 6. decision tables


def test_the_verdict_table_lists_rules_in_the_order_they_are_tried(shipped_copy):
    add_rule(shipped_copy, """  - id: VD-X
    salience: 45
    description: A planted verdict rule between VD-U2 (48) and VD-U4 (44).
    when:
      - count(enabler()) >= 3
      - not finding(critical_fact_missing)
    then:
      - verdict: {value: likely, text: Planted.}
    sources: [JUDGMENT]
    examples:
      - given: {upgrade_increases_harm_risk: true}
        fires: false
""")
    table = decision_table(load_knowledge_base(shipped_copy), "verdict")
    assert [row[0] for row in table.rows][:5] == ["VD-U3", "VD-U1", "VD-U2", "VD-X", "VD-U4"]
    text = to_markdown(table)
    assert "Hit policy **F** (first: the rules are tried from the top" in text
    assert text.count("| F | rule |") == 1
    row = next(line for line in text.splitlines() if line.startswith("| 4 | VD-X |"))
    assert row.endswith("| likely |") and "| >= 3 |" in row and "| no |" in row
    assert "verdict is unknown" not in text  # every verdict rule's guard, stated once above


def test_a_factor_table_collects_and_reads_as_csv():
    kb = load_knowledge_base(SHIPPED_KB)
    lines = to_csv(decision_table(kb, "time")).splitlines()
    header = lines[0].split(",")
    assert header[:2] == ["C", "rule"] and header[-4:] == ["finding", "recommends", "other",
                                                          "location"]
    tm1 = next(line for line in lines if line.split(",")[1] == "TM-1")
    assert "barrier wait_longer_than_horizon (significant)" in tm1
    assert "> horizon_months" in tm1


def test_an_unknown_table_is_refused_with_a_suggestion():
    with pytest.raises(UsageError) as info:
        decision_table(load_knowledge_base(TINY_KB), "socal.gender")
    assert 'neither "verdict" nor a factor (did you mean "social.gender"?)' in str(info.value)


# ---------------------------------------------------------------- 7. CLIPS export

def test_rule_ids_differing_in_punctuation_stay_two_clips_rules(kb_copy):
    root = kb_copy()
    for rid in ("TM.9", "TM_9"):
        add_rule(root, f"""  - id: {rid}
    description: Planted twin {rid}.
    when:
      - months_to_first_benefit > 30
    then:
      - finding: {{id: twin_{rid[-2] == '.' and 'dot' or 'line'}, kind: note, text: Twin.}}
    sources: [JUDGMENT]
    examples:
      - given: {{months_to_first_benefit: 31}}
        fires: true
""", "rules/time.yaml")
    kb = load_knowledge_base(root)
    text = export_clips(kb)
    assert "(defrule r-TM.9-0 " in text and "(defrule r-TM_9-0 " in text
    clips = ClipsAdvisor(kb)
    try:
        assert {"TM.9", "TM_9"} <= clips.run({"months_to_first_benefit": 31}).fired
        assert clips.env.find_rule("r-TM.9-0") and clips.env.find_rule("r-TM_9-0")
    finally:
        clips.close()


def test_the_case_template_refuses_a_value_of_the_wrong_type():
    kb = load_knowledge_base(TINY_KB)
    clips = ClipsAdvisor(kb)
    try:
        with pytest.raises(Exception, match="months_to_first_benefit"):
            clips.run({"months_to_first_benefit": "three"})
    finally:
        clips.close()


def test_parameters_are_globals_and_the_export_says_how_to_run_it(kb_copy):
    root = kb_copy()
    replace_in(root / "parameters.yaml", "value: 2", "value: 3")
    text = export_clips(load_knowledge_base(root))
    assert text.startswith(";;; Tiny test knowledge base 0.0.1")
    assert ";;;   (set-dynamic-constraint-checking TRUE)" in text and ";;;   (run)" in text
    assert "(defglobal\n  ?*default_horizon_months* = 6\n  ?*payback_horizon_multiple* = 3)" \
        in text
    assert "?*payback_horizon_multiple*" in text.split("(defrule", 1)[1]


# ---------------------------------------------------------------- 8. explanations, docs

def chain_kb(root: Path, steps: int) -> None:
    """Extend a copy of the tiny knowledge base with a chain of ``steps`` derived values."""
    facts = "".join(f"- name: step_{i}\n  type: float\n  factor: time\n  derived: true\n"
                    f"  meaning: Step {i} of the chain\n" for i in range(1, steps + 1))
    (root / "facts.yaml").write_text((root / "facts.yaml").read_text() + facts)
    rules = ["factor: time\nrules:\n"]
    for i in range(1, steps + 2):
        prev = "months_to_first_benefit" if i == 1 else f"step_{i - 1}"
        then = (f"derive: {{name: step_{i}, value: {prev} + 1}}" if i <= steps else
                "finding: {id: chain_end, kind: note, text: The chain ends.}")
        rules.append(f"  - id: CH-{i}\n    description: Step {i}.\n    when: ['{prev} is known']\n"
                     f"    then:\n      - {then}\n    sources: [JUDGMENT]\n    examples:\n"
                     "      - given: {months_to_first_benefit: 1}\n        fires: true\n")
    (root / "rules" / "chain.yaml").write_text("".join(rules))


def test_explain_follows_a_chain_of_a_thousand_derived_values(kb_copy):
    root = kb_copy()
    chain_kb(root, 1000)
    kb = load_knowledge_base(root)
    case = case_from_mapping({"id": "chain", "facts": {"months_to_first_benefit": 1}}, kb)
    result = build_result(kb, case, Advisor(kb).run(case.facts))
    lines = render_explanation(result, kb, "chain_end").splitlines()
    assert lines[0].startswith("chain_end  <= rule CH-1001")
    assert lines[-1].endswith("[1000]    fact months_to_first_benefit = 1")
    assert sum("<= rule CH-" in line for line in lines) == 1001
    assert max(len(line) for line in lines) < 200  # deep steps show their depth, not 2,000 blanks


def test_kb_docs_writes_beside_the_knowledge_base_it_documents(kb_copy):
    assert default_path(SHIPPED_KB) == ROOT / "docs" / "knowledge-base-reference.md"
    root = kb_copy()
    assert default_path(root) == root / "knowledge-base-reference.md"
    (root.parent / "docs").mkdir()
    assert default_path(root) == root.parent / "docs" / "knowledge-base-reference.md"


def test_validate_problems_read_as_plain_data(kb_copy):
    root = kb_copy()
    replace_in(root / "rules/time.yaml", "payback_months > payback_horizon_multiple",
               "payback_month > payback_horizon_multiple")
    [problem] = [p.to_dict() for p in validate(root) if p.severity == "error"]
    assert problem["file"] == str(root / "rules/time.yaml") and problem["line"] > 0
    assert problem["code"] == "unknown-name" and problem["col"] > 0
    assert 'unknown fact or parameter "payback_month" (did you mean "payback_months"?)' \
        == problem["message"]
