"""Survey reading: the cases of a batch, one at a time, from a folder, JSON lines or a CSV export.

Input is a folder of case files, a JSON-lines file (one case object per line, as in a case file:
``id``, metadata, ``facts``) or a CSV survey export (an ``id`` column and one column per input
fact; a blank cell is unknown; cells are read with ``knowledge.values.parse_text``). A row that
cannot be read is yielded as an invalid ``Item`` with its row number and reason, never raised, so
one bad row does not stop a survey. Rows are read lazily, so memory stays flat however many cases
there are; a line longer than any case file stops the input before it fills memory.

Must not: consult (``screening`` does) or write anything (``output`` does). Entry points:
``read_items(path, kb) -> Iterator[Item]``, ``count_items(path)``.
"""
from __future__ import annotations

import csv
import json
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

from engine.consultation.cases import CASE_ID, case_from_mapping, load_case
from engine.errors import CaseError, Location, Problem, ValueProblem, did_you_mean
from engine.knowledge.spec import KnowledgeBase
from engine.knowledge.values import parse_text

CASE_SUFFIXES = (".yaml", ".yml", ".json")
MAX_LINE_CHARS = 1_000_000  # one case file's worth; a longer line is not a survey row
NOT_UTF8 = "not UTF-8 text: save the file as UTF-8 (CSV UTF-8 in a spreadsheet)"


@dataclass
class Item:
    """One case read from the input, or the reason it could not be read."""

    row: int  # 1-based: the line (CSV, JSONL) or the file's position in the folder
    where: str  # file:line, or the case file
    id: str | None = None
    facts: dict = field(default_factory=dict)
    metadata: dict = field(default_factory=dict)
    problems: list = field(default_factory=list)  # "file:line: message"; empty when valid

    @property
    def valid(self) -> bool:
        return not self.problems


def read_items(path: str | Path, kb: KnowledgeBase) -> Iterator[Item]:
    """Yield the cases of a folder, ``.jsonl`` or ``.csv`` file, in order, one at a time.

    Raises ``CaseError`` only for a problem with the whole input (no such file, a CSV header
    naming an unknown fact, no ``id`` column); a problem with one row is yielded as an item.
    """
    p = Path(path)
    if p.is_dir():
        return _read_folder(p, kb)
    if not p.is_file():
        raise CaseError([Problem(Location(str(p)), "no such file or folder: give a folder of "
                                                   "case files, a .jsonl or a .csv file")])
    suffix = p.suffix.lower()
    if suffix == ".csv":
        return _read_csv(p, kb)
    if suffix in (".jsonl", ".ndjson"):
        return _read_jsonl(p, kb)
    raise CaseError([Problem(Location(str(p)), f'cannot tell the format of "{p.name}": use a '
                                               "folder of case files, a .jsonl or a .csv file")])


def count_items(path: str | Path) -> int | None:
    """How many cases the input holds, cheaply (for a progress bar); None if unknown."""
    p = Path(path)
    try:
        if p.is_dir():
            return sum(1 for f in p.iterdir() if f.suffix.lower() in CASE_SUFFIXES)
        with open(p, "rb") as stream:
            lines = sum(1 for line in stream if line.strip())
        return max(0, lines - 1) if p.suffix.lower() == ".csv" else lines
    except OSError:
        return None


def _from_case(row: int, where: str, make, located: bool) -> Item:
    """The case ``make()`` reads, as an item; its problems prefixed with ``where`` unless they
    carry their own location (``located``)."""
    try:
        case = make()
    except CaseError as exc:
        return Item(row, where, problems=[str(p) if located else f"{where}: {p.message}"
                                          for p in exc.problems])
    return Item(row, where, case.id, case.facts, case.metadata)


def _read_folder(folder: Path, kb: KnowledgeBase) -> Iterator[Item]:
    files = sorted(f for f in folder.iterdir() if f.suffix.lower() in CASE_SUFFIXES)
    for n, f in enumerate(files, 1):
        yield _from_case(n, str(f), lambda f=f: load_case(f, kb), located=True)


def _read_jsonl(path: Path, kb: KnowledgeBase) -> Iterator[Item]:
    with open(path, encoding="utf-8-sig", errors="surrogateescape", newline="") as stream:
        for n, line in enumerate(_lines(stream, path), 1):
            if not line.strip():
                continue
            where = f"{path}:{n}"
            if not _is_utf8(line):
                yield Item(n, where, problems=[f"{where}: {NOT_UTF8}"])
                continue
            try:
                data = json.loads(line)
            except (ValueError, RecursionError) as exc:  # RecursionError: nested too deeply
                yield Item(n, where, problems=[f"{where}: not JSON: {exc}"])
                continue
            yield _from_case(n, where, lambda d=data, w=where: case_from_mapping(d, kb, w),
                             located=False)


