"""Batch screening: CSV, JSON-lines and folders in; one row per case out; resumable."""
import csv
import json

import pytest
from click.testing import CliRunner

from cli import main
from engine.consultation import batch
from engine.knowledge.spec import FACTOR_IDS
from tests.conftest import TINY_KB, write

HEADER = "id,months_to_first_benefit,profit_horizon_months,payback_months,upgrade_type\n"


@pytest.fixture
def runner():
    return CliRunner()


def screen(runner, *args):
    return runner.invoke(main, ["batch", *map(str, args), "--kb", str(TINY_KB)])


def survey(tmp_path, rows: str):
    return write(tmp_path / "survey.csv", HEADER + rows)


def test_csv_survey_gives_one_row_per_case_with_verdict_factors_and_recommendations(
        runner, tmp_path):
    src = survey(tmp_path, "a1,27,6,,\na2,3,12,,process;channel\n")
    out = tmp_path / "out.csv"
    r = screen(runner, src, "--out", out)
    assert r.exit_code == 0, r.output
    assert r.stdout == (f"2 done, 0 skipped (already in {out}), 0 invalid; 2 rows read of 3 "
                        "lines (1 header)\n")  # every line accounted for (issue 17)
    rows = list(csv.DictReader(out.open()))
    assert list(rows[0]) == ["id", "verdict", *FACTOR_IDS, "recommendations",
                             *batch.screening.METADATA_COLUMNS]  # metadata passed through
    assert (rows[0]["id"], rows[0]["verdict"], rows[0]["time"]) == ("a1", "unlikely", "barrier")
    assert rows[0]["recommendations"] == "STAGED"
    assert (rows[1]["verdict"], rows[1]["time"], rows[1]["recommendations"]) == \
        ("likely", "enabler", "")


def test_invalid_row_is_reported_with_its_row_number_and_does_not_stop_the_batch(
        runner, tmp_path):
    src = survey(tmp_path, "a1,27,6,,\nbad,soon,6,,\na3,3,12,,\n")
    out = tmp_path / "out.jsonl"
    r = screen(runner, src, "--out", out)
    assert r.exit_code == 2
    assert r.stdout == (f"2 done, 0 skipped (already in {out}), 1 invalid; 3 rows read of 4 "
                        "lines (1 header)\n")
    assert r.stderr == (f"Error: {src}:3: column months_to_first_benefit: months_to_first_benefit "
                        "takes a whole number of at least 0, not 'soon'\n")
    assert [json.loads(line)["case_id"] for line in out.open()] == ["a1", "a3"]


def test_blank_cell_is_unknown_not_zero(runner, tmp_path):
    src = survey(tmp_path, "a1,,6,,\n")
    out = tmp_path / "out.jsonl"
    assert screen(runner, src, "--out", out).exit_code == 0
    result = json.loads(out.read_text())
    assert "months_to_first_benefit" not in result["case"]["facts"]
    assert "TM-1" not in [t["rule"] for t in result["trace"]]


def test_jsonl_output_carries_the_whole_result_as_consult_gives_it(runner, tmp_path):
    case = write(tmp_path / "cases" / "c1.yaml", "id: c1\nfacts:\n  months_to_first_benefit: 27\n"
                                                 "  profit_horizon_months: 6\n")
    out = tmp_path / "out.jsonl"
    assert screen(runner, case.parent, "--out", out).exit_code == 0
    consulted = runner.invoke(main, ["consult", str(case), "--format", "json", "--no-save",
                                     "--kb", str(TINY_KB)])
    assert json.loads(out.read_text()) == json.loads(consulted.stdout)


def test_jsonl_input_rows_are_cases_and_bad_json_names_its_line(runner, tmp_path):
    src = write(tmp_path / "in.jsonl", '{"id": "j1", "facts": {"payback_months": 30}}\n\n'
                                       '{"id": "j2", "facts": {"paybak_months": 3}}\n{oops\n')
    out = tmp_path / "out.jsonl"
    r = screen(runner, src, "--out", out)
    assert r.exit_code == 2 and r.stdout.startswith("1 done, 0 skipped")
    assert f'{src}:3:25: unknown fact "paybak_months" (did you mean "payback_months"?)' \
        in r.stderr  # a row is read as a .json case file is: the column of the slip too
    assert f"{src}:4:2: not valid JSON" in r.stderr


