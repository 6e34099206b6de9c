"""The values of each input fact that matter to the rules, and completions worth trying first.

A number matters to the rules only through the comparisons that read it, so the values worth
trying for a numeric fact are its thresholds (the literals, parameters and constant derived
facts it is compared with) and a step on either side of each; a yes/no fact has two values, an
enum its choices, a list its empty, one-choice and all-choices forms. ``possible`` tries these
when it looks for a completion of a case that gives another verdict, and the generated cases of
the guard tests draw their numbers near the same thresholds.

Seeds are whole completions meant to reach a verdict: the ``given`` facts of every rule example
that states a verdict, and the facts of every worked case (``<kb>/cases``) that expects one.

Must not: run rules (``possible`` does), print, or write files. Entry points:
``thresholds(kb)``, ``probe_values(kb)``, ``example_seeds(kb)``, ``worked_seeds(cases)``.
"""
from __future__ import annotations

import itertools
import math

from engine import language as c
from engine.errors import ValueProblem
from engine.knowledge.spec import DeriveAction, KnowledgeBase
from engine.knowledge.values import bounds, check_value
from engine.language import kleene

TEXT_PROBE = "(a text)"  # the value tried for a free-text fact: rules only print those


def is_number(v) -> bool:
    """A finite int or float, not a bool."""
    return isinstance(v, (int, float)) and not isinstance(v, bool) and math.isfinite(v)


def thresholds(kb: KnowledgeBase) -> tuple[dict, tuple]:
    """(input fact -> sorted numbers the rules compare it with, every such number in the KB).

    A comparison's numbers are its literals, its parameters, and each side that reads only
    parameters and derived facts with a constant value (``payback_limit_multiple *
    horizon_months`` gives 12 and 24), evaluated."""
    params = {n: p.value for n, p in kb.parameters.items() if is_number(p.value)}
    constant: dict[str, set] = {}  # derived fact -> the constant values rules give it
    for rule in kb.rules:
        for action in rule.actions:
            if isinstance(action, DeriveAction) and c.names_in(action.value) <= params.keys():
                value = kleene.evaluate(action.value, kleene.State(params))
                if is_number(value):
                    constant.setdefault(action.name, set()).add(value)
    per_fact: dict[str, set] = {}
    everywhere = set(params.values())
    nodes = [cond.node for r in kb.rules for cond in r.conditions]
    nodes += [a.value for r in kb.rules for a in r.actions if isinstance(a, DeriveAction)]
    for node in nodes:
        for sub in c.walk(node):
            if isinstance(sub, c.Num):
                everywhere.add(sub.value)
            if not isinstance(sub, c.Compare):
                continue
            numbers = set()
            for side in (sub.left, sub.right):
                numbers |= {n.value for n in c.walk(side) if isinstance(n, c.Num)}
                names = sorted(c.names_in(side))
                numbers |= {params[n] for n in names if n in params}
                if all(n in params or n in constant for n in names):
                    derived = [n for n in names if n in constant]
                    for choice in itertools.product(*(sorted(constant[n]) for n in derived)):
                        value = kleene.evaluate(side, kleene.State({**params,
                                                                  **dict(zip(derived, choice))}))
                        if is_number(value):
                            numbers.add(value)
            everywhere |= numbers
            for name in c.names_in(sub) & kb.input_facts.keys():
                per_fact.setdefault(name, set()).update(numbers)
    return ({n: tuple(sorted(v)) for n, v in sorted(per_fact.items())},
            tuple(sorted(everywhere)))


def valid_values(spec, candidates) -> tuple:
    """The ``candidates`` that are valid values of ``spec`` (canonical form, sorted, unique)."""
    out = []
    for v in candidates:
        v = round(v, 6) if isinstance(v, float) else v
        try:
            checked = check_value(spec, v)
        except ValueProblem:
            continue
        if checked is not None and checked not in out:
            out.append(checked)
    return tuple(sorted(out))


def around(spec, points) -> tuple:
    """Valid values of the numeric fact ``spec`` at each of ``points`` and a step either side
    (1 for whole numbers, 0.5 otherwise): every side of every comparison with a constant."""
    step = 1 if spec.is_whole else 0.5
    candidates = []
    for t in points:
        low, high = (math.floor(t), math.ceil(t)) if spec.is_whole else (t, t)
        candidates += [low - step, low, high, high + step]
    return valid_values(spec, candidates)


def probe_values(kb: KnowledgeBase) -> dict:
    """Input fact -> the values worth trying for it (never unknown), fewest that matter first."""
    per_fact, _ = thresholds(kb)
    out = {}
    for name, spec in kb.input_facts.items():
        if spec.type == "bool":
            out[name] = (True, False)
        elif spec.type == "enum":
            out[name] = tuple(spec.values)
        elif spec.type == "list[enum]":
            out[name] = ((),) + tuple((v,) for v in spec.values) + (tuple(spec.values),)
        elif spec.type == "str":
            out[name] = (TEXT_PROBE,)
        else:
            out[name] = around(spec, per_fact.get(name, ())) or valid_values(spec,
                                                                             [bounds(spec)[0]])
    return out


def example_seeds(kb: KnowledgeBase) -> dict:
    """Verdict value -> the ``given`` facts of each rule example that states that verdict."""
    seeds: dict = {}
    for rule in kb.rules:
        for ex in rule.examples:
            if ex.verdict:
                seeds.setdefault(ex.verdict, []).append(dict(ex.given))
    return seeds


def worked_seeds(worked_cases) -> dict:
    """Verdict value -> the facts of each worked case (``cases.Case``) that expects it."""
    seeds: dict = {}
    for case in worked_cases:
        verdict = (case.expected or {}).get("verdict")
        if verdict:
            seeds.setdefault(verdict, []).append(dict(case.facts))
    return seeds
