"""The case history: stored consultations, migrations, concurrent writers, and the CLI."""
import csv
import json
import sqlite3
import subprocess
import sys
from datetime import datetime, timezone

import pytest
from click.testing import CliRunner

from cli import main
from engine.history import store as h
from engine.consultation.cases import case_from_mapping
from engine.consultation.result import build_result
from engine.inference.runner import Advisor
from tests.conftest import ROOT, TINY_KB, write

FIRST_VISIT = """\
id: tiny-wait
enterprise: Test farm
officer: Ann
facts:
  months_to_first_benefit: 27
  profit_horizon_months: 6
  payback_months: 40
"""
SECOND_VISIT = """\
id: tiny-wait
enterprise: Test farm
facts:
  months_to_first_benefit: 3
  profit_horizon_months: 6
"""


def tiny_result(facts=None, case_id="tiny-wait", enterprise="Test farm") -> dict:
    advisor = Advisor.from_folder(TINY_KB)
    case = case_from_mapping({"id": case_id, "enterprise": enterprise,
                              "facts": facts or {"months_to_first_benefit": 27}}, advisor.kb)
    return build_result(advisor.kb, case, advisor.run(case.facts))


@pytest.fixture
def runner():
    return CliRunner(mix_stderr=False) if "mix_stderr" in CliRunner.__init__.__code__.co_varnames \
        else CliRunner()


def test_saved_consultation_reads_back_whole(tmp_path):
    result = tiny_result()
    db = tmp_path / "h.sqlite3"
    row_id = h.save_consultation(result, db, officer="Ann")
    with h.open_history(db) as history:
        row = history.get(row_id)
        listed = history.list()
    assert row["result"] == json.loads(json.dumps(result))
    assert row["facts"] == {"months_to_first_benefit": 27}
    assert (row["case_id"], row["enterprise"], row["officer"], row["verdict"]) == \
        ("tiny-wait", "Test farm", "Ann", "unlikely")
    assert (row["kb_version"], row["kb_digest"]) == ("0.0.1", result["knowledge_base"]["digest"])
    assert datetime.fromisoformat(row["created_at"]).utcoffset().total_seconds() == 0
    assert abs((datetime.now(timezone.utc) - datetime.fromisoformat(row["created_at"]))
               .total_seconds()) < 60
    assert [r["id"] for r in listed] == [row_id] and "result" not in listed[0]


def test_new_database_is_wal_and_at_the_current_schema(tmp_path):
    db = tmp_path / "sub" / "h.sqlite3"
    h.save_consultation(tiny_result(), db)
    conn = sqlite3.connect(db)
    assert conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    assert conn.execute("PRAGMA user_version").fetchone()[0] == h.SCHEMA_VERSION == 2
    assert conn.execute("PRAGMA application_id").fetchone()[0] == h.APPLICATION_ID


def test_database_path_comes_from_option_then_environment_then_data_dir(monkeypatch, tmp_path):
    monkeypatch.setenv("MSE_ADVISOR_DB", str(tmp_path / "env.db"))
    assert h.resolve_path(tmp_path / "opt.db") == tmp_path / "opt.db"
    assert h.resolve_path() == tmp_path / "env.db"
    monkeypatch.delenv("MSE_ADVISOR_DB")
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "xdg"))
    assert h.resolve_path() == tmp_path / "xdg" / "mse-advisor" / "history.sqlite3"
    monkeypatch.delenv("XDG_DATA_HOME")
    monkeypatch.setenv("HOME", str(tmp_path / "home"))
    assert h.resolve_path() == tmp_path / "home/.local/share/mse-advisor/history.sqlite3"


def test_version_1_database_is_migrated_and_keeps_its_rows(tmp_path):
    db = tmp_path / "old.sqlite3"
    result = tiny_result()
    conn = sqlite3.connect(db, isolation_level=None)
    for statement in h.MIGRATIONS[0]:
        conn.execute(statement)
    conn.execute("PRAGMA user_version = 1")
    conn.execute("INSERT INTO consultation (case_id, officer, created_at, kb_version, kb_digest,"
                 " facts_json, result_json) VALUES (?,?,?,?,?,?,?)",
                 ("tiny-wait", "Ann", "2025-01-02T03:04:05+00:00", "0.0.1", "sha256:x",
                  json.dumps(result["case"]["facts"]), json.dumps(result)))
    conn.close()
    with h.open_history(db) as history:
        assert history.conn.execute("PRAGMA user_version").fetchone()[0] == 2
        old = history.list()
        history.save(tiny_result({"months_to_first_benefit": 3}))
        assert [r["verdict"] for r in history.list()] == ["unlikely", "likely"]
    assert old[0]["enterprise"] == "Test farm" and old[0]["verdict"] == "unlikely"
    assert old[0]["created_at"] == "2025-01-02T03:04:05+00:00"


