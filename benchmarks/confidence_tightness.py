"""How tight ``verdict.possible_values`` is: exhaustive enumeration on cases with few unknowns.

Partial cases are made from the bundled worked cases by dropping 1 to 4 of their facts (seeded);
the facts a worked case never gives are answered "unknown" (settled), so the dropped facts are the
only open ones and every completion of them can be run through the engine. Each dropped fact
takes every value class the rules can tell apart: yes, no; each enum choice; every subset of a
list; for a number, each threshold the rules compare it with (literals, parameters, constant
derived facts, and the case's own numbers) and a step either side; and "unknown". A partial case
whose completions would exceed ``--max-completions`` is skipped.

For each partial case the *exact* set is every verdict some completion gave (plus any verdict the
exploration itself showed by a completion outside that grid: it ran through the engine too). The
script checks soundness (exact within ``possible_values``, exit status 1 otherwise) and reports
how often ``possible_values`` is exactly the exact set, how often the confidence it gives is the
one the exact set gives, the same figures for the plain open world before the search, and the
work and time spent. The figures are in docs/confidence.md.

    python benchmarks/confidence_tightness.py [--cases 300] [--seed 12] [--json] [--kb DIR]
"""
from __future__ import annotations

import argparse
import itertools
import json
import random
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from engine.consultation.cases import load_case  # noqa: E402
from engine.consultation.confidence import level  # noqa: E402
from engine.consultation.possible import VerdictOutlook  # noqa: E402
from engine.consultation.probes import TEXT_PROBE, around, probe_values  # noqa: E402
from engine.inference.runner import Advisor  # noqa: E402


def domain(kb, name: str, given: dict, probes: dict) -> list:
    """Every value class of ``name`` the rules can tell apart, and unknown."""
    spec = kb.input_facts[name]
    if spec.type == "bool":
        values = [True, False]
    elif spec.type == "enum":
        values = list(spec.values)
    elif spec.type == "list[enum]":
        values = [tuple(v for v, keep in zip(spec.values, mask) if keep)
                  for mask in itertools.product((False, True), repeat=len(spec.values))]
    elif spec.type == "str":
        values = [TEXT_PROBE]
    else:
        numbers = [v for v in given.values() if isinstance(v, (int, float))
                   and not isinstance(v, bool)]
        values = sorted(set(probes[name]) | set(around(spec, numbers)))
    return values + [None]


def partial_cases(kb, count: int, seed: int, max_completions: int) -> list:
    """(case id, answers, dropped facts, their domains): answers hold the kept facts and
    ``None`` for every fact the worked case never gives."""
    worked = [load_case(p, kb) for p in sorted(Path(kb.root, "cases").glob("*.yaml"))]
    probes = probe_values(kb)
    rng = random.Random(seed)
    out, attempts = [], 0
    while len(out) < count and attempts < 20 * count:
        attempts += 1
        case = worked[attempts % len(worked)]
        dropped = rng.sample(sorted(case.facts), rng.randint(1, min(4, len(case.facts))))
        answers = {n: case.facts.get(n) for n in kb.input_facts if n not in dropped}
        domains = [domain(kb, n, case.facts, probes) for n in dropped]
        size = 1
        for d in domains:
            size *= len(d)
        if size <= max_completions:
            out.append((case.id, answers, dropped, domains))
    return out


def measure(kb, advisor, cases: list) -> dict:
    outlook = VerdictOutlook(kb, advisor)
    figures = {"cases": len(cases), "completions": 0, "unsound": [], "exact": 0,
               "same_confidence": 0, "open_world_exact": 0, "open_world_same_confidence": 0,
               "kept_values": 0, "seconds": 0.0, "evaluations": 0, "runs": 0}
    for case_id, answers, dropped, domains in cases:
        known = {n: v for n, v in answers.items() if v is not None}
        reached = set()
        for combo in itertools.product(*domains):
            facts = dict(known, **{n: v for n, v in zip(dropped, combo) if v is not None})
            run = advisor.run(facts)
            reached.add(run.verdict[0] if run.verdict else None)
            figures["completions"] += 1
        verdict = advisor.run(known).verdict
        verdict = verdict[0] if verdict else None
        start = time.perf_counter()
        seen = outlook.explore(answers, verdict)
        figures["seconds"] += time.perf_counter() - start
        figures["evaluations"] += seen.work["evaluations"]
        figures["runs"] += seen.work["runs"]
        exact = reached | set(seen.shown)
        possible = set(seen.possible)
        if not exact <= possible:
            figures["unsound"].append({"case": case_id, "dropped": dropped,
                                       "reached": sorted(map(str, exact - possible))})
        figures["exact"] += possible == exact
        figures["same_confidence"] += level(verdict, possible) == level(verdict, exact)
        figures["kept_values"] += len(seen.kept)
        plain = set(outlook.open_world_values(seen.truths))
        figures["open_world_exact"] += plain == exact
        figures["open_world_same_confidence"] += level(verdict, plain) == level(verdict, exact)
    return figures


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cases", type=int, default=300)
    parser.add_argument("--seed", type=int, default=12)
    parser.add_argument("--max-completions", type=int, default=3000)
    parser.add_argument("--kb", default=str(ROOT / "knowledge_base"))
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args(argv)
    advisor = Advisor.from_folder(args.kb)
    kb = advisor.kb
    cases = partial_cases(kb, args.cases, args.seed, args.max_completions)
    figures = measure(kb, advisor, cases)
    if args.json:
        print(json.dumps(figures, indent=2))
    else:
        n = max(figures["cases"], 1)
        print(f"{figures['cases']} partial cases (1-4 facts open), "
              f"{figures['completions']:,} completions run through the engine")
        print(f"possible_values exact:        {figures['exact']} ({figures['exact'] / n:.1%})"
              f"; same confidence {figures['same_confidence'] / n:.1%}")
        print(f"open world alone exact:       {figures['open_world_exact'] / n:.1%}"
              f"; same confidence {figures['open_world_same_confidence'] / n:.1%}")
        print(f"values kept unproven:         {figures['kept_values']}")
        print(f"time per case:                {1000 * figures['seconds'] / n:.1f} ms "
              f"({figures['evaluations'] / n:.0f} rule evaluations, "
              f"{figures['runs'] / n:.1f} engine runs)")
        print(f"unsound (a completion outside possible_values): {len(figures['unsound'])}")
        for problem in figures["unsound"][:5]:
            print("  ", problem)
    return 1 if figures["unsound"] else 0


if __name__ == "__main__":
    sys.exit(main())
