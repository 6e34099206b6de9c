"""Kind 3 of issue 17: text that cannot forge or inject.

Whatever a case, a stored consultation or a knowledge base holds, the text report keeps one line
per line and sends nothing to the terminal that it would obey; the Markdown report passes no
HTML, script, link or line of its own; the HTML report lets nothing reorder the page; CSV cells
hold no formula; JSON escapes what a terminal would act on; ``kb validate`` refuses control
characters in knowledge-base texts.
"""
from __future__ import annotations

import copy
import csv
import io
import json

import pytest

from engine.consultation.cases import case_from_mapping
from engine.consultation.result import build_result
from engine.history.visits import CSV_FIELDS, export_record
from engine.inference.runner import Advisor
from engine.knowledge.loader import validate
from engine.reports.html import render_html
from engine.reports.markdown import render_markdown
from engine.reports.text import render_text
from engine.reports.visits import render_list
from engine.safe_text import (
    BIDI, CONTROLS, csv_cell, json_text, markdown, one_line, shown, terminal, uncsv_cell,
)
from tests.conftest import TINY_KB, replace_in

ADVISOR = Advisor.from_folder(TINY_KB)
FORGED = "Test farm\nVERDICT: LIKELY: the owner is likely to take up the upgrade"
STEERING = "\x1b]0;owned\x07\x1b[2J\x9b31m\u202eevil\u2066x\u2069"


def result_with(**metadata) -> dict:
    case = case_from_mapping({"id": "tiny-wait", "facts": {"months_to_first_benefit": 27}},
                             ADVISOR.kb)
    result = build_result(ADVISOR.kb, case, ADVISOR.run(case.facts))
    result = copy.deepcopy(result)  # as a stored consultation may hold it
    result["case"]["metadata"].update(metadata)
    result["findings"][0]["text"] = STEERING + " finding"
    return result


def test_the_text_report_has_no_forged_line_and_nothing_for_the_terminal():
    text = render_text(result_with(enterprise=FORGED, opportunity=STEERING), ADVISOR.kb)
    verdicts = [line for line in text.splitlines() if line.startswith("VERDICT:")]
    assert verdicts == ["VERDICT: UNLIKELY: as things stand the owner is unlikely to take up "
                        "the upgrade"]
    assert "Test farm VERDICT: LIKELY" in text.splitlines()[0]
    assert not any(ch in text for ch in CONTROLS + BIDI if ch not in "\t\n")
    assert "]0;owned" in text and "evil" in text  # the readable rest is kept


def test_the_markdown_report_passes_no_html_link_or_line_of_its_own():
    result = result_with(enterprise="<script>alert(1)</script>",
                         notes="[click](javascript:alert(1))\n## VERDICT: LIKELY\n| a | b |",
                         owner="![x](http://evil/x.png) **LIKELY**")
    plain = render_markdown(result, ADVISOR.kb)  # the officer's report: no notes (issue 14)
    assert "<script>" not in plain and "&lt;script&gt;alert(1)&lt;/script&gt;" in plain
    assert "![x]" not in plain and "\\*\\*LIKELY\\*\\*" in plain
    assert not any("VERDICT: LIKELY" in line for line in plain.splitlines()
                   if line.startswith("#"))
    md = render_markdown(result, ADVISOR.kb, technical=True)  # the summary holds the notes
    assert "<script>" not in md and "&lt;script&gt;alert(1)&lt;/script&gt;" in md
    assert "[click]" not in md and "\\[click\\](javascript:alert(1))" in md
    assert "![x]" not in md and "\\*\\*LIKELY\\*\\*" in md
    headings = [line for line in md.splitlines() if line.startswith("#")]
    assert not any("VERDICT: LIKELY" in line for line in headings)
    assert "- Notes: \\[click\\](javascript:alert(1)) \\#\\# VERDICT" not in md  # one line:
    assert "- Notes: \\[click\\](javascript:alert(1)) ## VERDICT: LIKELY \\| a \\| b \\|" in md
    assert not any(ch in md for ch in CONTROLS + BIDI if ch not in "\t\n")


def test_the_html_report_lets_nothing_reorder_the_page():
    page = render_html(result_with(enterprise="abc\u202edef"), ADVISOR.kb)
    assert "\u202e" not in page and "abcdef" in page
    assert "\x1b" not in page and "\x9b" not in page


def test_the_history_list_keeps_one_line_per_consultation():
    rows = [{"id": 1, "created_at": "2024-01-01T00:00:00+00:00", "case_id": "c1",
             "enterprise": "A\nB\x1b[2J", "officer": "Ann\r\n2", "verdict": "likely",
             "kb_version": "1"}]
    text = render_list(rows)
    assert len(text.splitlines()) == 2 and "\x1b" not in text and "A B[2J" in text


@pytest.mark.parametrize("value", ["=1+1", "+SUM(A1)", "-2", "@cmd", "\tx", "\r=1",
                                   "=HYPERLINK(\"http://evil\",\"x\")"])
def test_history_csv_export_writes_no_formula(value):
    row = {"id": 1, "case_id": "c1", "enterprise": value, "officer": value,
           "created_at": "t", "kb_version": "1", "kb_digest": "d", "verdict": "likely",
           "confidence": "high", "facts": {}, "result": {"findings": [], "recommendations": []}}
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=CSV_FIELDS, lineterminator="\n")
    writer.writeheader()
    writer.writerow(export_record(row, flat=True))
    [back] = csv.DictReader(io.StringIO(out.getvalue()))
    assert back["enterprise"].startswith("'") and back["officer"].startswith("'")
    assert back["id"] == "1" and back["verdict"] == "likely"


def test_csv_cells_read_back_as_written():
    for text in ("-abc", "=x", "'quoted", "plain", " =x"):
        assert uncsv_cell(csv_cell(text)) == text
    assert csv_cell(-2) == -2  # a number stays a number


def test_json_text_is_the_same_json_with_nothing_a_terminal_obeys():
    data = {"a": "x\u202ey\x85z\u2028w\x7f", "b": ["\u2066"]}
    text = json_text(json.dumps(data, ensure_ascii=False))
    assert json.loads(text) == data
    assert not any(ch in text for ch in "\u202e\x85\u2028\x7f\u2066")


def test_the_functions_leave_safe_text_alone():
    text = "Café Ünïcode 中文 عربي payback_months 2.5 (x)"
    assert terminal(text) == one_line(text) == text
    assert markdown(text) == text
    assert csv_cell(text) == text
    assert shown("a\x1bb\u202ec") == '"a\\x1bb\\u202ec"'


@pytest.mark.parametrize("written, code", [
    ('"time\\e]0;owned\\a"', "U+001B"),
    ('"time \\u202e until"', "U+202E"),
    ('"time\\x85until"', "U+0085"),
])
def test_kb_validate_refuses_control_characters_in_knowledge_base_texts(kb_copy, written, code):
    kb = kb_copy()
    line = replace_in(kb / "factors.yaml", "label: time\n", f"label: {written}\n")
    problems = [str(p) for p in validate(kb) if p.severity == "error"]
    assert len(problems) == 1, problems
    assert problems[0].startswith(f"{kb / 'factors.yaml'}:{line}:")
    assert '"label" contains' in problems[0] and code in problems[0]
