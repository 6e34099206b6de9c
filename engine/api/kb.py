"""A knowledge engineer's calls: validate, lint, test (and record a worked case), graph, the
decision tables, the reference document, diff, and the CLIPS export. Each reads the knowledge-base files as they are
now (never the cached advisor).

Must not: print or pick exit codes; hold logic of its own beyond composing engine calls.
"""
from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

from engine.api.loading import fresh_advisor, kb_root, load_kb, write_file
from engine.consultation.result import build_result
from engine.errors import Problem
from engine.inference.runner import Advisor
from engine.kbtools.clips import export_clips as clips_text
from engine.kbtools.diff import KbDiff, diff_knowledge_bases, render_diff
from engine.kbtools.graph import MERMAID_MAX_EDGES, Graph, build_graph, to_dot, to_mermaid
from engine.kbtools.lint.translations import LISTED_ONLY_IF_ASKED
from engine.kbtools.lint import as_dict as lint_as_dict
from engine.kbtools.lint import as_dict as problems_as_dict
from engine.kbtools.lint import lint_folder, strict as promote
from engine.kbtools.recording import case_to_record, recorded_text, recording_target
from engine.kbtools.reference import default_path, render_reference
from engine.kbtools.suite import SuiteReport, run_tests
from engine.kbtools.suite import render_report as render_kb_tests
from engine.kbtools.table import DecisionTable, to_csv, to_markdown
from engine.kbtools.table import decision_table as build_table
from engine.knowledge.loader import Loaded, load_with_problems

__all__ = ["ClipsExport", "MERMAID_MAX_EDGES", "Recorded", "decision_table", "diff",
           "draw_graph", "draw_table", "export_clips", "graph", "lint", "lint_as_dict",
           "problems_as_dict", "record_case", "reference", "reference_is_current",
           "reference_path", "render_diff", "render_kb_tests", "run_kb_tests", "validate"]

PathLike = str | os.PathLike


def validate(kb_dir: PathLike | None = None) -> Loaded:
    """Every problem of the knowledge base of ``kb_dir`` (errors and warnings, in file order)
    from one reading, and the knowledge base, which is compiled when no error stopped it
    (compiling is part of validation). Raises ``KnowledgeBaseError`` only when compiling
    finds a problem the loader did not."""
    loaded = load_with_problems(kb_root(kb_dir))
    if loaded.kb is not None:
        Advisor(loaded.kb)
    return loaded


def lint(kb_dir: PathLike | None = None, strict: bool = False,
         every_missing: bool = False) -> list[Problem]:
    """Static verification of the knowledge base of ``kb_dir``: every problem with its lint
    code, in file order; with ``strict`` every warning counts as an error
    (``lint_as_dict(problems, root)`` is the JSON form). Each text a translation lacks
    (KB954) is listed only with ``every_missing`` (``-v``, JSON); its count (KB953) always.
    Raises nothing for what the files hold."""
    problems = lint_folder(kb_root(kb_dir))
    if not every_missing:
        problems = [p for p in problems if p.code != LISTED_ONLY_IF_ASKED]
    return promote(problems) if strict else problems


def run_kb_tests(kb_dir: PathLike | None = None, questions: int | None = None) -> SuiteReport:
    """Every rule example and worked case of ``kb_dir`` checked, with rule and condition
    coverage (``render_kb_tests(report, verbose)`` is the text); with ``questions`` (a
    budget), the questions each worked case's first-visit interview needs. Raises
    ``KnowledgeBaseError``."""
    return run_tests(fresh_advisor(kb_dir), questions=questions)


@dataclass(frozen=True)
class Recorded:
    """A worked case written by ``record_case``: its file and the result it expects."""

    path: Path
    result: dict


