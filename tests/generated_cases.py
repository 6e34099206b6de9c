"""Deterministic generated cases for the guard tests of the engine.

``tests/test_openworld_guard.py`` (the open-world evaluation agrees with the engine) and the
golden traces (``scripts/golden_traces.py``, ``tests/test_trace_golden.py``) run on the same
cases, made here from a seeded ``random.Random``: the count is exact and every run, in any
process and under any ``PYTHONHASHSEED``, gets the same cases (nothing iterates over a set).

A case is an *answers* map, input fact -> value, ``None`` meaning "asked, unknown"; an input fact
missing from it has not been asked yet. Half the cases answer a random share of the facts, half
start from a bundled worked case (``<kb>/cases/*.yaml``) with random facts dropped and a few
changed. Numbers are drawn near the thresholds the rules compare them with (literals, parameters
and constant derived facts, ``engine.consultation.probes.thresholds``; then -1, -0.5, 0, +0.5,
+1), so the comparisons go both ways.

Entry points: ``generated_cases(kb, count)``, ``CaseValues(kb).completion(rng, answers)``,
``known_facts(answers)``.
"""
from __future__ import annotations

import math
import random
from pathlib import Path

from engine.consultation.cases import load_case
from engine.consultation.probes import thresholds, valid_values
from engine.knowledge.spec import KnowledgeBase
from engine.knowledge.values import bounds, check_value

SEED = 20240611
TEXTS = ("colour", "taste", "poverty", "smell")  # for ``str`` facts (only printed in texts)


class CaseValues:
    """Valid random values for the input facts of one knowledge base (type, range, enum)."""

    def __init__(self, kb: KnowledgeBase):
        self.kb = kb
        self.specs = kb.input_facts
        per_fact, everywhere = thresholds(kb)
        self.near = {n: self._near(s, per_fact.get(n, ())) for n, s in self.specs.items()}
        self.near_anywhere = {n: self._near(s, everywhere) for n, s in self.specs.items()}
        self.texts = TEXTS

    def _near(self, spec, points) -> tuple:
        """Valid values of ``spec`` at and around ``points`` (-1, -0.5, 0, +0.5, +1)."""
        if not spec.is_numeric:
            return ()
        candidates = []
        for t in points:
            candidates += ((math.floor(t) - 1, math.floor(t), math.ceil(t), math.ceil(t) + 1)
                           if spec.is_whole else (t - 1, t - 0.5, t, t + 0.5, t + 1))
        return valid_values(spec, candidates)

    def value(self, rng: random.Random, name: str):
        """A valid value for ``name`` (never unknown); numbers often near a threshold."""
        spec = self.specs[name]
        t = spec.type
        if t == "bool":
            return rng.random() < 0.5
        if t == "enum":
            return rng.choice(spec.values)
        if t == "list[enum]":
            chosen = set(rng.sample(spec.values, rng.randint(0, len(spec.values))))
            return tuple(v for v in spec.values if v in chosen)
        if t == "str":
            return rng.choice(self.texts)
        draw = rng.random()
        if draw < 0.5 and self.near[name]:
            return rng.choice(self.near[name])
        if draw < 0.65 and self.near_anywhere[name]:
            return rng.choice(self.near_anywhere[name])
        low, high = bounds(spec)
        if high is None:
            high = max([low + 10, 50] + [2 * v for v in self.near[name]])
        if spec.is_whole:
            return check_value(spec, rng.randint(math.ceil(low), math.floor(high)))
        return check_value(spec, round(rng.uniform(low, high), 2))

    def answer(self, rng: random.Random, name: str, unknown: float):
        """A value, or ``None`` (answered "unknown") with probability ``unknown``."""
        return None if rng.random() < unknown else self.value(rng, name)

    def completion(self, rng: random.Random, answers: dict, unknown: float = 0.2) -> dict:
        """``answers`` with every input fact not asked yet answered (a value, or unknown)."""
        return {n: answers[n] if n in answers else self.answer(rng, n, unknown)
                for n in self.specs}


def bundled_facts(kb: KnowledgeBase) -> list[dict]:
    """The ``facts:`` of the knowledge base's worked cases (checked, in canonical form)."""
    paths = sorted(Path(kb.root, "cases").glob("*.yaml"))
    return [load_case(p, kb).facts for p in paths]


def generated_cases(kb: KnowledgeBase, count: int, seed: int = SEED) -> list[dict]:
    """``count`` answer maps (fact -> value or None; a fact left out is not asked yet)."""
    rng = random.Random(seed)
    values = CaseValues(kb)
    bundled = bundled_facts(kb)
    cases = []
    for number in range(count):
        if bundled and number % 2:
            facts = bundled[(number // 2) % len(bundled)]
            drop, change, unasked = rng.uniform(0.05, 0.6), rng.uniform(0, 0.15), rng.random()
            answers = {}
            for name in values.specs:
                if name in facts:
                    if rng.random() >= drop:
                        answers[name] = (values.value(rng, name) if rng.random() < change
                                         else facts[name])
                elif rng.random() >= unasked:
                    answers[name] = None  # not in the case file: unknown
        else:
            asked, unknown = rng.uniform(0.05, 1.0), rng.uniform(0.0, 0.3)
            answers = {n: values.answer(rng, n, unknown) for n in values.specs
                       if rng.random() < asked}
        cases.append(answers)
    return cases


def known_facts(answers: dict) -> dict:
    """The facts a consultation gets: the answers with a value."""
    return {n: v for n, v in answers.items() if v is not None}
