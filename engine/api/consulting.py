"""An extension officer's calls: consult a case, read the report, ask how, why not and what if,
store the consultation, screen a survey.

Must not: print, prompt or pick exit codes; hold logic of its own beyond composing engine calls.
"""
from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

from engine.api.loading import kb_root, load_advisor
from engine.consultation.batch import BatchCounts, count_items, run_batch
from engine.consultation.cases import Case, load_case, metadata_flaw
from engine.consultation.explain import explanation_targets
from engine.consultation.goal import BUDGET_SECONDS, GOALS, MAX_CHANGES, search_goal
from engine.consultation.result import build_result
from engine.consultation.whatif import parse_settings
from engine.consultation.whatif import what_if as compare_what_if
from engine.consultation.whynot import WhyNot, id_of
from engine.consultation.whynot import why_not as why_not_in
from engine.errors import HistoryError, Location, Problem, UsageError
from engine.history.store import resolve_path, save_consultation
from engine.inference.runner import Advisor, Run
from engine.knowledge.spec import KnowledgeBase
from engine.reports.explanation import render_explanation, render_plain_explanation
from engine.reports.formats import render, to_json
from engine.reports.whatif import render_goal, render_what_if
from engine.reports.whynot import render_why_not

__all__ = ["BatchCounts", "Consultation", "check_officer", "consult", "count_cases", "explain",
           "render", "render_explanation", "render_goal", "render_what_if", "render_why_not",
           "screen_survey", "store_consultation", "to_json", "what_if", "what_would_make_it",
           "why_not", "BUDGET_SECONDS", "MAX_CHANGES"]

PathLike = str | os.PathLike


@dataclass(frozen=True)
class Consultation:
    """One case consulted: the advisor that ran it, the case, and the result contract dict."""

    advisor: Advisor
    case: Case
    result: dict

    @property
    def kb(self) -> KnowledgeBase:
        return self.advisor.kb


def _run(case_path: PathLike, kb_dir: PathLike | None,
         lang: str | None = None) -> tuple[Advisor, Case, Run]:
    advisor = load_advisor(kb_dir, lang)
    case = load_case(case_path, advisor.kb)
    return advisor, case, advisor.run(case.facts)


def consult(case_path: PathLike, kb_dir: PathLike | None = None,
            lang: str | None = None) -> Consultation:
    """Run the case file ``case_path`` (YAML or JSON) on the knowledge base of ``kb_dir``
    (default: the shipped one), its texts in ``lang`` ("es", "fr"; default English: the
    result's ids and keys stay English in every language). Raises ``KnowledgeBaseError``,
    ``CaseError`` (every problem of the case file), ``UsageError`` for a language not
    shipped."""
    advisor, case, run = _run(case_path, kb_dir, lang)
    return Consultation(advisor, case, build_result(advisor.kb, case, run, advisor))


def explain(case_path: PathLike, target: str | None = None,
            kb_dir: PathLike | None = None, technical: bool = False,
            lang: str | None = None) -> list[tuple[str, str]]:
    """How ``target`` (``verdict``, an intervention, finding or derived fact; default: the
    verdict and every recommendation) follows from the case's facts: (heading, derivation as
    text) pairs; in plain words unless ``technical`` (then the heading is the target's id and
    the text the rules, positions and facts); in ``lang`` as ``consult``. Raises
    ``KnowledgeBaseError``, ``CaseError``;
    ``UsageError`` naming what was concluded when ``target`` was not."""
    done = consult(case_path, kb_dir, lang)
    items = explanation_targets(done.result, id_of(done.kb, target))
    if technical:
        return [(item, render_explanation(done.result, done.kb, item)) for item in items]
    return [render_plain_explanation(done.result, done.kb, item) for item in items]


def why_not(case_path: PathLike, target: str, kb_dir: PathLike | None = None,
            lang: str | None = None) -> WhyNot:
    """Why the finding, intervention or verdict value ``target`` was (not) concluded for the
    case: every rule that could conclude it, its conditions with the case's values
    (``render_why_not`` shows it). Raises ``KnowledgeBaseError``, ``CaseError``; ``UnknownId``
    with the closest id when ``target`` names nothing that can be concluded. ``lang``: the
    texts in that language (``render_why_not`` with ``load_advisor(kb_dir, lang).kb``)."""
    advisor, _, run = _run(case_path, kb_dir, lang)
    return why_not_in(advisor.kb, run, id_of(advisor.kb, target))


