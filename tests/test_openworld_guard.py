"""Guard: the open-world evaluation agrees with the engine on generated cases.

``OpenWorld(kb).evaluate(answers)`` says, while an interview is still asking, which rules fire
whatever is still asked (True), cannot fire (False) or are pending (None); the interview skips
questions on that word. These tests hold it to what ``Advisor(kb).run(facts)`` fires, on the
deterministic cases of ``tests/generated_cases.py`` for the shipped knowledge base and the tiny
fixture one:

- every fact answered (a value, or "unknown"): nothing is pending, and the sure rules are exactly
  the rules the engine fires;
- facts not asked yet: each partial case is completed several times at random (values near the
  rules' thresholds, or unknown); a sure rule fires in every completion, an impossible one in
  none.

Each test also checks that the cases really produced the variety it relies on (all three
verdicts, all three truth values, most rules firing somewhere), so it cannot pass vacuously.
"""
from __future__ import annotations

import random
from collections import Counter
from functools import cache

import pytest

from engine.consultation.openworld import OpenWorld
from engine.inference.runner import Advisor
from engine.knowledge.loader import load_knowledge_base
from engine.knowledge.spec import VERDICTS
from tests.conftest import SHIPPED_KB, TINY_KB
from tests.generated_cases import SEED, CaseValues, generated_cases, known_facts

BUILTIN = "ASSESS"  # the engine's built-in assessment of barriers; not a knowledge-base rule
KBS = {"shipped": SHIPPED_KB, "tiny": TINY_KB}
CLOSED_CASES = {"shipped": 1000, "tiny": 200}  # every fact answered
PARTIAL_CASES = {"shipped": 600, "tiny": 200}  # the first cases, with facts still to ask
COMPLETIONS = 8  # sampled completions of each partial case


@cache
def _world(which: str):
    kb = load_knowledge_base(KBS[which])
    return kb, Advisor(kb), OpenWorld(kb)


def _fired(kb, run) -> set:
    fired = {f.rule for f in run.firings} - {BUILTIN}
    assert fired <= {r.id for r in kb.rules}, fired
    return fired


@cache
def _partial(which: str) -> list:
    """Per partial case: (answers, truths, [(completion, rules fired)] per completion)."""
    kb, advisor, world = _world(which)
    values = CaseValues(kb)
    rng = random.Random(SEED + 1)
    out = []
    for answers in generated_cases(kb, CLOSED_CASES[which])[:PARTIAL_CASES[which]]:
        truths, _ = world.evaluate(answers)
        runs = []
        for _ in range(COMPLETIONS):
            completion = values.completion(rng, answers, unknown=rng.choice((0.0, 0.2, 0.6)))
            runs.append((completion, _fired(kb, advisor.run(known_facts(completion)))))
        out.append((answers, truths, runs))
    return out


def _missing(kb, answers) -> list:
    return [n for n in kb.input_facts if n not in answers]


@pytest.mark.parametrize("which", sorted(KBS))
def test_with_every_fact_answered_the_open_world_is_sure_of_exactly_what_the_engine_fires(which):
    kb, advisor, world = _world(which)
    verdicts, truth_values, fired_somewhere = Counter(), Counter(), set()
    problems = []
    for number, answers in enumerate(generated_cases(kb, CLOSED_CASES[which])):
        facts = known_facts(answers)
        truths, _ = world.evaluate({n: facts.get(n) for n in kb.input_facts})
        run = advisor.run(facts)
        fired = _fired(kb, run)
        sure = {r for r, t in truths.items() if t is True}
        pending = sorted(r for r, t in truths.items() if t is None)
        if sure != fired or pending:
            problems.append(f"case {number} {facts}: open world sure but not fired "
                            f"{sorted(sure - fired)}, fired but not sure {sorted(fired - sure)}, "
                            f"pending {pending}")
        verdicts[run.verdict[0] if run.verdict else None] += 1
        truth_values.update(truths.values())
        fired_somewhere |= fired
    assert not problems, f"{len(problems)} disagreements:\n" + "\n".join(problems[:5])
    # the cases were varied enough to mean something
    assert set(VERDICTS) <= set(verdicts), verdicts
    assert truth_values[True] and truth_values[False], truth_values
    never = sorted({r.id for r in kb.rules} - fired_somewhere)
    assert len(never) <= 0.05 * len(kb.rules), f"rules that never fired: {never}"


@pytest.mark.parametrize("which", sorted(KBS))
def test_open_world_sure_rules_fire_in_every_sampled_completion(which):
    kb = _world(which)[0]
    problems, sure_checked, missing_counts = [], 0, Counter()
    for number, (answers, truths, runs) in enumerate(_partial(which)):
        missing_counts[bool(_missing(kb, answers))] += 1
        for rule, truth in truths.items():
            if truth is not True:
                continue
            sure_checked += 1
            for completion, fired in runs:
                if rule not in fired:
                    problems.append(f"case {number}: {rule} sure, but not fired when the missing "
                                    f"{_shown(completion, _missing(kb, answers))} complete "
                                    f"{answers}")
                    break
    assert not problems, f"{len(problems)} disagreements:\n" + "\n".join(problems[:5])
    # most cases had facts left to complete, and on average more than one rule was sure
    assert missing_counts[True] >= 0.9 * len(_partial(which)), missing_counts
    assert sure_checked >= len(_partial(which)), sure_checked


@pytest.mark.parametrize("which", sorted(KBS))
def test_open_world_impossible_rules_fire_in_no_sampled_completion(which):
    kb = _world(which)[0]
    problems, truth_values, split = [], Counter(), 0
    for number, (answers, truths, runs) in enumerate(_partial(which)):
        truth_values.update(truths.values())
        for rule, truth in truths.items():
            firing = [rule in fired for _, fired in runs]
            if truth is None and any(firing) and not all(firing):
                split += 1  # the completions really do decide pending rules both ways
            if truth is not False:
                continue
            for completion, fired in runs:
                if rule in fired:
                    problems.append(f"case {number}: {rule} impossible, but fired when the "
                                    f"missing {_shown(completion, _missing(kb, answers))} "
                                    f"complete {answers}")
                    break
    assert not problems, f"{len(problems)} disagreements:\n" + "\n".join(problems[:5])
    assert all(truth_values[t] for t in (True, False, None)), truth_values
    assert split >= len(_partial(which)), split


def _shown(completion: dict, names: list) -> dict:
    return {n: completion[n] for n in names}
