"""Survey reading: the cases of a batch, one at a time, from a folder, JSON lines or a CSV export.

Input is a folder of case files, a JSON-lines file (one case object per line, read as a ``.json``
case file is: ``id``, metadata, ``facts``) or a CSV survey export as spreadsheets and ODK or
KoboToolbox write them: any of ``,`` ``;`` tab ``|`` between cells, an ``id`` column, one column
per input fact, metadata columns (``enterprise``, ``country``, ...) passed through, other
columns ignored with one warning (``csvheader``); quotes followed so one stray quote costs one
row and every physical line is accounted for (``csvrecords``). A blank cell is unknown; other
cells are read with ``knowledge.values.parse_text`` (a choice in any case or by a declared
synonym, "25%" for a percent, a decimal comma in a ``;`` file). A row that cannot be read is
yielded as an invalid ``Item`` with its line and reason, never raised, so one bad row does not
stop a survey. Rows are read lazily, so memory stays flat however many cases there are.

Must not: consult (``screening`` does) or write anything (``output`` does). Entry points:
``read_items(path, kb, tally) -> Iterator[Item]``, ``count_items(path)``, ``Tally``.
"""
from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

from engine.consultation.batch.csvheader import Columns, detect_delimiter, read_columns
from engine.consultation.batch.csvrecords import MAX_LINE_CHARS, Record, RecordReader
from engine.consultation.cases import (
    CASE_ID, MAX_CASE_NODES, case_from_mapping, load_case, metadata_flaw,
)
from engine.errors import CaseError, Location, Problem, ValueProblem
from engine.knowledge.jsonsource import parse_json
from engine.knowledge.located import YamlReadError
from engine.knowledge.spec import KnowledgeBase
from engine.knowledge.values import parse_text
from engine.safe_text import shown

CASE_SUFFIXES = (".yaml", ".yml", ".json")
NOT_UTF8 = "not UTF-8 text: save the file as UTF-8 (CSV UTF-8 in a spreadsheet)"
DECIMAL_COMMA = re.compile(r"[+-]?[0-9]+,[0-9]+%?")
THOUSANDS_DOTS = re.compile(r"[+-]?[0-9]{1,3}(?:\.[0-9]{3})+%?")

__all__ = ["MAX_LINE_CHARS", "Item", "Tally", "count_items", "read_items"]


@dataclass
class Item:
    """One case read from the input, or the reason it could not be read."""

    row: int  # 1-based: the (first) line (CSV, JSONL) or the file's position in the folder
    where: str  # file:line, or the case file
    id: str | None = None
    facts: dict = field(default_factory=dict)
    metadata: dict = field(default_factory=dict)
    problems: list = field(default_factory=list)  # "file:line: message"; empty when valid

    @property
    def valid(self) -> bool:
        return not self.problems


@dataclass
class Tally:
    """Where every line of the input went: ``lines`` = ``header`` + ``blank`` + lines in
    ``rows`` (a row may span lines); ``warnings`` about the input as a whole."""

    lines: int = 0
    header: int = 0
    blank: int = 0
    rows: int = 0
    row_lines: int = 0
    warnings: list = field(default_factory=list)

    def summary(self) -> str:
        """'N rows read of M lines' and, when it is not plain, what the other lines were."""
        text = f"{self.rows:,} rows read of {self.lines:,} lines"
        extra = [f"{n:,} {what}" for n, what in ((self.header, "header"),
                                                 (self.blank, "blank"),
                                                 (self.row_lines - self.rows,
                                                  "inside multi-line rows")) if n]
        return text + (f" ({', '.join(extra)})" if extra else "")


def read_items(path: str | Path, kb: KnowledgeBase, tally: Tally | None = None) -> Iterator[Item]:
    """Yield the cases of a folder, ``.jsonl`` or ``.csv`` file, in order, one at a time.

    Raises ``CaseError`` only for a problem with the whole input (no such file, a CSV header
    without an ``id`` column); a problem with one row is yielded as an item. ``tally`` is
    filled in as the rows are read (a CSV header's warning is in it before the first row)."""
    p = Path(path)
    tally = Tally() if tally is None else tally
    if p.is_dir():
        return _read_folder(p, kb, tally)
    if not p.is_file():
        raise CaseError([Problem(Location(str(p)), "no such file or folder: give a folder of "
                                                   "case files, a .jsonl or a .csv file")])
    suffix = p.suffix.lower()
    if suffix == ".csv":
        return _read_csv(p, kb, tally)
    if suffix in (".jsonl", ".ndjson"):
        return _read_jsonl(p, kb, tally)
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


def _from_case(row: int, where: str, make) -> Item:
    """The case ``make()`` reads, as an item, or its problems (each with its location)."""
    try:
        case = make()
    except CaseError as exc:
        return Item(row, where, problems=[str(p) for p in exc.problems])
    return Item(row, where, case.id, case.facts, case.metadata)


def _read_folder(folder: Path, kb: KnowledgeBase, tally: Tally) -> Iterator[Item]:
    files = sorted(f for f in folder.iterdir() if f.suffix.lower() in CASE_SUFFIXES)
    for n, f in enumerate(files, 1):
        tally.lines = tally.rows = tally.row_lines = n
        yield _from_case(n, str(f), lambda f=f: load_case(f, kb))


