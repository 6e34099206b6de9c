"""Questions: an interview question that refers to something the interview may not have asked.

KB921 (warning)
    A question refers back to something ("this premium", "that firm", "the group", "the
    partner") and its fact declares no ``presupposes:``, so the interview may ask it before the
    question that introduces it ("Has the buyer confirmed this premium?" before the premium).
    Add ``presupposes: [fact]`` naming the fact whose question introduces it; the interview
    then asks it only after that fact. What every question may refer to (the change or
    investment under discussion, the owner, the business: the registration introduces them) is
    ``INTRODUCED``; ``that`` before a verb ("equipment that lasts") points nowhere
    (``NOT_NOUNS``).

Must not: change the knowledge base or decide what the interview asks (``consultation.
priorities`` does). Entry point: ``check(ctx)``.
"""
from __future__ import annotations

import re

from engine.errors import Problem

from .context import Context, problem

ID = "questions"
# Words a question may point back to without a presupposition: the registration introduces them.
INTRODUCED = frozenset({"change", "changes", "upgrade", "investment", "business", "enterprise",
                        "owner", "product", "output", "household", "family", "community"})
NOT_NOUNS = frozenset({"lasts", "is", "are", "was", "would", "could", "can", "will", "has",
                       "have", "does", "do", "makes", "helps", "needs"})
POINTING = re.compile(r"\b(?:this|that|these|those|the same|the other)\s+([a-z]+)"
                      r"|\bthe\s+(group|partner|firm|finance|premium|lead firm)\b", re.I)


def refers_back(question: str) -> str:
    """The first phrase in ``question`` that points back to something not introduced by the
    registration ('' if none): "this premium", "the group"."""
    for match in POINTING.finditer(question):
        word = (match.group(1) or match.group(2) or "").lower()
        if word and word not in INTRODUCED | NOT_NOUNS and not word.endswith("ing"):
            return match.group(0)
    return ""


def check(ctx: Context) -> list[Problem]:
    """KB921, fact by fact in file order."""
    out = []
    inputs = ctx.kb.input_facts
    for name, fact in inputs.items():
        phrase = refers_back(fact.question)
        if phrase and not fact.presupposes:
            out.append(problem("KB921", fact.loc, f'the question of "{name}" refers to '
                                                  f'"{phrase}", which it may be asked before: '
                                                  "add presupposes: [the fact that introduces "
                                                  "it]", "warning", (f"fact:{name}",)))
    return out
