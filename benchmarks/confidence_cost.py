"""What the confidence costs a consultation: the exploration of the verdicts still possible
(``engine.consultation.confidence.outlook``) against the engine run it follows.

Three sets of cases, each timed case by case with the run and the exploration interleaved (so a
change in the machine's load hits both alike): the benchmark's generated cases (each fact known
with probability one half, ``casegen``), the worked cases as they stand, and the guard tests'
partial cases (worked cases with facts dropped). For each: the median, 90th percentile and mean
time of the exploration, the median of its ratio to the run on the same case, its rule
evaluations and engine runs, and the share of high, medium and low. Figures in docs/confidence.md.

    python benchmarks/confidence_cost.py [--cases 200] [--json] [--kb DIR]
"""
from __future__ import annotations

import argparse
import json
import statistics
import sys
import time
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from benchmarks.casegen import generate_cases  # noqa: E402
from engine.consultation.cases import load_case  # noqa: E402
from engine.consultation.confidence import level, outlook  # noqa: E402
from engine.inference.runner import Advisor  # noqa: E402
from tests.generated_cases import generated_cases, known_facts  # noqa: E402


def time_set(advisor, cases: list) -> dict:
    kb = advisor.kb
    for facts in cases[:5]:  # warm up
        outlook(kb, advisor.run(facts), advisor)
    explore_ms, ratios, levels, evaluations, runs = [], [], Counter(), 0, 0
    for facts in cases:
        start = time.perf_counter()
        run = advisor.run(facts)
        middle = time.perf_counter()
        seen = outlook(kb, run, advisor)
        end = time.perf_counter()
        explore_ms.append((end - middle) * 1000)
        ratios.append((end - middle) / (middle - start))
        levels[level(seen.verdict, seen.possible)] += 1
        evaluations += seen.work["evaluations"]
        runs += seen.work["runs"]
    explore_ms.sort()
    n = len(cases)
    return {"cases": n, "p50_ms": round(statistics.median(explore_ms), 2),
            "p90_ms": round(explore_ms[int(0.9 * (n - 1))], 2),
            "mean_ms": round(statistics.mean(explore_ms), 2),
            "ratio_to_run_p50": round(statistics.median(ratios), 1),
            "evaluations_mean": round(evaluations / n), "runs_mean": round(runs / n, 1),
            "levels": dict(levels)}


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cases", type=int, default=200)
    parser.add_argument("--kb", default=str(ROOT / "knowledge_base"))
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args(argv)
    advisor = Advisor.from_folder(args.kb)
    kb = advisor.kb
    sets = {
        "generated (half the facts known)": generate_cases(kb, args.cases, seed=6),
        "worked cases as they stand": [load_case(p, kb).facts for p in kb.case_files],
        "worked cases, facts dropped": [known_facts(a) for a in
                                        generated_cases(kb, 2 * args.cases)[1::2]],
    }
    figures = {name: time_set(advisor, cases) for name, cases in sets.items()}
    if args.json:
        print(json.dumps(figures, indent=2))
        return 0
    print(f"{'cases':34} {'n':>4} {'p50 ms':>7} {'p90 ms':>7} {'mean':>7} {'x run':>6} "
          f"{'evals':>6} {'runs':>5}  high/medium/low")
    for name, f in figures.items():
        lv = f["levels"]
        print(f"{name:34} {f['cases']:>4} {f['p50_ms']:>7} {f['p90_ms']:>7} {f['mean_ms']:>7} "
              f"{f['ratio_to_run_p50']:>6} {f['evaluations_mean']:>6} {f['runs_mean']:>5}  "
              f"{lv.get('high', 0)}/{lv.get('medium', 0)}/{lv.get('low', 0)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
