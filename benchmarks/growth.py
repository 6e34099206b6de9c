"""Measure the advisor on a knowledge base grown N times (``growkb``), in a process of its own.

For one size it reports, as one JSON object with keys prefixed ``x{N}_``:
- ``load_ms``: load the folder and compile it into an engine (median of ``LOADS``, each starting
  with the previous one's objects collected);
- ``consult_ms_p50``: one consultation on a generated case (``casegen``), engine reused;
- ``interview_step_ms_p95``: one interview step, ``Interview.answer`` then ``next_question``,
  over the first ``STEPS`` steps of ``INTERVIEWS`` simulated interviews (answers from generated
  cases, a fact they leave out answered "unknown");
- ``peak_rss_mb``: this process's largest resident set: load, engine, consultations, interviews;
- ``rules``, ``input_facts``: the size reached.
Like the long-running processes that use it (batch workers, interviews), the process calls
``runner.settle()`` once its engine is built. Wall-clock times: take them on a quiet machine.

Usage: python benchmarks/growth.py TIMES [--kb DIR] [--cases N]   (``bench.py`` runs it)
"""
from __future__ import annotations

import argparse
import gc
import json
import resource
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from benchmarks.casegen import generate_cases
from benchmarks.growkb import grow

LOADS = 3
INTERVIEWS = 3
STEPS = 30


def measure(times: int, kb_dir: Path, n_cases: int) -> dict:
    from engine.consultation.interview import Interview
    from engine.inference.runner import Advisor, settle
    from engine.knowledge.loader import load_knowledge_base

    with tempfile.TemporaryDirectory() as tmp:
        grown = grow(kb_dir, Path(tmp) / f"kb-x{times}", times)
        loads = []
        for _ in range(LOADS):
            gc.collect()
            start = time.perf_counter()
            advisor = Advisor(load_knowledge_base(grown))
            loads.append((time.perf_counter() - start) * 1000)
            del advisor
        gc.collect()
        advisor = Advisor(load_knowledge_base(grown))
    settle()
    kb = advisor.kb
    cases = generate_cases(kb, n_cases, seed=6)
    for facts in cases[:5]:  # warm up
        advisor.run(facts)
    consults = []
    for facts in cases:
        start = time.perf_counter()
        advisor.run(facts)
        consults.append((time.perf_counter() - start) * 1000)
    steps = []
    for facts in generate_cases(kb, INTERVIEWS, seed=9):
        interview = Interview(advisor)
        question = interview.next_question()
        for _ in range(STEPS):
            if question is None:
                break
            start = time.perf_counter()
            interview.answer(question.name, facts.get(question.name))
            question = interview.next_question()
            steps.append((time.perf_counter() - start) * 1000)
    prefix = f"x{times}_"
    return {prefix + "load_ms": round(statistics.median(loads), 1),
            prefix + "consult_ms_p50": round(statistics.median(consults), 3),
            prefix + "interview_step_ms_p95": round(percentile(steps, 95), 2),
            prefix + "peak_rss_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
                                          / 1024, 1),
            prefix + "rules": len(kb.rules), prefix + "input_facts": len(kb.input_facts)}


def percentile(values: list, p: float) -> float:
    """The nearest-rank ``p``-th percentile of ``values``."""
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, round(p / 100 * len(ordered)) - 1))]


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("times", type=int, help="how many times the shipped size")
    parser.add_argument("--kb", type=Path, default=ROOT / "knowledge_base")
    parser.add_argument("--cases", type=int, default=100, help="generated consultations")
    args = parser.parse_args(argv)
    print(json.dumps(measure(args.times, args.kb.resolve(), args.cases)))
    return 0


if __name__ == "__main__":
    sys.exit(main())
