"""Check one value against its fact's type, range and allowed values.

Shared by case files, rule examples, ``whatif --set``, interview answers and survey rows, so a
value is judged the same way wherever it comes from. ``check_value`` takes parsed data
(YAML/JSON); ``parse_text`` takes what a person typed or a CSV cell held. A choice is matched
without regard to case, spaces or hyphens ("Savings group" is ``savings_group``) and by the
synonyms the knowledge base declares for it (``synonyms:`` in facts.yaml, e.g. a local name for
a savings group); a true/false fact also takes the words yes/no, y/n (any case); a percent may
be typed with its sign ("25%"); several choices are separated by commas, semicolons or (as ODK
and KoboToolbox export them) spaces. Numbers are written with ASCII digits only.

Must not: know where a value came from (callers place the ``ValueProblem`` message).
Entry points: ``check_value(fact, value)``, ``parse_text(fact, text)``, ``describe_type(fact)``.
"""
from __future__ import annotations

import math
import re

from engine.errors import ValueProblem, did_you_mean
from engine.knowledge.spec import FactSpec
from engine.safe_text import BIDI, control_flaw, shown

MAX_TEXT_CHARS = 200
MAX_MAGNITUDE = 1e12
TRUE_WORDS = {"true", "yes", "y", "1"}
FALSE_WORDS = {"false", "no", "n", "0"}
NUMBER = re.compile(r"[+-]?(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+)(?:[eE][+-]?[0-9]+)?")
MAX_NUMBER_CHARS = 40  # typed or in a cell; a longer number is refused before it is converted
QUOTE = "'"  # typed text is shown in single quotes, as Python shows it


def fold(word: str) -> str:
    """A choice as compared: case folded, spaces and hyphens as underscores ("Savings group",
    "savings-group" and "SAVINGS_GROUP" all fold to "savings_group")."""
    return re.sub(r"[\s_-]+", "_", word.strip().casefold())


def choice_of(fact: FactSpec, word: str) -> str | None:
    """The value of ``fact`` that ``word`` names (itself, another spelling of it, or one of its
    declared synonyms), or None."""
    if word in fact.values:
        return word
    key = fold(word)
    for value in fact.values:
        if fold(value) == key:
            return value
    return next((value for word, value, _ in fact.synonyms if word == key), None)


def describe_type(fact: FactSpec) -> str:
    if fact.type == "bool":
        return "true or false"
    if fact.type == "enum":
        return "one of " + ", ".join(fact.values)
    if fact.type == "list[enum]":
        return "a list of " + ", ".join(fact.values)
    if fact.type == "str":
        return f"text of up to {MAX_TEXT_CHARS} characters"
    low, high = bounds(fact)
    kind = "a whole number" if fact.is_whole else "a number"
    if high is None:
        return f"{kind} of at least {_num(low)}"
    return f"{kind} from {_num(low)} to {_num(high)}"


def bounds(fact: FactSpec) -> tuple:
    low = fact.min if fact.min is not None else 0
    high = fact.max
    if high is None and fact.type == "percent" and fact.min is None:
        high = 100
    return low, high


def _num(v) -> str:
    return str(int(v)) if float(v).is_integer() else str(v)


