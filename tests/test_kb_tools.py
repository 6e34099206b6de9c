"""kb test (examples, cases, coverage, --record), kb graph, kb docs and kb diff, through the CLI."""
import json
import re

import pytest
import yaml
from click.testing import CliRunner

from cli import main
from engine.kbtools.suite import run_tests
from engine.kbtools.graph import build_graph, to_mermaid
from engine.kbtools.reference import render_reference
from engine.knowledge.loader import load_knowledge_base
from engine.inference.runner import Advisor
from tests.conftest import ROOT, SHIPPED_KB, TINY_KB, replace_in, write

# Payback 40 months against a 6-month horizon: TM-4's barrier (mitigable), TM-5's quick
# benefit, so neither V-1 nor V-2 applies and V-9 concludes possible_with_support.
CASE = """\
id: slow-payback
enterprise: Test farm
facts:
  months_to_first_benefit: 3
  profit_horizon_months: 6
  payback_months: 40
expected:
  verdict: possible_with_support
  barriers: [time]
"""


@pytest.fixture
def runner():
    return CliRunner(mix_stderr=False) if "mix_stderr" in CliRunner.__init__.__code__.co_varnames \
        else CliRunner()


@pytest.fixture
def kb_with_case(kb_copy):
    kb = kb_copy()
    write(kb / "cases/slow-payback.yaml", CASE)
    return kb


# ---------------------------------------------------------------- kb test

def test_kb_test_passes_on_the_tiny_knowledge_base_and_prints_coverage(runner, kb_with_case):
    r = runner.invoke(main, ["kb", "test", "--kb", str(kb_with_case)])
    assert r.exit_code == 0, r.output
    assert "0 failed" in r.stdout and "FAIL" not in r.stdout
    assert re.search(r"Coverage: \d+ of 8 rules fired in some example or case", r.stdout)
    assert re.search(r"\d+ of \d+ conditions seen both true and false", r.stdout)
    assert r.stderr == ""


def test_changed_threshold_fails_and_names_rules_and_cases(runner, kb_with_case):
    replace_in(kb_with_case / "parameters.yaml", "payback_horizon_multiple:\n    value: 2",
               "payback_horizon_multiple:\n    value: 10")
    r = runner.invoke(main, ["kb", "test", "--kb", str(kb_with_case)])
    assert r.exit_code == 1
    assert "FAIL example TM-4 #1" in r.stdout
    assert "    expected: TM-4 fires\n    actual:   it did not fire" in r.stdout
    assert "FAIL case slow-payback" in r.stdout
    assert "    expected: verdict possible_with_support\n    actual:   verdict likely (rule V-2)" \
        in r.stdout
    assert "FAILED: rules TM-4; cases slow-payback" in r.stderr


def test_coverage_lists_rules_that_never_fired_and_one_sided_conditions(kb_copy):
    kb = kb_copy()
    (kb / "rules/time.yaml").write_text((kb / "rules/time.yaml").read_text() + """\
  - id: TM-7
    description: Very long payback.
    when:
      - payback_months > 100
    then:
      - finding: {id: very_long_payback, kind: note, text: Very long.}
    sources: [JUDGMENT]
    examples:
      - given: {payback_months: 50}
        fires: false
""")
    report = run_tests(Advisor(load_knowledge_base(kb)))
    assert [r.id for r in report.unfired] == ["TM-7"]
    one_sided = {(c.rule.id, c.condition.source): c.missing for c in report.conditions}
    assert one_sided[("TM-7", "payback_months > 100")] == "true"
    assert ("TM-1", "months_to_first_benefit > horizon_months") not in one_sided


def test_unreadable_case_is_a_failure_not_a_crash(runner, kb_copy):
    kb = kb_copy()
    write(kb / "cases/bad.yaml", "id: bad\nfacts:\n  paybak_months: 3\nexpected: {}\n")
    r = runner.invoke(main, ["kb", "test", "--kb", str(kb)])
    assert r.exit_code == 1
    assert 'unknown fact "paybak_months" (did you mean "payback_months"?)' in r.stdout


def test_shipped_knowledge_base_passes_kb_test_with_coverage(runner):
    r = runner.invoke(main, ["kb", "test"])
    assert r.exit_code == 0, r.stdout[-3000:]
    assert " 0 failed" in r.stdout and "Coverage:" in r.stdout


# ---------------------------------------------------------------- kb test --record

