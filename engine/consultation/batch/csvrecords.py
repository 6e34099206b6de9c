"""CSV records from physical lines, accounting for every line of the file.

Python's ``csv`` reader, given a file, lets one unbalanced quote swallow every later row (the
quote opens a cell that runs to the end of the file), and past its field-size limit it picks up
reading inside a cell, so the cell's text is read as invented rows. Here the lines are read one
by one and grouped into records by following the quotes as ``csv`` does (a quote opens a quoted
cell only where a cell starts; ``""`` inside one is a quote), counting the cells on the way; a
complete record is then parsed by ``csv`` alone. So:

- a record of several lines is a cell with line breaks (a CR LF inside a quoted cell is fine),
  if it makes a row of the header's columns (the caller's ``can_be_row`` says);
- if it does not, the quote that opened it was a stray one: it is reported at the line where it
  opened, and reading goes on at the next line, so the rows it swallowed are read after all;
- a quote never closed by the end of the file is reported in the same way (a runaway quote);
- a record too large to be a survey row (more than ``MAX_RECORD_LINES`` lines or
  ``MAX_RECORD_CHARS`` characters, or a cell past ``csv.field_size_limit()``) that still makes
  a row of the header's columns is one bad row: its text is never read as rows.

Each record remembers its lines, so every physical line is a header, blank, or part of a row.

Must not: know what the columns mean (``csvheader``) or check values (``survey``).
Entry point: ``RecordReader(stream, path, delimiter).records(can_be_row) -> Iterator[Record]``;
``physical_lines()`` for line-per-row formats; ``lines`` counts the physical lines seen.
"""
from __future__ import annotations

import csv
from collections.abc import Callable, Iterator
from dataclasses import dataclass

from engine.errors import CaseError, Location, Problem

MAX_LINE_CHARS = 1_000_000  # one case file's worth; a longer line is not a survey row
MAX_RECORD_LINES = 1_000  # a quoted cell of more lines than this is not a survey answer
MAX_RECORD_CHARS = MAX_LINE_CHARS


@dataclass
class Record:
    """One CSV record: the physical lines ``first``..``last`` (1-based), how many cells it
    makes (``width``) and the cells, or the problem that kept it from being read (then
    ``cells`` is None)."""

    first: int
    last: int
    cells: list | None
    width: int = 0
    problem: str = ""
    resync: bool = False  # a stray or runaway quote: read on from the line after ``first``


class RecordReader:
    """Records of a binary stream, from its start (the first line is line 1)."""

    def __init__(self, stream, path: str, delimiter: str = ","):
        self.stream, self.path, self.delimiter = stream, path, delimiter
        self.next_line = 1
        self.lines = 0  # physical lines seen (the furthest line read)

    def physical_lines(self) -> Iterator[tuple[int, str]]:
        """``(line number, text)`` of each line to the end (a byte-order mark dropped; bytes
        that are not UTF-8 kept as surrogate escapes for the caller to refuse)."""
        while True:
            raw = self.readline()
            if raw is None:
                return
            text = raw.decode("utf-8", errors="surrogateescape")
            if self.next_line == 1:
                text = text.removeprefix("\ufeff")
            self.next_line += 1
            yield self.next_line - 1, text

    def readline(self) -> bytes | None:
        """The next physical line as bytes (None at the end); ``CaseError`` past
        ``MAX_LINE_CHARS``."""
        raw = self.stream.readline(MAX_LINE_CHARS + 1)
        if not raw:
            return None
        self.lines = max(self.lines, self.next_line)
        if len(raw) > MAX_LINE_CHARS:
            raise CaseError([Problem(Location(self.path, self.next_line), f"line longer than "
                                     f"{MAX_LINE_CHARS:,} characters: not a survey export or "
                                     "JSON-lines file; fix it and rerun (rows written are kept)")])
        return raw

    def records(self, can_be_row: Callable[[Record], bool] = lambda r: True) -> Iterator[Record]:
        """Every record to the end, as the module docstring says."""
        while True:
            start = self.stream.tell()
            record = self._record()
            if record is None:
                return
            if record.last > record.first and not record.resync and not can_be_row(record):
                record = Record(record.first, record.last, None, record.width, _stray(record),
                                resync=True)
            if record.resync:  # read on from the line after its first, the one line it keeps
                self.stream.seek(start)
                self.next_line = record.first
                self.readline()
                self.next_line = record.first + 1
                record = Record(record.first, record.first, None, 0, record.problem, True)
            yield record

    def _record(self) -> Record | None:
        first = self.next_line
        lines: list[str] = []
        size, quoted, width, too_large = 0, False, 1, False
        for n, text in self.physical_lines():
            quoted, delimiters = self._scan(text, quoted)
            width += delimiters
            size += len(text)
            too_large = too_large or size > MAX_RECORD_CHARS or n - first >= MAX_RECORD_LINES
            if not too_large:
                lines.append(text)
            if not quoted:
                break
        else:  # the end of the file
            if first == self.next_line:
                return None
            if quoted:
                return Record(first, self.next_line - 1, None, 0, _runaway(first), resync=True)
        last = self.next_line - 1
        if too_large:
            return Record(first, last, None, width, f"a row of {last - first + 1:,} lines and "
                                                    f"{size:,} characters: too large to be a "
                                                    "survey row")
        try:
            cells = next(csv.reader(lines, delimiter=self.delimiter), [])
        except csv.Error as exc:  # a cell past csv.field_size_limit(), a CR in an open cell
            return Record(first, last, None, width, f"not a CSV row: {exc}")
        return Record(first, last, cells, len(cells))

    def _scan(self, text: str, quoted: bool) -> tuple[bool, int]:
        """(whether a quoted cell is still open at the end of ``text``, given whether one was
        open at its start; how many delimiters stand outside quoted cells), by csv's rules: a
        quote opens a cell only where a cell starts, and ``""`` inside one is a quote."""
        d = self.delimiter
        if not quoted and '"' not in text:
            return False, text.count(d)
        pos, delimiters = 0, 0
        while True:
            i = text.find('"', pos)
            if not quoted:
                delimiters += text.count(d, pos, len(text) if i < 0 else i)
            if i < 0:
                return quoted, delimiters
            if quoted:
                if text.startswith('"', i + 1):
                    pos = i + 2
                    continue
                quoted = False
            elif i == 0 or text[i - 1] == d:
                quoted = True
            pos = i + 1


def _runaway(first: int) -> str:
    return (f"a quote opened in this row is never closed (by the end of the file): the row is "
            f"skipped and reading goes on at line {first + 1}; check the quotes of line {first}")


def _stray(record: Record) -> str:
    return (f"a quote opened in this row is closed only on line {record.last}, which makes no "
            f"row of the header's columns: the row is skipped and reading goes on at line "
            f"{record.first + 1}; check the quotes of line {record.first}")
