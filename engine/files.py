"""The one way the advisor writes a file: whole or not at all, never destroying.

``write_atomically(path, text)`` writes by the output rules of ``engine.output_target``: a
regular file through a temporary file in the target's folder (a short name when ``.NAME.``
would pass the folder's name limit), flushed to disk and put in place with ``os.replace``, so a
crash, a kill or a full disk never leaves a half-written report, case, export or document: the
old file is kept or fully replaced; a symbolic link is followed, not replaced; a device or a
named pipe is written in place as a stream, never replaced by a file. A replaced file keeps its
mode; a new one is readable by its owner only (cases and reports hold personal details), and
so is a folder it creates. A failure removes the temporary file and raises ``OutputError``
("cannot write PATH: reason"), which is also an ``OSError``; a pipe whose reader has gone raises
``BrokenPipeError`` (the command line ends quietly on it).

Deciding whether PATH may be written at all (not an input, not the history, not an existing
file without ``--force``) is ``engine.output_target.plan``'s, which callers use first.

Must not: decide what to write or where (callers do); print. Entry point:
``write_atomically(path, text, create_folder=False) -> Path``.
"""
from __future__ import annotations

import os
from pathlib import Path

from engine.errors import OutputError
from engine.output_target import make_private_folders, write_file


def write_atomically(path: str | os.PathLike, text: str, create_folder: bool = False) -> Path:
    """Write ``text`` (UTF-8, ``\\n`` line ends) to ``path`` whole; with ``create_folder`` make
    its folder first (0700). Returns the path; raises ``OutputError`` naming it and the reason,
    ``BrokenPipeError`` for a pipe without a reader."""
    target = Path(path)
    try:
        if create_folder:
            make_private_folders(target.parent if str(target.parent) else Path("."))
        write_file(target, text)
    except BrokenPipeError:
        raise
    except OSError as exc:
        if isinstance(exc, OutputError):
            raise
        raise OutputError.at(target, exc.strerror or str(exc)) from None
    return target