def test_failed_migration_leaves_the_old_version_intact(tmp_path, monkeypatch):
    db = tmp_path / "h.sqlite3"
    h.save_consultation(tiny_result(), db)
    broken = h.MIGRATIONS + (("ALTER TABLE consultation ADD COLUMN note TEXT",
                              "THIS IS NOT SQL"),)
    monkeypatch.setattr(h, "MIGRATIONS", broken)
    monkeypatch.setattr(h, "SCHEMA_VERSION", len(broken))
    with pytest.raises(h.HistoryError), h.open_history(db):
        pass
    conn = sqlite3.connect(db)
    assert conn.execute("PRAGMA user_version").fetchone()[0] == 2
    columns = [r[1] for r in conn.execute("PRAGMA table_info(consultation)")]
    assert "note" not in columns and conn.execute("SELECT count(*) FROM consultation") \
        .fetchone()[0] == 1


WRITER = """
import json, sys
sys.path.insert(0, sys.argv[1])
from engine.history.store import save_consultation
result = json.loads(open(sys.argv[2]).read())
for i in range(50):
    save_consultation(result, sys.argv[3], officer=f"{sys.argv[4]}-{i}")
"""


def test_two_processes_writing_50_consultations_each_lose_nothing(tmp_path):
    source = write(tmp_path / "result.json", json.dumps(tiny_result()))
    db = tmp_path / "shared.sqlite3"  # does not exist yet: both also race to create it
    writers = [subprocess.Popen([sys.executable, "-c", WRITER, str(ROOT), str(source), str(db),
                                 name], stderr=subprocess.PIPE, text=True)
               for name in ("a", "b")]
    errors = [w.communicate(timeout=120)[1] for w in writers]
    assert [w.returncode for w in writers] == [0, 0], errors
    with h.open_history(db) as history:
        officers = [r["officer"] for r in history.list()]
    assert sorted(officers) == sorted(f"{n}-{i}" for n in "ab" for i in range(50))


def test_locked_database_is_a_clear_error_after_the_busy_timeout(tmp_path, monkeypatch,
                                                                  runner):
    db = tmp_path / "h.sqlite3"
    h.save_consultation(tiny_result(), db)
    monkeypatch.setattr(h, "BUSY_TIMEOUT_S", 0.2)
    blocker = sqlite3.connect(db, isolation_level=None)
    blocker.execute("BEGIN IMMEDIATE")
    try:
        case = write(tmp_path / "case.yaml", FIRST_VISIT)
        r = runner.invoke(main, ["consult", str(case), "--kb", str(TINY_KB), "--db", str(db)])
    finally:
        blocker.execute("ROLLBACK")
        blocker.close()
    assert r.exit_code == 1
    assert "VERDICT: UNLIKELY" in r.stdout  # the report itself was produced
    assert f"Error: {db}: the history database stayed locked" in r.stderr
    assert "--no-save" in r.stderr and "Traceback" not in r.stderr


@pytest.mark.parametrize("make, message", [
    (lambda p: p.write_bytes(b"this is not a database at all" * 40), "not a readable history"),
    (lambda p: sqlite3.connect(p).execute("CREATE TABLE other (x)"), "not an mse-advisor"),
    (lambda p: sqlite3.connect(p).execute("PRAGMA user_version = 7"), "written by a newer"),
])
def test_unusable_database_is_a_clear_error_with_exit_1(tmp_path, runner, make, message):
    db = tmp_path / "h.sqlite3"
    make(db)
    for args in (["history", "list"], ["history", "show", "1"], ["history", "export"],
                 ["consult", str(write(tmp_path / "c.yaml", FIRST_VISIT)), "--kb",
                  str(TINY_KB)]):
        r = runner.invoke(main, args + ["--db", str(db)])
        assert r.exit_code == 1, (args, r.output)
        assert f"Error: {db}: " in r.stderr and message in r.stderr
        assert "Traceback" not in r.stderr


def test_no_save_leaves_no_history(tmp_path, runner, history_db):
    case = write(tmp_path / "case.yaml", FIRST_VISIT)
    r = runner.invoke(main, ["consult", str(case), "--kb", str(TINY_KB), "--no-save"])
    assert r.exit_code == 0 and not history_db.exists()
    r = runner.invoke(main, ["history", "list"])
    assert r.exit_code == 0 and r.stdout == f"No consultations stored yet ({history_db}).\n"


