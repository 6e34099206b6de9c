"""How many questions the adaptive interview asks for each bundled case, against the vocabulary.

First (issue 13) the first-visit replay: every bundled worked case and every fault case
(``knowledge_base/cases/`` and ``/work/shared/fault-cases/`` or ``--fault-cases DIR``, one per
case id) played as ``mse-advisor consult CASE --replay`` does, with the default budget: the
questions asked, why the interview stopped, and whether the verdict at the stop is the whole
case's verdict (the whole case's own unknowns stay unknown in both). Prints the median and the
largest count and each target: median <= 20, largest <= 35, verdict equal in every case.

Then the whole interview (no budget, no stop by itself). Plays the interview of ``mse-advisor consult`` (``engine.consultation.interview.Interview``): every question
is answered from the case file, and a fact the file leaves out is answered "unknown", as an
officer would answer "?"; then owners who can answer every question (random valid values, fixed
seeds). Prints a Markdown table (the one in docs/officer-guide.md) and checks
that the advice after the interview is the advice on the whole case file: same verdict, factor
table, findings and recommendations. Exit status 1 if any case differs.

    python benchmarks/interview_questions.py [--kb DIR] [--budget N] [--fault-cases DIR]
"""
from __future__ import annotations

import argparse
import dataclasses
import random
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from engine import language as c
from engine.consultation.cases import load_case
from engine.consultation.interview import ASSESS, TEXT, Interview
from engine.consultation.priorities import FIRST_VISIT_QUESTIONS
from engine.consultation.replay import replay
from engine.consultation.result import build_result
from engine.inference.runner import Advisor
from engine.knowledge.values import bounds

TOP = {"months": 36, "money": 1000, "ratio": 5, "int": 10, "float": 10, "percent": 100}


def advice(result: dict) -> tuple:
    """What the officer is told; not which open facts could change the verdict (an interview
    leaves open facts the whole case file gives, so that list may be longer after it)."""
    verdict = {k: v for k, v in result["verdict"].items() if k != "confidence_because"}
    return (verdict, result["factors"], result["findings"],
            [(r["intervention"], r["text"]) for r in result["recommendations"]])


def play(advisor, facts) -> tuple:
    """The interview answered from ``facts``; and why each question was asked: "decide" (a
    pending rule needs it), "assess" (only to tell neutral from unknown), "text" (only printed)."""
    interview, reasons = Interview(advisor), []
    while (q := interview.next_question()) is not None:
        vias = set(interview.needs()[q.name].values())
        reasons.append("decide" if vias - {TEXT, ASSESS} else
                       "assess" if ASSESS in vias else "text")
        interview.answer(q.name, facts.get(q.name))
    return interview, reasons


def random_owner(kb, rng: random.Random) -> dict:
    """An owner who can answer every question: a random valid value for every fact."""
    facts = {}
    for name, f in kb.input_facts.items():
        if f.type == "bool":
            facts[name] = rng.random() < 0.5
        elif f.type == "enum":
            facts[name] = rng.choice(f.values)
        elif f.type == "list[enum]":
            facts[name] = tuple(v for v in f.values if rng.random() < 0.3)
        elif f.type == "str":
            facts[name] = "as the owner says"
        else:
            low, high = bounds(f)
            value = rng.uniform(max(low, -50), high if high is not None else TOP[f.type])
            facts[name] = int(value) if f.is_whole else round(value, 1)
    return facts


def facts_any_rule_reads(kb) -> set:
    """Input facts some rule reads anywhere (conditions, derived values, texts): the most a
    non-adaptive questionnaire that skips unused facts would ask."""
    names: set = set()
    for rule in kb.rules:
        for cond in rule.conditions:
            names |= c.names_in(cond.node)
        for action in rule.actions:
            if hasattr(action, "value") and not isinstance(action.value, str):
                names |= c.names_in(action.value)
            for part in getattr(getattr(action, "text", None), "parts", ()):
                if not isinstance(part, str):
                    names |= c.names_in(part.node)
    return names & set(kb.input_facts)


TARGETS = {"median": 20, "largest": 35}  # issue 13's targets for the default budget
FAULT_CASES = Path("/work/shared/fault-cases")


def case_files(kb_dir: str, fault_dir: Path) -> list[Path]:
    """The bundled worked cases, then the fault cases whose id is not among them."""
    paths = sorted(Path(kb_dir, "cases").glob("*.yaml"))
    seen = {p.stem for p in paths}
    extra = sorted(fault_dir.glob("*.yaml")) if fault_dir.is_dir() else []
    return paths + [p for p in extra if p.stem not in seen]


