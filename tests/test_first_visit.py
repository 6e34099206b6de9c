"""Issue 13, a first visit in twenty minutes: the order of questions, gates and presuppositions,
the stop by itself and the budget, the replay (``consult CASE --replay``) and its ``interview``
key, the registration and the numbering across --resume.

The terminal session itself (registration, why, back, two "don't know", a stop by itself, the
stored-visit message) is driven with pexpect in tests/test_interview.py.
"""
import json

import pytest
from click.testing import CliRunner

from cli import main
from engine import api
from engine.api.interviewing import asked_before
from engine.consultation.cases import load_case
from engine.consultation.dialogue import Dialogue
from engine.consultation.interview import Interview
from engine.consultation.priorities import FIRST_VISIT_QUESTIONS, TIERS
from engine.consultation.replay import replay, simulate
from engine.errors import KnowledgeBaseError, ValueProblem
from engine.inference.runner import Advisor
from engine.knowledge.interviewing import summary_of
from engine.knowledge.loader import load_knowledge_base
from engine.kbtools.lint import lint
from tests.conftest import SHIPPED_KB, TINY_KB, write

CASES = sorted((SHIPPED_KB / "cases").glob("*.yaml"))


@pytest.fixture(scope="module")
def shipped():
    return Advisor.from_folder(SHIPPED_KB)


def test_the_facade_budget_is_the_engines():
    assert api.QUESTION_BUDGET == FIRST_VISIT_QUESTIONS == 20


# ---------------------------------------------------------------- gates and presuppositions


def test_a_gates_no_closes_its_topic_and_back_reopens_it(shipped):
    gate = shipped.kb.facts["harm_or_bad_image"]
    assert dict(gate.closes) == {"upgrade_increases_harm_risk": False,
                                 "product_stigmatised_locally": False}
    interview = Interview(shipped, budget=20)
    interview.answer("harm_or_bad_image", False)
    assert interview.answers["upgrade_increases_harm_risk"] is False
    assert "product_stigmatised_locally" not in interview.needs()
    assert interview.count() == 1  # the closed facts were not asked
    interview.back()
    assert "upgrade_increases_harm_risk" not in interview.answers
    interview.answer("harm_or_bad_image", True)  # "yes": each is asked on its own
    assert "upgrade_increases_harm_risk" in interview.needs()


def test_a_gate_is_answered_from_the_facts_it_summarises(shipped):
    gate = shipped.kb.facts["change_ends_ties"]
    closed = dict(gate.closes)
    assert summary_of(gate, closed) is False
    assert summary_of(gate, {**closed, "existing_relationship_lost": True}) is True
    assert summary_of(gate, {"existing_relationship_lost": False}) is None  # one not known


def test_a_question_is_asked_only_after_what_it_refers_to(shipped):
    for path in CASES[:12]:
        asked = [e[1] for e in simulate(shipped, load_case(path, shipped.kb).facts, 20).events]
        for i, name in enumerate(asked):
            for before in shipped.kb.facts[name].presupposes:
                assert before in asked[:i], (path.stem, name, before)


def test_the_loader_checks_the_interview_fields(kb_copy):
    root = kb_copy()
    text = (root / "facts.yaml").read_text()
    text += ("- name: gate_one\n  type: int\n  factor: time\n  question: How many?\n"
             "  closes: {payback_months: 3}\n"
             "- name: gate_two\n  type: bool\n  factor: time\n  question: Any?\n"
             "  presupposes: [no_such_fact]\n  closes: {payback_months: -4}\n")
    write(root / "facts.yaml", text)
    with pytest.raises(KnowledgeBaseError) as caught:
        load_knowledge_base(root)
    said = str(caught.value)
    assert '"closes" is for a yes/no fact' in said
    assert '"no_such_fact", which is no input fact' in said
    assert 'gate "gate_two": payback_months = -4 is out of range' in said
    assert "facts.yaml:" in said  # with the line


def test_lint_reports_a_question_that_refers_to_what_may_not_be_asked(kb_copy):
    root = kb_copy()
    text = (root / "facts.yaml").read_text()
    text += ("- name: premium_confirmed\n  type: bool\n  factor: profits\n"
             "  question: Has the buyer confirmed this premium?\n")
    write(root / "facts.yaml", text)
    def about_it():
        return [p for p in lint(load_knowledge_base(root))
                if p.code == "KB921" and "fact:premium_confirmed" in p.subject]

    found = about_it()
    assert len(found) == 1 and '"this premium"' in found[0].message
    write(root / "facts.yaml", text + "  presupposes: [payback_months]\n")
    assert not about_it()


# ---------------------------------------------------------------- order, stop and budget


def test_the_framing_facts_come_first_then_what_can_change_the_verdict(shipped):
    interview = Interview(shipped, budget=20)
    plan = interview.plan()
    frames = [n for n, f in shipped.kb.input_facts.items() if f.frame]
    assert set(frames) == {"upgrade_type", "owner_gender", "enterprise_role"}
    assert set(plan.order[:3]) == set(frames)
    tiers = [TIERS.index(plan.tier[n]) for n in plan.order]
    assert tiers == sorted(tiers) and plan.tier[plan.order[3]] == "verdict"


def test_the_budget_stops_the_interview_and_says_so(shipped):
    case = load_case(CASES[0], shipped.kb)
    result = replay(shipped, case, budget=5)
    assert result["interview"]["count"] == 5 and result["interview"]["stopped"] == "budget"
    assert len(result["interview"]["asked"]) == 5


