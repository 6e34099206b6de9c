"""The command line through click's CliRunner: exit codes, stdout and stderr kept apart."""
import json
import re

import pytest
from click.testing import CliRunner

from cli import main
from tests.conftest import CONTRACT, TINY_KB, replace_in, write

CASE = """\
id: tiny-wait
enterprise: Test farm
facts:
  months_to_first_benefit: 27
  profit_horizon_months: 6
"""


@pytest.fixture
def runner():
    return CliRunner(mix_stderr=False) if "mix_stderr" in CliRunner.__init__.__code__.co_varnames \
        else CliRunner()


@pytest.fixture
def case(tmp_path):
    return write(tmp_path / "case.yaml", CASE)


def test_consult_text(runner, case):
    r = runner.invoke(main, ["consult", str(case), "--kb", str(TINY_KB)])
    assert r.exit_code == 0, r.output
    assert "VERDICT: UNLIKELY" in r.stdout
    words = " ".join(r.stdout.split())  # the text is wrapped at 80 columns
    assert "Benefits would start after 27 months, but the owner can wait about 6." in words
    assert r.stderr == ""
    # plain words for the officer: no rule id, no code; it ends with the verdict (issue 14)
    assert "TM-1" not in r.stdout and "STAGED" not in r.stdout
    assert max(len(line) for line in r.stdout.splitlines()) <= 80
    assert r.stdout.strip().split("\n\n")[-1].startswith("VERDICT: UNLIKELY")


def test_consult_text_technical_keeps_rule_ids_and_codes(runner, case):
    r = runner.invoke(main, ["consult", str(case), "--kb", str(TINY_KB), "--technical"])
    assert r.exit_code == 0, r.output
    assert "rule TM-1; sources VCW-2.8.4" in r.stdout and "STAGED (Staged)" in r.stdout


def test_consult_json_has_every_key_of_the_contract(runner, case):
    r = runner.invoke(main, ["consult", str(case), "--kb", str(TINY_KB), "--format", "json"])
    assert r.exit_code == 0
    result = json.loads(r.stdout)
    contract = (CONTRACT / "result.md").read_text()
    rows = re.findall(r"^\| `(\w+)` \| ([^|]+) \|", contract, re.M)
    always = {key for key, kind in rows if "only with" not in kind}
    assert len(always) >= 8 and set(always) <= set(result)
    assert set(result["knowledge_base"]) >= {"version", "digest"}
    assert set(result["verdict"]) >= {"value", "rule", "because"}
    assert len(result["factors"]) == 12
    for entry in result["factors"].values():
        assert set(entry) >= {"status", "severity", "mitigable", "findings"}
    for f in result["findings"]:
        assert set(f) >= {"id", "factor", "kind", "severity", "mitigable", "text", "rule",
                          "sources"}
    for rec in result["recommendations"]:
        assert set(rec) >= {"intervention", "text", "addresses", "rule", "sources"}
    for u in result["unknowns"]:
        assert set(u) >= {"fact", "matters_for"}
    for t in result["trace"]:
        assert set(t) >= {"seq", "rule", "matched", "asserted"}


def test_consult_markdown(runner, case):
    r = runner.invoke(main, ["consult", str(case), "--kb", str(TINY_KB), "--format", "markdown"])
    assert r.exit_code == 0 and r.stdout.startswith("# Case tiny-wait")


def test_bad_case_exits_2_with_message_on_stderr(runner, tmp_path):
    path = write(tmp_path / "bad.yaml", "id: x\nfacts:\n  paybak_months: 3\n")
    r = runner.invoke(main, ["consult", str(path), "--kb", str(TINY_KB)])
    assert r.exit_code == 2
    assert r.stdout == ""
    assert f'Error: {path}:3:3: unknown fact "paybak_months" (did you mean "payback_months"?)' \
        in r.stderr
    assert "Traceback" not in r.stderr


def test_invalid_knowledge_base_exits_1(runner, case, kb_copy):
    kb = kb_copy()
    replace_in(kb / "rules/time.yaml", "kind: enabler", "kind: enablr")
    r = runner.invoke(main, ["consult", str(case), "--kb", str(kb)])
    assert r.exit_code == 1
    assert "kind must be barrier, enabler or note" in r.stderr


def test_kb_validate_reports_typo_with_line_and_exits_1(runner, kb_copy):
    kb = kb_copy()
    line = replace_in(kb / "rules/time.yaml", "payback_months > payback", "paybak_months > payback")
    r = runner.invoke(main, ["kb", "validate", "--kb", str(kb)])
    assert r.exit_code == 1
    assert f"rules/time.yaml:{line}:9: unknown fact or parameter \"paybak_months\" (did you " \
           'mean "payback_months"?)' in r.stdout


def test_kb_validate_ok(runner):
    r = runner.invoke(main, ["kb", "validate", "--kb", str(TINY_KB)])
    assert r.exit_code == 0 and r.stdout.startswith("OK:")


def test_explain_shows_chain_to_input_facts(runner, case):
    r = runner.invoke(main, ["explain", str(case), "verdict", "--kb", str(TINY_KB), "--technical"])
    assert r.exit_code == 0
    assert "rule V-1" in r.stdout and "rule TM-1" in r.stdout and "rule TM-2a" in r.stdout
    assert "fact profit_horizon_months = 6" in r.stdout
    plain = runner.invoke(main, ["explain", str(case), "verdict", "--kb", str(TINY_KB)]).stdout
    assert plain.startswith("== The verdict\nUNLIKELY")  # the officer's words (issue 14)
    assert "How long the owner says they can wait for a return: 6" in plain
    assert "V-1" not in plain and "profit_horizon_months" not in plain


def test_explain_unknown_target_is_a_usage_error(runner, case):
    r = runner.invoke(main, ["explain", str(case), "NOPE", "--kb", str(TINY_KB)])
    assert r.exit_code == 2 and "was not concluded" in r.stderr


def test_usage_errors_exit_2(runner):
    assert runner.invoke(main, ["consult", "--resume"]).exit_code == 2  # FILE missing
    assert runner.invoke(main, ["consult", "x.yaml", "--format", "pdf"]).exit_code == 2
