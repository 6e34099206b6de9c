"""Kind 2 of issue 17: output that never destroys (``engine.output_target``).

A device or a named pipe is written as a stream and stays what it is; the input of a command and
the history database are never written over; an existing file is replaced only when asked; a
file name of 250 characters can be written; a closed pipe is a ``BrokenPipeError`` for the
command line to end quietly on; an encoding without the characters replaces them.
"""
from __future__ import annotations

import io
import os
import stat
import threading
from pathlib import Path

import pytest

from engine.consultation.batch import run_batch
from engine.errors import OutputError, UsageError
from engine.knowledge.loader import load_knowledge_base
from engine.output_target import (
    SHORT_TEMP_PREFIX, forgiving, open_append, plan, temp_prefix, write_file, write_text,
)
from tests.conftest import TINY_KB, write


def test_dev_null_is_written_as_a_stream_and_stays_a_device():
    target = plan("/dev/null")
    assert target.kind == "stream"
    write_text(target, "report\n")
    assert stat.S_ISCHR(os.stat("/dev/null").st_mode)


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="needs named pipes")
def test_a_named_pipe_is_written_as_a_stream_and_stays_a_pipe(tmp_path):
    fifo = tmp_path / "pipe"
    os.mkfifo(fifo)
    got = []
    reader = threading.Thread(target=lambda: got.append(fifo.read_text()))
    reader.start()
    write_text(plan(fifo), "through the pipe\n")
    reader.join(10)
    assert got == ["through the pipe\n"] and stat.S_ISFIFO(os.stat(fifo).st_mode)


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="needs named pipes")
def test_a_pipe_closed_by_its_reader_is_a_broken_pipe_error(tmp_path):
    fifo = tmp_path / "pipe"
    os.mkfifo(fifo)

    def read_a_little():
        with open(fifo, "rb") as f:
            f.read(10)
    reader = threading.Thread(target=read_a_little)
    reader.start()
    with pytest.raises(BrokenPipeError):
        write_text(plan(fifo), "x" * 10_000_000)
    reader.join(10)


def test_the_input_and_the_history_are_never_written_over(tmp_path):
    case = write(tmp_path / "case.yaml", "id: c\nfacts: {}\n")
    os.link(case, tmp_path / "hardlink.yaml")
    (tmp_path / "symlink.yaml").symlink_to(case)
    db = write(tmp_path / "history.sqlite3", "")
    write(tmp_path / "history.sqlite3-wal", "")
    for out in (case, tmp_path / "hardlink.yaml", tmp_path / "symlink.yaml",
                tmp_path / "." / "case.yaml"):
        with pytest.raises(UsageError, match="is an input of this command"):
            plan(out, inputs=[case], force=True)
    for out in (db, f"{db}-wal"):
        with pytest.raises(UsageError, match="is the history database"):
            plan(out, history=db, force=True, append=True)
    assert case.read_text() == "id: c\nfacts: {}\n"


def test_batch_refuses_to_write_over_its_input_or_the_history(tmp_path):
    kb = load_knowledge_base(TINY_KB)
    source = write(tmp_path / "s.csv", "id,payback_months\na,3\n")
    with pytest.raises(UsageError, match="is an input of this command"):
        run_batch(source, source, kb, TINY_KB)
    db = write(tmp_path / "h.sqlite3", "")
    with pytest.raises(UsageError, match="is the history database"):
        run_batch(source, db, kb, TINY_KB, history=db)
    assert source.read_text() == "id,payback_months\na,3\n" and db.read_text() == ""


def test_an_existing_file_is_replaced_only_when_asked_and_keeps_its_mode(tmp_path):
    out = write(tmp_path / "report.txt", "old\n")
    os.chmod(out, 0o640)
    with pytest.raises(UsageError, match="exists already: add --force"):
        plan(out)
    write_text(plan(out, force=True), "new\n")
    assert out.read_text() == "new\n" and stat.S_IMODE(out.stat().st_mode) == 0o640


def test_a_new_file_holding_case_data_is_private(tmp_path):
    write_text(plan(tmp_path / "report.txt"), "owner's details\n")
    assert stat.S_IMODE((tmp_path / "report.txt").stat().st_mode) == 0o600
    with open_append(plan(tmp_path / "out.jsonl", append=True)) as f:
        f.write(b"{}\n")
    assert stat.S_IMODE((tmp_path / "out.jsonl").stat().st_mode) == 0o600


def test_a_symbolic_link_is_followed_not_replaced(tmp_path):
    real = write(tmp_path / "real.md", "old")
    link = tmp_path / "link.md"
    link.symlink_to(real)
    write_text(plan(link, force=True), "new")
    assert link.is_symlink() and real.read_text() == "new"


def test_a_file_name_of_250_characters_can_be_written(tmp_path):
    name = "r" * 246 + ".txt"
    assert temp_prefix(tmp_path, name) == SHORT_TEMP_PREFIX
    write_text(plan(tmp_path / name), "x\n")
    assert (tmp_path / name).read_text() == "x\n"
    assert [p.name for p in tmp_path.iterdir()] == [name]  # no temporary file left


def test_a_folder_or_a_missing_folder_is_a_clear_error(tmp_path):
    with pytest.raises(OutputError, match="it is a folder"):
        plan(tmp_path)
    with pytest.raises(OutputError, match="the folder .* does not exist"):
        plan(tmp_path / "nowhere" / "x.txt")


def test_write_file_never_replaces_a_device(tmp_path):
    write_file("/dev/null", "saved case\n")  # as --save /dev/null would
    assert stat.S_ISCHR(os.stat("/dev/null").st_mode)


def test_an_encoding_without_the_characters_replaces_them():
    raw = io.BytesIO()
    stream = io.TextIOWrapper(raw, encoding="cp1252")
    forgiving(stream)
    stream.write("Café ✓ 中文 😀\n")
    stream.flush()
    assert raw.getvalue() == "Café ? ?? ?\n".encode("cp1252")


def test_nothing_but_the_target_is_created(tmp_path):
    write_text(plan(tmp_path / "a.md"), "x")
    assert sorted(p.name for p in Path(tmp_path).iterdir()) == ["a.md"]
