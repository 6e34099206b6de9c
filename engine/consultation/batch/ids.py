"""The case ids a batch has met, kept on disk, so that its memory stays flat however many rows.

A batch remembers two things per case: the ids its output already holds (to skip them when it
resumes) and the ids of the rows read so far (a repeated id is refused, naming the row that
used it first). National surveys run to millions of rows; as Python sets and dicts these grew
by about a hundred bytes per row (66 MB at 200,000 rows, 105 MB on a rerun; at two million rows
about a gigabyte). Here each is a table in a private temporary SQLite database, which SQLite
deletes when it is closed, read through a page cache of at most ``CACHE_KB``: adding and
looking up an id costs a few microseconds, against milliseconds for the consultation.

Must not: read the input or the output (``survey``, ``output`` do). Entry point: ``IdIndex()``:
``add(case_id, row) -> the row that used it first, or None``, ``case_id in index``, ``close()``.
"""
from __future__ import annotations

import sqlite3

CACHE_KB = 2048  # SQLite's page cache for one index: what it holds in memory at most


class IdIndex:
    """A set of case ids, each with the row that brought it, on disk."""

    def __init__(self):
        self._db = sqlite3.connect("")  # "": a temporary file, deleted on close
        self._db.execute(f"PRAGMA cache_size = -{CACHE_KB}")
        self._db.execute("PRAGMA journal_mode = OFF")  # nothing to recover: it dies with us
        self._db.execute("PRAGMA synchronous = OFF")
        self._db.execute("CREATE TABLE ids (id TEXT PRIMARY KEY, row INTEGER) WITHOUT ROWID")
        self._size = 0

    def add(self, case_id: str, row: int | None = None) -> int | None:
        """Keep ``case_id`` (met at ``row``); return None when it is new, else the row it was
        first met at (``row`` is then not kept)."""
        if self._db.execute("INSERT OR IGNORE INTO ids VALUES (?, ?)",
                            (case_id, row)).rowcount:
            self._size += 1
            return None
        return self._db.execute("SELECT row FROM ids WHERE id = ?", (case_id,)).fetchone()[0]

    def __contains__(self, case_id) -> bool:
        if not self._size:
            return False
        return self._db.execute("SELECT 1 FROM ids WHERE id = ?", (case_id,)).fetchone() is not None

    def __len__(self) -> int:
        return self._size

    def close(self) -> None:
        """Delete the index (SQLite removes its file)."""
        self._db.close()

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()
        return False