def what_if(case_path: PathLike, settings: list[str], kb_dir: PathLike | None = None,
            lang: str | None = None) -> dict:
    """The case before and after the ``FACT=VALUE`` changes in ``settings`` (``unknown``
    removes a fact): verdict, factors, recommendations and rules fired, each before and after
    (``render_what_if`` shows it, with the knowledge base of ``lang``: ``load_advisor(kb_dir,
    lang).kb``). Raises ``KnowledgeBaseError``; ``CaseError`` listing every problem of the case
    file or of the settings."""
    advisor = load_advisor(kb_dir, lang)
    case = load_case(case_path, advisor.kb)
    return compare_what_if(advisor, case, parse_settings(advisor.kb, settings))


def what_would_make_it(case_path: PathLike, goal: str, kb_dir: PathLike | None = None,
                       budget: float = BUDGET_SECONDS, max_changes: int = MAX_CHANGES) -> dict:
    """The smallest sets of changes to facts an owner or officer can act on (facts.yaml
    ``action:``) that bring the case to ``goal`` (``likely`` or ``possible_with_support``),
    searched for at most ``budget`` seconds and ``max_changes`` changes
    (``engine.consultation.goal.search_goal``; ``render_goal`` shows it). Raises
    ``KnowledgeBaseError``, ``CaseError``; ``UsageError`` for a goal that is none of ``GOALS``
    or a budget or size below one."""
    if goal not in GOALS:
        raise UsageError(f'"{goal}" is no goal; choose {" or ".join(GOALS)}')
    if budget <= 0 or max_changes < 1:
        raise UsageError("--budget must be above 0 seconds and --max-changes at least 1")
    advisor = load_advisor(kb_dir)
    return search_goal(advisor, load_case(case_path, advisor.kb), goal, budget, max_changes)
def check_officer(officer: str | None) -> None:
    """``UsageError`` when ``officer`` (``--officer``) cannot be stored with a case and read back
    (control characters, too long); nothing when it can or is None."""
    flaw = metadata_flaw("officer", officer)
    if flaw:
        raise UsageError(f"--officer {flaw}")


def store_consultation(result: dict, db: PathLike | None = None,
                       officer: str | None = None) -> int:
    """Store the result in the case history ``db`` (default: ``$MSE_ADVISOR_DB``, else the
    user's data folder); its number. Raises ``HistoryError``, which says that the report was
    produced all the same."""
    try:
        return save_consultation(result, db, officer)
    except HistoryError as exc:  # the consultation itself succeeded: say so
        exc.problems.append(Problem(Location("mse-advisor"), "the report was produced but not "
                                    "stored in the history; add --no-save to skip storing"))
        raise


def count_cases(input_path: PathLike) -> int:
    """How many cases a survey (folder, ``.jsonl`` or ``.csv``) holds, for a progress bar."""
    return count_items(input_path)


def screen_survey(input_path: PathLike, out: PathLike, kb_dir: PathLike | None = None,
                  fmt: str | None = None, jobs: int = 1, *, progress=None, on_invalid=None,
                  on_warning=None, counts: BatchCounts | None = None,
                  cluster: str | None = None) -> BatchCounts:
    """Screen every case of ``input_path`` into ``out`` (JSON lines or CSV; resumed if it holds
    rows), with ``jobs`` worker processes, or on the Dask cluster at ``cluster`` (an address,
    or "local": ``jobs`` local workers); ``progress``, ``on_invalid`` and ``on_warning`` as
    for ``engine.consultation.batch.run_batch``; ``counts.read.summary()`` says how many rows
    were read of how many lines. The knowledge base is checked before any row is read. Raises
    ``KnowledgeBaseError``, ``CaseError`` (the whole input), ``UsageError`` (``out`` is the input
    or the history, or holds the other format; Dask missing or its scheduler unreachable),
    ``OutputError``; returns the counts."""
    advisor = load_advisor(kb_dir)
    return run_batch(input_path, Path(out), advisor.kb, kb_root(kb_dir), fmt, jobs,
                     progress=progress, on_invalid=on_invalid, on_warning=on_warning,
                     counts=counts, history=_history_or_none(), cluster=cluster)


def _history_or_none() -> Path | None:
    """The default history file, which a batch output must not be (None without a home)."""
    try:
        return resolve_path()
    except HistoryError:
        return None
