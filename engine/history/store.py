"""Case history: every consultation stored in an embedded SQLite database.

One row per consultation: case id, enterprise, officer, time (UTC, ISO 8601), knowledge-base
version and digest, verdict, the case's facts and the whole result (JSON). The database is the
file named by ``--db``, else ``$MSE_ADVISOR_DB``, else ``$XDG_DATA_HOME/mse-advisor/
history.sqlite3`` (``~/.local/share/...`` when XDG_DATA_HOME is unset): see ``resolve_path``.

Safety: WAL journal, a busy timeout, and every write in one ``BEGIN IMMEDIATE`` transaction, so
two processes writing at once both succeed and nothing is lost. First use waits its turn like
any write: switching a new file to WAL is retried until the busy timeout has really passed
(SQLite answers "locked" at once, without waiting, when two processes switch at the same
moment), and each migration runs inside ``BEGIN IMMEDIATE``. The schema version is SQLite's
``PRAGMA user_version``; ``MIGRATIONS`` is the ordered list of steps from an empty file to the
current schema, each applied in its own transaction together with the version bump. A file that
is not a database, is locked for too long, or was written by a newer version raises
``HistoryError`` (exit code 1) with what to do, never a bare ``sqlite3`` error.

Privacy: the history holds owners' personal details, so a new database is created readable by
its owner only (0600; SQLite gives its -wal and -shm files the same mode) in a folder created
0700. Reading (``open_history(create=False)``) opens the file read-only, so a history the user
may read but not write can still be listed, shown and exported, and never migrates or writes.
A damaged row (``rows``) is an error for that row only: export skips it and names it.

It never prints. Entry points::

    from engine.history.store import save_consultation, open_history
    row_id = save_consultation(result, db=None, officer="A. Officer")  # -> int, the new id
    with open_history(path) as history:          # History: list, get, export_rows, save
        rows = history.list(case_id="zw-sorghum-01")

Comparing two visits (``engine.history.visits.compare``) reads the rows ``History.get``
returns.
"""
from __future__ import annotations

import json
import os
import sqlite3
import time
import urllib.parse
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import datetime, timezone
from pathlib import Path

from engine.errors import HistoryError, NoSuchConsultation
from engine.output_target import make_private_folders
from engine.history.rows import DamagedRow, decode

ENV_VAR = "MSE_ADVISOR_DB"
APPLICATION_ID = 0x4D534541  # "MSEA": marks the file as ours
BUSY_TIMEOUT_S = 10.0

# Each migration: the SQL statements that take the schema from version i to i + 1.
MIGRATIONS: tuple[tuple[str, ...], ...] = (
    (  # 1: one row per consultation
        f"PRAGMA application_id = {APPLICATION_ID}",
        """CREATE TABLE consultation (
               id INTEGER PRIMARY KEY AUTOINCREMENT,
               case_id TEXT NOT NULL,
               officer TEXT,
               created_at TEXT NOT NULL,
               kb_version TEXT NOT NULL,
               kb_digest TEXT NOT NULL,
               facts_json TEXT NOT NULL,
               result_json TEXT NOT NULL)""",
        "CREATE INDEX consultation_case ON consultation (case_id, id)",
    ),
    (  # 2: enterprise and verdict as columns, so lists and comparisons need not parse JSON
        "ALTER TABLE consultation ADD COLUMN enterprise TEXT",
        "ALTER TABLE consultation ADD COLUMN verdict TEXT",
        ("UPDATE consultation SET"
        " enterprise = json_extract(result_json, '$.case.metadata.enterprise'),"
        " verdict = json_extract(result_json, '$.verdict.value')"),
        "CREATE INDEX consultation_enterprise ON consultation (enterprise, id)",
    ),
)
SCHEMA_VERSION = len(MIGRATIONS)
COLUMNS = ("id", "case_id", "enterprise", "officer", "created_at", "kb_version", "kb_digest",
           "verdict", "confidence")
# Columns read from the stored result rather than stored apart: null for results stored
# before the result had them.
FROM_RESULT = {"confidence": "CASE WHEN json_valid(result_json) THEN "
                             "json_extract(result_json, '$.verdict.confidence') END"}  # damaged: null
SELECTED = ", ".join(FROM_RESULT.get(c, c) for c in COLUMNS)


def resolve_path(db: str | os.PathLike | None = None) -> Path:
    """The database file: ``db``, else $MSE_ADVISOR_DB, else the user's data directory.
    ``HistoryError`` when that needs a home folder and there is none."""
    try:
        if db:
            return Path(db).expanduser()
        if os.environ.get(ENV_VAR):
            return Path(os.environ[ENV_VAR]).expanduser()
        base = os.environ.get("XDG_DATA_HOME") or Path.home() / ".local" / "share"
    except RuntimeError:  # no $HOME and no entry in the password database
        raise HistoryError.at("history", "cannot find your home folder, where the history is "
                                         f"kept: give --db FILE or set {ENV_VAR}") from None
    return Path(base) / "mse-advisor" / "history.sqlite3"


