"""Issue 17 through the command line: what each kind of fault looks like to the user now.

Output never destroys (devices, inputs, the history, existing files, long names, closed pipes,
code pages), text cannot steer the terminal, a survey's extra columns are one warning and every
line is counted, a damaged history row is left out with a warning, and every way an interview
is told to stop saves its answers.
"""
from __future__ import annotations

import json
import os
import signal
import sqlite3
import stat
import subprocess
import sys

import pexpect
import pytest
from click.testing import CliRunner

from cli import main
from engine.history import store
from tests.conftest import ROOT, TINY_KB, write
from tests.test_history import tiny_result
from tests.test_interview import saved, spawn

CASE = "id: c1\nenterprise: Test farm\nfacts:\n  months_to_first_benefit: 27\n"


@pytest.fixture
def runner():
    return CliRunner(mix_stderr=False) if "mix_stderr" in CliRunner.__init__.__code__.co_varnames \
        else CliRunner()


def consult(runner, *args):
    return runner.invoke(main, ["consult", *map(str, args), "--kb", str(TINY_KB), "--no-save"])


def test_out_dev_null_stays_a_device(runner, tmp_path):
    r = consult(runner, write(tmp_path / "c.yaml", CASE), "--out", "/dev/null")
    assert r.exit_code == 0, r.output
    assert stat.S_ISCHR(os.stat("/dev/null").st_mode)


def test_out_never_writes_over_the_case_the_history_or_the_knowledge_base(runner, tmp_path,
                                                                          history_db):
    case = write(tmp_path / "c.yaml", CASE)
    store.save_consultation(tiny_result(), history_db)
    before = history_db.read_bytes()
    for out, what in ((case, "is an input of this command"),
                      (history_db, "is the history database"),
                      (TINY_KB / "facts.yaml", "is an input of this command")):
        r = consult(runner, case, "--out", out, "--force")
        assert r.exit_code == 2 and what in r.stderr, (out, r.stderr)
    assert case.read_text() == CASE and history_db.read_bytes() == before


def test_an_existing_report_is_replaced_only_with_force(runner, tmp_path):
    case = write(tmp_path / "c.yaml", CASE)
    report = write(tmp_path / "report.txt", "keep me\n")
    r = consult(runner, case, "--out", report)
    assert r.exit_code == 2 and "exists already: add --force" in r.stderr
    assert report.read_text() == "keep me\n"
    assert consult(runner, case, "--out", report, "--force").exit_code == 0
    assert "VERDICT" in report.read_text()


def test_a_250_character_out_name_is_written(runner, tmp_path):
    out = tmp_path / ("r" * 246 + ".txt")
    r = consult(runner, write(tmp_path / "c.yaml", CASE), "--out", out)
    assert r.exit_code == 0, r.stderr
    assert "VERDICT" in out.read_text()


def test_a_new_report_is_private(runner, tmp_path):
    out = tmp_path / "r.md"
    consult(runner, write(tmp_path / "c.yaml", CASE), "--format", "markdown", "--out", out)
    assert stat.S_IMODE(out.stat().st_mode) == 0o600


def run_cli(*args, **kwargs):
    return subprocess.Popen([sys.executable, "-c", "from cli import main; main()", *args],
                            cwd=ROOT, **kwargs)


@pytest.mark.parametrize("read_first", [False, True], ids=["reader-gone", "head-1"])
def test_a_pipe_closed_by_its_reader_ends_quietly(read_first):
    """``mse-advisor kb docs --out - | head -1``, and a reader gone before the first byte: a
    write that fails ends the command with 141 as SIGPIPE would (Python may also find the whole
    text taken by the pipe and end with 0); never a message."""
    child = run_cli("kb", "docs", "--out", "-", stdout=subprocess.PIPE,
                    stderr=subprocess.PIPE)
    if read_first:
        child.stdout.readline()
    child.stdout.close()
    err = child.stderr.read().decode()
    child.wait(60)
    assert child.returncode in ((0, 141) if read_first else (141,)) and err == "", err


def test_a_code_page_without_the_characters_prints_question_marks(tmp_path):
    case = write(tmp_path / "c.yaml", CASE.replace("Test farm", "Café 中文 😀 ✓"))
    child = run_cli("consult", str(case), "--kb", str(TINY_KB), "--no-save",
                    stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                    env={**os.environ, "PYTHONIOENCODING": "cp1252"})
    out, err = child.communicate(timeout=60)
    assert child.returncode == 0, err.decode()
    assert "Case c1: Café ?? ? ?".encode("cp1252") in out


