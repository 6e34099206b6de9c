"""Nothing accepted is lost: processes are killed (SIGKILL, as by a power cut or the OOM killer)
while they write, and what was committed is intact while the rest is redone.

Covers the batch command (results appended line by line; a rerun skips what is done and drops
a torn last line), the history database (one SQLite transaction per consultation; a process
killed while holding the write lock blocks and loses nothing for the others) and case files
(written to a temporary file and renamed). The "kill inside the critical moment" tests make the
victim stop there and say so before it is killed, so they do not depend on timing.
"""
from __future__ import annotations

import json
import os
import signal
import sqlite3
import subprocess
import sys
import time
from contextlib import closing
from pathlib import Path

import pytest
from click.testing import CliRunner

from cli import main
from engine.consultation.cases import load_case
from engine.knowledge.loader import load_knowledge_base
from tests.conftest import ROOT, TINY_KB, write

pytestmark = pytest.mark.skipif(not hasattr(signal, "SIGKILL"), reason="needs POSIX signals")
CLI = str(ROOT / "cli.py")
KB = load_knowledge_base(TINY_KB)


def runner() -> CliRunner:
    return CliRunner(mix_stderr=False) if "mix_stderr" in CliRunner.__init__.__code__.co_varnames \
        else CliRunner()


def start(*args: str, **kwargs) -> subprocess.Popen:
    env = dict(os.environ, PYTHONPATH=str(ROOT))
    return subprocess.Popen([sys.executable, *args], cwd=ROOT, env=env, text=True,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, **kwargs)


def wait_for(predicate, timeout: float = 60.0, what: str = "") -> None:
    deadline = time.monotonic() + timeout
    while not predicate():
        assert time.monotonic() < deadline, f"timed out waiting for {what}"
        time.sleep(0.01)


def kill(proc: subprocess.Popen) -> None:
    proc.send_signal(signal.SIGKILL)
    proc.communicate(timeout=30)
    assert proc.returncode == -signal.SIGKILL


def read_line(proc: subprocess.Popen) -> str:
    line = proc.stdout.readline()
    assert line, f"the process ended early: {proc.stderr.read() if proc.poll() is not None else ''}"
    return line.strip()


# -- batch -------------------------------------------------------------------------------------

def survey(path: Path, rows: int) -> Path:
    lines = ["id,months_to_first_benefit,profit_horizon_months,payback_months"]
    lines += [f"c-{i:04d},{i % 40},{(i * 7) % 30 + 1},{(i * 3) % 90}" for i in range(rows)]
    return write(path, "\n".join(lines) + "\n")


def test_batch_killed_midway_keeps_what_it_wrote_and_the_rerun_does_the_rest(tmp_path):
    rows = 200
    source = survey(tmp_path / "survey.csv", rows)
    reference = tmp_path / "reference.jsonl"  # the same survey, never interrupted
    assert runner().invoke(main, ["batch", str(source), "--out", str(reference),
                                  "--kb", str(TINY_KB)]).exit_code == 0
    out = tmp_path / "out.jsonl"
    command = [CLI, "batch", str(source), "--out", str(out), "--kb", str(TINY_KB)]

    victim = start(*command)
    wait_for(lambda: out.exists() and out.read_bytes().count(b"\n") >= 20, what="20 rows")
    kill(victim)
    written = out.read_bytes()
    committed = written[:written.rfind(b"\n") + 1]
    done = committed.count(b"\n")
    assert 20 <= done < rows, "the kill must land in the middle of the survey"

    rerun = start(*command)
    summary, err = rerun.communicate(timeout=120)
    assert rerun.returncode == 0, err
    assert f"{rows - done} done, {done} skipped" in summary
    final = out.read_bytes()
    assert final.startswith(committed)  # what was committed is untouched
    assert final == reference.read_bytes()  # and the rest is redone, each case once


