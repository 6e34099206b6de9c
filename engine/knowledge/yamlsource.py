"""Read YAML safely, keeping the line and column of every key and value.

Used for knowledge-base files and YAML case files (a ``.json`` file goes to ``jsonsource``). Only
the plain YAML types are built (maps, lists, strings, numbers, booleans, null), under the
advisor's own schema (``yamlschema``: ``NO`` is text, ``0755`` is 755, ``1:20`` and ``0x1F``
are text); any other tag, such as ``!!python/object``, is refused. Duplicate keys are an error,
not a silent overwrite. Aliases are followed within a budget so a "billion laughs" document is
refused instead of exhausting memory, and composing stops at the same budget and depth, so a
huge, wide or deep file costs bounded time and memory. Pipes and devices are never opened
(docs/security.md lists every limit).

Entry point: ``read_document(path)`` returns a ``Document`` whose ``data`` is built of ``YMap``,
``YList`` and scalars (``engine.knowledge.located``); ``YMap.loc_of(key)`` and
``YList.loc_of(i)`` give positions, ``written_of`` the text of a plain number as written.
"""
from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import yaml

from engine.errors import Location, Problem
from engine.knowledge import yamlslips
from engine.knowledge.located import Document, YamlReadError, YList, YMap, new_list, new_map
from engine.knowledge.yamlschema import FastSchemaLoader, SchemaLoader, construct_scalar

MAX_FILE_BYTES = 5 * 1024 * 1024
MAX_NODES = 50_000  # the largest shipped rule file holds about 2,100
MAX_DEPTH = 64

_SAFE_TAGS = {
    "tag:yaml.org,2002:" + t
    for t in ("str", "int", "float", "bool", "null", "timestamp", "map", "seq")
}
_TEXT_TAG = "tag:yaml.org,2002:str"


def _mark_loc(path: str, node: yaml.Node) -> Location:
    m = node.start_mark
    col = m.column + 1
    if isinstance(node, yaml.ScalarNode) and node.style in ("'", '"'):
        col += 1  # point at the text, not the opening quote
    return Location(path, m.line + 1, col)


def read_text(path: str | os.PathLike, *, max_bytes: int = MAX_FILE_BYTES) -> str:
    """Read a UTF-8 text file, turning every OS-level failure into a clear problem."""
    p = Path(path)
    where = Location(str(path))
    try:
        if p.is_dir():
            raise YamlReadError([Problem(where, "is a folder, not a file: give the path of a "
                                                "file")])
        if p.exists() and not p.is_file():  # a FIFO would block, /dev/zero would never end
            raise YamlReadError([Problem(where, "is not a regular file (a device, pipe or "
                                                "socket): give the path of a YAML or JSON file")])
        size = p.stat().st_size
        if size > max_bytes:
            raise YamlReadError([Problem(where, _too_big(size, max_bytes))])
        with open(p, "rb") as stream:
            raw = stream.read(max_bytes + 1)  # the file may have grown since stat()
        if len(raw) > max_bytes:
            raise YamlReadError([Problem(where, _too_big(None, max_bytes))])
    except FileNotFoundError:
        raise YamlReadError([Problem(where, "no such file: check the path")]) from None
    except PermissionError:
        raise YamlReadError([Problem(where, "cannot be read (permission denied): check the "
                                            "file's permissions")]) from None
    except OSError as exc:
        raise YamlReadError([Problem(where, f"cannot be read: {exc.strerror or exc}")]) from None
    if b"\x00" in raw:
        raise YamlReadError([Problem(where, "is a binary file, not YAML or JSON text")])
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise YamlReadError([Problem(where, f"is not UTF-8 text (bad byte at offset "
                                            f"{exc.start}): save it as UTF-8")]) from None


def _too_big(size: int | None, max_bytes: int) -> str:
    what = f"file is {size:,} bytes, more than" if size else "file is larger than"
    return f"{what} the {max_bytes:,} accepted: split it or check it is the right file"


