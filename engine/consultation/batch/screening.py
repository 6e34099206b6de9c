"""Screening: consult each case of a batch and give its output row, in worker processes if asked.

Each valid ``Item`` is run through the engine and becomes one row: the whole result as a JSON
line (as ``consult --format json`` gives it), or a CSV row as a dict of ``OUTPUT_COLUMNS``: the
summary ``CSV_COLUMNS`` and the case's metadata (``METADATA_COLUMNS``, passed through from the
survey). With ``jobs > 1``
worker processes each build the engine once (``Advisor.from_folder``) and return finished rows;
cases go to them in chunks of ``CHUNK``, at most ``jobs * WINDOW`` chunks in flight, and rows come
back in input order. ``classify`` decides before that which items run at all. The engine
(experta) is imported only when screening starts, so reading a survey stays light. A worker
watches the batch that started it and ends itself within ``PARENT_CHECK_S`` when that process is
gone (killed, say), so no worker is left running, holding the output open.

Must not: read the input (``survey``) or write the output (``output``). Entry points:
``classify(items, done)``, ``screen(items, kb_root, fmt, jobs) -> Iterator[(item, row)]``.
"""
from __future__ import annotations

import json
import os
from collections import deque
from collections.abc import Iterable, Iterator

from engine.consultation.batch.survey import Item
from engine.consultation.cases import METADATA, Case
from engine.knowledge.spec import FACTOR_IDS

PARENT_CHECK_S = 0.5  # how often a worker looks whether the batch that started it still runs
CHUNK = 32  # cases per task sent to a worker
WINDOW = 4  # chunks in flight per worker
LEADING_RECOMMENDATIONS = 3
CSV_COLUMNS = ("id", "verdict", *FACTOR_IDS, "recommendations")
METADATA_COLUMNS = tuple(k for k in METADATA if k != "id")
OUTPUT_COLUMNS = CSV_COLUMNS + METADATA_COLUMNS


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


def output_row(advisor, item: Item, fmt: str):
    """One finished row: the whole result as a JSON line (``fmt`` "jsonl"), or the CSV row as
    a dict of ``OUTPUT_COLUMNS``."""
    from engine.consultation.result import build_result

    case = Case(item.id, item.facts, item.metadata, None, item.where)
    result = build_result(advisor.kb, case, advisor.run(item.facts))
    if fmt == "jsonl":
        return json.dumps(result, ensure_ascii=False)
    return summary_cells(result)


def summary_cells(result: dict) -> dict:
    """id, verdict, each factor's status, the leading recommendations (``;``-separated), and
    the case's metadata, by column name."""
    recs = [r["intervention"] for r in result["recommendations"][:LEADING_RECOMMENDATIONS]]
    meta = result.get("case", {}).get("metadata", {})
    cells = [result["case_id"], result["verdict"]["value"] or ""] + \
        [result["factors"][f]["status"] for f in FACTOR_IDS] + [";".join(recs)]
    return {**dict(zip(CSV_COLUMNS, cells)),
            **{k: meta.get(k) or "" for k in METADATA_COLUMNS}}


_worker_advisor = None


def _worker_init(kb_root: str, parent: int) -> None:
    """In each worker process: leave Ctrl-C to the parent, end with the parent, build the
    engine once."""
    import signal
    import threading

    global _worker_advisor
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # the parent handles Ctrl-C and stops us
    threading.Thread(target=_watch_parent, args=(parent,), daemon=True).start()
    from engine.inference.runner import Advisor

    _worker_advisor = Advisor.from_folder(kb_root)


def _watch_parent(parent: int) -> None:
    """End this worker as soon as the process that started it is gone (its parent changes:
    a killed process's children pass to init or a subreaper)."""
    import time

    while True:
        time.sleep(PARENT_CHECK_S)
        if os.getppid() != parent:
            os._exit(1)


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
                             initargs=(str(kb_root), os.getpid())) as pool:
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
    """(item, row) pairs of a chunk sent to a worker, once it is done."""
    chunk, future = entry
    yield from zip(chunk, future.result())
