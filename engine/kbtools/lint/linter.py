"""Running the check families over a knowledge base and putting the problems in file order.

Must not: print or pick exit codes (the CLI does); read files except through the loader.
Entry points: ``lint(kb)``, ``lint_folder(root)``, ``strict(problems)``, ``as_dict(problems,
root)`` (what ``kb lint --format json`` prints).
"""
from __future__ import annotations

from dataclasses import replace

from engine.errors import Problem
from engine.knowledge.loader import load_with_problems
from engine.knowledge.spec import KnowledgeBase

from .context import Context
from . import waivers
from .loader_problems import from_load_problems
from .registry import FAMILIES


def lint_folder(root) -> list[Problem]:
    """Lint a knowledge-base folder: the loader's problems under lint codes; if it loads, those
    (warnings) with lint's own, in file order. ``root``: a path or str."""
    loaded = load_with_problems(root)  # read once: its problems, and the knowledge base
    problems = from_load_problems(list(loaded.problems))
    if loaded.kb is None:
        return problems
    return lint(loaded.kb, [p for p in problems if p.code != "KB602"])


def lint(kb: KnowledgeBase, also: list = ()) -> list[Problem]:
    """Every problem the check families find in a loaded knowledge base (with ``also``, the
    loader's warnings), less the warnings waived on purpose (``waivers``), in file order."""
    ctx = Context(kb)
    found = [p for family in FAMILIES.values() for p in family.check(ctx)] + list(also)
    return _sorted(waivers.apply(kb, found))


def strict(problems: list) -> list[Problem]:
    """``--strict``: every warning becomes an error."""
    return [replace(p, severity="error") for p in problems]


def as_dict(problems: list, root) -> dict:
    """The problems as plain data: the knowledge base, error and warning counts, and each
    problem's code, severity, file, line, column and message."""
    errors = sum(p.severity == "error" for p in problems)
    return {"knowledge_base": str(root), "errors": errors, "warnings": len(problems) - errors,
            "problems": [p.to_dict() for p in problems]}


def _sorted(problems: list) -> list[Problem]:
    return sorted(problems, key=lambda p: (p.where.path, p.where.line, p.where.col, p.code))
