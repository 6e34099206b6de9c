"""Kind 4 of issue 17: survey CSV as it really comes.

Every physical line is accounted for; a stray or runaway quote costs one row, not the rest of the
file; a cell past csv's field limit is one bad row, not invented rows; ``;`` and tab delimiters,
a byte-order mark, CR LF, blank unnamed columns, ODK/KoboToolbox columns and group prefixes,
metadata columns, choices in any case or by a synonym, "25%" and a decimal comma are all read;
a case whose id is literally "id" is found again on resume.
"""
from __future__ import annotations

import csv
import json

import pytest

from engine.consultation.batch import MAX_RECORD_LINES, Tally, read_items, run_batch
from engine.knowledge.loader import load_knowledge_base
from tests.conftest import SHIPPED_KB, TINY_KB, write

KB = load_knowledge_base(TINY_KB)
HEADER = "id,payback_months,profit_horizon_months\n"


def items(tmp_path, text: str | bytes, name: str = "s.csv", kb=KB):
    path = tmp_path / name
    path.write_bytes(text if isinstance(text, bytes) else text.encode("utf-8"))
    tally = Tally()
    return list(read_items(path, kb, tally)), tally, path


def accounted(tally: Tally) -> bool:
    return tally.header + tally.blank + tally.row_lines == tally.lines


def rows(n: int, start: int = 0) -> str:
    return "".join(f"r{i},{i % 40},{6 + i % 5}\n" for i in range(start, start + n))


def test_a_quote_never_closed_costs_its_row_only(tmp_path):
    text = HEADER + rows(9) + 'r-bad,"12,6\n' + rows(40, 10)
    got, tally, path = items(tmp_path, text)
    bad = [i for i in got if not i.valid]
    assert [i.row for i in bad] == [11]
    assert "quote opened in this row is never closed" in bad[0].problems[0]
    assert bad[0].problems[0].startswith(f"{path}:11: ")
    assert sum(i.valid for i in got) == 49 and tally.rows == 50 and tally.lines == 51
    assert accounted(tally) and tally.summary() == "50 rows read of 51 lines (1 header)"


def test_a_stray_quote_closed_rows_later_costs_one_row_and_the_rows_between_are_read(tmp_path):
    text = HEADER + rows(5) + 'r-bad,"3,6\n' + rows(5, 5) + 'r-odd,4,6"\n' + rows(5, 10)
    got, tally, _ = items(tmp_path, text)
    assert [i.id for i in got if i.valid] == [f"r{i}" for i in range(15)]
    bad = [i for i in got if not i.valid]
    assert [i.row for i in bad] == [7, 13]  # 13: its quote, not at a cell's start, is text
    assert "closed only on line 13" in bad[0].problems[0]
    assert 'profit_horizon_months takes' in bad[1].problems[0]
    assert accounted(tally) and (tally.lines, tally.rows) == (18, 17)


def test_a_runaway_quote_in_a_long_file_costs_one_row(tmp_path):
    text = HEADER + 'r-bad,"1,6\n' + rows(MAX_RECORD_LINES + 50)
    got, tally, _ = items(tmp_path, text)
    assert [i.row for i in got if not i.valid] == [2]
    assert "never closed (by the end of the file)" in got[0].problems[0]
    assert sum(i.valid for i in got) == MAX_RECORD_LINES + 50 and accounted(tally)


@pytest.mark.parametrize("cell, message", [
    ('"' + "note\nr9,1,2\n" * 20_000 + '"', "40,001 lines and 240,008 characters: too large"),
    ('"' + "x" * 140_000 + '"', "field larger than field limit"),
    ('"' + "x\nr9,1,2\n" * 20 + '"', ""),  # a cell of 41 lines that look like rows: one cell
], ids=["many-lines", "past-csv-field-limit", "rows-inside-a-cell"])
def test_a_large_cell_is_one_row_never_invented_rows(tmp_path, cell, message):
    text = "id,payback_months,notes\n" + f"r1,1,{cell}\n" + "r2,2,fine\n"
    got, tally, _ = items(tmp_path, text)
    assert [i.id for i in got] == (["r1", "r2"] if not message else [None, "r2"])
    assert got[0].valid == (not message) and message in "".join(got[0].problems)
    assert accounted(tally) and tally.rows == 2


def test_a_european_spreadsheet_export_is_read(tmp_path):
    text = "\ufeffid;payback_months;upfront_cost_ratio;expected_net_gain_pct\r\n" \
           "e1;12;0,3;25,5%\r\n" "e2;1.000;;\r\n"
    got, tally, _ = items(tmp_path, text)
    assert got[0].valid and got[0].facts == {"payback_months": 12, "upfront_cost_ratio": 0.3,
                                             "expected_net_gain_pct": 25.5}
    assert "thousands separator" in got[1].problems[0]
    assert accounted(tally)


