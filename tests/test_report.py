"""The printable reports: a self-contained HTML page and Markdown with the same sections."""
import os
import re
import struct
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from cli import main
from engine.consultation.cases import case_from_mapping, load_case
from engine.reports.markdown import render_markdown
from engine.reports.html import RED, render_html
from engine.consultation.result import build_result
from engine.inference.runner import Advisor
from engine.knowledge.spec import FACTOR_IDS
from tests.conftest import ROOT, SHIPPED_KB, TINY_KB, write

TINY_CASE = TINY_KB.parent / "cases" / "tiny-wait.yaml"
SECTIONS = ("Case summary", "Verdict", "The twelve factors", "Findings",
            "What the officer can do", "To ask at the next visit", "Sources",
            "Appendix A: facts as recorded", "Appendix B: explanation trace")


def consult(kb_dir: Path, data: dict | None = None, path: Path = TINY_CASE):
    advisor = Advisor.from_folder(kb_dir)
    case = case_from_mapping(data, advisor.kb) if data else load_case(path, advisor.kb)
    return build_result(advisor.kb, case, advisor.run(case.facts)), advisor.kb


def html_sections(page: str) -> list[str]:
    return re.findall(r"<h2>([^<]*)</h2>", page)


def test_html_report_fetches_nothing_from_the_network():
    page = render_html(*consult(TINY_KB))
    assert page.startswith("<!DOCTYPE html>")
    assert not re.search(r"""(src|href)\s*=\s*["']?\s*(https?:)?//""", page, re.IGNORECASE)
    for outside in ("<script", "<link", "<img", "<iframe", "@import", "url(http", "@font-face"):
        assert outside not in page.lower()
    assert "@page" in page and "size: A4" in page


def test_html_report_has_every_section_in_order():
    page = render_html(*consult(TINY_KB), appendix=True)
    found = html_sections(page)
    assert [s for s in found if any(s.startswith(x) for x in SECTIONS)] == found
    assert [next(x for x in SECTIONS if s.startswith(x)) for s in found] == list(SECTIONS)


def test_html_chart_shows_all_twelve_factors_coloured_by_status():
    result, kb = consult(TINY_KB)
    chart = re.search(r"<svg.*?</svg>", render_html(result, kb), re.DOTALL).group(0)
    labels = re.findall(r'text-anchor="end">([^<]+)</text>', chart)
    assert labels == [kb.factors[f].label for f in FACTOR_IDS]
    # time is a significant barrier: one bar of the "significant" red; the rest are unknown
    assert chart.count(f'fill="{RED[2]}"') == 1
    unknown = [f for f in FACTOR_IDS if result["factors"][f]["status"] == "unknown"]
    assert len(unknown) == 11 and chart.count('fill="url(#hatch)"') == len(unknown)


def test_html_report_shows_findings_recommendations_unknowns_and_trace():
    result, kb = consult(TINY_KB)
    page = render_html(result, kb, appendix=True)
    assert "Benefits would start after 27 months, but the owner can wait about 6." in page
    assert "STAGED (Staged)" in page and "Start with a part that pays within 6 months." in page
    assert "Because:" in page and "VCW-2.8.4" in page
    assert "Factors that Condition MSE Upgrading" in page  # the source's title, not only its key
    assert "<td>TM-1</td>" in page  # the trace appendix
    assert "payback_months" in page and "40 months" in page  # the facts appendix


def test_html_report_escapes_every_value_from_the_case():
    result, kb = consult(TINY_KB, {"id": "x", "enterprise": "<script>alert(1)</script> & Co",
                                   "notes": '"><img src=x>', "facts": {"payback_months": 30}})
    page = render_html(result, kb)
    assert "<script" not in page and "<img" not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt; &amp; Co" in page


def test_html_report_lists_the_unknowns_with_their_questions():
    result, kb = consult(TINY_KB, {"id": "x", "facts": {"profit_horizon_months": 6}})
    page = render_html(result, kb)
    assert {u["fact"] for u in result["unknowns"]} >= {"months_to_first_benefit"}
    for u in result["unknowns"]:
        assert f"<code>{u['fact']}</code>" in page
    assert "Months from investment to the first extra income?" in page


def test_markdown_report_has_the_same_sections_as_the_html():
    result, kb = consult(TINY_KB)
    md = render_markdown(result, kb, technical=True, appendix=True)
    assert re.findall(r"^## (.+)$", md, re.MULTILINE) == html_sections(render_html(result, kb, appendix=True))
    assert "| time | barrier (significant) | ■■□ | - | wait_longer_than_horizon, " in md
    assert "- Because: Benefits would start after 27 months" in md
    assert "- **VCW-2.8.4**: Factors that Condition MSE Upgrading." in md


