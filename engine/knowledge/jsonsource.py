"""Read JSON with JSON's own rules, keeping the line and column of every key and value.

A ``.json`` case file and each row of a JSON-lines batch input are read here, not as YAML: so
``1e5`` is a number, ``"\\ud83d\\ude00"`` (an emoji as Python's ``json.dumps`` writes it) is one
character, and the same object means the same thing in a case file and in a JSON-lines row.
Strings and numbers are scanned by Python's ``json`` module itself (``json.decoder.scanstring``,
``json.scanner.NUMBER_RE``), and ``NaN``/``Infinity`` are accepted as ``json.loads`` accepts them
(a non-finite number is refused later, where values are checked). What this adds to
``json.loads``: positions (``file:line:col``) on every value, a duplicate key refused at its
line (``json.loads`` keeps the last silently), a lone surrogate (``"\\ud800"``) refused, and
the value budget and nesting depth of the YAML reader, so a hostile row costs bounded time.

Must not: open files (``yamlsource.read_text`` does), or evaluate anything.
Entry point: ``parse_json(text, path, *, first_line=1, max_nodes=...) -> Document``, raising
``YamlReadError`` with the position and what was expected.
"""
from __future__ import annotations

import bisect
from json.decoder import scanstring
from json.scanner import NUMBER_RE
from typing import Any

from engine.errors import Location, Problem
from engine.knowledge.located import Document, YamlReadError, new_list, new_map

MAX_DEPTH = 64  # as engine.knowledge.yamlsource.MAX_DEPTH
DEFAULT_MAX_NODES = 50_000
WHITESPACE = " \t\n\r"
CONSTANTS = {"true": True, "false": False, "null": None, "NaN": float("nan"),
             "Infinity": float("inf"), "-Infinity": float("-inf")}


class _Stop(Exception):
    def __init__(self, pos: int, message: str, code: str = "json"):
        super().__init__(message)
        self.pos, self.message, self.code = pos, message, code


def parse_json(text: str, path: str, *, first_line: int = 1,
               max_nodes: int = DEFAULT_MAX_NODES) -> Document:
    """One JSON value (the whole ``text``) as located data: ``YMap``, ``YList`` and scalars.
    ``first_line`` is the line ``text`` starts on in its file (a JSON-lines row)."""
    reader = _Reader(text, path, first_line, max_nodes)
    if not text.strip(WHITESPACE):
        raise YamlReadError([Problem(Location(path, first_line), "file is empty"
                                     if first_line == 1 else "empty line")])
    try:
        pos = reader.skip(0)
        data, pos = reader.value(pos, 0)
        pos = reader.skip(pos)
        if pos != len(text):
            raise _Stop(pos, "more text after the JSON value: one object per file (per line in "
                             "a .jsonl file)")
    except _Stop as stop:
        raise YamlReadError([Problem(reader.loc(stop.pos), stop.message, stop.code)]) from None
    if reader.problems:
        raise YamlReadError(reader.problems)
    return Document(path, data, text)