def test_tabs_blank_unnamed_columns_and_a_cr_lf_inside_a_quoted_cell(tmp_path):
    text = "id\tpayback_months\tnotes\t\t\r\nt1\t3\t\"first line\r\nsecond line\"\t\t\r\n" \
           "t2\t4\t\t\r\n"
    got, tally, _ = items(tmp_path, text)
    assert [i.valid for i in got] == [True, True], [i.problems for i in got]
    assert got[0].metadata == {"notes": "first line\nsecond line"}
    assert tally.summary() == "2 rows read of 4 lines (1 header, 1 inside multi-line rows)"


def test_an_odk_export_with_its_own_columns_and_group_prefixes(tmp_path):
    header = ("start,end,deviceid,SubmissionDate,enterprise,country,opportunity/upgrade_type,"
              "time_group/payback_months,time_group/Profit_Horizon_Months,_gps_latitude,"
              "meta/instanceID,id,_uuid\n")
    row = ("2024-05-01T09:00,2024-05-01T09:20,imei:35,2024-05-02,Moyo farm,Zimbabwe,"
           "process channel,12,6,-17.8,uuid:1,z1,abc\n")
    got, tally, path = items(tmp_path, header + row)
    [item] = got
    assert item.valid, item.problems
    assert item.facts == {"upgrade_type": ("process", "channel"), "payback_months": 12,
                          "profit_horizon_months": 6}
    assert item.metadata == {"enterprise": "Moyo farm", "country": "Zimbabwe"}
    [warning] = tally.warnings
    assert warning.startswith(f"{path}:1: 7 column(s) ignored") and '"_uuid"' in warning


def test_choices_in_any_case_synonyms_and_a_percent_sign(tmp_path):
    kb = load_knowledge_base(SHIPPED_KB)
    text = "id,owner_gender,finance_available,expected_net_gain_pct,can_be_staged\n" \
           "s1,Female,SACCO,25%,Yes\ns2,M,vsla,-5 %,no\ns3,femal,chama group,abc,maybe\n"
    got, _, _ = items(tmp_path, text, kb=kb)
    assert got[0].facts == {"owner_gender": "female", "finance_available": "microfinance",
                            "expected_net_gain_pct": 25, "can_be_staged": True}
    assert got[1].facts == {"owner_gender": "male", "finance_available": "savings_group",
                            "expected_net_gain_pct": -5, "can_be_staged": False}
    assert len(got[2].problems) == 4 and 'did you mean "female"' in got[2].problems[0]


def test_a_case_whose_id_is_id_is_found_again_on_resume(tmp_path):
    src = write(tmp_path / "s.csv", HEADER + "id,3,6\nother,4,6\n")
    out = tmp_path / "out.csv"
    first = run_batch(src, out, KB, TINY_KB)
    again = run_batch(src, out, KB, TINY_KB)
    assert (first.done, again.done, again.skip) == (2, 0, 2)
    assert [r[0] for r in csv.reader(out.open())] == ["id", "id", "other"]


@pytest.mark.parametrize("cell, shown", [("=HYPERLINK(\"http://x\")", "'=HYPERLINK"),
                                         ("+1", "'+1"), ("@SUM(A1)", "'@SUM"),
                                         ("-2+3", "'-2+3"), ("plain", "plain")])
def test_batch_csv_output_writes_no_formula(tmp_path, cell, shown):
    src = write(tmp_path / "s.csv", "id,enterprise,payback_months\n" +
                f'c1,"{cell.replace(chr(34), chr(34) * 2)}",3\n')
    out = tmp_path / "out.csv"
    run_batch(src, out, KB, TINY_KB)
    [row] = csv.DictReader(out.open())
    assert row["enterprise"].startswith(shown)


def test_json_lines_output_keeps_values_but_escapes_what_steers_a_terminal(tmp_path):
    src = write(tmp_path / "s.jsonl", json.dumps({"id": "j1", "enterprise": "a\u202eb\u2028c",
                                                  "facts": {}}, ensure_ascii=False) + "\n")
    out = tmp_path / "out.jsonl"
    run_batch(src, out, KB, TINY_KB)
    text = out.read_text(encoding="utf-8")
    assert "\u202e" not in text and "\\u202e" in text and "\\u2028" in text
    assert json.loads(text)["case"]["metadata"]["enterprise"] == "a\u202eb\u2028c"


def test_every_line_is_accounted_for_in_json_lines_too(tmp_path):
    text = '{"id": "a", "facts": {}}\n\n{"id": "b", "facts": {}}\n{oops\n'
    got, tally, _ = items(tmp_path, text, "s.jsonl")
    assert [i.valid for i in got] == [True, True, False]
    assert (tally.lines, tally.rows, tally.blank) == (4, 3, 1) and accounted(tally)
