"""The open world's shortcut gives what evaluating every rule on every pass gives.

``fixpoint.Evaluation.run`` re-evaluates, after its first pass, only the rules that read a status
that changed (``OpenWorld.dependents``). That is a speed-up only: on partial answers of generated
cases (and every step of simulated interviews) the statuses and value sets must equal those of
the plain fixpoint below, which evaluates every rule in stage order until a pass changes nothing.
A missing dependency edge would show here as a rule whose status stayed stale.
"""
from __future__ import annotations

import random
from functools import cache

import pytest

from engine.consultation.fixpoint import Evaluation
from engine.consultation.interview import Interview
from engine.consultation.openworld import OpenWorld
from engine.inference.runner import Advisor
from engine.knowledge.loader import load_knowledge_base
from tests.conftest import SHIPPED_KB, TINY_KB
from tests.generated_cases import CaseValues, generated_cases

KBS = {"shipped": SHIPPED_KB, "tiny": TINY_KB}


class EveryRuleEveryPass(Evaluation):
    """The fixpoint without the shortcut: every rule, every pass."""

    def run(self) -> dict:
        changed: set = set()
        for _ in range(len(self.truth) + 2):
            changed = set()
            for rule in self.world.order:
                t = self.rule_truth(rule)
                if t is not self.truth[rule.id]:
                    self.truth[rule.id] = t
                    self.memo.clear()
                    changed.add(rule.id)
            if not changed:
                break
        for rid in changed:
            self.truth[rid] = None
        return self.truth


@cache
def _world(which: str):
    kb = load_knowledge_base(KBS[which])
    return kb, OpenWorld(kb)


def _both(world, answers) -> tuple:
    fast = Evaluation(world, answers)
    plain = EveryRuleEveryPass(world, answers)
    return (fast.run(), fast.sets), (plain.run(), plain.sets)


@pytest.mark.parametrize("which", sorted(KBS))
def test_partial_answers_give_the_statuses_of_the_plain_fixpoint(which):
    kb, world = _world(which)
    rng = random.Random(18)
    values = CaseValues(kb)
    names = list(kb.input_facts)
    checked, pending = 0, 0
    for answers in generated_cases(kb, 150):
        for share in (0.1, 0.4, 0.8):  # a few answers, many, nearly all
            asked = {n: v for n, v in values.completion(rng, answers, unknown=0.2).items()
                     if n in names and rng.random() < share}
            fast, plain = _both(world, asked)
            assert fast == plain, f"{which}: differs on {asked}"
            checked += 1
            pending += sum(1 for t in fast[0].values() if t is None)
    assert checked == 450 and pending > checked  # real partial states, with rules pending


def test_every_step_of_simulated_interviews_gives_the_plain_fixpoint():
    kb, world = _world("shipped")
    advisor = Advisor(kb)
    steps = 0
    for facts in generated_cases(kb, 12)[:12]:
        interview = Interview(advisor)
        while (q := interview.next_question()) is not None:
            interview.answer(q.name, facts.get(q.name))
            fast, plain = _both(world, interview.answers)
            assert fast == plain, f"differs after {interview.answers}"
            steps += 1
    assert steps > 12 * 10  # interviews of some length
