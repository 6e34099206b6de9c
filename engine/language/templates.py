"""Text templates: officer-facing texts with ``{expression}`` or ``{expression:format}``
placeholders (a format may end with a unit in both numbers: ``{months:month|months}`` says
"1 month" or "3 months"), parsed once when the knowledge base loads and filled from a case's values.
Must not: raise on a value (an unknown or ill-typed value prints as "unknown").

Entry points: ``parse_template(text)`` and ``render(template, state)``.
"""
from __future__ import annotations

import re
from dataclasses import dataclass

from engine.errors import ParseError

from . import kleene
from .formatting import UNKNOWN_TEXT, format_value
from .parser import parse
from .syntax import Name, Node


@dataclass(frozen=True)
class Placeholder:
    """``{expression}`` or ``{expression:format}`` inside a text template."""

    node: Node
    fmt: str
    pos: int


# a number format (".0f"), optionally followed by a unit in both numbers ("month|months",
# ".0f day|days"): formatting.format_value says "1 month", "3 months"
_UNIT = r"[^\W\d_](?:[^\W\d_]|[' -]){0,30}"  # letters of any language: "mes|meses", "année|années"
_FORMAT_SPEC = re.compile(rf"^(?:[<>^]?\d{{0,3}}(?:\.\d{{1,2}})?[fd%]?)(?:\s*{_UNIT}\|{_UNIT})?$")


def parse_template(text: str) -> list:
    """Split a template into literal strings and placeholders; ``{{`` and ``}}`` are braces."""
    parts, buf, i = [], [], 0
    while i < len(text):
        ch = text[i]
        if ch in "{}" and text[i + 1:i + 2] == ch:
            buf.append(ch)
            i += 2
            continue
        if ch == "}":
            raise ParseError('a "}" without its "{" (write "}}" for a brace)', i)
        if ch == "{":
            end = text.find("}", i)
            if end < 0:
                raise ParseError('a "{" without its "}" (write "{{" for a brace)', i)
            inner = text[i + 1:end]
            expr, _, fmt = inner.partition(":") if ":" in inner else (inner, "", "")
            if fmt and not _FORMAT_SPEC.match(fmt):
                raise ParseError(f'format "{fmt}" not understood (use e.g. ".0f", '
                                 '"month|months" or ".1f day|days")', i)
            if buf:
                parts.append("".join(buf))
                buf = []
            try:
                node = parse(expr)
            except ParseError as exc:
                raise ParseError(exc.message, i + 1 + exc.pos) from None
            parts.append(Placeholder(node, fmt, i + 1))
            i = end + 1
            continue
        buf.append(ch)
        i += 1
    if buf:
        parts.append("".join(buf))
    return parts


def render(template, state: kleene.State) -> str:
    """Fill a ``knowledge.spec.Template`` (None gives "") with the state's values, whitespace
    collapsed to single spaces."""
    if template is None:
        return ""
    labels = getattr(template, "labels", None)
    out = []
    for part in template.parts:
        if isinstance(part, str):
            out.append(part)
        else:
            try:
                value = kleene.evaluate(part.node, state)
                out.append(_said(value, part, labels) if labels else format_value(value, part.fmt))
            except (TypeError, ValueError, OverflowError):
                out.append(labels.get("", {}).get(None, UNKNOWN_TEXT) if labels else UNKNOWN_TEXT)
    return " ".join("".join(out).split())



def _said(value, part: Placeholder, labels: dict) -> str:
    """A value in the template's language: a choice by its label (``labels[fact][value]``),
    true, false and unknown by ``labels[""]``; numbers as ``format_value`` says them."""
    words = labels.get("", {})
    if value is None or isinstance(value, bool):
        return words.get(value, format_value(value, part.fmt)) if not part.fmt else \
            format_value(value, part.fmt)
    choices = labels.get(part.node.name, {}) if isinstance(part.node, Name) else {}
    if isinstance(value, str) and value in choices:
        return choices[value]
    if isinstance(value, (tuple, list)) and choices:
        return ", ".join(choices.get(v, format_value(v)) for v in value) or words.get((), "none")
    if words.get("number") and not part.fmt and isinstance(value, (int, float)):
        return words["number"](value)  # the locale's grouping and decimal mark: "1.500.000"
    said = format_value(value, part.fmt)
    mark = words.get("decimal")  # the language's decimal mark: 0.5 -> "0,5"
    return re.sub(r"(?<=\d)\.(?=\d)", mark, said) if mark and mark != "." else said
