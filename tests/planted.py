"""Shared by the planted-defect tests (``test_planted_*.py``): the messages each tool gives on a
copy of the shipped knowledge base (``shipped_copy`` in ``conftest.py``) with one defect planted."""
from __future__ import annotations

from pathlib import Path

from engine.inference.runner import Advisor
from engine.kbtools.failures import render_failure
from engine.kbtools.lint import lint_folder
from engine.kbtools.suite import run_tests
from engine.knowledge.loader import load_knowledge_base, validate

def at(path: Path, line: int, col: int) -> str:
    return f"{path}:{line}:{col}"


def column_of(path: Path, line: int, text: str) -> int:
    """1-based column of ``text`` on ``line`` of ``path``."""
    return path.read_text().splitlines()[line - 1].index(text) + 1


def problems(root: Path) -> list[str]:
    return [str(p) for p in validate(root) if p.severity == "error"]


def lint_lines(root: Path) -> list[str]:
    return [f"{p.where}: {p.code} {p.severity}: {p.message}" for p in lint_folder(root)]


def failures(root: Path) -> dict:
    """``{what: rendered failure}`` of ``kb test`` on ``root``."""
    advisor = Advisor(load_knowledge_base(root))
    return {o.what: "\n".join(f"{a} | {b}" for a, b in o.differences) + "\n"
            + render_failure(o) for o in run_tests(advisor).failures}


def add_rule(root: Path, yaml_text: str, file: str = "rules/verdict.yaml") -> int:
    """Append a rule to a rule file; return the line of its ``- id:``."""
    path = root / file
    before = path.read_text()
    path.write_text(before.rstrip("\n") + "\n\n" + yaml_text)
    return before.rstrip("\n").count("\n") + 3


