"""A visit as the officer's web pages need it: register the enterprise and start the interview,
read a stored consultation back, the report in plain words, and the languages installed.

The interview itself is the terminal's (``interviewing``: the same ``InterviewSession`` and
``engine.consultation.dialogue``); the pages only start it from a registration form instead of a
command line, and show the stored result as the plain-words report's parts
(``engine.reports.plain.PlainReport``) rather than as one rendered text.

Must not: print, prompt or pick exit codes; hold logic of its own beyond composing engine calls.
"""
from __future__ import annotations

import datetime as _dt
import os
from collections.abc import Mapping

from engine.api.interviewing import InterviewSession
from engine.api.loading import load_advisor
from engine.consultation.casefile import new_case, timestamped_path
from engine.consultation.cases import METADATA, case_from_mapping
from engine.consultation.dialogue import Dialogue
from engine.consultation.interview import Interview
from engine.consultation.priorities import FIRST_VISIT_QUESTIONS
from engine.consultation.wording import STOPPED, group_title
from engine.errors import CaseError, Location, OutputError, Problem
from engine.history.store import open_history
from engine.output_target import make_private_folders
from engine.reports.content import NOT_ENOUGH, VERDICT_WORDS, plain_status
from engine.translation.catalogue import LANGUAGES, SOURCE
from engine.reports.plain import (
    COLLECT_FIRST, LEANING, SECTION_WORDS, PlainReport, first_steps_title, plain_report,
)

__all__ = ["COLLECT_FIRST", "LEANING", "NOT_ENOUGH", "PlainReport", "REGISTRATION",
           "SECTION_WORDS", "STOPPED", "VERDICT_WORDS", "first_steps_title", "group_title", "plain_status",
           "languages", "plain_report", "start_visit", "stored_consultation"]

PathLike = str | os.PathLike
# The registration form's fields, in the case file's own names (``cases.METADATA``)
REGISTRATION = tuple(k for k in ("enterprise", "id", "owner", "officer", "visit_date", "sector",
                                 "country", "opportunity", "notes") if k in METADATA)


def languages() -> dict[str, str]:
    """The languages this installation can speak to the officer, code -> name in that
    language ("es" -> "Español"), English first (``engine.translation.LANGUAGES``: every face
    reads the list from here, so a translation appears where it is added)."""
    return {SOURCE: LANGUAGES[SOURCE]} | {c: n for c, n in LANGUAGES.items() if c != SOURCE}


def start_visit(registration: Mapping[str, str], folder: PathLike,
                kb_dir: PathLike | None = None,
                max_questions: int | None = FIRST_VISIT_QUESTIONS,
                lang: str | None = None) -> InterviewSession:
    """A new interview for the enterprise registered with ``registration`` (text by
    ``REGISTRATION`` name; blank ones left out; no ``id``: one made from the enterprise's name
    when the answers are saved, as the terminal's interview does), its answers to be saved in a
    new file in ``folder`` (created private to the user if missing). The registration is the
    page's form, so the conversation asks none of it; ``max_questions`` is the terminal's
    budget (the interview also stops by itself when the verdict is settled).
    The registration is checked as a case file's metadata is; ``visit_date`` (default today)
    must be a date written YYYY-MM-DD. Raises ``CaseError`` (a bad id or date, control
    characters, too long), ``OutputError`` (the folder cannot be made),
    ``KnowledgeBaseError``; ``UsageError`` for a language not shipped. ``lang`` ("es", "fr";
    default English): the questions, replies and advice in that language, and answers typed in
    it ("sí", "no sé", a choice's label), as ``start_interview``."""
    advisor = load_advisor(kb_dir, lang)
    blank = new_case()
    details = {"visit_date": blank.metadata["visit_date"]}
    details |= {k: str(v).strip() for k, v in registration.items()
                if k in REGISTRATION and v is not None and str(v).strip()}
    details.setdefault("id", blank.id)
    day = details["visit_date"]
    try:
        _dt.date.fromisoformat(day)
    except ValueError:
        raise CaseError([Problem(Location("registration"), f'visit date "{day[:20]}" is no date: '
                                 f"write it as YYYY-MM-DD, e.g. {blank.metadata['visit_date']}")]
                        ) from None
    case = case_from_mapping({**details, "facts": {}}, advisor.kb, "registration")
    try:
        make_private_folders(folder)
    except OSError as exc:
        raise OutputError(f"cannot make the folder for case files {folder}: "
                          f"{exc.strerror or exc}") from None
    interview = Interview(advisor, {}, (), budget=max_questions)
    return InterviewSession(advisor, case, Dialogue(interview),
                            timestamped_path(folder, prefix=case.id))


def stored_consultation(row_id: int, db: PathLike | None = None) -> dict:
    """Stored consultation ``row_id`` as ``History.get`` gives it: the summary columns,
    ``facts`` and the whole ``result`` (the contract dict). Raises ``HistoryError`` (no such
    consultation, no history, damaged)."""
    with open_history(db, create=False) as history:
        return history.get(row_id)
