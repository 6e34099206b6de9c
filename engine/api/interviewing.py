"""The interview's calls around the conversation: start it from nothing, a partial case or a
saved interview; save the answers as a case file; conclude with the advice.

The conversation itself (what to say, what the officer's typed text did) is
``engine.consultation.dialogue``, held by the session; a terminal or a web page drives it.

Must not: print or prompt; hold logic of its own beyond composing engine calls.
"""
from __future__ import annotations

import dataclasses
import os
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
from engine.consultation.result import build_result
from engine.inference.runner import Advisor
from engine.reports.formats import format_for_file as report_format_for

__all__ = ["InterviewSession", "finish_interview", "interview_case_text", "report_format_for",
           "save_interview", "start_interview"]

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
                    lang: str | None = None) -> InterviewSession:
    """An interview from the partial case ``case_path``, the saved interview ``resume`` (the
    facts it marked unknown are not asked again) or nothing (a new case for ``officer``); its
    answers go to ``save``, else back to ``resume``, else to a new time-stamped file here.
    ``save`` is checked by the output rules first: not the case read, the knowledge base or the
    history ``db``, and not an existing file (but ``resume``) without ``force``. ``technical``:
    questions show their fact names and ``why`` the rules. ``lang`` ("es", "fr"; default
    English): the questions, replies and report in that language, and answers typed in it
    ("sí", "no sé", a choice's label). Raises ``KnowledgeBaseError``,
    ``CaseError``; ``UsageError`` for ``save`` or an ``officer`` that could not be saved and
    read back (control characters)."""
    check_officer(officer)
    if save is not None and not (resume and Path(save).resolve() == Path(resume).resolve()):
        check_output(save, inputs=[p for p in (case_path,) if p], db=db, force=force,
                     kb_dir=kb_dir, option="--save")
    advisor = load_advisor(kb_dir, lang)
    start = resume or case_path
    case = load_case(start, advisor.kb) if start else new_case(officer)
    interview = Interview(advisor, case.facts, unknown_marks(start) if start else ())
    return InterviewSession(advisor, case, Dialogue(interview, technical),
                            Path(save or resume or timestamped_path()))


def save_interview(session: InterviewSession) -> tuple[Path, list[str]]:
    """Save the answers so far as a case file: (where, the places tried first that failed, as
    "PATH: reason"). Raises ``OutputError`` when no place could be written
    (``interview_case_text`` is then the text to show instead)."""
    case = session.case
    return save_somewhere(session.target, case.id, session.interview.answers, case.metadata,
                          case.expected)


def interview_case_text(session: InterviewSession) -> str:
    """The answers so far as the YAML of a case file."""
    return dump_case(case_document(session.case.id, session.interview.answers,
                                   session.case.metadata))


def finish_interview(session: InterviewSession) -> dict:
    """The advice on what is known: the result contract dict of the case with the answers."""
    interview = session.interview
    case = dataclasses.replace(session.case, facts=interview.known_facts())
    return build_result(session.advisor.kb, case, interview.run(), session.advisor)