def _explain(path: Path, exc: sqlite3.Error, waited: float | None = None) -> HistoryError:
    text = str(exc)
    if "locked" in text or "busy" in text:
        waited = BUSY_TIMEOUT_S if waited is None else waited
        return HistoryError.at(path, f"the history database stayed locked by another program "
                                  f"while this waited {waited:.1f} s; try again, or use "
                                  "--no-save")
    if "not a database" in text or "malformed" in text or "corrupt" in text:
        return HistoryError.at(path, "this file is not a readable history database (corrupt or not "
                                  "SQLite); move it aside, or choose another file with --db")
    if "readonly" in text or "unable to open" in text:
        return HistoryError.at(path, f"cannot write the history database ({text}); check the "
                                  "folder's permissions or choose another file with --db")
    return HistoryError.at(path, f"history database error: {text}")


def _patiently(action, deadline: float):
    """``action()``, retried while SQLite answers "locked" or "busy" without waiting, until
    ``deadline`` (``time.monotonic()``); the last error then propagates."""
    while True:
        try:
            return action()
        except sqlite3.OperationalError as exc:
            if not ("locked" in str(exc) or "busy" in str(exc)) or time.monotonic() > deadline:
                raise
            time.sleep(0.02)


class History:
    """An open history database. Use ``open_history``; methods raise ``HistoryError``."""

    def __init__(self, path: Path, conn: sqlite3.Connection, writable: bool = True):
        self.path, self.conn, self.writable = path, conn, writable
        self.damaged: list[tuple[int, str]] = []  # (id, why) of rows export_rows skipped

    @contextmanager
    def _write(self) -> Iterator[sqlite3.Connection]:
        """One write transaction: BEGIN IMMEDIATE (waits up to the busy timeout), then COMMIT."""
        self.conn.execute("BEGIN IMMEDIATE")
        try:
            yield self.conn
        except BaseException:
            self.conn.execute("ROLLBACK")
            raise
        self.conn.execute("COMMIT")

    def migrate(self) -> int:
        """Bring the schema up to ``SCHEMA_VERSION``; return the version found before."""
        self.conn.execute("BEGIN")  # one snapshot: a migration may be committing right now
        try:
            found = self.conn.execute("PRAGMA user_version").fetchone()[0]
            app = self.conn.execute("PRAGMA application_id").fetchone()[0]
            tables = self.conn.execute("SELECT count(*) FROM sqlite_master").fetchone()[0]
        finally:
            self.conn.execute("COMMIT")
        if app not in (0, APPLICATION_ID) or (app == 0 and found == 0 and tables):
            raise HistoryError.at(self.path, "this SQLite file is not an mse-advisor history "
                                          "database; choose another file with --db")
        if found > SCHEMA_VERSION:
            raise HistoryError.at(self.path, f"this history was written by a newer mse-advisor "
                                          f"(schema {found}; this version knows up to "
                                          f"{SCHEMA_VERSION}); upgrade mse-advisor or use --db")
        if found < SCHEMA_VERSION and not self.writable:
            raise HistoryError.at(self.path, f"this history has an older layout (schema {found})"
                                          " that must be upgraded before it is read, and this "
                                          "user cannot write it: run any consultation with "
                                          "write access once, or copy the file")
        while found < SCHEMA_VERSION:
            with self._write() as conn:  # re-read inside the lock: another process may have won
                current = conn.execute("PRAGMA user_version").fetchone()[0]
                if current >= SCHEMA_VERSION:
                    break
                for statement in MIGRATIONS[current]:
                    conn.execute(statement)
                conn.execute(f"PRAGMA user_version = {current + 1}")
            found = current + 1
        return found

    def save(self, result: dict, officer: str | None = None, when: datetime | None = None) -> int:
        """Store one consultation result; return its id."""
        case = result.get("case", {})
        meta = case.get("metadata", {})
        kbi = result["knowledge_base"]
        created = (when or datetime.now(timezone.utc)).astimezone(timezone.utc)
        row = (result["case_id"], meta.get("enterprise"), officer or meta.get("officer"),
               created.isoformat(timespec="seconds"), str(kbi["version"]), str(kbi["digest"]),
               result["verdict"]["value"],
               json.dumps(case.get("facts", {}), sort_keys=True, default=str),
               json.dumps(result, ensure_ascii=False, sort_keys=True, default=str))
        with self._write() as conn:
            cur = conn.execute(
                "INSERT INTO consultation (case_id, enterprise, officer, created_at, kb_version,"
                " kb_digest, verdict, facts_json, result_json) VALUES (?,?,?,?,?,?,?,?,?)", row)
            return cur.lastrowid

    def list(self, case_id: str | None = None) -> list[dict]:
        """Every consultation (without its JSON), oldest first; only one case's with case_id."""
        sql = f"SELECT {SELECTED} FROM consultation"
        args: tuple = ()
        if case_id:
            sql, args = sql + " WHERE case_id = ?", (case_id,)
        return [dict(zip(COLUMNS, r)) for r in self.conn.execute(sql + " ORDER BY id", args)]

    def get(self, row_id: int) -> dict:
        """One consultation with ``facts`` and ``result`` decoded; HistoryError when it is absent
        or damaged."""
        try:
            return self._decoded(row_id)
        except DamagedRow as exc:
            raise HistoryError.at(self.path, f"consultation #{row_id} is damaged: {exc}; the "
                                          "other consultations can still be read") from None

    def _decoded(self, row_id: int) -> dict:
        r = self.conn.execute(f"SELECT {SELECTED}, facts_json, result_json FROM "
                              "consultation WHERE id = ?", (row_id,)).fetchone()
        if r is None:
            raise NoSuchConsultation.at(self.path, f"no consultation #{row_id} in this history; "
                                          "'mse-advisor history list' shows the ids")
        return decode(COLUMNS, r[:len(COLUMNS)], r[-2], r[-1])

    def export_rows(self) -> Iterator[dict]:
        """Every consultation with facts and result decoded, oldest first; a damaged one is
        skipped and listed in ``self.damaged`` as ``(id, what is wrong)``."""
        for (row_id,) in self.conn.execute("SELECT id FROM consultation ORDER BY id").fetchall():
            try:
                yield self._decoded(row_id)
            except DamagedRow as exc:
                self.damaged.append((row_id, str(exc)))


