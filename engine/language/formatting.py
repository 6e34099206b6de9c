"""Values as an officer reads them: 27, 12.5, yes/no, a list joined by commas, "unknown", and a
number with its unit in the right number ("1 month", "2 months", "1 other buyer").

Must not: raise on any value.
Entry points: ``format_value(value, fmt="") -> str``; ``quantity(value, one, many) -> str``;
``count_words(n, one, many) -> str`` (small counts in words: "three serious obstacles").
"""
from __future__ import annotations

import re

from .arithmetic import is_number

UNKNOWN_TEXT = "unknown"
PLURAL_MARK = "|"  # in a template's format: ``{n:month|months}``, ``{x:.1f day|days}``
_NUMBER_THEN_UNITS = re.compile(r"^(?:([<>^]?\d{0,3}(?:\.\d{1,2})?[fd%]?)\s+)?(.+)$")
_NUMBER_WORDS = ("no", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine",
                 "ten")


def format_value(value, fmt: str = "") -> str:
    """A value as an officer reads it: 27, 12.5, yes/no, a list joined by commas. ``fmt`` is a
    Python number format (``".0f"``), optionally followed by a unit in both numbers
    (``".0f day|days"``, ``"month|months"``): the value is then said with its unit."""
    if PLURAL_MARK in fmt:
        spec, words = _split_units(fmt)
        one, _, many = words.partition(PLURAL_MARK)
        return quantity(value, one, many, spec)
    if value is None:
        return UNKNOWN_TEXT
    if isinstance(value, bool):
        return "yes" if value else "no"
    if is_number(value):
        if fmt:
            try:
                return format(value, fmt)
            except (ValueError, TypeError):
                pass
        if isinstance(value, float):
            return str(int(value)) if value.is_integer() else f"{value:.2f}".rstrip("0")
        return str(value)
    if isinstance(value, (tuple, list)):
        return ", ".join(str(v).replace("_", " ") for v in value) or "none"
    return str(value).replace("_", " ") if "_" in str(value) and " " not in str(value) \
        else str(value)


def _split_units(fmt: str) -> tuple[str, str]:
    """``".1f day|days"`` -> (".1f", "day|days"); ``"other buyer|other buyers"`` -> ("", the
    whole spec): a number format comes first and is followed by a space."""
    found = _NUMBER_THEN_UNITS.match(fmt.strip())
    return (found.group(1) or "", found.group(2)) if found else ("", fmt.strip())


def quantity(value, one: str, many: str, fmt: str = "") -> str:
    """``value`` with its unit in the right number: "1 month", "2 months", "0.5 months",
    "1 other buyer"; "an unknown number of months" when the value is not known."""
    if value is None or not is_number(value) or isinstance(value, bool):
        return f"an unknown number of {many}" if value is None else \
            f"{format_value(value)} {many}"
    text = format_value(value, fmt)
    return f"{text} {one if text == '1' else many}"


def count_words(n: int, one: str, many: str) -> str:
    """A small count in words with its noun: "no serious obstacles", "one remedy",
    "three questions"; digits from eleven on ("12 questions")."""
    word = _NUMBER_WORDS[n] if 0 <= n < len(_NUMBER_WORDS) else str(n)
    return f"{word} {one if n == 1 else many}"