@pytest.mark.parametrize("fmt", ["jsonl", "csv"])
def test_batch_rerun_drops_a_line_torn_by_a_crash_and_redoes_it(tmp_path, fmt):
    source = survey(tmp_path / "survey.csv", 6)
    out = tmp_path / f"out.{fmt}"
    args = ["batch", str(source), "--out", str(out), "--kb", str(TINY_KB)]
    assert runner().invoke(main, args).exit_code == 0
    whole = out.read_bytes()
    last = whole.rstrip(b"\n").rfind(b"\n") + 1
    out.write_bytes(whole[:last + 9])  # the last row cut short, as a kill inside write() leaves it
    r = runner().invoke(main, args)
    assert r.exit_code == 0, r.stderr
    assert out.read_bytes() == whole


# -- the history database ----------------------------------------------------------------------

HISTORY_WRITER = """
import json, sys, time
from engine.history.store import open_history
result_path, db, count, stop_at = sys.argv[1], sys.argv[2], int(sys.argv[3]), int(sys.argv[4])
result = json.load(open(result_path))


class StopBeforeCommit:
    '''Holds the write transaction open: everything is written except the COMMIT.'''
    def __init__(self, conn):
        self.conn = conn
    def execute(self, sql, *args):
        if sql == "COMMIT":
            print("inside the transaction", flush=True)
            time.sleep(600)
        return self.conn.execute(sql, *args)


with open_history(db) as history:
    have = {row["case_id"] for row in history.list()}
    for i in range(count):
        case_id = f"kill-{i:03d}"
        if case_id in have:
            continue
        if i == stop_at:
            history.conn = StopBeforeCommit(history.conn)
        history.save(dict(result, case_id=case_id), officer="writer")
        print(case_id, flush=True)
"""


@pytest.fixture
def result_file(tmp_path) -> Path:
    r = runner().invoke(main, ["consult", str(TINY_KB.parent / "cases" / "tiny-wait.yaml"),
                               "--kb", str(TINY_KB), "--format", "json", "--no-save"])
    assert r.exit_code == 0
    return write(tmp_path / "result.json", r.stdout)


def stored(db: Path) -> dict:
    """case_id -> result of every stored consultation, read with plain sqlite3."""
    with closing(sqlite3.connect(db)) as conn:
        assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        rows = conn.execute("SELECT case_id, result_json FROM consultation ORDER BY id").fetchall()
    ids = [case_id for case_id, _ in rows]
    assert len(ids) == len(set(ids)), "a consultation was stored twice"
    return {case_id: json.loads(text) for case_id, text in rows}


def assert_whole(db: Path, result_file: Path, count: int) -> None:
    expected = json.loads(result_file.read_text())
    saved = stored(db)
    assert sorted(saved) == [f"kill-{i:03d}" for i in range(count)]
    for case_id, result in saved.items():
        assert result == dict(expected, case_id=case_id)


def test_history_write_killed_before_its_commit_leaves_the_earlier_rows_whole(tmp_path,
                                                                              result_file):
    db = tmp_path / "history.sqlite3"
    victim = start("-c", HISTORY_WRITER, str(result_file), str(db), "30", "12")
    wait_for(lambda: read_line(victim) == "inside the transaction", what="the 13th write")
    kill(victim)
    assert_whole(db, result_file, 12)  # the uncommitted 13th row is not there, not even half

    redo = start("-c", HISTORY_WRITER, str(result_file), str(db), "30", "-1")
    assert redo.wait(timeout=120) == 0, redo.stderr.read()
    assert_whole(db, result_file, 30)


def test_history_writer_killed_at_a_random_moment_loses_no_committed_row(tmp_path, result_file):
    db = tmp_path / "history.sqlite3"
    victim = start("-c", HISTORY_WRITER, str(result_file), str(db), "400", "-1")
    for _ in range(15):
        read_line(victim)  # at least 15 consultations committed
    time.sleep(0.05)
    kill(victim)
    saved = stored(db)
    assert 15 <= len(saved) < 400
    assert_whole(db, result_file, len(saved))  # a gap-free prefix, every row whole

    redo = start("-c", HISTORY_WRITER, str(result_file), str(db), "400", "-1")
    assert redo.wait(timeout=180) == 0, redo.stderr.read()
    assert_whole(db, result_file, 400)


