"""Counts the inputs each fuzz target was fed and prints them in pytest's terminal summary.

A fuzz test calls ``tried("target")`` once per generated input; ``tests/conftest.py`` re-exports
``pytest_terminal_summary`` so the counts appear after every run, with or without ``-s`` or ``-q``.
Must not change any test's outcome.
"""
from __future__ import annotations

from collections import Counter

TRIED: Counter = Counter()


def tried(target: str) -> None:
    TRIED[target] += 1


def pytest_terminal_summary(terminalreporter, exitstatus, config):
    if not TRIED:
        return
    terminalreporter.write_sep("-", "fuzz: inputs tried per target")
    for target, count in sorted(TRIED.items()):
        terminalreporter.write_line(f"{target:<28} {count:>6}")
    terminalreporter.write_line(f"{'total':<28} {sum(TRIED.values()):>6}")
