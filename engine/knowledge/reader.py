"""Field access on the positioned YAML of knowledge-base files, every slip kept as a ``Problem``.

A ``FieldReader`` wraps one map (a fact, a rule, an action, an example ...) and hands out its
fields as the type asked for; what is missing, of the wrong type or not a known field becomes a
problem at the key's ``file:line:col`` and a default is returned, so reading goes on and the
knowledge engineer sees every slip in one pass. ``read_yaml`` reads one file, ``entries`` the
list (or id -> entry map) under a top-level key.

Must not: decide what a field means (``vocabulary``, ``rules``, ``actions`` and ``examples`` do);
raise on bad data; open files other than through ``yamlsource``.
Entry points: ``FieldReader(data, where, what, problems)``, ``read_yaml(path, problems)``,
``entries(data, key, path, problems)``, ``parse_template_at(text, where, problems)``.
"""
from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from engine import language as c
from engine.errors import Location, Problem, did_you_mean
from engine.knowledge.located import YamlReadError, YList, YMap, written_text
from engine.knowledge.spec import Template, Waiver
from engine.knowledge.yamlsource import read_document
from engine.safe_text import control_flaw, terminal

WAIVER_CODE = re.compile(r"^KB\d{3}$")
_TYPE_NAMES = {str: "text", bool: "true or false", int: "a whole number", list: "a list",
               dict: "a map", float: "a number"}


class FieldReader:
    """Field access on a located map that records what is missing or of the wrong type.

    ``data`` is a ``YMap`` (anything else is itself a problem and reads as an empty map);
    ``where`` its location; ``what`` names it in messages ("a fact", 'source "X"');
    ``problems`` is the list every problem is appended to."""

    def __init__(self, data: Any, where: Location, what: str, problems: list):
        self.where = where
        self.what = what
        self.problems = problems
        if not isinstance(data, dict):
            problems.append(Problem(where, f"{what} must be a map of name: value"))
            data = YMap()
            data.loc, data.key_locs, data.value_locs = where, {}, {}
        self.data = data

    def loc(self, key: str) -> Location:
        """Where the value of ``key`` stands (the map's own location if it is absent)."""
        return self.data.loc_of(key) if isinstance(self.data, YMap) else self.where

    def problem(self, key: str | None, message: str, code: str = "invalid") -> None:
        """Record a problem at ``key``'s value, or at the map when ``key`` is None."""
        where = self.loc(key) if key else self.where
        self.problems.append(Problem(where, message, code))

    def get(self, key: str, kind: type | tuple, required: bool = False, default=None):
        """The value of ``key`` if it is a ``kind`` (``float`` also takes whole numbers, ``int``
        refuses true/false); else a problem and ``default``. Absent or null is ``default``, and a
        "missing" problem when ``required``."""
        if key not in self.data or self.data[key] is None:
            if required:
                self.problem(None, f'{self.what} needs "{key}"', "missing")
            return default
        value = self.data[key]
        if kind is float and isinstance(value, (int, float)) and not isinstance(value, bool):
            return value
        if kind is int and isinstance(value, bool):
            self.problem(key, f'"{key}" must be a whole number')
            return default
        if not isinstance(value, kind):
            want = _TYPE_NAMES.get(kind, "a value") if isinstance(kind, type) else "a value"
            self.problem(key, f'"{key}" must be {want}')
            return default
        return value

    def text(self, key: str, required: bool = False, default: str = "") -> str:
        """The value as text: a plain number or true/false exactly as written (``1.10`` stays
        ``1.10``); ``default`` when absent. Control characters are a problem (a knowledge base
        is shown on officers' screens) and are left out of the text returned."""
        value = self.get(key, (str, int, float), required, default)
        if value is None or value is default:
            return default
        return self._checked(key, self.loc(key), written_text(self.data, key) or str(value))

    def str_list(self, key: str, required: bool = False) -> tuple:
        """A list of plain names as a tuple of text (one name alone counts as a list of one)."""
        value = self.get(key, (list, str), required, [])
        if isinstance(value, str):
            value = [value]
        out = []
        for i, item in enumerate(value):
            where = value.loc_of(i) if isinstance(value, YList) else self.loc(key)
            if not isinstance(item, (str, int, float)) or isinstance(item, bool):
                self.problems.append(Problem(where, f'items of "{key}" must be plain names'))
            else:
                text = written_text(value, i) if isinstance(value, YList) else None
                out.append(self._checked(key, where, text or str(item)))
        return tuple(out)

    def _checked(self, key: str, where: Location, text: str) -> str:
        flaw = control_flaw(text)
        if flaw:
            self.problems.append(Problem(where, f'"{key}" {flaw}', "control-character"))
            return terminal(text)
        return text

    def template(self, key: str, required: bool = False) -> Template:
        """The text of ``key`` parsed as a template (``{expression}`` placeholders)."""
        return parse_template_at(self.text(key, required=required), self.loc(key), self.problems)

    def waivers(self) -> tuple:
        """``waive:``: lint warnings silenced on purpose, each ``{code: KB402, reason: ...,
        with: [rule ids]}``; the reason is required (a reviewer must see why)."""
        out = []
        items = self.get("waive", list, default=[])
        for i, item in enumerate(items):
            where = items.loc_of(i) if isinstance(items, YList) else self.loc("waive")
            w = FieldReader(item, where, "a waiver", self.problems)
            w.unknown_keys(("code", "reason", "with"))
            code, reason = w.text("code", required=True), w.text("reason", required=True)
            if code and not WAIVER_CODE.match(code):
                w.problem("code", f'"{code}" is not a lint code (KB followed by three digits, '
                                  "as kb lint prints it)")
            elif "reason" in w.data and len(reason.split()) < 3:
                w.problem("reason", "say why the warning does not apply here, in a sentence")
            if code and reason and WAIVER_CODE.match(code):
                out.append(Waiver(code, reason, w.str_list("with"), where))
        return tuple(out)

    def unknown_keys(self, allowed: tuple) -> None:
        """A problem, with a did-you-mean, at every key not in ``allowed``."""
        for key in self.data:
            if key not in allowed:
                where = self.data.key_loc(key) if isinstance(self.data, YMap) else self.where
                self.problems.append(Problem(where, f'unknown field "{key}" in {self.what}'
                                                    f"{did_you_mean(str(key), allowed)}"))


