"""Screening on a Dask cluster: a batch's cases in partitions, each worker compiling once.

``run_batch(..., cluster=ADDRESS)`` (``mse-advisor batch --dask``) sends the cases to the Dask scheduler at ADDRESS
(``tcp://host:8786``), or to a cluster of local worker processes started for the run
(``"local"``). Only the screening moves: reading the survey, skipping what the output holds,
refusing repeated ids and writing the output stay in this process (``output``), so the output is
the local batch's, row for row, and a run resumes the same way.

- The knowledge base goes to each worker once, as this process loaded it (``_KnowledgeBase``, a
  Dask worker plugin, also run on a worker that joins later): workers need this package, the
  same version, but not the knowledge-base folder. Each worker compiles it once and keeps the
  engine for every partition it is given (one at a time per process: an engine is not shared
  between threads, so start workers with one thread each, ``dask worker ADDRESS --nthreads 1``).
- Partitions of ``PARTITION`` cases are submitted in input order, at most ``WINDOW`` per worker
  thread in flight, and their rows are taken back in input order; memory holds only what is in
  flight, however many rows the survey has.

Needs the optional ``[dask]`` extra (``dask[distributed]``); without it, or with a scheduler that
cannot be reached, ``UsageError`` says what to do. Must not: read the input or write the output.
Entry point: ``screen_on_cluster(items, kb_root, fmt, address, workers) -> Iterator[(item, row)]``.
"""
from __future__ import annotations

import logging
import os
import threading
from collections import deque
from collections.abc import Iterable, Iterator
from pathlib import Path

from engine.consultation.batch.screening import _chunks, _finish, output_row
from engine.errors import UsageError

try:  # the optional [dask] extra; without it _connect says how to install it
    from distributed import WorkerPlugin as _PluginBase
except ImportError:  # pragma: no cover - depends on the environment
    _PluginBase = object

PARTITION = 64  # cases per task: about 0.15 s of work, so Dask's own cost per task is small
WINDOW = 4  # partitions in flight per worker thread
CONNECT_TIMEOUT_S = 20

_ADVISORS: dict = {}  # in a worker process: knowledge-base digest -> its compiled Advisor
_LOCK = threading.Lock()  # one partition at a time per worker process


def screen_on_cluster(items: Iterable, kb_root: str | os.PathLike, fmt: str, address: str,
                      workers: int | None = None) -> Iterator[tuple]:
    """Yield ``(item, row)`` for each item, in input order, as ``screening.screen`` does, the
    rows made on the Dask cluster at ``address`` ("local": ``workers`` local processes, one
    per CPU when None). Raises ``UsageError`` when Dask is missing or the scheduler cannot be
    reached."""
    from engine.knowledge.loader import load_knowledge_base

    kb = load_knowledge_base(str(Path(kb_root).resolve()))  # as each local worker loads it
    quiet = logging.getLogger("distributed")  # Dask's own progress notes are not the officer's
    level = quiet.level
    quiet.setLevel(logging.ERROR)
    try:
        client, local = _connect(address, workers)
        try:
            yield from _screen(client, items, kb, fmt)
        finally:
            client.close()
            if local is not None:
                local.close()
    finally:
        quiet.setLevel(level)


def _screen(client, items: Iterable, kb, fmt: str) -> Iterator[tuple]:
    """Partitions in input order, a bounded number in flight, rows taken back in order."""
    pending: deque = deque()
    try:
        client.register_plugin(_KnowledgeBase(kb), name=f"mse-advisor-{kb.digest}")
        threads = max(1, sum(client.nthreads().values()))
        for part in _chunks(items, PARTITION):
            pending.append((part, client.submit(_screen_partition, part, fmt, kb.digest,
                                                pure=False)))
            while len(pending) >= threads * WINDOW:
                yield from _finish(pending.popleft())
        while pending:
            yield from _finish(pending.popleft())
    finally:
        for _, future in pending:
            future.cancel()


def _connect(address: str, workers: int | None):
    """A Dask client, and the local cluster it runs on (None for a scheduler's address)."""
    try:
        from distributed import Client, LocalCluster
    except ImportError:
        raise UsageError("--dask needs the optional Dask extra: pip install "
                         "'mse-upgrading-advisor[dask]'") from None
    if address == "local":
        local = LocalCluster(n_workers=workers or os.cpu_count() or 1, threads_per_worker=1,
                             processes=True, dashboard_address=":0",
                             silence_logs=logging.ERROR)
        return Client(local), local
    try:
        return Client(address, timeout=CONNECT_TIMEOUT_S), None
    except (OSError, TimeoutError, ValueError) as exc:
        raise UsageError(f"cannot reach the Dask scheduler at {address}: {exc}; give its "
                         "address as tcp://host:8786 (or --dask local)") from None


class _KnowledgeBase(_PluginBase):
    """A Dask worker plugin carrying the loaded knowledge base; compiles it on each worker."""

    def __init__(self, kb):
        self.digest = kb.digest
        self.kb = kb  # Dask carries it to each worker as it carries the plugin

    def setup(self, worker=None) -> None:
        _advisor(self.digest, self.kb)

    def teardown(self, worker=None) -> None:
        _ADVISORS.pop(self.digest, None)


def _advisor(digest: str, kb=None):
    """The compiled advisor of knowledge base ``digest`` in this worker process (compiled from
    ``kb`` the first time)."""
    with _LOCK:
        if digest not in _ADVISORS:
            if kb is None:
                raise RuntimeError(f"this Dask worker has no knowledge base {digest}: its "
                                   "plugin was not set up")
            from engine.inference.runner import Advisor, settle

            _ADVISORS[digest] = Advisor(kb)
            settle()
        return _ADVISORS[digest]


def _screen_partition(items: list, fmt: str, digest: str) -> list:
    """On a worker: the output row of each item (``screening.output_row``)."""
    advisor = _advisor(digest)
    with _LOCK:
        return [output_row(advisor, item, fmt) for item in items]
