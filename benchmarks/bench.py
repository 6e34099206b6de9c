"""Measure the advisor against the targets of issue 6 and print a table (or JSON with --json).

Everything runs on the shipped knowledge base (or --kb) over cases generated from its fact
vocabulary with a fixed seed (``casegen``), so two runs on one machine measure the same work.
CLIPS runs the ``kb export --clips`` translation of the same rules on the same cases, in the
same process, so ``ratio_vs_clips`` holds on any machine. Command-line figures are wall-clock
times of fresh processes. Nothing here is a test: it measures and reports.

Usage: python benchmarks/bench.py [--json] [--cases N] [--batch-cases N] [--kb DIR]
"""
from __future__ import annotations

import argparse
import contextlib
import csv
import json
import os
import platform
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from benchmarks.casegen import generate_cases

TARGETS = {  # key: (limit, "max" or "min", unit)
    "kb_load_ms": (300, "max", "ms"),
    "ratio_vs_clips": (3, "max", "x"),
    "cli_help_ms": (150, "max", "ms"),
    "cli_consult_ms": (600, "max", "ms"),
    "batch_cases_per_s_2jobs": (500, "min", "cases/s"),
    "peak_rss_mb": (100, "max", "MB"),
}


def cli() -> list[str]:
    exe = shutil.which("mse-advisor")
    return [exe] if exe else [sys.executable, str(ROOT / "cli.py")]


def wall_ms(cmd: list[str], repeat: int) -> float:
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        subprocess.run(cmd, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        times.append((time.perf_counter() - start) * 1000)
    return statistics.median(times)


def p50_ms(fn, cases: list) -> float:
    for facts in cases[:10]:  # warm up
        fn(facts)
    times = []
    for facts in cases:
        start = time.perf_counter()
        fn(facts)
        times.append((time.perf_counter() - start) * 1000)
    return statistics.median(times)


def kb_load_ms(kb_dir: Path, repeat: int = 5) -> float:
    from engine import api

    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        api.fresh_advisor(kb_dir)
        times.append((time.perf_counter() - start) * 1000)
    return statistics.median(times)


def write_survey(path: Path, kb, cases: list) -> None:
    names = list(kb.input_facts)
    with open(path, "w", newline="", encoding="utf-8") as f:
        writer = csv.writer(f)
        writer.writerow(["id", *names])
        for i, facts in enumerate(cases):
            row = [f"bench-{i}"]
            for name in names:
                value = facts.get(name)
                if value is None:
                    row.append("")
                elif isinstance(value, tuple):
                    row.append(";".join(value) or "none")
                elif isinstance(value, bool):
                    row.append("yes" if value else "no")
                else:
                    row.append(value)
            writer.writerow(row)


def batch_rate(survey: Path, out: Path, kb_dir: Path, jobs: int, n: int) -> float:
    if out.exists():
        out.unlink()
    start = time.perf_counter()
    subprocess.run(cli() + ["batch", str(survey), "--out", str(out), "--jobs", str(jobs),
                            "--kb", str(kb_dir)], check=True, stdout=subprocess.DEVNULL)
    return n / (time.perf_counter() - start)


def measure(kb_dir: Path, n_cases: int, n_batch: int) -> dict:
    from engine import api
    from engine.kbtools.clips import ClipsAdvisor

    figures: dict = {}
    figures["kb_load_ms"] = round(kb_load_ms(kb_dir), 1)
    advisor = api.fresh_advisor(kb_dir)
    kb = advisor.kb
    clips_advisor = ClipsAdvisor(kb)
    cases = generate_cases(kb, n_cases, seed=6)
    figures["consult_ms_p50"] = round(p50_ms(advisor.run, cases), 3)
    figures["clips_consult_ms_p50"] = round(p50_ms(clips_advisor.run, cases), 3)
    figures["ratio_vs_clips"] = round(figures["consult_ms_p50"]
                                      / figures["clips_consult_ms_p50"], 2)
    from engine.consultation.cases import Case
    from engine.consultation.result import build_result

    figures["consult_with_result_ms_p50"] = round(p50_ms(
        lambda facts: build_result(kb, Case("bench", facts), advisor.run(facts)), cases), 3)
    figures["cli_help_ms"] = round(wall_ms(cli() + ["--help"], 5), 1)
    case_file = min(Path(p) for p in kb.case_files) if kb.case_files else None
    if case_file is None:
        case_file = Path(tempfile.mkdtemp()) / "case.json"
        case_file.write_text(json.dumps({"id": "bench", "facts": dict(cases[0])}, default=list))
    figures["cli_consult_ms"] = round(wall_ms(cli() + ["consult", str(case_file), "--format",
                                                       "json", "--no-save", "--kb",
                                                       str(kb_dir)], 3), 1)
    with tempfile.TemporaryDirectory() as tmp:
        survey, out = Path(tmp) / "survey.csv", Path(tmp) / "out.jsonl"
        write_survey(survey, kb, generate_cases(kb, n_batch, seed=7))
        figures["batch_cases_per_s_1job"] = round(batch_rate(survey, out, kb_dir, 1, n_batch))
        figures["batch_cases_per_s_2jobs"] = round(batch_rate(survey, out, kb_dir, 2, n_batch))
    # Largest resident set of any process started above (the CLI, batch workers), in MB.
    figures["peak_rss_mb"] = round(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
                                   / 1024, 1)
    figures["cases"] = n_cases
    figures["batch_cases"] = n_batch
    figures["rules"] = len(kb.rules)
    figures["machine"] = machine()
    clips_advisor.close()
    return figures


def machine() -> str:
    cpu = platform.processor() or platform.machine()
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    return (f"{cpu}, {os.cpu_count()} CPUs, {platform.system()} {platform.release()}, "
            f"Python {platform.python_version()}")


def table(figures: dict) -> str:
    lines = [f"{'measure':28} {'value':>12}  target", "-" * 56]
    for key, value in figures.items():
        if key == "machine":
            continue
        target = ""
        if key in TARGETS:
            limit, kind, unit = TARGETS[key]
            ok = value <= limit if kind == "max" else value >= limit
            target = f"{'<=' if kind == 'max' else '>='} {limit} {unit}  " + \
                     ("met" if ok else "MISSED")
        lines.append(f"{key:28} {value:>12}  {target}")
    lines.append(f"machine: {figures['machine']}")
    return "\n".join(lines)


@contextlib.contextmanager
def c_stdout_to_stderr():
    """Send what C code writes to stdout to stderr, so --json prints only the JSON object."""
    sys.stdout.flush()
    saved = os.dup(1)
    os.dup2(2, 1)
    try:
        yield
    finally:
        sys.stdout.flush()
        os.dup2(saved, 1)
        os.close(saved)


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--json", action="store_true", help="print one JSON object")
    parser.add_argument("--cases", type=int, default=300, help="generated consultations")
    parser.add_argument("--batch-cases", type=int, default=2000, help="rows of the batch CSV")
    parser.add_argument("--kb", type=Path, default=ROOT / "knowledge_base")
    args = parser.parse_args(argv)
    with c_stdout_to_stderr():  # CLIPS writes memory diagnostics straight to fd 1
        figures = measure(args.kb.resolve(), args.cases, args.batch_cases)
    print(json.dumps(figures, indent=2) if args.json else table(figures))
    return 0


if __name__ == "__main__":
    sys.exit(main())
