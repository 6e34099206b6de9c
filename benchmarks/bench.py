"""Measure the advisor against its targets (issues 6 and 18) and print a table (or JSON, --json).

Everything runs on the shipped knowledge base (or --kb) over cases generated from its fact
vocabulary with a fixed seed (``casegen``), so two runs on one machine measure the same work.
CLIPS runs the ``kb export --clips`` translation of the same rules on the same cases, in the
same process, so ``ratio_vs_clips`` holds on any machine. Command-line figures are wall-clock
times of fresh processes; batch rates are the median of ``--repeat`` runs. The knowledge base
grown 1, 4 and 10 times (``growkb``) is measured in a process per size (``growth``). The load
average before and after is reported: on a shared machine take figures when it is under 1.
Nothing here is a test: it measures and reports.

Usage: python benchmarks/bench.py [--json] [--cases N] [--batch-cases N] [--kb DIR]
       [--growth 1,4,10] [--rss-rows N] [--repeat N] [--dask]
"""
from __future__ import annotations

import argparse
import contextlib
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

from benchmarks.casegen import generate_cases, iter_cases, write_survey

TARGETS = {  # key: (limit, "max" or "min", unit)
    "kb_load_ms": (300, "max", "ms"),
    "ratio_vs_clips": (2, "max", "x"),
    "cli_help_ms": (150, "max", "ms"),
    "cli_consult_ms": (600, "max", "ms"),
    "batch_cases_per_s_2jobs": (800, "min", "cases/s"),
    "peak_rss_mb": (100, "max", "MB"),
    "x10_load_ms": (3000, "max", "ms"),
    "x10_consult_ms_p50": (25, "max", "ms"),
    "x10_interview_step_ms_p95": (100, "max", "ms"),
    "batch_peak_rss_mb_200k": (100, "max", "MB"),
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


def batch_rate(survey: Path, out: Path, kb_dir: Path, jobs: int, n: int, repeat: int,
               *extra: str) -> float:
    """Cases per second of ``mse-advisor batch``, start-up included: the median of ``repeat``."""
    rates = []
    for _ in range(repeat):
        if out.exists():
            out.unlink()
        start = time.perf_counter()
        subprocess.run(cli() + ["batch", str(survey), "--out", str(out), "--jobs", str(jobs),
                                "--kb", str(kb_dir), *extra], check=True,
                       stdout=subprocess.DEVNULL)
        rates.append(n / (time.perf_counter() - start))
    return statistics.median(rates)


def peak_rss_mb(cmd: list[str]) -> float:
    """The largest resident set of ``cmd``'s process and of every process it waited for (its
    batch workers), in MB: what ``wait4`` reports for it."""
    process = subprocess.Popen(cmd, stdout=subprocess.DEVNULL)
    _, status, usage = os.wait4(process.pid, 0)
    process.returncode = os.waitstatus_to_exitcode(status)
    if process.returncode not in (0, 2):
        raise subprocess.CalledProcessError(process.returncode, cmd)
    return round(usage.ru_maxrss / 1024, 1)


def measure(kb_dir: Path, n_cases: int, n_batch: int, repeat: int = 3) -> dict:
    from engine import api
    from engine.inference.runner import settle
    from engine.kbtools.clips import ClipsAdvisor

    figures: dict = {"load_before": round(os.getloadavg()[0], 2)}
    figures["kb_load_ms"] = round(kb_load_ms(kb_dir), 1)
    advisor = api.fresh_advisor(kb_dir)
    settle()  # as the processes that consult many times do (batch workers, interviews)
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
        lambda facts: build_result(kb, Case("bench", facts), advisor.run(facts), advisor),
        cases), 3)
    from engine.consultation.confidence import outlook

    runs = {id(facts): advisor.run(facts) for facts in cases}
    figures["confidence_ms_p50"] = round(p50_ms(
        lambda facts: outlook(kb, runs[id(facts)], advisor), cases), 3)
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
        write_survey(survey, kb, iter_cases(kb, n_batch, seed=7))
        for jobs in (1, 2):
            figures[f"batch_cases_per_s_{jobs}job{'s' if jobs > 1 else ''}"] = round(
                batch_rate(survey, out, kb_dir, jobs, n_batch, repeat))
    # Largest resident set of any process started above (the CLI, batch workers), in MB.
    figures["peak_rss_mb"] = round(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
                                   / 1024, 1)
    figures["cases"] = n_cases
    figures["batch_cases"] = n_batch
    figures["rules"] = len(kb.rules)
    clips_advisor.close()
    return figures