def test_a_settled_verdict_stops_the_interview(tmp_path):
    advisor = Advisor.from_folder(TINY_KB)
    facts = {"months_to_first_benefit": 2, "profit_horizon_months": 12, "payback_months": 3}
    interview = simulate(advisor, facts, budget=20)
    assert interview.stopped in ("settled", "exhausted")
    whole = advisor.run(facts).verdict[0]
    assert interview.run().verdict[0] == whole


def test_a_settled_stop_never_gives_another_verdict_than_the_whole_case(shipped):
    for path in CASES:
        case = load_case(path, shipped.kb)
        interview = simulate(shipped, case.facts, budget=60)
        if interview.stopped == "settled":
            run = interview.run()
            assert run.verdict == shipped.run(case.facts).verdict or \
                run.verdict[0] == shipped.run(case.facts).verdict[0], path.stem


# ---------------------------------------------------------------- the replay on the command line


def test_replay_json_has_the_interview_key_of_the_contract(tmp_path):
    r = CliRunner().invoke(main, ["consult", str(CASES[0]), "--replay", "--format", "json",
                                  "--max-questions", "7"])
    assert r.exit_code == 0, r.output
    result = json.loads(r.stdout)
    seen = result["interview"]
    assert set(seen) == {"asked", "count", "stopped"}
    assert seen["count"] == len(seen["asked"]) <= 7
    assert seen["stopped"] in ("settled", "budget", "exhausted")
    assert set(result["case"]["facts"]) <= set(seen["asked"]) | {
        n for g in seen["asked"] for n, _ in
        Advisor.from_folder(SHIPPED_KB).kb.facts[g].closes}
    assert "interview" in (TINY_KB.parent.parent.parent / "docs" / "contract" /
                           "result.md").read_text()


def test_replay_refuses_what_does_not_fit(tmp_path):
    r = CliRunner().invoke(main, ["consult", "--replay"])
    assert r.exit_code == 2 and "--replay plays CASE" in r.stderr
    r = CliRunner().invoke(main, ["consult", str(CASES[0]), "--max-questions", "3"])
    assert r.exit_code == 2 and "--max-questions is for the interview" in r.stderr


# ---------------------------------------------------------------- registration and numbering


def test_registration_fills_the_case_and_refuses_a_bad_date(shipped):
    metadata = {"visit_date": "2026-11-30"}
    dialogue = Dialogue(Interview(shipped, budget=20), register=metadata)
    typed = iter(["Amina dairy", "", "dairy", "a place at the cooling centre", "J. Otieno",
                  "30/11/2026", ""])
    replies = []
    while (turn := dialogue.next_turn()) is not None and turn.field:
        while dialogue.waiting:
            replies.append(dialogue.hear(next(typed)))
    assert metadata == {"enterprise": "Amina dairy", "sector": "dairy",
                        "opportunity": "a place at the cooling centre", "officer": "J. Otieno",
                        "visit_date": "2026-11-30"}
    assert [r.event for r in replies].count("refused") == 1
    assert turn.question is not None and turn.question.fact.frame  # then the framing facts
    assert all(len(line) <= 80 for line in turn.text.splitlines())


def test_numbering_goes_on_across_resume_and_a_gates_closed_facts_do_not_count(shipped):
    facts = {"upgrade_type": ("process",), "harm_or_bad_image": False,
             "upgrade_increases_harm_risk": False, "product_stigmatised_locally": False}
    assert asked_before(shipped.kb, facts, ["owner_gender"]) == 3
    interview = Interview(shipped, facts, ["owner_gender"], budget=20, asked_before=3)
    assert interview.count() == 3 and interview.about() > 3


def test_kb_test_reports_the_questions_each_worked_case_needs(kb_copy):
    root = kb_copy()
    write(root / "cases" / "wait.yaml", "id: wait\nfacts:\n  months_to_first_benefit: 27\n"
          "  profit_horizon_months: 6\nexpected:\n  verdict: unlikely\n")
    r = CliRunner().invoke(main, ["kb", "test", "--kb", str(root), "--questions"])
    assert "Questions each worked case needs" in r.stdout
    line = next(x for x in r.stdout.splitlines() if x.startswith("  wait: "))
    count = int(line.split(": ")[1].split(" ")[0])
    assert 2 <= count <= 3 and "the verdict at the stop is the whole case's" in line
    plain = CliRunner().invoke(main, ["kb", "test", "--kb", str(root)])
    assert "Questions each worked case needs" not in plain.stdout


def test_money_is_asked_as_money_and_the_ratios_follow(shipped):
    from engine.consultation.answers import parse_answer

    fact = shipped.kb.facts["upfront_cost"]
    assert parse_answer(fact, "5,000 shillings") == 5000
    assert parse_answer(fact, "KES 5000") == 5000
    with pytest.raises(ValueProblem):
        parse_answer(fact, "shillings")
    interview = Interview(shipped, budget=40)
    assert not interview.ready("upfront_cost_ratio")  # the amounts come first
    interview.answer("upfront_cost", 5000)
    interview.answer("monthly_net_income", 2500)
    interview.answer("liquid_savings", 4000)
    assert interview.answers["upfront_cost_ratio"] == 2.0
    assert interview.answers["upfront_cost_share_of_savings_pct"] == 125.0
    interview.back()  # undoing the savings undoes the share it gave
    assert "upfront_cost_share_of_savings_pct" not in interview.answers
    interview.answer("liquid_savings", None)  # not known: the share is asked as such
    assert interview.ready("upfront_cost_share_of_savings_pct")
    direct = Interview(shipped, budget=40, direct=["upfront_cost_ratio"])  # a case gives it
    assert direct.ready("upfront_cost_ratio")
