"""The table of remedies and three-valued mitigation (issue 11, kind MITIGATE and WIRING).

A remedy of ``remedies.yaml`` becomes one rule per barrier it fits; a barrier counts as mitigated
when a remedy is available, as not mitigated when every remedy is known to be absent, and its
mitigation is unknown otherwise (never worse for it): the verdict is then not "unlikely", and the
facts that decide it are asked for. Blocking barriers decide unless a remedy is available. The
engine, the open world and the policy agree. Shown on copies of the tiny knowledge base.
"""
import pytest

from engine.consultation.cases import Case
from engine.consultation.openworld import OpenWorld
from engine.consultation.result import build_result
from engine.errors import KnowledgeBaseError
from engine.inference.runner import Advisor
from engine.knowledge.loader import load_knowledge_base, validate
from engine.knowledge.policy import counts_as_mitigated, mitigation_outcomes
from engine.reports.text import render_text
from tests.conftest import write

REMEDIES = """\
remedies:
  - id: RM-STAGED
    description: The change can be tried on part of the output first.
    when: [can_be_staged]
    by: STAGED
    text: The change can be phased.
    advice: Start with a part that pays within {horizon_months} months.
    sources: [VCW-2.8.4]
    fits:
      - barrier: wait_longer_than_horizon
    examples:
      - given: {months_to_first_benefit: 27, profit_horizon_months: 6, can_be_staged: true}
        mitigates: [wait_longer_than_horizon]
      - given: {months_to_first_benefit: 27, profit_horizon_months: 6, can_be_staged: false}
        mitigates: []
"""
WAIT = {"months_to_first_benefit": 27, "profit_horizon_months": 6}


@pytest.fixture
def remedy_kb(kb_copy):
    kb = kb_copy()
    write(kb / "remedies.yaml", REMEDIES)
    return kb


def consult(kb, **facts):
    advisor = Advisor(load_knowledge_base(kb))
    run = advisor.run(facts)
    return run, build_result(advisor.kb, Case("t", {}, dict(facts)), run)


def test_policy_mitigation_is_three_valued_and_blocking_barriers_decide():
    assert counts_as_mitigated(False, [False, True]) is True
    assert counts_as_mitigated(False, [False, False]) is False
    assert counts_as_mitigated(False, []) is False
    assert counts_as_mitigated(False, [False, None]) is None
    assert counts_as_mitigated(False, [None], "blocking") is False
    assert counts_as_mitigated(True, [False], "blocking") is True
    assert mitigation_outcomes(False, [{True, False, None}]) == {True, False, None}
    assert mitigation_outcomes(False, [{True, False, None}], "blocking") == {True, False}
    assert mitigation_outcomes(False, [{False}, {None}]) == {None}


def test_each_fit_of_a_remedy_is_a_rule_filed_under_its_barrier(remedy_kb):
    kb = load_knowledge_base(remedy_kb)
    rule = kb.rule("RM-STAGED.wait_longer_than_horizon")
    assert [c.source for c in rule.conditions] == ["finding(wait_longer_than_horizon)",
                                                   "can_be_staged"]
    assert rule.factor == "time" and rule.sources == ("VCW-2.8.4",)
    assert rule.loc.path.endswith("remedies.yaml")
    assert [(e.given.get("can_be_staged"), e.fires) for e in rule.examples] == [
        (True, True), (False, False)]


def test_an_available_remedy_mitigates_and_is_advised_with_its_own_text_and_rule(remedy_kb):
    run, result = consult(remedy_kb, can_be_staged=True, **WAIT)
    finding = next(f for f in result["findings"] if f["id"] == "wait_longer_than_horizon")
    assert finding["mitigable"] is True
    staged = next(r for r in result["recommendations"] if r["intervention"] == "STAGED")
    assert "Start with a part that pays within 6 months." in [staged["text"]] + staged["also"]
    assert "RM-STAGED.wait_longer_than_horizon" in staged["rules"]
    firing = next(f for f in run.firings if f.rule == "RM-STAGED.wait_longer_than_horizon")
    assert firing.sources == ("VCW-2.8.4",)
    assert result["verdict"]["value"] != "unlikely"


def test_a_remedy_known_to_be_absent_leaves_the_barrier_unmitigated(remedy_kb):
    _, result = consult(remedy_kb, can_be_staged=False, **WAIT)
    assert result["factors"]["time"]["mitigable"] is False
    assert result["verdict"]["value"] == "unlikely"