def measure_dask(kb_dir: Path, n_batch: int, repeat: int) -> dict:
    """Cases per second of ``batch --dask local`` with 2 workers, cluster start-up included."""
    from engine import api

    kb = api.load_kb(kb_dir)
    with tempfile.TemporaryDirectory() as tmp:
        survey, out = Path(tmp) / "survey.csv", Path(tmp) / "out.jsonl"
        write_survey(survey, kb, iter_cases(kb, n_batch, seed=7))
        return {"batch_cases_per_s_dask_local_2": round(batch_rate(
            survey, out, kb_dir, 2, n_batch, repeat, "--dask", "local"))}


def measure_growth(kb_dir: Path, sizes: list[int]) -> dict:
    """The keys of ``growth`` for each size, each measured in a fresh process."""
    figures: dict = {}
    for times in sizes:
        done = subprocess.run([sys.executable, str(ROOT / "benchmarks" / "growth.py"), str(times),
                               "--kb", str(kb_dir)], check=True, capture_output=True, text=True)
        figures.update(json.loads(done.stdout))
    return figures


def measure_rss(kb_dir: Path, rows: int) -> dict:
    """Peak resident set per process of a batch of ``rows`` generated rows with 2 jobs (CSV
    output: the JSON lines of 200,000 results would fill gigabytes of disk, and memory does not
    depend on the output format), then of rerunning it over its complete output (every row
    skipped: the resume path)."""
    from engine import api

    kb = api.load_kb(kb_dir)
    key = f"batch_peak_rss_mb_{rows // 1000}k" if rows % 1000 == 0 else \
        f"batch_peak_rss_mb_{rows}"
    with tempfile.TemporaryDirectory() as tmp:
        survey, out = Path(tmp) / "survey.csv", Path(tmp) / "out.csv"
        write_survey(survey, kb, iter_cases(kb, rows, seed=8))
        cmd = cli() + ["batch", str(survey), "--out", str(out), "--jobs", "2", "--kb",
                       str(kb_dir)]
        start = time.perf_counter()
        first = peak_rss_mb(cmd)
        seconds = time.perf_counter() - start
        return {key: first, key + "_rerun": peak_rss_mb(cmd),
                "rss_batch_cases_per_s": round(rows / seconds)}


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
    parser.add_argument("--growth", default="1,4,10",
                        help="sizes to grow the knowledge base to, comma-separated ('' skips)")
    parser.add_argument("--rss-rows", type=int, default=200_000,
                        help="rows of the memory run (0 skips it; about 5 minutes at 200,000)")
    parser.add_argument("--repeat", type=int, default=3, help="runs per batch rate (median)")
    parser.add_argument("--dask", action="store_true",
                        help="also time batch --dask local with 2 workers (needs the extra)")
    args = parser.parse_args(argv)
    kb_dir = args.kb.resolve()
    with c_stdout_to_stderr():  # CLIPS writes memory diagnostics straight to fd 1
        figures = measure(kb_dir, args.cases, args.batch_cases, args.repeat)
    if args.dask:
        figures.update(measure_dask(kb_dir, args.batch_cases, args.repeat))
    if args.growth:
        figures.update(measure_growth(kb_dir, [int(t) for t in args.growth.split(",")]))
    if args.rss_rows:
        figures.update(measure_rss(kb_dir, args.rss_rows))
    figures["load_after"] = round(os.getloadavg()[0], 2)
    figures["machine"] = machine()
    print(json.dumps(figures, indent=2) if args.json else table(figures))
    return 0


if __name__ == "__main__":
    sys.exit(main())
