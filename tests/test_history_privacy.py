"""Kind 5 of issue 17: the history is private, read-only reading works, one damaged row does not
stop the others, a missing home folder is a clear error, and first use waits its turn."""
from __future__ import annotations

import json
import os
import shutil
import sqlite3
import stat
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import pytest

from engine.errors import HistoryError
from engine.history import store as h
from tests.conftest import ROOT
from tests.test_history import tiny_result


def mode(path) -> int:
    return stat.S_IMODE(os.stat(path).st_mode)


def test_a_new_history_and_its_folders_are_private_to_the_user(tmp_path):
    db = tmp_path / "a" / "b" / "history.sqlite3"
    with h.open_history(db) as history:
        history.save(tiny_result())
        assert mode(f"{db}-wal") == 0o600  # SQLite gives the WAL the database's mode
    assert mode(db) == 0o600
    assert mode(tmp_path / "a") == mode(tmp_path / "a" / "b") == 0o700


def test_an_existing_folder_keeps_its_mode(tmp_path):
    (tmp_path / "shared").mkdir(mode=0o755)
    os.chmod(tmp_path / "shared", 0o755)
    h.save_consultation(tiny_result(), tmp_path / "shared" / "h.sqlite3")
    assert mode(tmp_path / "shared") == 0o755 and mode(tmp_path / "shared" / "h.sqlite3") == 0o600


def damaged_history(tmp_path):
    db = tmp_path / "h.sqlite3"
    for _ in range(4):
        h.save_consultation(tiny_result(), db)
    conn = sqlite3.connect(db)
    conn.execute("UPDATE consultation SET result_json = '{\"case_id\": ' WHERE id = 2")
    broken = tiny_result()
    del broken["findings"]
    conn.execute("UPDATE consultation SET result_json = ? WHERE id = 3", (json.dumps(broken),))
    conn.commit()
    conn.close()
    return db


def test_a_damaged_row_is_an_error_for_that_row_only(tmp_path):
    db = damaged_history(tmp_path)
    with h.open_history(db, create=False) as history:
        assert history.get(1)["result"]["case_id"] == "tiny-wait"
        with pytest.raises(HistoryError, match=r"consultation #2 is damaged: its stored JSON"):
            history.get(2)
        with pytest.raises(HistoryError, match=r"#3 is damaged: result.findings is missing"):
            history.get(3)
        exported = [row["id"] for row in history.export_rows()]
        assert exported == [1, 4]
        assert [row_id for row_id, _ in history.damaged] == [2, 3]
        assert len(history.list()) == 4


def test_reading_opens_read_only_and_never_migrates_or_writes(tmp_path):
    db = tmp_path / "h.sqlite3"
    h.save_consultation(tiny_result(), db)
    before = db.read_bytes()
    with h.open_history(db, create=False) as history:
        assert not history.writable and len(history.list()) == 1
        with pytest.raises(sqlite3.OperationalError, match="readonly"):
            history.conn.execute("DELETE FROM consultation")
    assert db.read_bytes() == before


def test_reading_an_old_layout_without_write_access_says_what_to_do(tmp_path):
    db = tmp_path / "old.sqlite3"
    conn = sqlite3.connect(db, isolation_level=None)
    for statement in h.MIGRATIONS[0]:
        conn.execute(statement)
    conn.execute("PRAGMA user_version = 1")
    conn.close()
    with pytest.raises(HistoryError, match="older layout"):
        with h.open_history(db, create=False):
            pass


def test_reading_falls_back_to_the_file_as_it_stands_when_the_wal_index_cannot_be_made(
        tmp_path, monkeypatch):
    """CI runs as root, which can always create the WAL index: the refusal a reader without
    write access gets from SQLite is simulated (the real one runs below for other users)."""
    db = tmp_path / "h.sqlite3"
    h.save_consultation(tiny_result(), db)
    real = sqlite3.connect

    def readonly_user(target, *args, **kwargs):
        if kwargs.get("uri") and "immutable" not in str(target):
            conn = real(":memory:")
            conn.execute("PRAGMA query_only = 1")
            return _Refusing(conn)
        return real(target, *args, **kwargs)
    monkeypatch.setattr(h.sqlite3, "connect", readonly_user)
    with h.open_history(db, create=False) as history:
        assert [r["id"] for r in history.list()] == [1]