@pytest.fixture
def two_visits(tmp_path, runner):
    """Two consultations of the same enterprise in the MSE_ADVISOR_DB history: #1 and #2."""
    for name, text, extra in (("v1.yaml", FIRST_VISIT, []),
                              ("v2.yaml", SECOND_VISIT, ["--officer", "Bo"])):
        r = runner.invoke(main, ["consult", str(write(tmp_path / name, text)), "--kb",
                                 str(TINY_KB), *extra])
        assert r.exit_code == 0, r.output
    return tmp_path


def test_history_list_shows_each_consultation(runner, two_visits):
    r = runner.invoke(main, ["history", "list", "--case", "tiny-wait"])
    assert r.exit_code == 0 and r.stderr == ""
    lines = r.stdout.splitlines()
    assert lines[0].split() == ["id", "time", "(UTC)", "case", "enterprise", "officer",
                                "verdict", "confidence", "kb"]
    assert lines[1].split()[0] == "1" and "Ann" in lines[1] and "unlikely  high" in lines[1]
    assert lines[2].split()[0] == "2" and "Bo" in lines[2] and "likely    medium" in lines[2]
    assert runner.invoke(main, ["history", "list", "--case", "other"]).stdout == \
        "No consultations of case other.\n"


def test_history_show_prints_the_stored_result(runner, two_visits):
    r = runner.invoke(main, ["history", "show", "1", "--kb", str(TINY_KB)])
    assert r.exit_code == 0
    assert r.stdout.startswith("Consultation #1 of ") and " by Ann;" in r.stdout
    assert "VERDICT: UNLIKELY" in r.stdout and "TM-1" not in r.stdout  # plain words (issue 14)
    technical = runner.invoke(main, ["history", "show", "1", "--kb", str(TINY_KB), "--technical"])
    assert "rule TM-1" in technical.stdout
    data = json.loads(runner.invoke(main, ["history", "show", "2", "--format", "json"]).stdout)
    assert data["id"] == 2 and data["result"]["verdict"]["value"] == "likely"
    r = runner.invoke(main, ["history", "show", "9"])
    assert r.exit_code == 1 and "no consultation #9" in r.stderr


def test_history_compare_names_what_changed_between_visits(runner, two_visits):
    r = runner.invoke(main, ["history", "compare", "1", "2", "--kb", str(TINY_KB)])
    assert r.exit_code == 0, r.output
    out = r.stdout
    assert out.startswith("Test farm: visit #1 (")
    # each verdict with its confidence: the second visit left the payback open (issue 12)
    assert "VERDICT: unlikely (confidence high) -> likely (confidence medium)" in out
    assert "  months_to_first_benefit: 27 -> 3" in out
    assert "  payback_months: 40 -> (not given)" in out
    assert "  time: barrier (significant) -> enabler" in out
    assert "  + quick_benefit" in out and "  - wait_longer_than_horizon" in out
    assert "  - STAGED (Staged)" in out
    diff = json.loads(runner.invoke(main, ["history", "compare", "1", "2", "--format",
                                           "json"]).stdout)
    assert diff["recommendations"] == {"added": [], "removed": ["STAGED"], "kept": []}
    assert diff["same_knowledge_base"] is True


def test_history_compare_refuses_two_different_enterprises(runner, tmp_path, history_db):
    h.save_consultation(tiny_result(), history_db)
    h.save_consultation(tiny_result(case_id="other", enterprise="Another farm"), history_db)
    r = runner.invoke(main, ["history", "compare", "1", "2"])
    assert r.exit_code == 2
    assert "compare two visits of the same enterprise" in r.stderr


def test_history_export_jsonl_and_csv(runner, two_visits, tmp_path):
    r = runner.invoke(main, ["history", "export"])
    records = [json.loads(line) for line in r.stdout.splitlines()]
    assert [x["id"] for x in records] == [1, 2]
    assert records[1]["facts"] == {"months_to_first_benefit": 3, "profit_horizon_months": 6}
    assert records[0]["result"]["recommendations"][0]["intervention"] == "STAGED"
    out = tmp_path / "export.csv"
    r = runner.invoke(main, ["history", "export", "--format", "csv", "--out", str(out)])
    assert r.exit_code == 0 and r.stdout == ""
    rows = list(csv.DictReader(out.open()))
    assert [(x["id"], x["verdict"], x["recommendations"]) for x in rows] == \
        [("1", "unlikely", "STAGED"), ("2", "likely", "")]
    assert json.loads(rows[0]["facts_json"])["payback_months"] == 40
