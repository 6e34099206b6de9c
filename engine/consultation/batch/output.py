"""The output file of a batch: resumed, appended to and flushed row by row, never destroying.

Rerunning with the same output carries on where a crash or Ctrl-C stopped: the cases it already
holds are skipped, and a last line without its newline (torn by a kill inside ``write``) is cut
off before anything is appended. A CSV output gets its header once (a resumed one keeps the
columns it has); each row is flushed as soon as it is written, so what the file holds is always
whole rows. An output that holds the other format is refused before anything is written.

The output is planned by ``engine.output_target`` before anything is read: the input itself or
the history database is refused; a device or pipe is written as a stream (nothing to resume); a
new file is private to the user (0600: it holds owners' details). A CSV cell is kept on one
line (a line break in a note becomes a space, so each case is one line), control characters
are dropped and a cell a spreadsheet would read as a formula gets a leading ``'``
(``safe_text``); the JSON lines keep every value exactly.

Must not: print or prompt (progress, warnings and invalid rows go to the caller's callbacks), or
read the input itself (``survey``). Entry point: ``run_batch(input_path, out, kb, kb_root, fmt,
jobs, progress=..., on_invalid=..., on_warning=..., counts=...) -> BatchCounts``;
``read_done(out)``.
"""
from __future__ import annotations

import csv
import io
import json
import os
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

from engine.consultation.batch.screening import OUTPUT_COLUMNS, classify, screen
from engine.consultation.batch.survey import Item, Tally, read_items
from engine.errors import OutputError, UsageError
from engine.knowledge.spec import KnowledgeBase
from engine.output_target import Target, open_append, plan
from engine.safe_text import csv_cell, json_text, one_line, uncsv_cell


@dataclass
class BatchCounts:
    """What became of the cases of one batch run, and where every input line went."""

    done: int = 0  # screened and written
    skip: int = 0  # already in the output
    invalid: int = 0  # could not be read or repeated an id; reported through on_invalid
    run: int = 0  # sent to screening
    read: Tally = field(default_factory=Tally)  # lines and rows of the input

    def add(self, kind: str) -> None:
        setattr(self, kind, getattr(self, kind) + 1)


class _NoProgress:
    """Stands in for a progress bar: a context manager whose ``update`` does nothing."""

    def update(self, n: int) -> None:
        pass

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        return False


def run_batch(input_path: str | os.PathLike, out: str | os.PathLike, kb: KnowledgeBase,
              kb_root: str | os.PathLike, fmt: str | None = None, jobs: int = 1, *,
              progress=None, on_invalid: Callable[[Item], None] | None = None,
              on_warning: Callable[[str], None] | None = None,
              counts: BatchCounts | None = None,
              history: str | os.PathLike | None = None) -> BatchCounts:
    """Screen every case of ``input_path`` and append one row per new case to ``out``.

    ``input_path``: a folder of case files, a ``.jsonl`` or a ``.csv`` file (``read_items``),
    checked against ``kb``; ``kb_root``: the knowledge-base folder each worker builds its engine
    from; ``fmt``: ``"jsonl"``, ``"csv"`` or None (csv when ``out`` ends in ``.csv``); ``jobs``:
    worker processes. ``progress``: a context manager with ``update(n)`` (``click.progressbar``
    fits), entered once ``out`` is open and told of each case written, skipped or invalid.
    ``on_invalid(item)``: called for each row that is not screened; ``item.problems`` says why.
    ``on_warning(text)``: called once for each warning about the input as a whole (columns
    ignored). ``counts``: filled in as the batch goes, so a caller can still read them after
    Ctrl-C; ``counts.read`` says how many rows were read of how many lines. ``history``: the
    history database's path, which ``out`` must not be.

    Raises ``UsageError`` when ``out`` is the input or the history database, or already holds
    the other format; ``CaseError`` for a problem with the whole input (before ``out`` is
    touched); ``OutputError`` ("cannot write {out}: ...") when it cannot be written.
    """
    target = plan(out, inputs=[input_path], history=history, append=True)
    fmt = fmt or output_format(Path(out))
    counts = BatchCounts() if counts is None else counts
    items = read_items(input_path, kb, counts.read)
    for warning in counts.read.warnings:
        if on_warning is not None:
            on_warning(warning)
    done, good, columns = read_done(target.path) if target.kind != "stream" else (set(), 0, None)
    check_format(target, good, fmt)
    progress = _NoProgress() if progress is None else progress
    to_run = _to_run(classify(items, done), counts, progress, on_invalid)
    try:
        with open_append(target) as raw, progress:
            if target.kind != "stream":
                raw.truncate(good)  # drop a line torn by a crash
                raw.seek(good)
            stream = io.TextIOWrapper(raw, encoding="utf-8", newline="", write_through=True)
            rows = screen(to_run, kb_root, fmt, jobs)
            _append(stream, rows, fmt, columns, counts, progress)
    except BrokenPipeError:
        raise
    except OSError as exc:
        raise OutputError.at(out, exc.strerror or str(exc)) from None
    return counts


