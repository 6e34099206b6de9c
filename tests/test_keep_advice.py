"""Advice to keep what works (issue 11, kind ADVICE): enabler rules advise keeping or
strengthening what they found, a channel change keeps the current outlets unless their loss is
recorded, and such advice ranks below every remedy for a barrier; the remedy found for a
barrier leads the advice on it."""
import pytest

from engine.consultation.cases import Case
from engine.consultation.result import build_result
from engine.inference.runner import Advisor
from engine.knowledge.loader import load_knowledge_base
from tests.conftest import SHIPPED_KB


@pytest.fixture(scope="module")
def advisor():
    return Advisor(load_knowledge_base(SHIPPED_KB))


def advice(advisor, **facts) -> list[dict]:
    return build_result(advisor.kb, Case("t", {}, facts), advisor.run(facts))["recommendations"]


def kinds(advisor, facts, entry) -> set:
    run = advisor.run(facts)
    return {run.findings[f].kind for f in entry["addresses"] if f in run.findings}


def test_keep_advice_ranks_below_every_remedy_for_a_barrier(advisor):
    facts = {"upgrade_type": ["channel"], "sales_channels_now": 1, "sales_channels_after": 2,
             "largest_buyer_share_after_pct": 40, "existing_relationship_lost": False,
             "upfront_cost_share_of_savings_pct": 80, "can_be_staged": True,
             "producer_group_member": True, "producer_group_functional": True}
    recs = advice(advisor, **facts)
    order = [("barrier" in kinds(advisor, facts, r)) for r in recs]
    assert order[0] and not order[-1], [r["intervention"] for r in recs]
    assert order == sorted(order, reverse=True), [(r["intervention"], o)
                                                 for r, o in zip(recs, order)]
    assert {"MULTICHANNEL", "GROUP", "STAGED"} <= {r["intervention"] for r in recs}


def test_a_channel_change_keeps_the_current_outlets_unless_their_loss_is_recorded(advisor):
    def multichannel(**facts):
        return [r for r in advice(advisor, upgrade_type=["channel"], **facts)
                if r["intervention"] == "MULTICHANNEL"]
    assert multichannel() and multichannel(existing_relationship_lost=False)
    lost = multichannel(existing_relationship_lost=True)
    assert lost and "ADV-1" not in lost[0]["rules"]


def test_no_advice_to_work_through_a_group_that_does_not_work(advisor):
    def group(functional):
        return [r for r in advice(advisor, producer_group_member=True,
                                  producer_group_functional=functional)
                if r["intervention"] == "GROUP"]
    assert group(True) and not group(False)


def test_the_remedy_found_leads_the_advice_on_its_barrier(advisor):
    recs = advice(advisor, existing_relationship_lost=True, lead_firm_engaged=True)
    entry = next(r for r in recs if r["intervention"] == "MULTICHANNEL")
    assert entry["rule"] == "RM-ENGAGED-BUYER.existing_relationship_lost"
    assert "non-exclusive" in entry["text"]