def _read_jsonl(path: Path, kb: KnowledgeBase, tally: Tally) -> Iterator[Item]:
    with open(path, "rb") as stream:
        for n, line in RecordReader(stream, str(path)).physical_lines():
            tally.lines = n
            if not line.strip():
                tally.blank += 1
                continue
            tally.rows += 1
            tally.row_lines += 1
            where = f"{path}:{n}"
            if not _is_utf8(line):
                yield Item(n, where, problems=[f"{where}: {NOT_UTF8}"])
                continue
            try:
                data = parse_json(line, str(path), first_line=n, max_nodes=MAX_CASE_NODES).data
            except YamlReadError as exc:
                yield Item(n, where, problems=[str(p) for p in exc.problems])
                continue
            yield _from_case(n, where, lambda d=data, w=where: case_from_mapping(d, kb, w))


def _read_csv(path: Path, kb: KnowledgeBase, tally: Tally) -> Iterator[Item]:
    """Check the header now (raising ``CaseError``), then read the rows lazily."""
    stream = open(path, "rb")
    try:
        first = stream.readline(MAX_LINE_CHARS + 1).decode("utf-8", errors="surrogateescape")
        stream.seek(0)
        delimiter = detect_delimiter(first.removeprefix("\ufeff"), kb)
        reader = RecordReader(stream, str(path), delimiter)
        header = next(reader.records(), None)
        if header is not None and (header.cells is None or not all(_is_utf8(name) for name
                                                                   in header.cells)):
            raise CaseError([Problem(Location(str(path), 1), header.problem or NOT_UTF8)])
        if header is None or not any(c.strip() for c in header.cells):
            raise CaseError([Problem(Location(str(path)), "the CSV file is empty: the first row "
                                                          "must name the columns (id and facts)")])
        columns = read_columns(str(path), [c.strip() for c in header.cells], kb)
    except BaseException:
        stream.close()
        raise
    tally.header, tally.lines = header.last, reader.lines
    if columns.warning():
        tally.warnings.append(f"{path}:1: {columns.warning()}")
    return _csv_rows(path, stream, reader, columns, tally)


def _csv_rows(path: Path, stream, reader: RecordReader, columns: Columns,
              tally: Tally) -> Iterator[Item]:
    """The rows after the header, as items; closes ``stream`` when done or abandoned."""
    decimal_comma = reader.delimiter == ";"
    try:
        for record in reader.records(can_be_row=lambda r: _fits(r.cells, columns, r.width)):
            tally.lines = reader.lines
            where = f"{path}:{record.first}"
            if record.cells is not None and not any(c.strip() for c in record.cells):
                tally.blank += record.last - record.first + 1
                continue
            tally.rows += 1
            tally.row_lines += record.last - record.first + 1
            yield _csv_item(Item(record.first, where), record, columns, decimal_comma)
    finally:
        stream.close()


def _fits(cells: list | None, columns: Columns, width: int = 0) -> bool:
    """Whether ``cells`` (or, unread, ``width`` cells) can be a row of ``columns``: no fewer
    cells than the last column used, and nothing in cells past the header's columns."""
    if cells is None:
        return width >= columns.last_used
    return len(cells) >= columns.last_used and \
        not any(c.strip() for c in cells[len(columns.roles):])


def _csv_item(item: Item, record: Record, columns: Columns, decimal_comma: bool) -> Item:
    """Fill ``item`` from one record: its id, metadata and the facts of the non-blank cells,
    or the problems found."""
    cells = record.cells
    if cells is None:
        item.problems.append(f"{item.where}: {record.problem}")
        return item
    if not _is_utf8("".join(cells)):
        item.problems.append(f"{item.where}: {NOT_UTF8}")
        return item
    if not _fits(cells, columns):
        item.problems.append(f"{item.where}: {len(cells)} cells, but the header has "
                             f"{len(columns.roles)} columns")
        return item
    for (role, what), cell in zip(columns.roles, cells):
        if role == "fact":
            _fact(item, what, cell, decimal_comma)
        elif role == "id":
            item.id = cell.strip() or None
        elif role == "metadata" and cell.strip():
            _metadata(item, what, cell.strip().replace("\r\n", "\n"))
    _check_id(item)
    return item


def _metadata(item: Item, key: str, text: str) -> None:
    flaw = metadata_flaw(key, text)
    if flaw:
        item.problems.append(f"{item.where}: column {key}: {flaw}")
    else:
        item.metadata[key] = text


def _fact(item: Item, spec, cell: str, decimal_comma: bool) -> None:
    text = cell.strip()
    if decimal_comma and spec.is_numeric:
        if THOUSANDS_DOTS.fullmatch(text):
            item.problems.append(f"{item.where}: column {spec.name}: {shown(text)} could be a "
                                 "thousands separator or a decimal point: write the number "
                                 "without the dot, or with a decimal comma")
            return
        if DECIMAL_COMMA.fullmatch(text):
            text = text.replace(",", ".")
    try:
        value = parse_text(spec, text)
    except ValueProblem as exc:
        item.problems.append(f"{item.where}: column {spec.name}: {exc}")
        return
    if value is not None:
        item.facts[spec.name] = value


def _is_utf8(text: str) -> bool:
    """False for text read with ``surrogateescape`` from bytes that were not UTF-8."""
    if text.isascii():
        return True
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


def _check_id(item: Item) -> None:
    if not item.id:
        item.problems.append(f"{item.where}: no id: every row needs an id")
    elif not CASE_ID.match(item.id):
        item.problems.append(f'{item.where}: id {shown(item.id)} may hold only letters, '
                             'digits, "-" and "_" (up to 80)')
