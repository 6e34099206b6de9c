"""The knowledge engineer's commands of issue 16 through the CLI: kb validate --format json,
kb table, kb diff --kb, kb docs beside its knowledge base, kb test's explained failures, kb lint
--strict on the shipped base; and --kb on every kb command."""
from __future__ import annotations

import json
import re

import pytest
from click.testing import CliRunner

from cli import main
from commands.kb import kb_group
from tests.conftest import SHIPPED_KB, replace_in


@pytest.fixture
def runner():
    return CliRunner()


def test_every_kb_command_takes_kb():
    for name, command in kb_group.commands.items():
        assert "kb_dir" in {p.name for p in command.params}, f"kb {name} has no --kb"


def test_kb_lint_strict_passes_on_the_shipped_knowledge_base(runner):
    r = runner.invoke(main, ["kb", "lint", "--strict"])
    assert r.exit_code == 0, r.output
    assert r.stdout.endswith(f"0 error(s), 0 warning(s) in {SHIPPED_KB}\n")


def test_kb_validate_json_lists_each_problem_with_its_place(runner, shipped_copy):
    path = shipped_copy / "rules/time.yaml"
    line = replace_in(path, "      - profit_horizon_months is known",
                      "      - profit_horizon_months => 3")
    r = runner.invoke(main, ["kb", "validate", "--kb", str(shipped_copy), "--format", "json"])
    assert r.exit_code == 1
    data = json.loads(r.stdout)
    assert data["errors"] == 1 and data["knowledge_base"] == str(shipped_copy)
    assert data["problems"] == [{"file": str(path), "line": line, "col": 31, "code": "syntax",
                                 "severity": "error",
                                 "message": '"=>" is written ">=" here'}]


def test_kb_table_prints_the_verdict_table_and_refuses_an_unknown_one(runner, tmp_path):
    r = runner.invoke(main, ["kb", "table", "verdict"])
    assert r.exit_code == 0, r.output
    assert "| F | rule |" in r.stdout and "| 1 | VD-U3 |" in r.stdout
    out = tmp_path / "time.csv"
    r = runner.invoke(main, ["kb", "table", "time", "--format", "csv", "--out", str(out)])
    assert r.exit_code == 0 and out.read_text().startswith("C,rule,")
    r = runner.invoke(main, ["kb", "table", "tme"])
    assert r.exit_code == 2
    assert 'Error: "tme" is neither "verdict" nor a factor (did you mean "time"?)' in r.stderr


def test_kb_diff_takes_the_new_knowledge_base_as_kb(runner, shipped_copy):
    replace_in(shipped_copy / "parameters.yaml", "    value: 10\n    unit: \"%\"\n    rationale: PR-3.",
               "    value: 40\n    unit: \"%\"\n    rationale: PR-3.")
    r = runner.invoke(main, ["kb", "diff", str(SHIPPED_KB), "--kb", str(shipped_copy)])
    assert r.exit_code == 0, r.output
    assert "  ~ thin_gain_pct: 10 -> 40" in r.stdout
    assert re.search(r"Rule examples: [1-9]\d* of \d+ changed", r.stdout)
    assert f"  example PR-3 #2 ({shipped_copy}/rules/profits.yaml:" in r.stdout


def test_kb_docs_writes_beside_the_knowledge_base_and_says_where(runner, kb_copy, tmp_path,
                                                                 monkeypatch):
    root = kb_copy()
    monkeypatch.chdir(tmp_path)
    r = runner.invoke(main, ["kb", "docs", "--kb", str(root)])
    assert r.exit_code == 0, r.output
    assert r.stdout == f"Wrote {root.resolve() / 'knowledge-base-reference.md'}\n"
    assert not (tmp_path / "docs").exists()


def test_kb_test_explains_a_failing_example(runner, shipped_copy):
    replace_in(shipped_copy / "parameters.yaml", "    value: 10\n    unit: \"%\"\n    rationale: PR-3.",
               "    value: 40\n    unit: \"%\"\n    rationale: PR-3.")
    r = runner.invoke(main, ["kb", "test", "--kb", str(shipped_copy)])
    assert r.exit_code == 1
    block = r.stdout[r.stdout.index("FAIL example PR-3 #2"):]
    block = block[:block.index("\nFAIL ")]
    assert "    expected: PR-3 does not fire\n    actual:   it fired\n" in block
    assert "    given:    expected_net_gain_pct = 10 (everything else unknown)" in block
    assert "holds    expected_net_gain_pct < thin_gain_pct   [expected_net_gain_pct = 10, " \
           "thin_gain_pct = 40]" in block
    assert "    parameters read: thin_gain_pct = 40 (JUDGMENT)" in block