def read_document(path: str | os.PathLike, *, max_bytes: int = MAX_FILE_BYTES,
                  problems: list | None = None, max_nodes: int = MAX_NODES) -> Document:
    """The located data of a YAML file, or of a JSON file (by its ``.json`` suffix) read with
    JSON's rules; ``YamlReadError`` with every problem."""
    text = read_text(path, max_bytes=max_bytes)
    if str(path).lower().endswith(".json"):
        from engine.knowledge.jsonsource import parse_json

        return parse_json(text, str(path), max_nodes=max_nodes)
    return parse_document(text, str(path), problems, max_nodes=max_nodes)


class _Composer(SchemaLoader):
    """PyYAML's safe composer, stopped as soon as a document holds too many values or nests
    too deeply, so a hostile file costs no more time and memory than the budget allows."""

    def __init__(self, text: str, path: str, max_nodes: int):
        super().__init__(text)
        self.path, self.max_nodes, self.nodes, self.depth = path, max_nodes, 0, 0

    def compose_node(self, parent, index):
        self.nodes += 1
        self.depth += 1
        try:
            if self.nodes > self.max_nodes:
                raise self._refuse(f"document holds more than {self.max_nodes:,} values: not "
                                   "accepted (too large for a case or rule file)", "too-large")
            if self.depth > MAX_DEPTH + 1:
                raise self._refuse(f"nested more than {MAX_DEPTH} levels deep", "too-deep")
            return super().compose_node(parent, index)
        finally:
            self.depth -= 1

    def _refuse(self, message: str, code: str) -> YamlReadError:
        mark = self.peek_event().start_mark
        return YamlReadError([Problem(Location(self.path, mark.line + 1, mark.column + 1),
                                      message, code)])


# libyaml's composer is about 8 times faster than PyYAML's (it decides most of the time a
# knowledge base takes to load) but cannot be stopped mid-document. It is used only where the
# text's size already bounds the work: up to this many characters (at most about half as many
# values), while libyaml refuses nesting beyond 1000 levels itself. Anything larger, and any
# document libyaml rejects, goes through the guarded composer above, which gives the message.
FAST_COMPOSE_MAX_CHARS = 256 * 1024
def _compose_fast(text: str):
    if FastSchemaLoader is None or len(text) > FAST_COMPOSE_MAX_CHARS:
        return None
    loader = FastSchemaLoader(text)
    try:
        return loader.get_single_node()
    except (yaml.YAMLError, RecursionError, ValueError):
        return None
    finally:
        loader.dispose()


def parse_document(text: str, path: str, problems: list | None = None, *,
                   max_nodes: int = MAX_NODES) -> Document:
    """Parse YAML or JSON text into located data; raise ``YamlReadError`` with every problem.

    With a ``problems`` list, defects inside a well-formed document (a duplicate key, a refused
    tag) are appended there and the rest of the document is still returned, so one slip does not
    hide every later check; a syntax error still raises.
    """
    where = Location(path)
    if not text.strip():
        raise YamlReadError([Problem(where, "file is empty")])
    node = _compose_fast(text)
    composer = None
    try:
        if node is None:
            composer = _Composer(text, path, max_nodes)
            node = composer.get_single_node()
    except yaml.reader.ReaderError as exc:  # a control character: point at it
        line = text.count("\n", 0, exc.position) + 1
        col = exc.position - text.rfind("\n", 0, exc.position)
        raise YamlReadError([Problem(Location(path, line, col), f"not valid YAML: the character "
                                     f"#x{exc.character:04x} is not allowed in YAML text: "
                                     "remove it", "yaml")]) from None
    except yaml.MarkedYAMLError as exc:  # at the line of the slip, with a hint (yamlslips)
        raise YamlReadError([yamlslips.explain(exc, text, path)]) from None
    except yaml.YAMLError as exc:
        raise YamlReadError([Problem(where, f"not valid YAML: {exc}", "yaml")]) from None
    except RecursionError:
        raise YamlReadError([Problem(where, "nested too deeply to be a case or rule "
                                            "file")]) from None
    finally:
        if composer is not None:
            composer.dispose()
    if node is None:
        raise YamlReadError([Problem(where, "file holds no data")])
    builder = _Builder(path, max_nodes)
    data = builder.build(node, 0)
    if builder.problems:
        if problems is None or builder.nodes > max_nodes:
            raise YamlReadError(builder.problems)
        problems.extend(builder.problems)
    return Document(path, data, text)