def test_messages_and_reports_send_nothing_the_terminal_would_obey(runner, tmp_path):
    name = tmp_path / "evil\x1b]0;owned\x07\u202e.yaml"
    r = consult(runner, name)
    assert r.exit_code == 2 and "\x1b" not in r.stderr and "\u202e" not in r.stderr
    case = write(tmp_path / "c.yaml", CASE.replace("Test farm", '"Farm\\u202e x"'))
    r = consult(runner, case, "--format", "json")
    assert r.exit_code == 0 and "\u202e" not in r.stdout and "\\u202e" in r.stdout
    assert json.loads(r.stdout)["case"]["metadata"]["enterprise"] == "Farm\u202e x"


def test_an_officer_that_could_not_be_saved_is_refused_before_anything(runner, tmp_path):
    case = write(tmp_path / "c.yaml", CASE)
    r = runner.invoke(main, ["consult", str(case), "--kb", str(TINY_KB), "--officer",
                             "Ann\x1b[2J"])
    assert r.exit_code == 2 and "--officer" in r.stderr and "control characters" in r.stderr
    r = runner.invoke(main, ["consult", "--kb", str(TINY_KB), "--officer", "Ann\x07"],
                      input="6\n")
    assert r.exit_code == 2 and "How long" not in r.stderr


def test_save_over_an_existing_file_needs_force(runner, tmp_path):
    other = write(tmp_path / "other.yaml", "keep me\n")
    r = runner.invoke(main, ["consult", "--kb", str(TINY_KB), "--save", str(other), "--no-save"],
                      input="6\n")
    assert r.exit_code == 2 and "exists already: add --force" in r.stderr
    assert other.read_text() == "keep me\n"


def test_batch_warns_once_of_ignored_columns_and_counts_every_line(runner, tmp_path):
    src = write(tmp_path / "s.csv", "start,deviceid,id,payback_months\n"
                                    "t,d,a1,3\n\nt,d,a2,\"4\"\n")
    out = tmp_path / "o.csv"
    r = runner.invoke(main, ["batch", str(src), "--out", str(out), "--kb", str(TINY_KB)])
    assert r.exit_code == 0, r.output
    assert r.stderr == (f'Warning: {src}:1: 2 column(s) ignored, not input facts, id or case '
                        'metadata: "start", "deviceid"\n')
    assert r.stdout.endswith("0 invalid; 2 rows read of 4 lines (1 header, 1 blank)\n")
    r = runner.invoke(main, ["batch", str(src), "--out", str(src), "--kb", str(TINY_KB)])
    assert r.exit_code == 2 and "is an input of this command" in r.stderr


def test_history_export_leaves_a_damaged_row_out_with_a_warning(runner, history_db):
    for _ in range(3):
        store.save_consultation(tiny_result(), history_db)
    conn = sqlite3.connect(history_db)
    conn.execute("UPDATE consultation SET result_json = 'not json' WHERE id = 2")
    conn.commit()
    conn.close()
    r = runner.invoke(main, ["history", "export"])
    assert r.exit_code == 0
    assert [json.loads(line)["id"] for line in r.stdout.splitlines()] == [1, 3]
    assert "consultation #2 is damaged" in r.stderr and r.stderr.startswith("Warning: ")
    r = runner.invoke(main, ["history", "show", "2"])
    assert r.exit_code == 1 and "consultation #2 is damaged" in r.stderr


@pytest.mark.parametrize("sig", ["SIGTERM", "SIGHUP"])
def test_an_interview_told_to_stop_saves_like_ctrl_c(tmp_path, sig):
    child = spawn("--save", "visit.yaml", cwd=tmp_path)
    for _ in range(6):  # the registration lines (issue 13), left empty
        child.expect("> ")
        child.sendline("")
    child.expect("> ")
    child.sendline("6")
    child.expect(r"Question 2 of about")
    child.expect("> ")
    child.kill(getattr(signal, sig))
    child.expect(pexpect.EOF)
    child.close()
    assert child.exitstatus == 130, (child.exitstatus, child.signalstatus)
    assert saved(tmp_path / "visit.yaml") == {"months_to_first_benefit": 6}


def test_the_report_prompt_asks_before_replacing_a_file(tmp_path):
    write(tmp_path / "report.md", "keep me\n")
    child = spawn("--save", "visit.yaml", cwd=tmp_path)
    child.expect("> ")
    child.sendline("done")
    child.expect("Printable report")
    child.sendline("report.md")
    child.expect(r"report.md exists. Replace it\?")
    child.sendline("n")
    child.expect("Type another name")
    child.expect("Printable report")
    child.sendline("")
    child.expect(pexpect.EOF)
    child.close()
    assert child.exitstatus == 0 and (tmp_path / "report.md").read_text() == "keep me\n"
