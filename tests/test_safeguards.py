"""Do no harm (issue 11, kind FINANCE): credit is withheld where a "never" pair of the catalogue
holds, and said so honestly; an unknown fact never makes a pair hold; finance that bridges a long
wait in a sound plan stays advised, whatever the verdict."""
import pytest

from engine.consultation.cases import Case
from engine.consultation.result import build_result
from engine.inference.runner import Advisor
from engine.knowledge.loader import load_knowledge_base
from engine.reports.html import render_html
from engine.reports.markdown import render_markdown
from engine.reports.text import render_text
from tests.conftest import SHIPPED_KB

# a finance gap: AR-2 advises FINANCE
GAP = {"upfront_cost_ratio": 4, "cash_reserve_months": 0.5, "finance_available": "informal_only",
       "funded_from_own_cash": False, "needs_lump_sum": True}


@pytest.fixture(scope="module")
def advisor():
    return Advisor(load_knowledge_base(SHIPPED_KB))


def result(advisor, **facts):
    return build_result(advisor.kb, Case("t", {}, facts), advisor.run(facts))


def advised(res) -> set:
    return {r["intervention"] for r in res["recommendations"]}


@pytest.mark.parametrize("harm, never", [
    ({"market_depends_on_project_or_subsidy": True, "project_support_ends_in_months": 8},
     "FINANCE-never-1"),
    ({"owner_goal": "survival", "upgrade_type": ["functional"]}, "FINANCE-never-2"),
    ({"buyer_identified": False}, "FINANCE-never-3"),
    ({"upgrade_increases_harm_risk": True}, "FINANCE-never-4"),
    ({"expected_net_gain_pct": -5}, "FINANCE-never-5"),
    ({"product_stigmatised_locally": True, "alternative_market_without_stigma": False},
     "FINANCE-never-6"),
])
def test_credit_is_withheld_where_a_never_pair_holds_and_said_so(advisor, harm, never):
    assert "FINANCE" in advised(result(advisor, **GAP))
    res = result(advisor, **GAP, **harm)
    assert "FINANCE" not in advised(res)
    (entry,) = [e for e in res["withheld"] if e["intervention"] == "FINANCE"]
    assert entry["never"] == never and entry["text"].startswith("Do not")
    assert "AR-2" in entry["rules"] and entry["because"] and entry["sources"]


def test_where_the_change_would_expose_the_owner_to_harm_only_another_opportunity_is_advised(
        advisor):
    # brief GN-5: do not recommend the upgrade, recommend an alternative. Every intervention
    # that helps pursue the change is withheld (interventions.yaml, the do_no_harm pair), and
    # the withheld advice is said once, naming them all, in the officer's report.
    from engine.reports.plain import plain_report

    before = advised(result(advisor, **GAP))
    res = result(advisor, **GAP, upgrade_increases_harm_risk=True)
    assert len(before - {"ALTERNATIVE", "SAFETYNET"}) >= 2
    assert advised(res) <= {"ALTERNATIVE", "SAFETYNET"} and "ALTERNATIVE" in advised(res)
    assert {e["intervention"] for e in res["withheld"]} == before - {"ALTERNATIVE", "SAFETYNET"}
    [(labels, text, because)] = plain_report(res, advisor.kb).withheld
    assert labels.count(", ") == len(res["withheld"]) - 1 and text.startswith("Do not")


def test_an_unknown_fact_never_withholds_credit(advisor):
    res = result(advisor, **GAP)  # buyer, goal, project, harm, gain, stigma all unknown
    assert "FINANCE" in advised(res) and res["withheld"] == []


def test_finance_bridging_a_long_wait_in_a_sound_plan_stays_advised(advisor):
    res = result(advisor, months_to_first_benefit=14, bridging_income_available=False,
                 finance_grace_period_months=0, expected_net_gain_pct=40,
                 cash_reserve_months=0.5, funded_from_own_cash=True, profit_horizon_months=6)
    assert res["verdict"]["value"] == "unlikely"
    assert "FINANCE" in advised(res) and res["withheld"] == []


def test_every_report_shows_the_withheld_advice(advisor):
    res = result(advisor, **GAP, buyer_identified=False)
    kb = advisor.kb
    for text in (render_text(res, kb), render_markdown(res, kb), render_html(res, kb)):
        assert "Do not borrow until at least one buyer" in text


def test_why_not_says_a_concluded_intervention_is_withheld(advisor):
    from engine.consultation.whynot import why_not
    from engine.reports.whynot import render_why_not
    why = why_not(advisor.kb, advisor.run(dict(GAP, buyer_identified=False)), "FINANCE")
    assert why.concluded and why.withheld["never"] == "FINANCE-never-3"
    assert "NOT advised here: Do not borrow until" in render_why_not(why)
    assert why_not(advisor.kb, advisor.run(GAP), "FINANCE").withheld is None
