"""The one way the advisor writes a file: whole or not at all.

``write_atomically(path, text)`` writes to a temporary file in the target's folder, flushes it
to disk and puts it in place with ``os.replace``, so a crash, a kill or a full disk never leaves
a half-written report, case, export or document: the old file is kept or fully replaced. A
replaced file keeps its mode; a new one is readable by its owner only (cases and reports hold
personal details). A failure removes the temporary file and raises ``OutputError`` ("cannot
write PATH: reason"), which is also an ``OSError``.

Must not: decide what to write or where (callers do); print. Entry point:
``write_atomically(path, text, create_folder=False) -> Path``.
"""
from __future__ import annotations

import os
import tempfile
from pathlib import Path

from engine.errors import OutputError


def write_atomically(path: str | os.PathLike, text: str, create_folder: bool = False) -> Path:
    """Write ``text`` (UTF-8, ``\\n`` line ends) to ``path`` whole; with ``create_folder`` make
    its folder first. Returns the path; raises ``OutputError`` naming it and the reason."""
    target = Path(path)
    folder = target.parent if str(target.parent) else Path(".")
    tmp = None
    try:
        if create_folder:
            folder.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=folder)
        with os.fdopen(fd, "w", encoding="utf-8", newline="\n") as out:
            out.write(text)
            out.flush()
            os.fsync(out.fileno())
        if target.exists():  # keep the mode of the file replaced; a new one stays 0600
            os.chmod(tmp, target.stat().st_mode & 0o777)
        os.replace(tmp, target)
    except BaseException as exc:
        if tmp is not None:
            try:
                os.unlink(tmp)
            except OSError:
                pass
        if isinstance(exc, OSError):
            raise OutputError.at(target, exc.strerror or str(exc)) from None
        raise
    return target