def parse_template_at(text: str, where: Location, problems: list) -> Template:
    """``text`` as a ``Template``; a syntax slip is a problem at its column, and the text is then
    kept as one literal part."""
    try:
        return Template(text, tuple(c.parse_template(text)))
    except c.ParseError as exc:
        problems.append(Problem(where.shifted(exc.pos), f"in text: {exc.message}"))
        return Template(text, (text,))


def read_yaml(path: Path, problems: list):
    """The positioned data of one YAML file, or None when it cannot be read (problems added)."""
    try:
        return read_document(path, problems=problems).data
    except YamlReadError as exc:
        problems.extend(exc.problems)
        return None


def entries(data, key: str, path: Path, problems: list) -> list:
    """The entries under the top-level ``key``: ``[(id or None, entry, location), ...]`` from a
    list (id None) or from a map of id -> entry; a problem if ``key`` is absent or neither."""
    where = Location(str(path), 1, 1)
    if not isinstance(data, dict) or key not in data:
        problems.append(Problem(where, f'expected a top-level "{key}:"', "missing"))
        return []
    items = data[key]
    out = []
    if isinstance(items, YList):
        for i, item in enumerate(items):
            out.append((None, item, items.loc_of(i)))
    elif isinstance(items, YMap):
        for k, item in items.items():
            out.append((k, item, items.key_loc(k)))
    else:
        problems.append(Problem(data.loc_of(key), f'"{key}" must be a list or a map'))
    return out