def test_record_turns_a_case_file_into_a_worked_case_that_passes(runner, kb_copy, tmp_path):
    kb = kb_copy()
    case = write(tmp_path / "visit.yaml", CASE.split("expected:")[0])
    r = runner.invoke(main, ["kb", "test", "--kb", str(kb), "--record", str(case)])
    assert r.exit_code == 0, r.output
    recorded = yaml.safe_load((kb / "cases/slow-payback.yaml").read_text())
    # barriers/enablers are "exactly these" ([] = none); interventions is "at least these",
    # where [] would assert nothing and is refused, so a case recommending nothing omits it
    assert recorded["expected"] == {"verdict": "possible_with_support", "barriers": ["time"],
                                    "enablers": []}
    assert recorded["facts"]["payback_months"] == 40
    assert runner.invoke(main, ["kb", "test", "--kb", str(kb)]).exit_code == 0
    again = runner.invoke(main, ["kb", "test", "--kb", str(kb), "--record", str(case)])
    assert again.exit_code == 2 and "exists: give another file with --out" in again.stderr


def test_record_from_the_history(runner, kb_copy, tmp_path):
    from engine.consultation.cases import load_case
    from engine.history.store import save_consultation
    from engine.consultation.result import build_result

    kb = kb_copy()
    advisor = Advisor(load_knowledge_base(kb))
    case = load_case(write(tmp_path / "visit.yaml", CASE.split("expected:")[0]), advisor.kb)
    db = tmp_path / "history.sqlite3"
    row = save_consultation(build_result(advisor.kb, case, advisor.run(case.facts)), db)
    out = tmp_path / "recorded.yaml"
    r = runner.invoke(main, ["kb", "test", "--kb", str(kb), "--record", str(row), "--db",
                             str(db), "--out", str(out)])
    assert r.exit_code == 0, r.output
    assert yaml.safe_load(out.read_text())["expected"]["verdict"] == "possible_with_support"


def test_record_of_something_that_is_neither_file_nor_id(runner):
    r = runner.invoke(main, ["kb", "test", "--kb", str(TINY_KB), "--record", "nope.yaml"])
    assert r.exit_code == 2 and "neither a case file nor a history id" in r.stderr


# ---------------------------------------------------------------- kb graph

MERMAID_LINE = re.compile(
    r'^(flowchart LR'
    r'|  (?P<node>[A-Za-z0-9_]+)(\(\["[^"]*"\]\)|\[/"[^"]*"/\]|\["[^"]*"\]|\{\{"[^"]*"\}\}'
    r'|\(\("[^"]*"\)\)|>"[^"]*"\])'
    r'|  (?P<a>[A-Za-z0-9_]+) --> (?P<b>[A-Za-z0-9_]+)'
    r'|  class [A-Za-z0-9_,]+ \w+'
    r'|  classDef \w+ [\w:#,]+)$')


def assert_valid_mermaid(text: str) -> set:
    """Every line is a declaration, an edge or a class line; every edge joins declared nodes."""
    declared, used = set(), set()
    for line in text.splitlines():
        m = MERMAID_LINE.match(line)
        assert m, f"not valid Mermaid: {line!r}"
        if m.group("node"):
            assert m.group("node") not in declared, f"declared twice: {line}"
            declared.add(m.group("node"))
        if m.group("a"):
            used |= {m.group("a"), m.group("b")}
    assert used <= declared and text.startswith("flowchart LR\n")
    return declared


def test_graph_mermaid_is_well_formed_with_sanitised_ids(runner):
    r = runner.invoke(main, ["kb", "graph", "--kb", str(TINY_KB), "--format", "mermaid"])
    assert r.exit_code == 0
    nodes = assert_valid_mermaid(r.stdout)
    assert {"rule_TM_1", "fact_months_to_first_benefit", "derived_horizon_months",
            "finding_wait_longer_than_horizon", "verdict_unlikely",
            "intervention_STAGED"} <= nodes
    assert "  fact_months_to_first_benefit --> rule_TM_1" in r.stdout
    assert "  rule_TM_1 --> finding_wait_longer_than_horizon" in r.stdout
    assert "  finding_wait_longer_than_horizon --> rule_V_1" in r.stdout
    assert "  rule_V_1 --> verdict_unlikely" in r.stdout


def test_graph_focus_keeps_ancestors_and_descendants_only(runner):
    r = runner.invoke(main, ["kb", "graph", "--kb", str(TINY_KB), "--focus", "TM-4"])
    nodes = assert_valid_mermaid(r.stdout)
    assert {"fact_payback_months", "derived_horizon_months", "rule_TM_2a",
            "finding_payback_beyond_horizon", "rule_V_2", "verdict_likely"} <= nodes
    assert "rule_TM_1" not in nodes and "rule_TM_5" not in nodes


def test_graph_focus_unknown_suggests_a_name(runner):
    r = runner.invoke(main, ["kb", "graph", "--kb", str(TINY_KB), "--focus", "TM-44"])
    assert r.exit_code == 2 and 'did you mean "TM-4"?' in r.stderr


