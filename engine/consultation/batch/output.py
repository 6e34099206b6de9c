"""The output file of a batch: resumed, appended to and flushed row by row.

Rerunning with the same output carries on where a crash or Ctrl-C stopped: the cases it already
holds are skipped, and a last line without its newline (torn by a kill inside ``write``) is cut
off before anything is appended. A CSV output gets its header once; each row is flushed as soon
as it is written, so what the file holds is always whole rows. An output that holds the other
format is refused before anything is written.

Must not: print or prompt (progress and invalid rows go to the caller's callbacks), or read the
input itself (``survey``). Entry point: ``run_batch(input_path, out, kb, kb_root, fmt, jobs,
progress=..., on_invalid=..., counts=...) -> BatchCounts``; ``read_done(out)``.
"""
from __future__ import annotations

import csv
import io
import json
import os
import re
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

from engine.consultation.batch.ids import IdIndex
from engine.consultation.batch.screening import CSV_COLUMNS, classify, screen
from engine.consultation.batch.survey import Item, read_items
from engine.errors import OutputError, UsageError
from engine.knowledge.spec import KnowledgeBase


@dataclass
class BatchCounts:
    """What became of the cases of one batch run."""

    done: int = 0  # screened and written
    skip: int = 0  # already in the output
    invalid: int = 0  # could not be read or repeated an id; reported through on_invalid
    run: int = 0  # sent to screening

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
              counts: BatchCounts | None = None, cluster: str | None = None) -> BatchCounts:
    """Screen every case of ``input_path`` and append one row per new case to ``out``.

    ``input_path``: a folder of case files, a ``.jsonl`` or a ``.csv`` file (``read_items``),
    checked against ``kb``; ``kb_root``: the knowledge-base folder each worker builds its engine
    from; ``fmt``: ``"jsonl"``, ``"csv"`` or None (csv when ``out`` ends in ``.csv``); ``jobs``:
    worker processes. ``progress``: a context manager with ``update(n)`` (``click.progressbar``
    fits), entered once ``out`` is open and told of each case written, skipped or invalid.
    ``on_invalid(item)``: called for each row that is not screened; ``item.problems`` says why.
    ``counts``: filled in as the batch goes, so a caller can still read them after Ctrl-C.
    ``cluster``: a Dask scheduler's address, or "local" (``jobs`` local workers, or one per
    CPU), to screen on a Dask cluster instead of local processes (``cluster.screen_on_cluster``);
    the output is the same, row for row.

    Raises ``CaseError`` for a problem with the whole input (before ``out`` is touched),
    ``UsageError`` when ``out`` already holds the other format, ``OutputError`` ("cannot write
    {out}: ...") when it cannot be written. Returns the counts.
    """
    out = Path(out)
    fmt = fmt or output_format(out)
    items = read_items(input_path, kb)
    done, good = read_done(out)
    try:
        check_format(out, good, fmt)
        counts = BatchCounts() if counts is None else counts
        progress = _NoProgress() if progress is None else progress
        to_run = _to_run(classify(items, done), counts, progress, on_invalid)
        with open(out, "r+b" if out.exists() else "wb") as raw, progress:
            raw.truncate(good)  # drop a line torn by a crash
            raw.seek(good)
            stream = io.TextIOWrapper(raw, encoding="utf-8", newline="", write_through=True)
            if cluster:  # Dask is imported only then
                from engine.consultation.batch.cluster import screen_on_cluster

                rows = screen_on_cluster(to_run, kb_root, fmt, cluster, jobs if jobs > 1 else None)
            else:
                rows = screen(to_run, kb_root, fmt, jobs)
            _append(stream, rows, fmt, fmt == "csv" and good == 0, counts, progress)
    except OSError as exc:
        raise OutputError.at(out, exc.strerror or str(exc)) from None
    finally:
        done.close()
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


def _append(stream, rows: Iterable[tuple], fmt: str, header: bool, counts: BatchCounts,
            progress) -> None:
    """Write each ``(item, row)`` of ``screen`` as a line and flush it before the next."""
    writer = csv.writer(stream, lineterminator="\n")
    if header:
        writer.writerow(CSV_COLUMNS)
    for _, row in rows:
        if fmt == "csv":
            writer.writerow(row)
        else:
            stream.write(row + "\n")
        stream.flush()
        counts.done += 1
        progress.update(1)


def output_format(out: Path) -> str:
    """The format an output file gets when none is given: csv if it ends in .csv, else jsonl."""
    return "csv" if out.suffix.lower() == ".csv" else "jsonl"


def check_format(out: Path, good: int, fmt: str) -> None:
    """Raise ``UsageError`` when ``out`` already holds rows of the other format."""
    if good == 0:
        return
    with open(out, "rb") as f:
        first = f.read(1)
    if (first == b"{") != (fmt == "jsonl"):
        raise UsageError(f"{out} already holds {'JSON lines' if first == b'{' else 'CSV'}"
                         f"; give --format {'jsonl' if first == b'{' else 'csv'} to carry "
                         "on with it, or another --out")


# A JSON line of ``screen`` starts with its case id (the result's first key): read that alone
# instead of parsing a whole result (tens of KB) per line; anything else is parsed whole.
_LEADING_ID = re.compile(rb'\{"case_id": "([A-Za-z0-9_-]{1,80})"[,}]')


def read_done(path: str | Path) -> tuple[IdIndex, int]:
    """Ids already in an output file of ``screen`` (JSONL or CSV), as an ``IdIndex`` the caller
    closes, and the length in bytes of its complete lines: a last line without its newline was
    torn by a crash and is ignored (the caller truncates the file to that length before
    appending)."""
    p = Path(path)
    done = IdIndex()
    if not p.is_file():
        return done, 0
    good = 0
    with open(p, "rb") as stream:
        for raw in stream:
            if not raw.endswith(b"\n"):
                break
            good += len(raw)
            leading = _LEADING_ID.match(raw)
            if leading:
                done.add(leading.group(1).decode("ascii"))
                continue
            line = raw.decode("utf-8", errors="replace").strip()
            if line.startswith("{"):
                try:
                    case_id = json.loads(line)["case_id"]
                except (ValueError, KeyError, TypeError):
                    continue
                if isinstance(case_id, str):
                    done.add(case_id)
            elif line:
                first = next(csv.reader([line]), [""])
                if first and first[0] and first[0] != "id":
                    done.add(first[0])
    return done, good
