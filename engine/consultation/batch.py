"""Screen many cases: read them as a stream, consult each, yield one output row per case.

Input is a folder of case files, a JSON-lines file (one case object per line, as in a case file:
``id``, metadata, ``facts``) or a CSV survey export (an ``id`` column and one column per input
fact; a blank cell is unknown; cells are read with ``values.parse_text``). A row that cannot be
read is yielded as an invalid item with its row number and reason, never raised, so one bad
row does not stop a survey. Rows are read lazily and at most ``jobs * WINDOW`` chunks are in
flight, so memory stays flat however many cases there are. With ``jobs > 1`` worker processes
each build the engine once (``Advisor.from_folder``) and return finished rows.

This module reads its inputs (a loader) and never writes: ``cli.py`` writes, flushes and resumes.
Entry points: ``read_items(path, kb)``, ``screen(items, kb_root, fmt, jobs)``, ``read_done(path)``.
"""
from __future__ import annotations

import csv
import json
import os
from collections import deque
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

from engine.errors import CaseError, Location, Problem, did_you_mean
from engine.knowledge.spec import FACTOR_IDS, KnowledgeBase

CASE_SUFFIXES = (".yaml", ".yml", ".json")
CHUNK = 32  # cases per task sent to a worker
WINDOW = 4  # chunks in flight per worker
LEADING_RECOMMENDATIONS = 3
CSV_COLUMNS = ("id", "verdict", *FACTOR_IDS, "recommendations")
MAX_LINE_CHARS = 1_000_000  # one case file's worth; a longer line is not a survey row


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


# ---------------------------------------------------------------- reading


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
    try:
        case = make()
    except CaseError as exc:
        return Item(row, where, problems=[str(p) if located else f"{where}: {p.message}"
                                          for p in exc.problems])
    return Item(row, where, case.id, case.facts, case.metadata)


def _read_folder(folder: Path, kb: KnowledgeBase) -> Iterator[Item]:
    from engine.consultation.cases import load_case

    files = sorted(f for f in folder.iterdir() if f.suffix.lower() in CASE_SUFFIXES)
    for n, f in enumerate(files, 1):
        yield _from_case(n, str(f), lambda f=f: load_case(f, kb), located=True)


def _read_jsonl(path: Path, kb: KnowledgeBase) -> Iterator[Item]:
    from engine.consultation.cases import case_from_mapping

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
    from engine.errors import ValueProblem
    from engine.knowledge.values import parse_text

    try:
        facts = {i: kb.input_facts.get(name) for i, name in enumerate(header)}
        id_col = header.index("id")
        while True:
            try:
                cells = next(reader)
            except StopIteration:
                return
            except csv.Error as exc:
                yield Item(reader.line_num, f"{path}:{reader.line_num}",
                           problems=[f"{path}:{reader.line_num}: not a CSV row: {exc}"])
                continue
            n = reader.line_num
            if not any(cell.strip() for cell in cells):
                continue
            item = Item(n, f"{path}:{n}")
            if not all(_is_utf8(cell) for cell in cells):
                item.problems.append(f"{item.where}: {NOT_UTF8}")
                yield item
                continue
            if len(cells) != len(header):
                item.problems.append(f"{item.where}: {len(cells)} cells, but the header has "
                                     f"{len(header)} columns")
                yield item
                continue
            item.id = cells[id_col].strip() or None
            _check_id(item)
            for i, cell in enumerate(cells):
                spec = facts[i]
                if spec is None:
                    continue
                try:
                    value = parse_text(spec, cell)
                except ValueProblem as exc:
                    item.problems.append(f"{item.where}: column {header[i]}: {exc}")
                    continue
                if value is not None:
                    item.facts[spec.name] = value
            yield item
    finally:
        stream.close()


def _check_header(path: Path, header, kb: KnowledgeBase) -> None:
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


NOT_UTF8 = "not UTF-8 text: save the file as UTF-8 (CSV UTF-8 in a spreadsheet)"


def _is_utf8(text: str) -> bool:
    """False for text read with ``surrogateescape`` from bytes that were not UTF-8."""
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


def _check_id(item: Item) -> None:
    from engine.consultation.cases import CASE_ID

    if not item.id:
        item.problems.append(f"{item.where}: no id: every row needs an id")
    elif not CASE_ID.match(item.id):
        item.problems.append(f'{item.where}: id "{item.id[:40]}" may hold only letters, digits, '
                             '"-" and "_" (up to 80)')