CONSULTER = """
import sys
from click.testing import CliRunner
from cli import main
case, kb, db, name, count = sys.argv[1:6]
for i in range(int(count)):
    r = CliRunner().invoke(main, ["consult", case, "--kb", kb, "--db", db, "--officer",
                                  f"{name}-{i}", "--format", "json"])
    if r.exit_code != 0:
        sys.exit(f"{name}-{i}: exit {r.exit_code}: {r.output}")
"""


def test_two_consult_processes_lose_nothing_while_a_third_dies_holding_the_lock(tmp_path,
                                                                                result_file):
    db = tmp_path / "history.sqlite3"
    holder = start("-c", HISTORY_WRITER, str(result_file), str(db), "10", "3")
    wait_for(lambda: read_line(holder) == "inside the transaction", what="the lock")
    case = str(TINY_KB.parent / "cases" / "tiny-wait.yaml")
    writers = [start("-c", CONSULTER, case, str(TINY_KB), str(db), name, "20") for name in "ab"]
    time.sleep(1.0)  # both now wait for the lock the holder will never release
    kill(holder)
    for w in writers:
        _, err = w.communicate(timeout=120)
        assert w.returncode == 0, err
    with closing(sqlite3.connect(db)) as conn:
        officers = [o for (o,) in conn.execute("SELECT officer FROM consultation")]
    assert sorted(officers) == sorted(["writer"] * 3 + [f"{n}-{i}" for n in "ab" for i in range(20)])


# -- case files --------------------------------------------------------------------------------

CASE_WRITER = """
import os, sys, time
from engine.consultation import casefile
path, mode = sys.argv[1], sys.argv[2]
versions = [{"months_to_first_benefit": 27, "profit_horizon_months": 6},
            {"months_to_first_benefit": 3, "profit_horizon_months": 12, "payback_months": 9}]
if mode == "stop-before-rename":
    def stop(fd):
        print("written, not yet renamed", flush=True)
        time.sleep(600)
    casefile.os.fsync = stop
    casefile.save_case(path, "saved", versions[1], {"enterprise": "B"})
for i in range(10_000 if mode == "loop" else 0):
    casefile.save_case(path, "saved", versions[i % 2], {"enterprise": "AB"[i % 2],
                                                        "notes": "n" * 1900})
    print(i, flush=True)
"""
VERSION_A = {"months_to_first_benefit": 27, "profit_horizon_months": 6}
VERSION_B = {"months_to_first_benefit": 3, "profit_horizon_months": 12, "payback_months": 9}


def test_case_save_killed_before_the_rename_keeps_the_previous_file(tmp_path):
    from engine.consultation.casefile import save_case

    path = save_case(tmp_path / "case.yaml", "saved", VERSION_A, {"enterprise": "A"})
    before = path.read_bytes()
    victim = start("-c", CASE_WRITER, str(path), "stop-before-rename")
    wait_for(lambda: read_line(victim) == "written, not yet renamed", what="the save")
    kill(victim)
    assert path.read_bytes() == before
    assert load_case(path, KB).facts == VERSION_A
    save_case(path, "saved", VERSION_B, {"enterprise": "B"})  # saving again just works
    assert load_case(path, KB).facts == VERSION_B


def test_case_saved_over_and_over_and_killed_is_always_one_whole_version(tmp_path):
    path = tmp_path / "case.yaml"
    victim = start("-c", CASE_WRITER, str(path), "loop")
    for _ in range(20):
        read_line(victim)
    time.sleep(0.03)
    kill(victim)
    case = load_case(path, KB)  # never a torn file: the loader accepts it as it is
    assert (case.facts, case.metadata["enterprise"]) in ((VERSION_A, "A"), (VERSION_B, "B"))
    assert len(list(tmp_path.glob(".case.yaml.*.tmp"))) <= 1  # at most the one being written