def test_an_unknown_remedy_makes_mitigation_unknown_and_asks_for_its_facts(remedy_kb):
    run, result = consult(remedy_kb, **WAIT)
    assert result["factors"]["time"]["mitigable"] is None
    assert result["verdict"]["value"] == "possible_with_support"
    collect = next(r for r in result["recommendations"] if r["intervention"] == "COLLECT")
    assert "can_be_staged" in collect["facts"]
    assess = next(f for f in run.firings if f.rule == "ASSESS")
    assert ("assessment", "wait_longer_than_horizon", "mitigation unknown") in [
        (a.kind, a.name, a.value) for a in assess.asserted]
    assert "barrier (significant, mitigation unknown)" in render_text(
        result, load_knowledge_base(remedy_kb))


def test_a_blocking_barrier_with_an_unknown_remedy_still_decides(remedy_kb):
    write(remedy_kb / "rules/blocking.yaml", """\
factor: time
rules:
  - id: TM-9
    description: A two-year wait blocks.
    when: [months_to_first_benefit >= 24]
    then:
      - finding: {id: very_long_wait, kind: barrier, severity: blocking, text: Two years.}
    sources: [JUDGMENT]
    examples: [{given: {months_to_first_benefit: 30}, fires: true}]
  - id: V-0
    description: A blocking barrier without a remedy.
    salience: 20
    when: ["barrier(severity='blocking', mitigated=false)"]
    then: [{verdict: {value: unlikely, text: Blocked.}}]
    sources: [JUDGMENT]
    examples: [{given: {months_to_first_benefit: 30}, fires: true}]
""")
    text = (remedy_kb / "remedies.yaml").read_text()
    write(remedy_kb / "remedies.yaml", text.replace(
        "      - barrier: wait_longer_than_horizon\n",
        "      - barrier: wait_longer_than_horizon\n      - barrier: very_long_wait\n").replace(
        "mitigates: [wait_longer_than_horizon]", "mitigates: [wait_longer_than_horizon, "
                                                 "very_long_wait]"))
    _, result = consult(remedy_kb, **WAIT)
    assert result["verdict"]["rule"] == "V-0"
    collect = next(r for r in result["recommendations"] if r["intervention"] == "COLLECT")
    assert "very_long_wait" in collect["addresses"] and "can_be_staged" in collect["facts"]
    _, result = consult(remedy_kb, can_be_staged=True, **WAIT)
    assert result["verdict"]["value"] != "unlikely"


def test_the_open_world_weighs_remedies_as_the_engine_does(remedy_kb):
    kb = load_knowledge_base(remedy_kb)
    world = OpenWorld(kb)
    rest = {n: None for n in kb.input_facts if n not in WAIT and n != "can_be_staged"}
    pending = world.truths(dict(WAIT, **rest))  # can_be_staged not asked yet
    unknown = world.truths(dict(WAIT, can_be_staged=None, **rest))
    absent = world.truths(dict(WAIT, can_be_staged=False, **rest))
    assert (pending["V-1"], unknown["V-1"], absent["V-1"]) == (None, False, True)
    advisor = Advisor(kb)
    assert advisor.run(dict(WAIT)).verdict[2] != "V-1"
    assert advisor.run(dict(WAIT, can_be_staged=False)).verdict[2] == "V-1"


@pytest.mark.parametrize("edit, message", [
    ("mitigates: []", 'mitigates "quick_benefit", which it does not fit'),
    ("- barrier: wait_longer_than_horizon", '"quick_benefit" is not a barrier'),
    ("- barrier: wait_longer_than_horizon", 'mitigates unknown finding "wait_longer"'),
    ("by: STAGED", 'unknown intervention "STAGE"'),
    ("- id: RM-STAGED", "duplicate remedy id"),
    ("mitigates: [wait_longer_than_horizon]", 'no example shows remedy "RM-STAGED" mitigating'),
])
def test_remedy_slips_are_reported_at_their_line(remedy_kb, edit, message):
    text = (remedy_kb / "remedies.yaml").read_text()
    replacement = {
        'mitigates "quick_benefit", which it does not fit': "mitigates: [quick_benefit]",
        '"quick_benefit" is not a barrier': "- barrier: quick_benefit",
        'mitigates unknown finding "wait_longer"': "- barrier: wait_longer",
        'unknown intervention "STAGE"': "by: STAGE",
        'no example shows remedy "RM-STAGED" mitigating': "mitigates: []",
    }.get(message)
    if replacement is None:  # a second remedy with the same id
        text += text.split("remedies:\n", 1)[1]
    else:
        text = text.replace(edit, replacement, 1)
    write(remedy_kb / "remedies.yaml", text)
    problems = [p for p in validate(remedy_kb) if p.severity == "error"]
    assert any(message in p.message and p.where.path.endswith("remedies.yaml")
               and p.where.line > 1 for p in problems), [str(p) for p in problems]
    with pytest.raises(KnowledgeBaseError):
        load_knowledge_base(remedy_kb)