def test_ids_that_sanitise_alike_stay_distinct(kb_copy):
    kb = load_knowledge_base(TINY_KB)
    graph = build_graph(kb)
    graph.add("rule", "TM.1")
    graph.add("rule", "TM_1")
    nodes = assert_valid_mermaid(to_mermaid(graph))
    assert len([n for n in nodes if n.startswith("rule_TM_1")]) == 3


def test_shipped_graph_is_well_formed_mermaid_and_dot(runner):
    r = runner.invoke(main, ["kb", "graph", "--focus", "REPOSITION"])
    assert r.exit_code == 0
    assert_valid_mermaid(r.stdout)
    dot = runner.invoke(main, ["kb", "graph", "--format", "dot"]).stdout
    assert dot.startswith("digraph knowledge_base {") and dot.rstrip().endswith("}")
    assert dot.count("{") == dot.count("}")


# ---------------------------------------------------------------- kb docs

def test_checked_in_reference_is_current():
    """Regenerate with: mse-advisor kb docs"""
    current = (ROOT / "docs/knowledge-base-reference.md").read_text(encoding="utf-8")
    assert current == render_reference(load_knowledge_base(SHIPPED_KB)), \
        "docs/knowledge-base-reference.md is out of date: run 'mse-advisor kb docs'"


def test_reference_puts_conditions_in_plain_words(runner, tmp_path):
    out = tmp_path / "ref.md"
    r = runner.invoke(main, ["kb", "docs", "--kb", str(TINY_KB), "--out", str(out)])
    assert r.exit_code == 0
    text = out.read_text()
    assert "### TM-4" in text and "`rules/time.yaml:22`" in text
    assert "- `payback_months` is more than `payback_horizon_multiple * horizon_months` " \
           "(`payback_horizon_multiple` = 2)" in text
    assert "- some significant barrier that cannot be mitigated holds" in text
    assert "- given `months_to_first_benefit` = 6, `profit_horizon_months` = 6: does not fire" \
        in text
    assert "| `default_horizon_months` | 6 months | Short profit horizons. *(team judgment)*" \
        in text


def test_docs_check_reports_out_of_date_file(runner, tmp_path):
    out = write(tmp_path / "ref.md", "old\n")
    r = runner.invoke(main, ["kb", "docs", "--kb", str(TINY_KB), "--out", str(out), "--check"])
    assert r.exit_code == 1 and "out of date" in r.stderr
    runner.invoke(main, ["kb", "docs", "--kb", str(TINY_KB), "--out", str(out)])
    r = runner.invoke(main, ["kb", "docs", "--kb", str(TINY_KB), "--out", str(out), "--check"])
    assert r.exit_code == 0


# ---------------------------------------------------------------- kb diff

def test_diff_shows_rule_changes_with_their_effect_on_cases(runner, kb_with_case, tmp_path):
    import shutil

    new = tmp_path / "new"
    shutil.copytree(kb_with_case, new)
    replace_in(new / "rules/time.yaml", "payback_months > payback_horizon_multiple",
               "payback_months > 4 * payback_horizon_multiple")
    text = (new / "rules/time.yaml").read_text()
    (new / "rules/time.yaml").write_text(text[:text.index("  - id: TM-5")])
    r = runner.invoke(main, ["kb", "diff", str(kb_with_case), str(new)])
    assert r.exit_code == 0, r.output
    assert "Rules: 0 added, 1 removed, 1 changed" in r.stdout
    assert f"  - TM-5 ({kb_with_case}/rules/time.yaml:" in r.stdout
    assert "      - when: payback_months > payback_horizon_multiple * horizon_months" in r.stdout
    assert "      + when: payback_months > 4 * payback_horizon_multiple * horizon_months" \
        in r.stdout
    assert "Worked cases: 1 of 1 changed" in r.stdout
    assert "    verdict: possible_with_support -> possible_with_support" not in r.stdout
    assert "    factor time: barrier -> neutral" in r.stdout
    assert "    - finding payback_beyond_horizon" in r.stdout
    assert "    - finding quick_benefit" in r.stdout
    data = json.loads(runner.invoke(main, ["kb", "diff", str(kb_with_case), str(new),
                                           "--format", "json"]).stdout)
    assert data["cases"][0]["findings"]["removed"] == ["payback_beyond_horizon", "quick_benefit"]


def test_diff_of_identical_knowledge_bases_is_empty(runner, kb_with_case):
    r = runner.invoke(main, ["kb", "diff", str(kb_with_case), str(kb_with_case)])
    assert r.exit_code == 0
    assert "Rules: 0 added, 0 removed, 0 changed" in r.stdout
    assert "Worked cases: 0 of 1 changed" in r.stdout
