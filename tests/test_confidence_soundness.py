"""Soundness of ``verdict.possible_values`` (issue 12) and of the incremental open world under it.

- A property test on the partial cases of ``tests/generated_cases.py`` (worked cases with random
  facts dropped and a few changed; the facts a worked case never gives answered "unknown" or left
  open): every sampled completion of the open facts, run through the engine, gives a verdict
  inside ``possible_values``, both as ``VerdictOutlook.explore`` computes it on those answers and
  as a consultation of the known facts reports it (there every fact not given is open). Thousands
  of completions, seeded; the test also checks that they really reached several verdicts, so it
  cannot pass vacuously.
- ``branches.Branch`` (re-evaluating only what a change touches) gives exactly what a fresh
  ``fixpoint.Evaluation`` gives, on the guard tests' generated cases, for a fact answered and for
  a rule assumed to fire or not.

How tight ``possible_values`` is (exhaustive enumeration) is measured by
``benchmarks/confidence_tightness.py``; a small run of it is checked here too.
"""
from __future__ import annotations

import random
from collections import Counter
from functools import cache

import pytest

from engine.consultation.branches import Branch
from engine.consultation.cases import Case
from engine.consultation.fixpoint import Evaluation
from engine.consultation.openworld import OpenWorld
from engine.consultation.possible import VerdictOutlook
from engine.consultation.result import build_result
from engine.inference.runner import Advisor
from engine.knowledge.spec import VERDICTS
from tests.conftest import SHIPPED_KB, TINY_KB
from tests.generated_cases import SEED, CaseValues, generated_cases, known_facts

KBS = {"shipped": SHIPPED_KB, "tiny": TINY_KB}
PARTIAL = {"shipped": 160, "tiny": 60}  # partial cases (the odd generated ones: worked cases)
COMPLETIONS = 12  # sampled completions of each


@cache
def _advisor(which: str):
    return Advisor.from_folder(KBS[which])


def _partial_cases(kb, count: int) -> list:
    """The odd generated cases: worked cases with facts dropped and some changed (random
    partial cases for a knowledge base without worked cases, as the tiny one)."""
    return generated_cases(kb, 2 * count)[1::2]


@pytest.mark.parametrize("which", sorted(KBS))
def test_every_sampled_completion_gives_a_possible_verdict(which):
    advisor = _advisor(which)
    kb = advisor.kb
    prepared = VerdictOutlook.of(kb, advisor)
    values = CaseValues(kb)
    rng = random.Random(SEED + 12)
    problems, reached, levels, completions, split = [], Counter(), Counter(), 0, 0
    for number, answers in enumerate(_partial_cases(kb, PARTIAL[which])):
        known = known_facts(answers)
        run = advisor.run(known)
        verdict = run.verdict[0] if run.verdict else None
        explored = set(prepared.explore(answers, verdict).possible)
        result = build_result(kb, Case(f"p{number}", known), run, advisor)["verdict"]
        reported = set(result["possible_values"])
        levels[result["confidence"]] += 1
        got = set()
        for _ in range(COMPLETIONS):
            completion = values.completion(rng, answers, unknown=rng.choice((0.0, 0.2, 0.6)))
            value = advisor.run(known_facts(completion)).verdict[0]
            completions += 1
            got.add(value)
            reached[value] += 1
            if value not in explored or value not in reported:
                problems.append(f"case {number}: a completion gives {value}, possible "
                                f"{sorted(explored)} / reported {sorted(reported)}; missing "
                                f"{ {n: completion[n] for n in completion if n not in answers} }"
                                f" with {answers}")
        split += len(got) > 1
    assert not problems, f"{len(problems)} unsound:\n" + "\n".join(problems[:3])
    assert completions >= PARTIAL[which] * COMPLETIONS
    # the completions really moved verdicts around, and the levels were varied
    assert set(VERDICTS) <= set(reached), reached
    assert split >= PARTIAL[which] // 4, split
    assert levels["high"] and levels["medium"] and levels["low"], levels


@cache
def _world(which: str) -> OpenWorld:
    return OpenWorld(_advisor(which).kb)


@pytest.mark.parametrize("which", sorted(KBS))
def test_a_branch_gives_what_a_fresh_evaluation_gives(which):
    world = _world(which)
    kb = world.kb
    values = CaseValues(kb)
    rng = random.Random(SEED + 13)
    problems, children, assumed = [], 0, 0
    for number, answers in enumerate(generated_cases(kb, 150)):
        base = Branch(world, answers)
        fresh = Evaluation(world, answers)
        if dict(base.truth) != fresh.run() or base.sets != fresh.sets:
            problems.append(f"case {number}: base")
        unasked = [n for n in kb.input_facts if n not in answers]
        for name in rng.sample(unasked, min(2, len(unasked))):
            value = values.answer(rng, name, 0.2)
            child = base.child(fact=name, value=value)
            children += 1
            if dict(child.truth) != Evaluation(world, {**answers, name: value}).run():
                problems.append(f"case {number}: {name} = {value}")
            pending = [r for r, t in child.truth.items() if t is None]
            if pending:
                rule, fires = rng.choice(pending), rng.random() < 0.5
                grandchild = child.child(rule=rule, fires=fires)
                assumed += 1
                expected = _Fixed(world, {**answers, name: value}, {rule: fires}).run()
                if dict(grandchild.truth) != expected:
                    problems.append(f"case {number}: {name} = {value}, {rule} {fires}")
    assert not problems, f"{len(problems)} differ:\n" + "\n".join(problems[:5])
    assert children >= 100 and assumed >= (50 if which == "shipped" else 5), (children, assumed)


class _Fixed(Evaluation):
    """A fresh evaluation with some rules' statuses fixed (what ``Branch`` assumes)."""

    def __init__(self, world, answers, fixed):
        super().__init__(world, answers)
        self.fixed = fixed

    def rule_truth(self, rule):
        if rule.id in self.fixed:
            self.sets[rule.id] = frozenset((self.fixed[rule.id],))
            return self.fixed[rule.id]
        return super().rule_truth(rule)


def test_the_tightness_benchmark_runs_and_finds_nothing_unsound():
    import benchmarks.confidence_tightness as bench

    advisor = _advisor("shipped")
    cases = bench.partial_cases(advisor.kb, 6, seed=3, max_completions=200)
    figures = bench.measure(advisor.kb, advisor, cases)
    assert figures["cases"] == 6 and figures["completions"] >= 6
    assert figures["unsound"] == []
    assert figures["exact"] >= figures["open_world_exact"]