def first_visits(advisor, paths: list[Path], budget: int) -> bool:
    """The replay table and its targets; True when every target is met."""
    kb = advisor.kb
    print(f"## First visits: the replay with a budget of {budget} questions\n")
    print("| case | questions asked | stopped | verdict at the stop | whole case's verdict |"
          " same |")
    print("|---|---:|---|---|---|---|")
    counts, differ = [], []
    for path in paths:
        case = load_case(path, kb)
        run = advisor.run(case.facts)
        whole = run.verdict[0] if run.verdict else None
        result = replay(advisor, case, budget)
        at_stop, asked = result["verdict"]["value"], result["interview"]
        counts.append(asked["count"])
        if at_stop != whole:
            differ.append(case.id)
        print(f"| {case.id} | {asked['count']} | {asked['stopped']} | {at_stop} | {whole} | "
              f"{'yes' if at_stop == whole else 'NO'} |")
    median, largest = statistics.median(counts), max(counts)
    met = {"median": median <= TARGETS["median"], "largest": largest <= TARGETS["largest"],
           "verdict": not differ}
    print(f"\n{len(counts)} cases. Median questions asked: {median:g} (target <= "
          f"{TARGETS['median']}: {'met' if met['median'] else 'NOT met'}). Largest: {largest} "
          f"(target <= {TARGETS['largest']}: {'met' if met['largest'] else 'NOT met'}). "
          f"Verdict at the stop equal to the whole case's: {len(counts) - len(differ)} of "
          f"{len(counts)} (target: every case: {'met' if met['verdict'] else 'NOT met'}"
          + (f"; differ: {', '.join(differ)}" if differ else "") + ").\n")
    return all(met.values())


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--kb", default=str(ROOT / "knowledge_base"))
    parser.add_argument("--owners", type=int, default=20,
                        help="random owners who answer everything (seeds 0 to N-1)")
    parser.add_argument("--budget", type=int, default=FIRST_VISIT_QUESTIONS,
                        help="questions at most in the first-visit replay")
    parser.add_argument("--fault-cases", type=Path, default=FAULT_CASES)
    parser.add_argument("--first-visits-only", action="store_true")
    args = parser.parse_args()
    advisor = Advisor.from_folder(args.kb)
    kb = advisor.kb
    targets_met = first_visits(advisor, case_files(args.kb, args.fault_cases), args.budget)
    if args.first_visits_only:
        return 0 if targets_met else 1
    print("## The whole interview (no budget)\n")
    total, read = len(kb.input_facts), len(facts_any_rule_reads(kb))
    print(f"Knowledge base {kb.version}: {total} input facts, {read} read by some rule.\n")
    print("| case | facts in the file | questions asked | answered from the file | "
          "answered unknown | asked only to assess a factor | asked only for a text | "
          "same advice as the whole file | seconds |")
    print("|---|---:|---:|---:|---:|---:|---:|---|---:|")
    failures, counts = 0, []
    for path in sorted(Path(args.kb, "cases").glob("*.yaml")):
        case = load_case(path, kb)
        start = time.perf_counter()
        interview, reasons = play(advisor, case.facts)
        seconds = time.perf_counter() - start
        asked = [e[1] for e in interview.events]
        known = sum(1 for name in asked if name in case.facts)
        full = build_result(kb, case, advisor.run(case.facts))
        after = build_result(kb, dataclasses.replace(case, facts=interview.known_facts()),
                             interview.run())
        same = advice(full) == advice(after)
        failures += not same
        counts.append(len(asked))
        print(f"| {case.id} | {len(case.facts)} | {len(asked)} | {known} | "
              f"{len(asked) - known} | {reasons.count('assess')} | {reasons.count('text')} | "
              f"{'yes' if same else 'NO'} | {seconds:.2f} |")
    if counts:
        print(f"\n{len(counts)} cases: {min(counts)} to {max(counts)} questions, "
              f"mean {sum(counts) / len(counts):.1f}, of {total} input facts.")
    owners = [len(play(advisor, random_owner(kb, random.Random(seed)))[0].events)
              for seed in range(args.owners)]
    if owners:
        print(f"{len(owners)} random owners who answer every question: {min(owners)} to "
              f"{max(owners)} questions, mean {sum(owners) / len(owners):.1f}.")
    return 1 if failures or not targets_met else 0


if __name__ == "__main__":
    sys.exit(main())
