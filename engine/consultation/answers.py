"""Typed answers: what the officer types at an interview question, as a command or a value.

A word such as ``why`` or ``back`` is a command; ``?`` or nothing is "unknown"; anything else is
an answer, read with the same checks as a case file (``knowledge.values.parse_text``), except that
an enum's choices may also be given by their numbers as the question lists them, and an amount
of money may carry its currency and thousands commas ("5,000 shillings", "KES 5000"). Whatever the
officer types (a superscript digit, a number of 5,000 digits, control characters, text that is
not Unicode), the answer is a value or a ``ValueProblem`` saying what to type instead, so the
interview asks again and loses nothing.

Must not: print, prompt, or know what to ask next (``interview`` does). Entry points:
``command_of(text)``, ``parse_answer(fact, text)``.
"""
from __future__ import annotations

import re

from engine.errors import ValueProblem
from engine.knowledge.spec import FactSpec
from engine.knowledge.values import parse_text

COMMANDS = {"why": "why", "back": "back", "skip": "skip", "done": "done"}
UNKNOWN_WORDS = {"", "?"}
MONEY_WORDS = re.compile(r"^[^\d\s.+-]{1,12}\.?\s*|\s*[^\d\s.]{1,12}\.?$")  # a currency around it
CHOICE_NUMBER = re.compile(r"[0-9]{1,4}")  # ASCII digits: "²" and "٣" are not choice numbers


def command_of(text: str) -> str | None:
    """'why', 'back', 'skip', 'done', 'unknown' (for ``?`` or nothing), or None for an answer."""
    word = text.strip().lower()
    if word in UNKNOWN_WORDS:
        return "unknown"
    return COMMANDS.get(word)


def parse_answer(fact: FactSpec, text: str):
    """A typed answer as a checked value: choice numbers or names for enums, yes/no for bools.
    Raises ``ValueProblem`` with what to type instead."""
    raw = text.strip()
    if fact.type == "money":  # "5000 shillings", "KES 5,000": the amount, in local currency
        amount = MONEY_WORDS.sub("", raw).replace(",", "").replace("_", "").strip()
        raw = amount if any(ch.isdigit() for ch in amount) else raw
    if fact.type in ("enum", "list[enum]"):
        items = [raw] if fact.type == "enum" else \
            [i for i in raw.replace(";", ",").replace(" ", ",").split(",") if i]
        picked = [_choice(fact, item) for item in items]
        if fact.type == "enum":
            return parse_text(fact, picked[0])
        return parse_text(fact, ",".join(picked) or "none")
    return parse_text(fact, raw)


def _choice(fact: FactSpec, item: str) -> str:
    """A choice number (1-based, as listed) as the choice's value; any other text is passed on
    for ``parse_text``, which matches names without regard to case and spaces, and synonyms."""
    if CHOICE_NUMBER.fullmatch(item):
        number = int(item)
        if not 1 <= number <= len(fact.values):
            raise ValueProblem(f"{item} is not one of the choices: type a number from 1 to "
                               f"{len(fact.values)}")
        return fact.values[number - 1]
    return item
