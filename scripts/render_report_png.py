#!/usr/bin/env python3
"""Render the HTML report of each bundled case to PNG (and optionally PDF) in headless Chromium.

A check that the reports render and print, not part of the advisor: it runs each case, writes
its HTML report, and asks Chromium (Debian package ``chromium``) for a screenshot of the first
A4 page (1240 x 1754 pixels, A4 at 150 dpi) and, with ``--pdf``, the printed A4 PDF. Chromium
runs with a fresh profile folder and its background networking off; the page itself needs no
network. Prints one line per case: the PNG path and its size, and the PDF's page count.

    python scripts/render_report_png.py                       # every case in knowledge_base/cases
    python scripts/render_report_png.py CASE.yaml --kb DIR --out-dir /tmp/reports --pdf

Exit codes: 0 every report rendered; 1 Chromium is missing or a render failed; 2 bad arguments.
"""
from __future__ import annotations

import argparse
import re
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

CHROMIUM = "/usr/bin/chromium"
WINDOW = "1240,1754"
FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
         "--disable-background-networking", "--disable-component-update", "--disable-sync",
         "--hide-scrollbars"]


def chromium(binary: str, target: Path, page: Path, timeout: float) -> None:
    """Run Chromium once with a new profile folder; ``--screenshot`` or ``--print-to-pdf``."""
    option = "--print-to-pdf" if target.suffix == ".pdf" else "--screenshot"
    with tempfile.TemporaryDirectory(prefix="mse-chromium-") as profile:
        cmd = [binary, *FLAGS, f"--user-data-dir={profile}", f"{option}={target}",
               f"--window-size={WINDOW}"]
        if option == "--print-to-pdf":
            cmd.append("--no-pdf-header-footer")
        cmd.append(page.resolve().as_uri())
        done = subprocess.run(cmd, capture_output=True, text=True, timeout=timeout,
                              check=False)
    if done.returncode != 0 or not target.exists() or target.stat().st_size == 0:
        tail = (done.stderr or "").strip().splitlines()[-3:]
        raise RuntimeError(f"chromium failed on {page} (exit {done.returncode}): "
                           + " | ".join(tail))


def pdf_pages(path: Path) -> int:
    return len(re.findall(rb"/Type\s*/Page[^s]", path.read_bytes()))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("cases", nargs="*", type=Path,
                        help="case files (default: every bundled case)")
    parser.add_argument("--kb", type=Path, default=ROOT / "knowledge_base")
    parser.add_argument("--out-dir", type=Path, default=ROOT / "build" / "reports")
    parser.add_argument("--chromium", default=CHROMIUM)
    parser.add_argument("--pdf", action="store_true", help="also print each report to A4 PDF")
    parser.add_argument("--timeout", type=float, default=120)
    args = parser.parse_args(argv)

    binary = shutil.which(args.chromium) or (args.chromium if Path(args.chromium).exists()
                                             else None)
    if binary is None:
        print(f"Error: {args.chromium} not found; install it with "
              "'apt-get install -y chromium' or pass --chromium PATH", file=sys.stderr)
        return 1
    from engine.consultation.cases import load_case
    from engine.errors import AdvisorError
    from engine.reports.formats import render
    from engine.consultation.result import build_result
    from engine.inference.runner import Advisor

    cases = args.cases or sorted((args.kb / "cases").glob("*.yaml"))
    if not cases:
        print(f"Error: no case files given and none in {args.kb / 'cases'}", file=sys.stderr)
        return 2
    args.out_dir.mkdir(parents=True, exist_ok=True)
    failures = 0
    try:
        advisor = Advisor.from_folder(args.kb)
    except AdvisorError as exc:
        print(f"Error: {exc}", file=sys.stderr)
        return 1
    for path in cases:
        try:
            case = load_case(path, advisor.kb)
            html = render(build_result(advisor.kb, case, advisor.run(case.facts)),
                          advisor.kb, "html")
            page = args.out_dir / f"{case.id}.html"
            page.write_text(html, encoding="utf-8")
            png = args.out_dir / f"{case.id}.png"
            png.unlink(missing_ok=True)
            chromium(binary, png, page, args.timeout)
            line = f"{png} ({png.stat().st_size} bytes)"
            if args.pdf:
                pdf = args.out_dir / f"{case.id}.pdf"
                pdf.unlink(missing_ok=True)
                chromium(binary, pdf, page, args.timeout)
                line += f"; {pdf} ({pdf_pages(pdf)} A4 pages)"
            print(line)
        except (AdvisorError, RuntimeError, OSError, subprocess.TimeoutExpired) as exc:
            failures += 1
            print(f"Error: {path}: {exc}", file=sys.stderr)
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
