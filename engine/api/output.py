"""A command's output: where it may be written, how text is shown on a terminal, and how the
process may be stopped.

``write_output`` writes a report, export, graph or document by the output rules
(``engine.output_target``): never over an input of the command, the knowledge base's files or
the history database; over an existing file only with ``force``; a device or pipe as a stream;
a regular file atomically, a new one private to the user. ``check_output`` applies the same
rules before any work is done (``--save``). ``terminal_text`` and ``one_line`` make text safe to
print (``engine.safe_text``); ``forgiving`` makes a stream replace what its encoding cannot
show; ``stops_as_interrupt`` and ``stops_held`` make SIGTERM and SIGHUP stop an interview as
Ctrl-C does (``engine.stop_signals``).

Must not: print or prompt; hold logic of its own beyond composing engine calls.
"""
from __future__ import annotations

import os
from pathlib import Path

from engine.api.loading import kb_root
from engine.errors import HistoryError
from engine.history.store import resolve_path
from engine.output_target import Target, forgiving, plan, write_text
from engine.safe_text import one_line
from engine.safe_text import terminal as terminal_text
from engine.stop_signals import stops_as_interrupt, stops_held

__all__ = ["check_output", "forgiving", "one_line", "stops_as_interrupt", "stops_held",
           "terminal_text", "write_output"]

PathLike = str | os.PathLike


def check_output(path: PathLike, *, inputs=(), db: PathLike | None = None, force: bool = False,
                 kb_dir: PathLike | None = None, option: str = "--out") -> Target:
    """Whether ``path`` may be written, by the output rules, before anything is done: the
    ``Target`` to write. Raises ``UsageError`` (an input, the knowledge base's files, the history
    ``db``, an existing file without ``force``), ``OutputError`` (a folder, no such folder)."""
    return plan(path, inputs=[*inputs, *_kb_files(kb_dir)], history=_history(db), force=force,
                option=option)


def write_output(path: PathLike, text: str, *, inputs=(), db: PathLike | None = None,
                 force: bool = False, kb_dir: PathLike | None = None) -> Path:
    """Write ``text`` to ``path`` by the output rules (``check_output``); the path written.
    Raises ``UsageError``, ``OutputError``; ``BrokenPipeError`` when a pipe's reader has gone."""
    return write_text(check_output(path, inputs=inputs, db=db, force=force, kb_dir=kb_dir), text)


def _history(db: PathLike | None) -> Path | None:
    try:
        return resolve_path(db)
    except HistoryError:  # no home folder: there is no default history to protect
        return None


def _kb_files(kb_dir: PathLike | None) -> list[Path]:
    """The files of the knowledge base of ``kb_dir`` (its YAML, rules and worked cases)."""
    root = kb_root(kb_dir)
    return [p for pattern in ("*.yaml", "rules/*.yaml", "cases/*.yaml")
            for p in root.glob(pattern)] if root.is_dir() else []