def record_case(source: str, kb_dir: PathLike | None = None, db: PathLike | None = None,
                out: PathLike | None = None) -> Recorded:
    """Write the case file or stored consultation ``source`` (a history number, from ``db``)
    as a new worked case of ``kb_dir``, expecting what the knowledge base concludes today; to
    ``out``, else ``cases/ID.yaml``. Raises ``KnowledgeBaseError``, ``CaseError``,
    ``HistoryError``, ``UsageError`` (``source`` is neither; the target exists),
    ``OutputError``."""
    advisor = fresh_advisor(kb_dir)
    case = case_to_record(source, advisor.kb, db)
    result = build_result(advisor.kb, case, advisor.run(case.facts), advisor)
    target = recording_target(advisor.kb, case, out)
    write_file(target, recorded_text(case, result, source), create_folder=True)
    return Recorded(target, result)


def graph(kb_dir: PathLike | None = None, focus: str | None = None) -> Graph:
    """The rule graph of ``kb_dir``: input facts -> rules -> findings -> verdict and
    recommendations; with ``focus`` only that node and what is upstream and downstream of it.
    Raises ``KnowledgeBaseError``; ``UnknownId`` (with the closest name) or ``UsageError``
    (several nodes) for ``focus``."""
    whole = build_graph(load_kb(kb_dir))
    return whole.focus(focus) if focus else whole


def draw_graph(drawn: Graph, fmt: str = "mermaid") -> str:
    """The graph as Mermaid (``fmt`` "mermaid") or Graphviz dot ("dot") text."""
    return to_mermaid(drawn) if fmt == "mermaid" else to_dot(drawn)


def decision_table(which: str, kb_dir: PathLike | None = None) -> DecisionTable:
    """The decision table of ``kb_dir``: ``which`` is "verdict" (hit policy first) or a factor
    id (collect); rules as rows in the order they take effect (``draw_table`` is the text).
    Raises ``KnowledgeBaseError``; ``UsageError`` (with the closest name) for ``which``."""
    return build_table(load_kb(kb_dir), which)


def draw_table(table: DecisionTable, fmt: str = "markdown") -> str:
    """The table as Markdown (``fmt`` "markdown") or CSV ("csv")."""
    return to_csv(table) if fmt == "csv" else to_markdown(table)


def reference_path(kb_dir: PathLike | None = None) -> Path:
    """Where the reference of ``kb_dir`` belongs when no other place is given: beside the
    knowledge base (``kbtools.reference.default_path``)."""
    return default_path(kb_root(kb_dir))


def reference(kb_dir: PathLike | None = None) -> str:
    """The knowledge-base reference document (Markdown) of ``kb_dir``. Raises
    ``KnowledgeBaseError``."""
    return render_reference(load_kb(kb_dir))


def reference_is_current(text: str, path: PathLike) -> bool:
    """Whether the file ``path`` holds exactly ``text`` (False when there is no such file)."""
    path = Path(path)
    return path.is_file() and path.read_text(encoding="utf-8") == text


def diff(old_dir: PathLike, new_dir: PathLike | None = None) -> KbDiff:
    """Rules and parameters added, removed and changed from ``old_dir`` to ``new_dir``
    (default: the shipped knowledge base), and what changed in every rule example and worked
    case of the new one (``render_diff``; ``.to_dict()`` for JSON). Raises
    ``KnowledgeBaseError``."""
    return diff_knowledge_bases(fresh_advisor(old_dir), fresh_advisor(new_dir))


@dataclass(frozen=True)
class ClipsExport:
    """The knowledge base as CLIPS constructs, and how many rules it holds."""

    text: str
    rules: int


def export_clips(kb_dir: PathLike | None = None) -> ClipsExport:
    """The knowledge base of ``kb_dir`` as CLIPS deftemplates and defrules (loaded, not
    compiled to experta). Raises ``KnowledgeBaseError``; ``ExportError`` naming the rule that
    cannot be written in CLIPS."""
    kb = load_kb(kb_dir)
    return ClipsExport(clips_text(kb), len(kb.rules))
