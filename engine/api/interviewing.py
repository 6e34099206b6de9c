"""The interview's calls around the conversation: start it from nothing, a partial case or a
saved interview; save the answers as a case file; conclude with the advice.

The conversation itself (what to say, what the officer's typed text did) is
``engine.consultation.dialogue``, held by the session; a terminal or a web page drives it.

Must not: print or prompt; hold logic of its own beyond composing engine calls.
"""
from __future__ import annotations

import dataclasses
import os
import re
from dataclasses import dataclass
from pathlib import Path

from engine.api.consulting import check_officer
from engine.api.loading import load_advisor
from engine.api.output import check_output
from engine.consultation.casefile import (
    case_document, dump_case, new_case, save_somewhere, timestamped_path, unknown_marks,
)
from engine.consultation.cases import Case, load_case
from engine.consultation.dialogue import Dialogue
from engine.consultation.interview import Interview
from engine.consultation.priorities import FIRST_VISIT_QUESTIONS
from engine.consultation.replay import replay
from engine.consultation.result import build_result
from engine.api.history import list_consultations
from engine.inference.runner import Advisor
from engine.reports.formats import format_for_file as report_format_for
from engine.reports.visits import interview_ending

__all__ = ["FIRST_VISIT_QUESTIONS", "InterviewSession", "finish_interview",
           "interview_case_text", "interview_ending", "replay_case", "report_format_for", "save_interview",
           "start_interview", "visit_number"]

PathLike = str | os.PathLike


@dataclass
class InterviewSession:
    """One interview: the advisor, the case it started from, the conversation, and the file
    the answers are saved to."""

    advisor: Advisor
    case: Case
    dialogue: Dialogue
    target: Path

    @property
    def interview(self) -> Interview:
        return self.dialogue.interview

    @property
    def answered(self) -> bool:
        """Whether anything was answered or skipped in this session."""
        return bool(self.interview.events)


def start_interview(case_path: PathLike | None = None, resume: PathLike | None = None,
                    officer: str | None = None, save: PathLike | None = None,
                    kb_dir: PathLike | None = None, *, force: bool = False,
                    db: PathLike | None = None, technical: bool = False,
                    max_questions: int | None = FIRST_VISIT_QUESTIONS,
                    lang: str | None = None) -> InterviewSession:
    """An interview from the partial case ``case_path``, the saved interview ``resume`` (the
    facts it marked unknown are not asked again) or nothing (a new case for ``officer``); its
    answers go to ``save``, else back to ``resume``, else to a new time-stamped file here.
    ``save`` is checked by the output rules first: not the case read, the knowledge base or the
    history ``db``, and not an existing file (but ``resume``) without ``force``. ``technical``:
    questions show their fact names and ``why`` the rules. ``max_questions``: the budget of
    questions, those of the resumed sessions included (the interview also stops by itself when
    the verdict is settled); a new case starts with the registration lines. ``lang`` ("es",
    "fr"; default English): the questions, replies and report in that language, and answers
    typed in it ("sí", "no sé", a choice's label). Raises ``KnowledgeBaseError``,
    ``CaseError``; ``UsageError`` for ``save`` or an ``officer`` that could not be saved and
    read back (control characters)."""
    check_officer(officer)
    if save is not None and not (resume and Path(save).resolve() == Path(resume).resolve()):
        check_output(save, inputs=[p for p in (case_path,) if p], db=db, force=force,
                     kb_dir=kb_dir, option="--save")
    advisor = load_advisor(kb_dir, lang)
    start = resume or case_path
    case = load_case(start, advisor.kb) if start else new_case(officer)
    marks = unknown_marks(start) if start else []
    interview = Interview(advisor, case.facts, marks, budget=max_questions,
                          asked_before=asked_before(advisor.kb, case.facts, marks))
    register = case.metadata if not resume else None
    return InterviewSession(advisor, case, Dialogue(interview, technical, register),
                            Path(save or resume or timestamped_path()))


def asked_before(kb, facts: dict, marks) -> int:
    """How many questions a saved interview's facts answered: each fact given or marked
    unknown, except those a gate's "no" settled (they were not asked)."""
    names = set(facts) | set(marks)
    closed = {n for g in names if facts.get(g) is False
              for n, v in kb.facts[g].closes if facts.get(n) == v}
    return len(names - closed)


def case_with_registration(session: InterviewSession):
    """The session's case with the id the registration gives it: the enterprise's name in
    letters, digits and "-" (so that later visits of one enterprise count as one case), else the
    time-stamped id it started with."""
    case = session.case
    name = case.metadata.get("enterprise") or ""
    slug = re.sub(r"[^a-z0-9]+", "-", name.lower()).strip("-")[:60].strip("-")
    if not slug or not case.id.startswith("interview-"):
        return case
    return dataclasses.replace(case, id=slug)


def save_interview(session: InterviewSession) -> tuple[Path, list[str]]:
    """Save the answers so far as a case file: (where, the places tried first that failed, as
    "PATH: reason"). Raises ``OutputError`` when no place could be written
    (``interview_case_text`` is then the text to show instead)."""
    case = session.case = case_with_registration(session)
    return save_somewhere(session.target, case.id, session.interview.answers, case.metadata,
                          case.expected)


def interview_case_text(session: InterviewSession) -> str:
    """The answers so far as the YAML of a case file."""
    return dump_case(case_document(session.case.id, session.interview.answers,
                                   session.case.metadata))


def finish_interview(session: InterviewSession) -> dict:
    """The advice on what is known: the result contract dict of the case with the answers."""
    interview = session.interview
    case = dataclasses.replace(case_with_registration(session), facts=interview.known_facts())
    return build_result(session.advisor.kb, case, interview.run(), session.advisor)


def visit_number(result: dict, db: PathLike | None = None) -> int:
    """Which visit of its case a stored consultation is: how many consultations of its case id
    the history ``db`` holds. Raises ``HistoryError``."""
    return len(list_consultations(result["case_id"], db) or [])


def replay_case(case_path: PathLike, kb_dir: PathLike | None = None,
                max_questions: int = FIRST_VISIT_QUESTIONS) -> dict:
    """The interview played with the case file's facts as the answers (``consultation.
    replay``): the result contract dict at its stop, with the ``interview`` key. Raises
    ``KnowledgeBaseError``, ``CaseError``."""
    advisor = load_advisor(kb_dir)
    return replay(advisor, load_case(case_path, advisor.kb), max_questions)