def read_done(path: str | Path) -> tuple[set, int]:
    """Ids already in an output file of ``screen`` (JSONL or CSV), and the length in bytes of
    its complete lines: a last line without its newline was torn by a crash and is ignored
    (the caller truncates the file to that length before appending)."""
    p = Path(path)
    done: set = set()
    if not p.is_file():
        return done, 0
    good = 0
    with open(p, "rb") as stream:
        for raw in stream:
            if not raw.endswith(b"\n"):
                break
            good += len(raw)
            line = raw.decode("utf-8", errors="replace").strip()
            if line.startswith("{"):
                try:
                    done.add(json.loads(line)["case_id"])
                except (ValueError, KeyError, TypeError):
                    continue
            elif line:
                first = next(csv.reader([line]), [""])
                if first and first[0] and first[0] != "id":
                    done.add(first[0])
    return done, good


def classify(items: Iterable[Item], done: set) -> Iterator[tuple]:
    """Yield ``("skip" | "invalid" | "run", item)``; a repeated id is invalid."""
    seen: dict = {}
    for item in items:
        if item.valid and item.id in seen:
            item.problems.append(f'{item.where}: id "{item.id}" was already used by row '
                                 f"{seen[item.id]}; ids must be unique")
        if not item.valid:
            yield "invalid", item
            continue
        seen[item.id] = item.row
        yield ("skip" if item.id in done else "run"), item


# ---------------------------------------------------------------- consulting


def output_row(advisor, item: Item, fmt: str):
    """One finished row: the whole result as a JSON line, or the CSV cells."""
    from engine.consultation.cases import Case
    from engine.consultation.result import build_result

    case = Case(item.id, item.facts, item.metadata, None, item.where)
    result = build_result(advisor.kb, case, advisor.run(item.facts))
    if fmt == "jsonl":
        return json.dumps(result, ensure_ascii=False)
    return summary_cells(result)


def summary_cells(result: dict) -> list:
    """id, verdict, each factor's status, the leading recommendations (``;``-separated)."""
    recs = [r["intervention"] for r in result["recommendations"][:LEADING_RECOMMENDATIONS]]
    return ([result["case_id"], result["verdict"]["value"] or ""]
            + [result["factors"][f]["status"] for f in FACTOR_IDS] + [";".join(recs)])


_worker_advisor = None


def _worker_init(kb_root: str) -> None:
    import signal

    global _worker_advisor
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # the parent handles Ctrl-C and stops us
    from engine.inference.runner import Advisor

    _worker_advisor = Advisor.from_folder(kb_root)


def _worker_chunk(items: list, fmt: str) -> list:
    return [output_row(_worker_advisor, item, fmt) for item in items]


def _chunks(items: Iterable[Item], size: int) -> Iterator[list]:
    chunk = []
    for item in items:
        chunk.append(item)
        if len(chunk) >= size:
            yield chunk
            chunk = []
    if chunk:
        yield chunk


def screen(items: Iterable[Item], kb_root: str | os.PathLike, fmt: str = "jsonl",
           jobs: int = 1) -> Iterator[tuple]:
    """Yield ``(item, row)`` for each valid item, in input order; ``row`` as ``output_row``.

    Invalid items are not passed here (the caller reports them). With ``jobs > 1`` the cases
    go to that many worker processes in chunks, with a bounded number in flight.
    """
    if jobs <= 1:
        from engine.inference.runner import Advisor

        advisor = Advisor.from_folder(kb_root)
        for item in items:
            yield item, output_row(advisor, item, fmt)
        return
    from concurrent.futures import ProcessPoolExecutor

    pending: deque = deque()
    with ProcessPoolExecutor(jobs, initializer=_worker_init,
                             initargs=(str(kb_root),)) as pool:
        try:
            for chunk in _chunks(items, CHUNK):
                pending.append((chunk, pool.submit(_worker_chunk, chunk, fmt)))
                while len(pending) >= jobs * WINDOW:
                    yield from _finish(pending.popleft())
            while pending:
                yield from _finish(pending.popleft())
        except BaseException:
            for _, future in pending:
                future.cancel()
            raise


def _finish(entry) -> Iterator[tuple]:
    chunk, future = entry
    yield from zip(chunk, future.result())
