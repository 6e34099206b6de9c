"""YAML syntax errors told as the slip a person made: at the line where it is, with a hint.

PyYAML reports where its parser gave up, often a line late and in its own words ("could not find
expected ':'", "expected <block end>, but found '?'"). The common slips (a tab, a key out of
line with its neighbours, a missing colon, a second ``: `` in a value, a bracket or quote left
open) are recognised from its message and the text around its marks, and reported at the line of
the slip with what to write instead. Anything else keeps PyYAML's words.

Must not: read files; parse YAML itself (``yamlsource`` does). Entry point:
``explain(error, text, path) -> Problem``.
"""
from __future__ import annotations

import yaml

from engine.errors import Location, Problem

TAB = "a tab character: YAML takes only spaces here (for indenting, too): replace it with spaces"


def explain(error: yaml.MarkedYAMLError, text: str, path: str) -> Problem:
    """The slip behind ``error`` (raised on ``text``, the file at ``path``) as one problem."""
    lines = text.splitlines()
    problem, context = error.problem or "", error.context or ""
    mark, opened = error.problem_mark, error.context_mark
    found = _slip(problem, context, mark, opened, lines)
    if found is None:
        where = mark or opened
        what = " ".join(x for x in (context, problem) if x)
        loc = Location(path, where.line + 1, where.column + 1) if where else Location(path)
        return Problem(loc, f"not valid YAML: {what}", "yaml")
    line, col, message = found
    return Problem(Location(path, line, col), f"not valid YAML: {message}", "yaml")


def _slip(problem: str, context: str, mark, opened, lines: list) -> tuple | None:
    """``(line, col, message)`` of a recognised slip, 1-based; None for any other error."""
    if "'\\t'" in problem and mark is not None:
        return mark.line + 1, mark.column + 1, TAB
    if "could not find expected ':'" in problem and opened is not None:
        return _missing_colon(opened.line, opened.column, lines)
    if "mapping values are not allowed" in problem and mark is not None:
        return _value_or_indent(mark.line, mark.column, lines)
    if "expected <block end>" in problem and mark is not None:
        return _out_of_line(mark.line, mark.column, lines)
    if context.startswith("while parsing a flow") and opened is not None:
        bracket = _char(lines, opened.line, opened.column)
        closing = {"[": "]", "{": "}"}.get(bracket, "]")
        return (opened.line + 1, opened.column + 1,
                f'the "{bracket}" opened here is never closed, or a "," is missing between '
                f'two of its items: add "{closing}" at its end')
    if context.startswith("while scanning a") and "quoted scalar" in context and \
            "end of stream" in problem and opened is not None:
        return (opened.line + 1, opened.column + 1,
                "the quote opened here is never closed: add the closing quote at the end of "
                "the text")
    return None


def _missing_colon(line: int, col: int, lines: list) -> tuple:
    """A key written without its colon: ``description x`` for ``description: x``."""
    words = _text(lines, line)[col:].split(None, 1)
    key = words[0] if words else ""
    meant = f"{key}: {words[1]}" if len(words) > 1 else f"{key}:"
    return (line + 1, col + 1, f'"{key}" has no ":" after it: write "{meant.strip()}" (a key '
                               'and its value are separated by ": ")')


def _value_or_indent(line: int, col: int, lines: list) -> tuple:
    """``mapping values are not allowed here``: a second ``: `` in a value, a key without its
    colon on the line above, or a line indented deeper than the keys above it."""
    here = _text(lines, line)
    if ": " in here[:col] or here[:col].rstrip().endswith(":"):
        return (line + 1, col + 1, 'a second ": " on this line: if it is part of the text, quote '
                                   "the whole value ('...')")
    above = _previous(lines, line)
    if above is not None:
        column = _content_column(_text(lines, above))
        previous = _text(lines, above)[column:].strip()
        if previous and ":" not in previous and not previous.startswith(("-", "#", "[", "{")):
            return _missing_colon(above, column, lines)
        return (line + 1, _indent(here) + 1,
                f"this line is indented deeper (column {_indent(here) + 1}) than the keys above "
                f"it (column {column + 1}, line {above + 1}): line it up with them")
    return line + 1, col + 1, 'a ": " where no key can start: check the indentation'


def _out_of_line(line: int, col: int, lines: list) -> tuple:
    """``expected <block end>``: a key or list item that lines up with nothing above it."""
    here = _text(lines, line)
    start = _indent(here)
    if here.lstrip().startswith("- "):
        above = _previous(lines, line, dash=True)
        what = 'the items of this list (their "-")'
        column = _indent(_text(lines, above)) if above is not None else None
    else:
        above = _previous(lines, line)
        what = "the keys of this map"
        column = _content_column(_text(lines, above)) if above is not None else None
    if column is None or column == start:
        return line + 1, start + 1, ("this line does not line up with the lines above it: keys "
                                     "of one map, and items of one list, start in one column")
    return (line + 1, start + 1, f"this line starts at column {start + 1}, but {what} start at "
                                 f"column {column + 1} (line {above + 1}): line it up")


def _text(lines: list, index: int) -> str:
    return lines[index] if 0 <= index < len(lines) else ""


def _char(lines: list, line: int, col: int) -> str:
    text = _text(lines, line)
    return text[col] if col < len(text) else ""


def _indent(text: str) -> int:
    return len(text) - len(text.lstrip(" "))


def _content_column(text: str) -> int:
    """Where the first key of a line starts: after its list dash, if it has one."""
    start = _indent(text)
    rest = text[start:]
    if rest.startswith("- "):
        return start + 2 + _indent(rest[2:])
    return start


def _previous(lines: list, line: int, dash: bool = False) -> int | None:
    """The nearest line above ``line`` holding data (a list item, with ``dash``)."""
    for index in range(line - 1, -1, -1):
        stripped = _text(lines, index).strip()
        if not stripped or stripped.startswith("#"):
            continue
        if not dash or stripped.startswith("- "):
            return index
    return None
