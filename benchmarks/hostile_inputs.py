"""Measure what hostile case files cost: wall time and peak memory of ``mse-advisor consult``.

Each input runs in a fresh process (``python cli.py consult FILE --kb tests/fixtures/tiny_kb
--no-save``) so its peak resident set is its own; the baseline is a valid case. The figures back
the "bounded time and memory" claim of docs/security.md. Nothing here is a test: it measures.

Usage: python benchmarks/hostile_inputs.py [--json]
"""
from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
KB = ROOT / "tests" / "fixtures" / "tiny_kb"
VALID = (KB.parent / "cases" / "tiny-wait.yaml").read_bytes()
LAUGHS = "a: &a [lol, lol, lol, lol, lol, lol, lol, lol, lol]\n" + "".join(
    f"{x}: &{x} [{', '.join(['*' + p] * 9)}]\n" for p, x in zip("abcdefgh", "bcdefghi"))


def inputs(folder: Path) -> dict:
    """name -> path of each input (written into folder)."""
    made = {
        "valid case (baseline)": VALID,
        "billion laughs (9^9 values)": LAUGHS.encode(),
        "1 MB flow list (330,000 values)": b"[" + b"1, " * 330_000 + b"1]\n",
        "deep flow nesting (20,000 levels)": b"[" * 20_000 + b"]" * 20_000,
        "binary": bytes(range(256)) * 1000,
        "1,000,000-character key": b"k" * 1_000_000 + b": 1\n",
    }
    paths = {}
    for name, raw in made.items():
        path = folder / f"{len(paths)}.yaml"
        path.write_bytes(raw)
        paths[name] = path
    big = folder / "big.yaml"
    with open(big, "wb") as f:
        f.write(b"id: big\nfacts:\n")
        f.writelines(b"  payback_months: 12  # " + b"x" * 1000 + b"\n" for _ in range(50 * 1024))
    paths["50 MB file"] = big
    paths["/dev/zero"] = Path("/dev/zero")
    fifo = folder / "pipe.yaml"
    os.mkfifo(fifo)
    paths["named pipe"] = fifo
    return paths


def measure(path: Path) -> dict:
    start = time.perf_counter()
    proc = subprocess.Popen([sys.executable, str(ROOT / "cli.py"), "consult", str(path), "--kb",
                             str(KB), "--no-save"], cwd=ROOT, stdout=subprocess.DEVNULL,
                            stderr=subprocess.PIPE)
    _, status, usage = os.wait4(proc.pid, 0)
    seconds = time.perf_counter() - start
    first = proc.stderr.read().decode(errors="replace").splitlines()[:1]
    return {"exit": os.waitstatus_to_exitcode(status), "seconds": round(seconds, 2),
            "peak_rss_mb": round(usage.ru_maxrss / 1024, 1),
            "message": first[0][:90] if first else ""}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        results = {name: measure(path) for name, path in inputs(Path(tmp)).items()}
    if args.json:
        print(json.dumps(results, indent=2))
        return
    print(f"{'input':<36} {'exit':>4} {'s':>6} {'MB':>7}  message")
    for name, r in results.items():
        print(f"{name:<36} {r['exit']:>4} {r['seconds']:>6} {r['peak_rss_mb']:>7}  {r['message']}")


if __name__ == "__main__":
    main()