def _create_private(path: Path) -> None:
    """The folders (0700) and an empty database file (0600) owned by this user, unless the
    file exists; SQLite takes an empty file as an empty database."""
    try:
        make_private_folders(path.parent)
    except OSError as exc:
        raise HistoryError.at(path, f"cannot create the folder {exc.filename or path.parent}: "
                                    f"{exc.strerror}") from None
    try:
        os.close(os.open(path, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o600))
    except FileExistsError:
        pass
    except OSError as exc:
        raise HistoryError.at(path, f"cannot create the history database: {exc.strerror}; "
                                    "choose another file with --db") from None


def _connect(path: Path, writable: bool) -> sqlite3.Connection:
    """A connection; read-only unless ``writable``. A read-only user cannot create the WAL
    index beside the file, so the file is then read as it stands (``immutable``)."""
    if writable:
        return sqlite3.connect(path, timeout=BUSY_TIMEOUT_S, isolation_level=None)
    uri = "file:" + urllib.parse.quote(str(path.resolve())) + "?mode=ro"
    conn = sqlite3.connect(uri, uri=True, timeout=BUSY_TIMEOUT_S, isolation_level=None)
    try:
        conn.execute("SELECT count(*) FROM sqlite_master").fetchone()
    except sqlite3.OperationalError as exc:
        if "readonly" not in str(exc) and "unable to open" not in str(exc):
            raise
        conn.close()
        conn = sqlite3.connect(uri + "&immutable=1", uri=True, isolation_level=None)
    return conn


@contextmanager
def open_history(db: str | os.PathLike | None = None, create: bool = True) -> Iterator[History]:
    """Open the history database and close it afterwards. ``create``: open to write, creating
    the file (private to the user) and migrating it as needed; else open to read only, never
    creating, migrating or writing anything."""
    path = resolve_path(db)
    if path.is_dir():
        raise HistoryError.at(path, "is a folder; --db needs a file name")
    if not create and not path.exists():
        raise HistoryError.at(path, "no history here yet: nothing has been saved to this file")
    if create:
        _create_private(path)
    deadline = time.monotonic() + BUSY_TIMEOUT_S
    started = time.monotonic()
    try:
        conn = _connect(path, writable=create)
    except sqlite3.Error as exc:
        raise _explain(path, exc) from None
    try:
        conn.execute(f"PRAGMA busy_timeout = {int(BUSY_TIMEOUT_S * 1000)}")
        if create and conn.execute("PRAGMA journal_mode").fetchone()[0] != "wal":
            _patiently(lambda: conn.execute("PRAGMA journal_mode = WAL").fetchone(), deadline)
        history = History(path, conn, writable=create)
        history.migrate()
        yield history
    except sqlite3.Error as exc:
        raise _explain(path, exc, round(time.monotonic() - started, 1)) from None
    finally:
        conn.close()


def save_consultation(result: dict, db: str | os.PathLike | None = None,
                      officer: str | None = None) -> int:
    """Store one result in the history (``db`` as for ``resolve_path``); return its id."""
    with open_history(db) as history:
        return history.save(result, officer=officer)
