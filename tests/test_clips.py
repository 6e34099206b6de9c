"""The CLIPS export reaches the same conclusions as the experta engine (clipspy, [clips] extra)."""
import pytest

from benchmarks.casegen import generate_cases
from cli import main
from engine.consultation.cases import load_case
from engine.kbtools.clips import ClipsAdvisor, export_clips
from engine.knowledge.loader import load_knowledge_base
from engine.inference.runner import Advisor
from tests.conftest import SHIPPED_KB, TINY_KB


def conclusions_of_experta(advisor, facts):
    run = advisor.run(facts)
    return {"findings": set(run.findings),
            "recommendations": {r.intervention for r in run.recommendations},
            "verdict": run.verdict[0] if run.verdict else None,
            "fired": {f.rule for f in run.firings if f.rule != "ASSESS"}}


def conclusions_of_clips(clips_advisor, facts):
    run = clips_advisor.run(facts)
    return {"findings": set(run.findings), "recommendations": set(run.recommendations),
            "verdict": run.verdict, "fired": set(run.fired)}


def both_engines(path):
    kb = load_knowledge_base(path)
    clips_advisor = ClipsAdvisor(kb)
    yield Advisor(kb), clips_advisor
    clips_advisor.close()


@pytest.fixture(scope="module")
def tiny():
    yield from both_engines(TINY_KB)


@pytest.fixture(scope="module")
def shipped():
    yield from both_engines(SHIPPED_KB)


def shipped_case_files():
    return sorted((SHIPPED_KB / "cases").glob("*.yaml"))


@pytest.mark.parametrize("path", shipped_case_files(), ids=lambda p: p.stem)
def test_clips_agrees_with_experta_on_worked_case(shipped, path):
    advisor, clips_advisor = shipped
    facts = load_case(path, advisor.kb).facts
    assert conclusions_of_clips(clips_advisor, facts) == conclusions_of_experta(advisor, facts)


def test_clips_agrees_with_experta_on_seeded_random_cases(shipped):
    advisor, clips_advisor = shipped
    for facts in generate_cases(advisor.kb, 60, seed=11):
        assert conclusions_of_clips(clips_advisor, facts) == conclusions_of_experta(advisor, facts)


@pytest.mark.parametrize("facts", [
    {"months_to_first_benefit": 27, "profit_horizon_months": 6},
    {"months_to_first_benefit": 3, "profit_horizon_months": 12},
    {"payback_months": 30, "profit_horizon_months": 6},
    {"months_to_first_benefit": 9},
    {},
], ids=["long-wait", "quick", "mitigable-payback", "default-horizon", "nothing-known"])
def test_clips_agrees_with_experta_on_tiny_kb(tiny, facts):
    advisor, clips_advisor = tiny
    assert conclusions_of_clips(clips_advisor, facts) == conclusions_of_experta(advisor, facts)


def test_unknown_fact_satisfies_no_comparison_in_clips(tiny):
    _, clips_advisor = tiny
    run = clips_advisor.run({"profit_horizon_months": 6})
    assert "TM-1" not in run.fired and "TM-5" not in run.fired  # months_to_first_benefit unknown
    assert run.verdict == "possible_with_support"


def test_first_matching_verdict_rule_wins_in_clips(tiny):
    _, clips_advisor = tiny
    run = clips_advisor.run({"months_to_first_benefit": 27, "profit_horizon_months": 6})
    assert (run.verdict, run.verdict_rule) == ("unlikely", "V-1")
    assert "V-9" not in run.fired  # it also matches, but a verdict was already concluded


def test_export_has_a_template_per_input_fact_and_a_rule_per_rule(tiny):
    advisor, _ = tiny
    text = export_clips(advisor.kb)
    assert ('(multislot upgrade_type (type STRING SYMBOL) (allowed-strings "process" "product" '
            '"functional" "channel" "intersectoral") (allowed-symbols UNKNOWN) '
            "(default UNKNOWN))") in text
    assert ("(slot months_to_first_benefit (type INTEGER SYMBOL) (allowed-symbols UNKNOWN) "
            "(range 0 ?VARIABLE) (default UNKNOWN))") in text
    for rule in advisor.kb.rules:
        assert f"(defrule r-{rule.id}-0 " in text


def test_kb_export_clips_writes_the_file(tmp_path):
    from click.testing import CliRunner

    out = tmp_path / "kb.clp"
    r = CliRunner().invoke(main, ["kb", "export", "--clips", str(out), "--kb", str(TINY_KB)])
    assert r.exit_code == 0, r.output
    kb = load_knowledge_base(TINY_KB)
    assert r.stdout == f"Wrote {out} ({len(kb.rules)} rules)\n"
    assert out.read_text() == export_clips(kb)


def test_kb_export_clips_of_a_broken_kb_exits_1(kb_copy, tmp_path):
    from click.testing import CliRunner

    kb = kb_copy()
    (kb / "rules" / "time.yaml").write_text("rules:\n  - id: X\n")
    r = CliRunner().invoke(main, ["kb", "export", "--clips", str(tmp_path / "kb.clp"),
                                  "--kb", str(kb)])
    assert r.exit_code == 1 and "time.yaml" in r.stderr
    assert not (tmp_path / "kb.clp").exists()
