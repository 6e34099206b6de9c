"""Seeded random cases drawn from a knowledge base's fact vocabulary.

Each input fact is known with probability ``known`` and then takes a random value of its type
and range (enum values, list subsets, numbers in range with a few thresholds' worth of spread).
The same seed gives the same cases on every machine. Entry points: ``generate_cases(kb, n,
seed)``, ``iter_cases`` (the same, lazily), ``write_survey(path, kb, cases)`` (a CSV export).
"""
from __future__ import annotations

import csv
import random
from collections.abc import Iterable, Iterator

NUMERIC_SPAN = {"percent": 100, "months": 60, "int": 40, "float": 40, "ratio": 10, "money": 5000}


def random_value(fact, rng: random.Random):
    t = fact.type
    if t == "bool":
        return rng.random() < 0.5
    if t == "enum":
        return rng.choice(fact.values)
    if t == "list[enum]":
        return tuple(rng.sample(fact.values, rng.randint(0, min(3, len(fact.values)))))
    if t == "str":
        return rng.choice(["colour", "taste", "poverty"])
    low = fact.min if fact.min is not None else 0
    high = fact.max if fact.max is not None else low + NUMERIC_SPAN.get(t, 40)
    if fact.is_whole or rng.random() < 0.5:
        return rng.randint(int(low), int(high))
    return round(rng.uniform(low, high), 1)


def generate_cases(kb, n: int, seed: int = 6, known: float = 0.5) -> list[dict]:
    """``n`` fact dicts (input fact -> value; unknown facts left out)."""
    return list(iter_cases(kb, n, seed, known))


def iter_cases(kb, n: int, seed: int = 6, known: float = 0.5) -> Iterator[dict]:
    """The cases of ``generate_cases``, one at a time (for surveys too large to hold)."""
    rng = random.Random(seed)
    facts = list(kb.input_facts.values())
    for _ in range(n):
        yield {f.name: random_value(f, rng) for f in facts if rng.random() < known}


def write_survey(path, kb, cases: Iterable[dict]) -> None:
    """A CSV survey export of ``cases``: an ``id`` column (bench-0, bench-1, ...) and one per
    input fact, as a spreadsheet would hold them (blank = unknown, yes/no, ``;`` lists)."""
    names = list(kb.input_facts)
    with open(path, "w", newline="", encoding="utf-8") as f:
        writer = csv.writer(f)
        writer.writerow(["id", *names])
        for i, facts in enumerate(cases):
            row = [f"bench-{i}"]
            for name in names:
                value = facts.get(name)
                if value is None:
                    row.append("")
                elif isinstance(value, tuple):
                    row.append(";".join(value) or "none")
                elif isinstance(value, bool):
                    row.append("yes" if value else "no")
                else:
                    row.append(value)
            writer.writerow(row)
