"""Located data: maps and lists that remember where each key and value stood in their file.

Both readers build these: ``yamlsource`` (knowledge-base files and YAML case files) and
``jsonsource`` (JSON case files and JSON-lines rows). Besides positions they keep the text
*as written* of every plain scalar that was not read as text (a number, true/false, null), so a
field that must be text, such as a case id ``0755`` or a version ``1.10``, can be taken exactly
as the person typed it instead of as the number it also spells.

Must not: read files or parse anything. Entry points: ``YMap``, ``YList``, ``Document``,
``YamlReadError``, ``written_text(container, key)``.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from engine.errors import AdvisorError, Location


class YamlReadError(AdvisorError):
    """The file cannot be read as a YAML or JSON document."""


class YMap(dict):
    """A mapping that remembers where it, its keys and its values stand, and how each value that
    is not text was written."""

    loc: Location
    key_locs: dict
    value_locs: dict

    def loc_of(self, key: Any) -> Location:
        return self.value_locs.get(key, self.loc)

    def key_loc(self, key: Any) -> Location:
        return self.key_locs.get(key, self.loc)

    def written_of(self, key: Any) -> str | None:
        """The source text of ``key``'s value when it was a plain scalar read as a number,
        true/false or null; None otherwise (text, a list or map, or data not read from a file)."""
        return getattr(self, "written", {}).get(key)


class YList(list):
    """A list that remembers where it and each item stand, and how each item was written."""

    loc: Location
    item_locs: list

    def loc_of(self, index: int) -> Location:
        if 0 <= index < len(self.item_locs):
            return self.item_locs[index]
        return self.loc

    def written_of(self, index: int) -> str | None:
        return getattr(self, "written", {}).get(index)


def written_text(container: Any, key: Any) -> str | None:
    """``container[key]`` as text exactly as written: the text itself, or the source text of a
    plain number or true/false read from a file; None when there is no such text (a list, a
    map, null, or a number in data that did not come from a file)."""
    value = container[key]
    if isinstance(value, str):
        return value
    if value is None or isinstance(value, (dict, list)):
        return None
    reader = getattr(container, "written_of", None)
    return reader(key) if reader else None


def new_map(loc: Location) -> YMap:
    out = YMap()
    out.loc, out.key_locs, out.value_locs, out.written = loc, {}, {}, {}
    return out


def new_list(loc: Location) -> YList:
    out = YList()
    out.loc, out.item_locs, out.written = loc, [], {}
    return out


@dataclass
class Document:
    path: str
    data: Any
    text: str


def location_of(data: Any, fallback: Location) -> Location:
    return getattr(data, "loc", fallback)