def check_value(fact: FactSpec, value):
    """Return the value in canonical form, or raise ``ValueProblem``."""
    if value is None:
        return None
    t = fact.type
    if t == "bool":
        if isinstance(value, str) and value.strip().lower() in WORDS:
            return WORDS[value.strip().lower()]
        if not isinstance(value, bool):
            raise ValueProblem(f"{fact.name} takes true or false, not {_shown(value)}")
        return value
    if t in ("enum", "str"):
        if not isinstance(value, str):
            raise ValueProblem(f"{fact.name} takes {describe_type(fact)}, not {_shown(value)}")
        if t == "str":
            if len(value) > MAX_TEXT_CHARS:
                raise ValueProblem(f"{fact.name} is {len(value)} characters long; at most "
                                   f"{MAX_TEXT_CHARS} are accepted")
            flaw = text_flaw(value)
            if flaw:
                raise ValueProblem(f"{fact.name} {flaw}")
            return value
        return _choice(fact, value)
    if t == "list[enum]":
        if not isinstance(value, (list, tuple)):
            if isinstance(value, str) and choice_of(fact, value):
                value = [value]
            else:
                raise ValueProblem(f"{fact.name} takes a list of values ({', '.join(fact.values)})"
                                   f", not {_shown(value)}")
        out = []
        for item in value:
            if not isinstance(item, str):
                raise ValueProblem(f"{_shown(item)} is not a value of {fact.name}; use "
                                   + ", ".join(fact.values))
            item = _choice(fact, item)
            if item in out:
                raise ValueProblem(f'"{item}" is listed twice in {fact.name}')
            out.append(item)
        return tuple(out)
    # numbers
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        raise ValueProblem(f"{fact.name} takes {describe_type(fact)}, not {_shown(value)}")
    if isinstance(value, float) and not math.isfinite(value):
        raise ValueProblem(f"{fact.name} must be a finite number, not {value}")
    if fact.is_whole:
        if isinstance(value, float):
            if not value.is_integer():
                raise ValueProblem(f"{fact.name} takes a whole number, not {value}")
            value = int(value)
    if abs(value) > MAX_MAGNITUDE:  # before anything prints or converts a huge integer
        raise ValueProblem(f"{fact.name} is implausibly large (more than {MAX_MAGNITUDE:.0e} "
                           "either way): check the number")
    low, high = bounds(fact)
    if value < low or (high is not None and value > high):
        raise ValueProblem(f"{fact.name} = {_num(value)} is out of range: expected "
                           f"{describe_type(fact)}")
    return value


def _choice(fact: FactSpec, value: str) -> str:
    chosen = choice_of(fact, value)
    if chosen is None:
        raise ValueProblem(f"{shown(value)} is not a value of {fact.name}"
                           f"{did_you_mean(value, fact.values) if text_flaw(value) == '' else ''}"
                           "; use one of " + ", ".join(fact.values))
    return chosen


WORDS = {**{w: True for w in TRUE_WORDS - {"1"}}, **{w: False for w in FALSE_WORDS - {"0"}}}


def parse_text(fact: FactSpec, text: str):
    """Turn typed text (a prompt answer, a CSV cell) into a checked value; blank is unknown.
    Whatever the text holds, the answer is a value, None or ``ValueProblem``."""
    raw = text.strip()
    if raw == "":
        return None
    t = fact.type
    if t == "bool":
        word = raw.lower()
        if word in TRUE_WORDS:
            return True
        if word in FALSE_WORDS:
            return False
        raise ValueProblem(f"{fact.name} takes yes or no (true/false), not "
                           f"{shown(raw, quote=QUOTE)}")
    if t == "list[enum]":
        items = [i.strip() for i in raw.replace(";", ",").split(",") if i.strip()]
        if len(items) == 1 and choice_of(fact, items[0]) is None:
            items = items[0].split()  # "process channel", as ODK and Kobo export several
        if items == ["none"] or raw == "[]":
            items = []
        return check_value(fact, items)
    if t in ("enum", "str"):
        return check_value(fact, raw)
    if t == "percent" and raw.endswith("%"):
        raw = raw[:-1].rstrip()
    if len(raw) > MAX_NUMBER_CHARS or not NUMBER.fullmatch(raw):
        raise ValueProblem(f"{fact.name} takes {describe_type(fact)}, not "
                           f"{shown(raw, quote=QUOTE)}")
    number = int(raw) if raw.lstrip("+-").isdigit() else float(raw)
    return check_value(fact, number)


def text_flaw(text: str) -> str:
    """What makes text unfit to store or print ('' if nothing): control characters, C0 or C1
    (a terminal would obey them), or lone surrogates (not Unicode; no file or screen takes
    them). Tab and newline are allowed, and so are bidirectional marks (names in Arabic or
    Hebrew script may need them): reports remove those where they are shown."""
    return control_flaw(text, allowed="\t\n" + BIDI)


def _shown(value) -> str:
    if isinstance(value, str):
        return f"the text {shown(value)}"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (list, tuple)):
        return "a list"
    if isinstance(value, dict):
        return "a map"
    return repr(value)