def _read_csv(path: Path, kb: KnowledgeBase) -> Iterator[Item]:
    """Check the header now (raising ``CaseError``), then read the rows lazily."""
    stream = open(path, encoding="utf-8-sig", errors="surrogateescape", newline="")
    try:
        reader = csv.reader(_lines(stream, path))
        header = next(reader, None)
        _check_header(path, header, kb)  # before the first row: a wrong header stops it all
    except BaseException:
        stream.close()
        raise
    return _csv_rows(path, stream, reader, header, kb)


def _csv_rows(path: Path, stream, reader, header: list, kb: KnowledgeBase) -> Iterator[Item]:
    """The rows after the header, as items; closes ``stream`` when done or abandoned."""
    try:
        facts = [kb.input_facts.get(name) for name in header]
        while True:
            try:
                cells = next(reader)
            except StopIteration:
                return
            except csv.Error as exc:
                yield Item(reader.line_num, f"{path}:{reader.line_num}",
                           problems=[f"{path}:{reader.line_num}: not a CSV row: {exc}"])
                continue
            if any(cell.strip() for cell in cells):
                yield _csv_item(Item(reader.line_num, f"{path}:{reader.line_num}"), cells,
                                header, facts)
    finally:
        stream.close()


def _csv_item(item: Item, cells: list, header: list, facts: list) -> Item:
    """Fill ``item`` from one row's cells: its id and the facts of the non-blank cells, or the
    problems found; ``facts`` holds each column's fact (None for the id column)."""
    if not all(_is_utf8(cell) for cell in cells):
        item.problems.append(f"{item.where}: {NOT_UTF8}")
        return item
    if len(cells) != len(header):
        item.problems.append(f"{item.where}: {len(cells)} cells, but the header has "
                             f"{len(header)} columns")
        return item
    item.id = cells[header.index("id")].strip() or None
    _check_id(item)
    for column, spec, cell in zip(header, facts, cells):
        if spec is None:
            continue
        try:
            value = parse_text(spec, cell)
        except ValueProblem as exc:
            item.problems.append(f"{item.where}: column {column}: {exc}")
            continue
        if value is not None:
            item.facts[spec.name] = value
    return item


def _check_header(path: Path, header, kb: KnowledgeBase) -> None:
    """Raise ``CaseError`` listing every problem of the header row (None if the file is empty)."""
    where = Location(str(path), 1)
    if not header:
        raise CaseError([Problem(Location(str(path)), "the CSV file is empty: the first row "
                                                      "must name the columns (id and facts)")])
    if not all(_is_utf8(name) for name in header):
        raise CaseError([Problem(where, NOT_UTF8)])
    problems = []
    allowed = set(kb.input_facts) | {"id"}
    seen = set()
    for name in header:
        if name in seen:
            problems.append(Problem(where, f'column "{name}" appears twice'))
        seen.add(name)
        if name not in allowed:
            problems.append(Problem(where, f'unknown column "{name[:60]}"'
                                           f"{did_you_mean(name, allowed)}: columns are id and "
                                           "input facts of the knowledge base"))
    if "id" not in header:
        problems.append(Problem(where, 'no "id" column: the first row must name an id column'))
    if problems:
        raise CaseError(problems)


def _lines(stream, path: Path) -> Iterator[str]:
    """The stream's lines; one longer than MAX_LINE_CHARS stops the input before it fills memory."""
    n = 0
    while True:
        line = stream.readline(MAX_LINE_CHARS + 1)
        if not line:
            return
        n += 1
        if len(line) > MAX_LINE_CHARS:
            raise CaseError([Problem(Location(str(path), n), f"line longer than "
                                     f"{MAX_LINE_CHARS:,} characters: not a survey export or "
                                     "JSON-lines file; fix it and rerun (rows written are kept)")])
        yield line


def _is_utf8(text: str) -> bool:
    """False for text read with ``surrogateescape`` from bytes that were not UTF-8."""
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


def _check_id(item: Item) -> None:
    if not item.id:
        item.problems.append(f"{item.where}: no id: every row needs an id")
    elif not CASE_ID.match(item.id):
        item.problems.append(f'{item.where}: id "{item.id[:40]}" may hold only letters, digits, '
                             '"-" and "_" (up to 80)')
