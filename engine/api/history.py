"""The case history's calls: list, show, export and compare stored consultations.

Must not: print or pick exit codes; hold logic of its own beyond composing engine calls.
"""
from __future__ import annotations

import os
from pathlib import Path

from engine.api.loading import load_kb
from engine.history.store import open_history, resolve_path
from engine.history.visits import compare_visits, export_text
from engine.reports.formats import render_stored
from engine.reports.visits import render_comparison
from engine.reports.visits import render_list as render_history

__all__ = ["compare_consultations", "export_history", "history_path", "list_consultations",
           "render_comparison", "render_history", "show_consultation"]

PathLike = str | os.PathLike


def history_path(db: PathLike | None = None) -> Path:
    """The history file: ``db``, else ``$MSE_ADVISOR_DB``, else the user's data folder."""
    return resolve_path(db)


def list_consultations(case_id: str | None = None,
                       db: PathLike | None = None) -> list[dict] | None:
    """The stored consultations (of case ``case_id`` only, if given), oldest first, as
    summary rows (``render_history`` lays them out); None when there is no history file yet.
    Raises ``HistoryError``."""
    if not history_path(db).exists():
        return None
    with open_history(db, create=False) as history:
        return history.list(case_id)


def show_consultation(row_id: int, fmt: str = "text", db: PathLike | None = None,
                      kb_dir: PathLike | None = None, technical: bool = False,
                      appendix: bool = False, lang: str | None = None) -> str:
    """Stored consultation ``row_id`` as it was concluded, in ``fmt`` (one of
    ``REPORT_FORMATS``; labels from the knowledge base of ``kb_dir``, not read for JSON); in
    plain words unless ``technical``; ``appendix`` as for ``render``; the report's own words
    and labels in ``lang`` (its findings and advice as they were stored, in the language of the
    consultation). Raises ``HistoryError`` (no such consultation), ``KnowledgeBaseError``."""
    with open_history(db, create=False) as history:
        row = history.get(row_id)
    return render_stored(row, None if fmt == "json" else load_kb(kb_dir, lang), fmt, technical,
                         appendix)


def export_history(fmt: str = "jsonl", db: PathLike | None = None,
                   on_damaged=None) -> str:
    """Every stored consultation as JSON Lines (whole results) or CSV (one line each); a
    damaged one is left out and ``on_damaged(text)`` told why. Raises ``HistoryError``."""
    with open_history(db, create=False) as history:
        text = export_text(history.export_rows(), fmt)
    for row_id, why in history.damaged:
        if on_damaged is not None:
            on_damaged(f"{history.path}: consultation #{row_id} is damaged ({why}): left out")
    return text


def compare_consultations(first: int, second: int, db: PathLike | None = None) -> dict:
    """What changed from stored consultation ``first`` to ``second``: facts, verdict, factors,
    findings, recommendations (``render_comparison(diff, kb)`` lays it out). Raises
    ``HistoryError``; ``UsageError`` when they are not visits of the same enterprise."""
    with open_history(db, create=False) as history:
        old, new = history.get(first), history.get(second)
    return compare_visits(old, new)