def test_markdown_table_cells_escape_pipes():
    result, kb = consult(TINY_KB, {"id": "x", "facts": {"payback_months": 30}})
    result["case"]["facts"]["payback_months"] = "a | b"
    assert "a \\| b" in render_markdown(result, kb, technical=True, appendix=True)


def test_shipped_case_report_has_all_factors_and_sections():
    result, kb = consult(SHIPPED_KB, path=SHIPPED_KB / "cases" / "zimbabwe-sorghum-after-dark.yaml")
    page = render_html(result, kb, appendix=True)
    # A real case leaves many facts unknown: the report leads with the ten that matter most
    # and keeps the rest for Appendix C, so the printed advice stays short.
    assert html_sections(page)[:len(SECTIONS)] == [
        next(h for h in html_sections(page) if h.startswith(x)) for x in SECTIONS]
    assert html_sections(page)[len(SECTIONS):] == [
        "Appendix C: other facts that could change the advice"]
    main_part = page.split("Appendix A")[0]
    assert main_part.count('<span class="answer">') == 10
    for u in result["unknowns"]:
        assert f"<code>{u['fact']}</code>" in page
    for fid in FACTOR_IDS:
        assert kb.factors[fid].label in page
    assert "REPOSITION" in page


def test_consult_writes_html_report_atomically_to_out(tmp_path, history_db):
    out = tmp_path / "report.html"
    r = CliRunner().invoke(main, ["consult", str(TINY_CASE), "--kb", str(TINY_KB),
                                  "--format", "html", "--out", str(out)])
    assert r.exit_code == 0, r.output
    assert r.stdout == f"Report written to {out}; stored as consultation #1.\n"
    assert out.read_text().startswith("<!DOCTYPE html>")
    assert [p.name for p in tmp_path.iterdir() if p.name.endswith(".tmp")] == []


def test_consult_out_in_missing_folder_is_a_clear_error(tmp_path):
    out = tmp_path / "no" / "such" / "report.md"
    r = CliRunner().invoke(main, ["consult", str(TINY_CASE), "--kb", str(TINY_KB),
                                  "--format", "markdown", "--out", str(out), "--no-save"])
    assert r.exit_code == 1
    assert f"Error: cannot write {out}" in r.output and "Traceback" not in r.output


def png_size(path: Path) -> tuple[int, int]:
    data = path.read_bytes()
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    return struct.unpack(">II", data[16:24])


CHROMIUM = Path("/usr/bin/chromium")


@pytest.mark.skipif(not CHROMIUM.exists() and not os.environ.get("MSE_REQUIRE_CHROMIUM"),
                    reason="headless Chromium (Debian package chromium) is not installed")
def test_html_report_renders_in_headless_chromium(tmp_path):
    case = write(tmp_path / "case.yaml", TINY_CASE.read_text().replace(
        "enterprise: Test farm", "enterprise: Test farm <b>&</b>"))
    done = subprocess.run([sys.executable, str(ROOT / "scripts" / "render_report_png.py"),
                           str(case), "--kb", str(TINY_KB), "--out-dir", str(tmp_path / "out")],
                          capture_output=True, text=True, timeout=180, check=False)
    assert done.returncode == 0, done.stderr
    png = tmp_path / "out" / "tiny-wait.png"
    assert str(png) in done.stdout
    assert png_size(png) == (1240, 1754)
    assert png.stat().st_size > 30_000  # a blank page of this size compresses to a few kB


@pytest.mark.skipif(not CHROMIUM.exists() and not os.environ.get("MSE_REQUIRE_CHROMIUM"),
                    reason="headless Chromium (Debian package chromium) is not installed")
def test_every_bundled_case_report_renders_in_headless_chromium(tmp_path):
    cases = sorted((SHIPPED_KB / "cases").glob("*.yaml"))
    done = subprocess.run([sys.executable, str(ROOT / "scripts" / "render_report_png.py"),
                           "--out-dir", str(tmp_path)],
                          capture_output=True, text=True, timeout=600, check=False)
    assert done.returncode == 0, done.stderr
    for case in cases:
        png = tmp_path / f"{case.stem}.png"
        assert png_size(png) == (1240, 1754), case.name
        assert png.stat().st_size > 30_000, case.name