def test_rerun_skips_done_cases_and_drops_a_torn_last_line(runner, tmp_path):
    src = survey(tmp_path, "a1,27,6,,\na2,3,12,,\na3,9,,,\n")
    out = tmp_path / "out.jsonl"
    assert screen(runner, src, "--out", out).exit_code == 0
    lines = out.read_text().splitlines(keepends=True)
    out.write_text(lines[0] + lines[1][:40])  # killed while writing a2
    r = screen(runner, src, "--out", out)
    assert r.exit_code == 0
    assert r.stdout.startswith(f"2 done, 1 skipped (already in {out}), 0 invalid; 3 rows read")
    assert [json.loads(line)["case_id"] for line in out.open()] == ["a1", "a2", "a3"]


def test_rerun_of_csv_output_keeps_one_header(runner, tmp_path):
    src = survey(tmp_path, "a1,27,6,,\na2,3,12,,\n")
    out = tmp_path / "out.csv"
    screen(runner, src, "--out", out)
    r = screen(runner, src, "--out", out)
    assert r.stdout.startswith("0 done, 2 skipped")
    assert [row[0] for row in csv.reader(out.open())] == ["id", "a1", "a2"]


def test_output_in_the_other_format_is_a_usage_error(runner, tmp_path):
    src = survey(tmp_path, "a1,27,6,,\n")
    out = tmp_path / "out.txt"
    screen(runner, src, "--out", out, "--format", "csv")
    r = screen(runner, src, "--out", out, "--format", "jsonl")
    assert r.exit_code == 2 and "--format csv" in r.stderr


def test_repeated_id_is_invalid(runner, tmp_path):
    src = survey(tmp_path, "a1,27,6,,\na1,3,12,,\n")
    r = screen(runner, src, "--out", tmp_path / "o.jsonl")
    assert r.exit_code == 2
    assert f'{src}:3: id "a1" was already used by row 2' in r.stderr


def test_unknown_column_is_ignored_with_one_warning_and_a_suggestion(tmp_path):
    """Survey tools add columns of their own (issue 17): an unknown column no longer stops the
    file; it is named once, with the fact it may have meant, and the rows are screened."""
    from engine.knowledge.loader import load_knowledge_base

    src = write(tmp_path / "s.csv", "id,paybak_months,deviceid\na1,3,x\n")
    out, warnings = tmp_path / "o.jsonl", []
    counts = batch.run_batch(src, out, load_knowledge_base(TINY_KB), TINY_KB,
                             on_warning=warnings.append)
    assert counts.done == 1 and len(warnings) == 1
    assert '"paybak_months" (did you mean "payback_months"?), "deviceid"' in warnings[0]
    assert json.loads(out.read_text())["case"]["facts"] == {}


def test_a_file_without_an_id_column_stops_before_any_row(runner, tmp_path):
    src = write(tmp_path / "s.csv", "case,payback_months\na1,3\n")
    out = tmp_path / "o.jsonl"
    r = screen(runner, src, "--out", out)
    assert r.exit_code == 2 and 'no "id" column' in r.stderr
    assert not out.exists()


def test_two_jobs_give_the_same_rows_in_the_same_order(runner, tmp_path):
    rows = "".join(f"c{i},{i % 30},{6 + i % 7},{i % 50},\n" for i in range(70))
    src = survey(tmp_path, rows)
    one, two = tmp_path / "one.csv", tmp_path / "two.csv"
    assert screen(runner, src, "--out", one).exit_code == 0
    assert screen(runner, src, "--out", two, "--jobs", "2").exit_code == 0
    assert one.read_text() == two.read_text()


def test_screen_keeps_a_bounded_number_of_cases_in_flight():
    consumed = 0

    def items():
        nonlocal consumed
        for i in range(2000):
            consumed += 1
            yield batch.Item(i + 1, f"row {i + 1}", f"c{i}", {"payback_months": i % 40})

    results = batch.screen(items(), TINY_KB, "csv", jobs=2)
    next(results)
    assert consumed <= (2 * batch.WINDOW + 1) * batch.CHUNK
    results.close()
