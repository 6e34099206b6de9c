"""Replay: the interview played with a case file's facts as the owner's answers, to measure how
many questions it asks and whether the advice at its stop is the whole case's.

Each question is answered from the case: a fact the case gives, its value; a gate (a screening
question, ``FactSpec.closes``) the case does not give, from the facts it summarises
(``knowledge.interviewing.summary_of``); any other fact, "don't know". A ratio the case gives
directly (not as its two amounts, ``FactSpec.amounts``) is asked as that ratio. The interview stops as
with an officer (``priorities``): verdict settled, or the budget spent, or nothing left.

Must not: print, touch files, or change the case. Entry points: ``simulate(advisor, facts,
budget)``, ``replay(advisor, case, budget) -> result dict`` (the result contract with its
``interview`` key), ``replay_answer(fact, facts)``.
"""
from __future__ import annotations

import dataclasses
from collections.abc import Mapping
from typing import Any

from engine.consultation.interview import Interview
from engine.consultation.priorities import FIRST_VISIT_QUESTIONS
from engine.consultation.result import build_result
from engine.knowledge.interviewing import summary_of
from engine.knowledge.spec import FactSpec


def simulate(advisor, facts: Mapping[str, Any], budget: int | None = None) -> Interview:
    """Play an interview answering every question from ``facts`` (``replay_answer``); without
    a ``budget`` to its end, else until it stops by itself. ``.events`` lists what was asked,
    ``.stopped`` why it stopped."""
    direct = [n for n in facts if advisor.kb.input_facts.get(n) and
              advisor.kb.input_facts[n].amounts]  # a ratio the case gives: asked as a ratio
    interview = Interview(advisor, budget=budget, direct=direct)
    while (q := interview.next_question()) is not None:
        interview.answer(q.name, replay_answer(q.fact, facts))
    return interview


def replay_answer(fact: FactSpec, facts: Mapping[str, Any]):
    """The answer a case's ``facts`` give to ``fact``'s question: its value; for a gate the
    case does not give, the summary of the facts it closes (``summary_of``); else None."""
    if fact.name in facts or not fact.closes:
        return facts.get(fact.name)
    return summary_of(fact, facts)


def asked(interview: Interview) -> list[str]:
    """The facts the interview asked, in order (a gate's closed facts are not asked)."""
    return [e[1] for e in interview.events if e[0] == "answer"]


def replay(advisor, case, budget: int = FIRST_VISIT_QUESTIONS) -> dict:
    """The result contract dict of ``case`` (``cases.Case``) as the interview played with its
    facts leaves it: the advice on the answers at the stop, and ``interview``: ``{asked,
    count, stopped}`` (``docs/contract/result.md``). ``budget``: questions at most."""
    interview = simulate(advisor, case.facts, budget)
    short = dataclasses.replace(case, facts=interview.known_facts())
    result = build_result(advisor.kb, short, interview.run(), advisor)
    names = asked(interview)
    result["interview"] = {"asked": names, "count": len(names),
                           "stopped": interview.stopped or "exhausted"}
    return result