class _Reader:
    def __init__(self, text: str, path: str, first_line: int, max_nodes: int):
        self.text, self.path, self.first_line, self.max_nodes = text, path, first_line, max_nodes
        self.lines = [i for i, ch in enumerate(text) if ch == "\n"]
        self.nodes = 0
        self.problems: list[Problem] = []

    def loc(self, pos: int) -> Location:
        """The position of offset ``pos``; of the text, not its opening quote, for a string (as
        the YAML reader gives it)."""
        if self.text[pos:pos + 1] == '"':
            pos += 1
        n = bisect.bisect_left(self.lines, pos)  # newlines before pos
        start = self.lines[n - 1] + 1 if n else 0
        return Location(self.path, self.first_line + n, pos - start + 1)

    def skip(self, pos: int) -> int:
        while pos < len(self.text) and self.text[pos] in WHITESPACE:
            pos += 1
        return pos

    def value(self, pos: int, depth: int) -> tuple[Any, int]:
        self.nodes += 1
        if self.nodes > self.max_nodes:
            raise _Stop(pos, f"document holds more than {self.max_nodes:,} values: not accepted "
                             "(too large for a case)", "too-large")
        if depth > MAX_DEPTH:
            raise _Stop(pos, f"nested more than {MAX_DEPTH} levels deep", "too-deep")
        ch = self.text[pos:pos + 1]
        if ch == "{":
            return self.object(pos, depth)
        if ch == "[":
            return self.array(pos, depth)
        if ch == '"':
            return self.string(pos)
        number = NUMBER_RE.match(self.text, pos)
        if number:
            return self.number(number), number.end()
        for word, constant in CONSTANTS.items():
            if self.text.startswith(word, pos):
                return constant, pos + len(word)
        raise _Stop(pos, "not valid JSON: expected a value (an object, a list, \"text\", a "
                         "number, true, false or null)" if ch else
                         "not valid JSON: the text ends where a value was expected")

    def string(self, pos: int) -> tuple[str, int]:
        try:
            out, end = scanstring(self.text, pos + 1, True)
        except ValueError as exc:  # json.JSONDecodeError: an unterminated string, a bad escape
            raise _Stop(getattr(exc, "pos", pos), f"not valid JSON: {getattr(exc, 'msg', exc)}"
                                                  ) from None
        if any(0xD800 <= ord(c) <= 0xDFFF for c in out):
            raise _Stop(pos + 1, "not valid Unicode text: a \\u escape names a lone surrogate "
                                 "(\\ud800-\\udfff)")
        return out, end

    def number(self, match) -> int | float:
        integer, frac, exp = match.groups()
        if frac or exp:
            return float(integer + (frac or "") + (exp or ""))  # 1e400 is inf: refused later
        if len(integer.lstrip("-")) > 4000:
            raise _Stop(match.start(), f"a number of {len(integer):,} digits: not accepted")
        return int(integer)

    def array(self, pos: int, depth: int) -> tuple[list, int]:
        out = new_list(self.loc(pos))
        pos = self.skip(pos + 1)
        if self.text[pos:pos + 1] == "]":
            return out, pos + 1
        while True:
            out.item_locs.append(self.loc(pos))
            item, end = self.value(pos, depth + 1)
            self._written(out.written, len(out), item, pos, end)
            out.append(item)
            pos = self.skip(end)
            ch = self.text[pos:pos + 1]
            if ch == "]":
                return out, pos + 1
            if ch != ",":
                raise _Stop(pos, "not valid JSON: expected , or ] after a list item")
            pos = self.skip(pos + 1)

    def object(self, pos: int, depth: int) -> tuple[dict, int]:
        out = new_map(self.loc(pos))
        pos = self.skip(pos + 1)
        if self.text[pos:pos + 1] == "}":
            return out, pos + 1
        while True:
            if self.text[pos:pos + 1] != '"':
                raise _Stop(pos, "not valid JSON: expected a \"name\" in double quotes")
            key_pos = pos
            key, pos = self.string(pos)
            pos = self.skip(pos)
            if self.text[pos:pos + 1] != ":":
                raise _Stop(pos, "not valid JSON: expected : after a name")
            pos = self.skip(pos + 1)
            value_loc = self.loc(pos)
            value, end = self.value(pos, depth + 1)
            if key in out.key_locs:
                self.problems.append(Problem(self.loc(key_pos), f'duplicate key "{key[:60]}" '
                                             f"(first at line {out.key_locs[key].line}): remove "
                                             "one of them", "duplicate-key"))
            else:
                out.key_locs[key], out.value_locs[key] = self.loc(key_pos), value_loc
                self._written(out.written, key, value, pos, end)
                out[key] = value
            pos = self.skip(end)
            ch = self.text[pos:pos + 1]
            if ch == "}":
                return out, pos + 1
            if ch != ",":
                raise _Stop(pos, "not valid JSON: expected , or } after a value")
            pos = self.skip(pos + 1)

    def _written(self, table: dict, key, value, start: int, end: int) -> None:
        """Keep a number's or true/false's text as written (``1e5``, not 100000.0)."""
        if value is not None and not isinstance(value, (str, dict, list)):
            table[key] = self.text[start:end]