class _Builder:
    """Turns a composed node tree into YMap/YList/scalars, checking tags, keys and size."""

    def __init__(self, path: str, max_nodes: int = MAX_NODES):
        self.path = path
        self.max_nodes = max_nodes
        self.problems: list[Problem] = []
        self.nodes = 0

    def build(self, node: yaml.Node, depth: int) -> Any:
        self.nodes += 1
        if self.nodes > self.max_nodes:
            if self.nodes == self.max_nodes + 1:
                self.problems.append(Problem(
                    Location(self.path), f"document expands to more than {self.max_nodes:,} values "
                    "(too large, or aliases that multiply): not accepted", "too-large"))
            return None
        if depth > MAX_DEPTH:
            self.problems.append(Problem(_mark_loc(self.path, node),
                                         f"nested more than {MAX_DEPTH} levels deep", "too-deep"))
            return None
        if node.tag not in _SAFE_TAGS:
            self.problems.append(Problem(
                _mark_loc(self.path, node),
                f"the tag {node.tag.replace('tag:yaml.org,2002:', '!!')} is not allowed: "
                "only plain YAML values (text, numbers, true/false, lists, maps)", "tag"))
            return None
        if isinstance(node, yaml.MappingNode):
            return self._map(node, depth)
        if isinstance(node, yaml.SequenceNode):
            out = new_list(_mark_loc(self.path, node))
            for i, item in enumerate(node.value):
                out.append(self.build(item, depth + 1))
                out.item_locs.append(_mark_loc(self.path, item))
                if _written(item) is not None:
                    out.written[i] = _written(item)
            return out
        try:
            value = construct_scalar(node)
        except (yaml.YAMLError, ValueError, OverflowError) as exc:
            self.problems.append(Problem(_mark_loc(self.path, node),
                                         f"cannot read the value {node.value[:60]!r}: {exc}"))
            return None
        if isinstance(value, str) and any(0xD800 <= ord(ch) <= 0xDFFF for ch in value):
            self.problems.append(Problem(_mark_loc(self.path, node), "not valid Unicode text: "
                                         "a \\u escape names a lone surrogate (\\ud800-\\udfff)"))
            return None
        return value

    def _map(self, node: yaml.MappingNode, depth: int) -> YMap:
        out = new_map(_mark_loc(self.path, node))
        for key_node, value_node in node.value:
            if self.nodes > self.max_nodes:
                break  # already refused; say it once
            if key_node.tag == "tag:yaml.org,2002:merge":
                self.problems.append(Problem(_mark_loc(self.path, key_node),
                                             "merge keys (<<) are not supported: write the "
                                             "keys out", "tag"))
                continue
            key = self.build(key_node, depth + 1)
            if isinstance(key, (YMap, YList)):
                self.problems.append(Problem(_mark_loc(self.path, key_node),
                                             "a key must be a plain name, not a list or map"))
                continue
            if key in out.key_locs:
                first = out.key_locs[key]
                self.problems.append(Problem(_mark_loc(self.path, key_node),
                                             f'duplicate key "{key}" (first at line {first.line}): '
                                             "remove one of them", "duplicate-key"))
                continue
            out.key_locs[key] = _mark_loc(self.path, key_node)
            out.value_locs[key] = _mark_loc(self.path, value_node)
            out[key] = self.build(value_node, depth + 1)
            if _written(value_node) is not None:
                out.written[key] = _written(value_node)
        return out


def _written(node: yaml.Node) -> str | None:
    """The source text of a plain (unquoted) scalar that was not read as text."""
    if isinstance(node, yaml.ScalarNode) and not node.style and node.tag != _TEXT_TAG:
        return node.value
    return None