class _Refusing:
    def __init__(self, conn):
        self.conn = conn

    def execute(self, *args):
        raise sqlite3.OperationalError("attempt to write a readonly database")

    def close(self):
        self.conn.close()


NOBODY_READS = """
import sys
sys.path.insert(0, sys.argv[1])
from engine.history.store import open_history
with open_history(sys.argv[2], create=False) as history:
    print(len(history.list()), len(list(history.export_rows())))
"""


@pytest.mark.skipif(os.name != "posix", reason="needs Unix users")
def test_a_user_who_may_read_but_not_write_the_history_can_read_it(tmp_path):
    top = Path(tempfile.mkdtemp())  # pytest's own folders are closed to other users
    os.chmod(top, 0o755)
    folder = top / "shared"
    db = folder / "h.sqlite3"
    h.save_consultation(tiny_result(), db)
    h.save_consultation(tiny_result(), db)
    os.chmod(db, 0o644)
    os.chmod(folder, 0o755)
    if os.geteuid() != 0:
        os.chmod(folder, 0o555)
        command = [sys.executable, "-c", NOBODY_READS, str(ROOT), str(db)]
    else:  # as root, read as the unprivileged user "nobody" with the system's Python
        python = shutil.which("python3", path="/usr/bin:/bin")
        if not shutil.which("setpriv") or not python:
            pytest.skip("needs setpriv and a system python3 to read as another user")
        command = ["setpriv", "--reuid=65534", "--regid=65534", "--clear-groups", python, "-c",
                   NOBODY_READS, str(ROOT), str(db)]
    try:
        done = subprocess.run(command, capture_output=True, text=True, timeout=60, cwd=top)
    finally:
        os.chmod(folder, 0o755)
        shutil.rmtree(top)
    if done.returncode and "Permission denied" in done.stderr and "python" in done.stderr:
        pytest.skip("the unprivileged user cannot run Python here")
    assert (done.returncode, done.stdout) == (0, "2 2\n"), done.stderr


def test_no_home_folder_is_a_clear_error(monkeypatch):
    import pwd

    for name in ("MSE_ADVISOR_DB", "XDG_DATA_HOME", "HOME"):
        monkeypatch.delenv(name, raising=False)

    def no_entry(uid):
        raise KeyError(uid)
    monkeypatch.setattr(pwd, "getpwuid", no_entry)
    with pytest.raises(HistoryError, match="cannot find your home folder.*--db FILE or set "
                                           "MSE_ADVISOR_DB"):
        h.resolve_path()


SETUP_RACE = """
import sys, time
sys.path.insert(0, sys.argv[1])
from engine.history.store import save_consultation
import json
result = json.load(open(sys.argv[3]))
start = float(sys.argv[4])
while time.time() < start:
    pass
save_consultation(result, sys.argv[2])
"""


def test_processes_using_a_new_history_at_the_same_moment_all_succeed(tmp_path):
    """Six processes start saving into a history that does not exist yet at the same instant:
    switching the new file to WAL made some fail at once with "locked" (3 runs in 30 before)."""
    source = tmp_path / "result.json"
    source.write_text(json.dumps(tiny_result()))
    for run in range(5):
        db = tmp_path / f"race{run}.sqlite3"
        start = time.time() + 1.0
        writers = [subprocess.Popen([sys.executable, "-c", SETUP_RACE, str(ROOT), str(db),
                                     str(source), str(start)], stderr=subprocess.PIPE, text=True)
                   for _ in range(6)]
        errors = [w.communicate(timeout=120)[1] for w in writers]
        assert [w.returncode for w in writers] == [0] * 6, errors
        with h.open_history(db, create=False) as history:
            assert len(history.list()) == 6