def _to_run(classified: Iterable[tuple], counts: BatchCounts, progress, on_invalid) -> Iterator:
    """The items to screen; the others are counted, reported if invalid, and shown as progress."""
    for kind, item in classified:
        counts.add(kind)
        if kind == "run":
            yield item
            continue
        if kind == "invalid" and on_invalid is not None:
            on_invalid(item)
        progress.update(1)


def _append(stream, rows: Iterable[tuple], fmt: str, columns: list | None, counts: BatchCounts,
            progress) -> None:
    """Write each ``(item, row)`` of ``screen`` as a line and flush it before the next; a new
    CSV output gets the header ``OUTPUT_COLUMNS``, a resumed one keeps its ``columns``."""
    writer = csv.DictWriter(stream, fieldnames=columns or OUTPUT_COLUMNS, lineterminator="\n",
                            extrasaction="ignore")
    if fmt == "csv" and columns is None:
        writer.writeheader()
    for _, row in rows:
        if fmt == "csv":
            writer.writerow({k: csv_cell(one_line(v)) for k, v in row.items()})
        else:
            stream.write(json_text(row) + "\n")
        stream.flush()
        counts.done += 1
        progress.update(1)


def output_format(out: Path) -> str:
    """The format an output file gets when none is given: csv if it ends in .csv, else jsonl."""
    return "csv" if out.suffix.lower() == ".csv" else "jsonl"


def check_format(target: Target, good: int, fmt: str) -> None:
    """Raise ``UsageError`` when the output already holds rows of the other format."""
    if good == 0:
        return
    with open(target.path, "rb") as f:
        first = f.read(1)
    if (first == b"{") != (fmt == "jsonl"):
        raise UsageError(f"{target.asked} already holds "
                         f"{'JSON lines' if first == b'{' else 'CSV'}; give --format "
                         f"{'jsonl' if first == b'{' else 'csv'} to carry on with it, or "
                         "another --out")


def read_done(path: str | Path) -> tuple[set, int, list | None]:
    """Ids already in an output file of ``screen`` (JSONL or CSV), the length in bytes of its
    complete lines (a last line without its newline was torn by a crash and is ignored: the
    caller truncates the file to that length before appending), and a CSV output's columns
    (None when there is no header yet). Only the first line of a CSV is its header, so a case
    whose id is literally "id" is found like any other."""
    p = Path(path)
    done: set = set()
    columns = None
    if not p.is_file():
        return done, 0, None
    good = 0
    with open(p, "rb") as stream:
        for n, raw in enumerate(stream):
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
                if n == 0 and first and first[0] == "id":
                    columns = first
                elif first and first[0]:
                    done.add(uncsv_cell(first[0]))
    return done, good, columns
