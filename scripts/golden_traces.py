#!/usr/bin/env python3
"""Golden traces: what the engine fires, in which order, on the generated cases; stored or checked.

A guard for changes to ``engine/`` that must not change behaviour. For the deterministic cases of
``tests/generated_cases.py`` (1,000 on the shipped knowledge base, 200 on the tiny test one) it
runs ``Advisor(kb).run(facts)`` and keeps, per case, the facts, each firing's rule id with what it
asserted (``Asserted.to_dict``: kind, id, value; not the texts) and the verdict. The file also
holds each knowledge base's digest: traces are only comparable on the same knowledge base.
``tests/test_trace_golden.py`` replays the stored facts and compares.

    python scripts/golden_traces.py            # compare with the stored file; 1 if they differ
    python scripts/golden_traces.py --write    # store today's traces (check the differences first)

The file is gzipped JSON, one case per line, written byte for byte the same for the same traces.
"""
from __future__ import annotations

import argparse
import difflib
import gzip
import json
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from engine.inference.runner import Advisor
from engine.knowledge.loader import load_knowledge_base
from engine.knowledge.values import check_value
from tests.generated_cases import SEED, generated_cases, known_facts

GOLDEN = ROOT / "tests" / "golden" / f"traces-seed{SEED}.json.gz"
KNOWLEDGE_BASES = {"shipped": (ROOT / "knowledge_base", 1000),
                   "tiny": (ROOT / "tests" / "fixtures" / "tiny_kb", 200)}
FORMAT = 1
KB_CHANGED = ("the knowledge base changed: regenerate with python scripts/golden_traces.py --write "
              "after checking the trace differences are intended")


def _plain(value):
    """JSON's view of a value (tuples become lists), so stored and fresh traces compare equal."""
    return json.loads(json.dumps(value))


def trace(facts: dict, run) -> dict:
    """One case: its facts, each firing as [rule id, [asserted...]], and the verdict."""
    return _plain({"facts": facts,
                   "firings": [[f.rule, [a.to_dict() for a in f.asserted]] for f in run.firings],
                   "verdict": run.verdict[0] if run.verdict else None})


def build(which: str) -> dict:
    """The traces of today's engine on the generated cases of one knowledge base."""
    root, count = KNOWLEDGE_BASES[which]
    kb = load_knowledge_base(root)
    advisor = Advisor(kb)
    cases = []
    for answers in generated_cases(kb, count):
        facts = known_facts(answers)
        cases.append(trace(facts, advisor.run(facts)))
    return {"digest": kb.digest, "cases": cases}


def replay(which: str, stored: dict) -> list:
    """Today's traces on the stored facts of one knowledge base."""
    kb = load_knowledge_base(KNOWLEDGE_BASES[which][0])
    advisor = Advisor(kb)
    out = []
    for case in stored["cases"]:
        facts = {n: check_value(kb.input_facts[n], v) for n, v in case["facts"].items()}
        out.append(trace(facts, advisor.run(facts)))
    return out


def build_all() -> dict:
    return {"format": FORMAT, "seed": SEED,
            "knowledge_bases": {which: build(which) for which in KNOWLEDGE_BASES}}


def dumps(data: dict) -> str:
    """JSON with one case per line (readable once unzipped, and diffable)."""
    lines = [f'{{"format": {data["format"]}, "seed": {data["seed"]}, "knowledge_bases": {{']
    bases = list(data["knowledge_bases"].items())
    for i, (which, base) in enumerate(bases):
        lines.append(f'{json.dumps(which)}: {{"digest": {json.dumps(base["digest"])}, "cases": [')
        cases = [json.dumps(c, separators=(",", ":")) for c in base["cases"]]
        lines.append(",\n".join(cases))
        lines.append("]}" + ("," if i < len(bases) - 1 else ""))
    lines.append("}}")
    return "\n".join(lines) + "\n"


def write(data: dict, path: Path = GOLDEN) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    with open(path, "wb") as raw, gzip.GzipFile(filename="", mode="wb", fileobj=raw, mtime=0) as f:
        f.write(dumps(data).encode())


def load(path: Path = GOLDEN) -> dict:
    with gzip.open(path, "rt") as f:
        return json.load(f)


def _firing_line(firing) -> str:
    rule, asserted = firing
    parts = []
    for a in asserted:
        ((kind, name), *rest) = a.items()
        parts.append(f"{kind} {name}" + "".join(f" {k}={json.dumps(v)}" for k, v in rest))
    return f"{rule}: " + "; ".join(parts)


def differences(which: str, expected: list, actual: list, limit: int = 5) -> str:
    """The first ``limit`` differing cases: number, facts, expected and actual firings ('' if
    none)."""
    out, differing = [], [i for i, (e, a) in enumerate(zip(expected, actual)) if e != a]
    if len(expected) != len(actual):
        out.append(f"{which}: {len(expected)} cases stored, {len(actual)} now")
    for i in differing[:limit]:
        e, a = expected[i], actual[i]
        out.append(f"--- {which} case {i}: facts {json.dumps(e['facts'])}")
        if e["facts"] != a["facts"]:
            out.append(f"    facts now {json.dumps(a['facts'])}")
        if e["verdict"] != a["verdict"]:
            out.append(f"    verdict: expected {e['verdict']}, actual {a['verdict']}")
        out.extend("    " + line.rstrip() for line in difflib.unified_diff(
            [_firing_line(f) for f in e["firings"]], [_firing_line(f) for f in a["firings"]],
            "expected", "actual", n=1, lineterm=""))
    if differing:
        out.insert(0, f"{which}: {len(differing)} of {len(expected)} cases differ"
                      + (f"; the first {limit}:" if len(differing) > limit else ":"))
    return "\n".join(out)


def check(stored: dict) -> list[str]:
    """Problems between the stored traces and today's engine on the stored facts."""
    problems = []
    for which, (root, _) in KNOWLEDGE_BASES.items():
        base = stored["knowledge_bases"].get(which)
        if base is None:
            problems.append(f"{which}: no traces stored")
            continue
        if load_knowledge_base(root).digest != base["digest"]:
            problems.append(f"{which}: {KB_CHANGED}")
        diff = differences(which, base["cases"], replay(which, base))
        if diff:
            problems.append(diff)
    return problems


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--write", action="store_true", help="store today's traces")
    args = parser.parse_args(argv)
    if args.write:
        data = build_all()
        write(data)
        counts = ", ".join(f"{w} {len(b['cases'])}" for w, b in data["knowledge_bases"].items())
        print(f"{GOLDEN.relative_to(ROOT)}: {counts} cases, {GOLDEN.stat().st_size:,} bytes")
        return 0
    if not GOLDEN.exists():
        print(f"{GOLDEN.relative_to(ROOT)} is missing: write it with --write", file=sys.stderr)
        return 1
    problems = check(load())
    for problem in problems:
        print(problem)
    if not problems:
        print("the engine fires the golden traces")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
