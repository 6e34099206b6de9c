"""The interview as a conversation, free of I/O: what to say next, and what the officer's typed
text did.

A terminal (``commands/consulting.py``) and a web page drive the same logic. Show ``opening``;
then, while ``next_turn()`` gives a turn, show its text and, while ``waiting``, pass each line
the officer types to ``hear(text)`` and show the ``Reply``'s text. The turns: for a new case
the registration lines (``Turn.field``: the case's metadata, all optional); then each question
("Question 12 of about 20", a topic heading when it changes); when the interview stops by
itself, why, and with questions left the offer to ask them ("more", else Enter concludes).
Typed text is a command (``answers.command_of``: why, back, skip, done, ``?`` for unknown) or
an answer checked like a case file (``answers.parse_answer``); a refused answer or an
impossible ``back`` leaves the question waiting. ``why`` answers in two or three plain sentences
(``reasons.why_asked``) and asks the question again; ``technical`` shows the rules instead.
``over`` says the officer typed done or the interview is over; the answers are the
interview's (``dialogue.interview``), the case lines ``metadata``'s.

Must not: print, prompt, read or write files, or decide what to ask (``interview`` does); word
questions (``wording`` does). Entry point: ``Dialogue(interview)``: ``opening``, ``next_turn()``,
``waiting``, ``hear(text) -> Reply``, ``over``; ``Dialogue(interview, technical, register)``
with ``register`` the case's metadata dict to fill (None: no registration, as on --resume).
"""
from __future__ import annotations

import datetime as _dt
from dataclasses import dataclass

from engine.consultation.answers import command_of, parse_answer
from engine.consultation.cases import metadata_flaw
from engine.consultation.interview import Interview, Question
from engine.consultation.reasons import why_asked
from engine.consultation.spoken import fold, understood
from engine.consultation.wording import (
    HELP_TEXT, MORE, REGISTRATION, REGISTRATION_TITLE, STOPPED, fit, group_title,
    question_text, what_to_type, why_text,
)
from engine.errors import ValueProblem
from engine.knowledge.translations import said_value
from engine.language.formatting import format_value, quantity
from engine.translation.catalogue import N_

CLOSING = STOPPED["exhausted"]
# what the dialogue says itself, in the interview's language (the knowledge base's)
SKIPPED = (N_("Skipped {count} question of this group (left unknown)."),
           N_("Skipped {count} questions of this group (left unknown)."))
REFUSED = N_("Not accepted: {problem}. Type it again, or ? if not known.")
REFUSED_LINE = N_("Not accepted: {problem}. Type it again, or press Enter.")
NOT_A_DATE = N_('"{text}" is no date: type it as year-month-day, e.g. 2026-11-30')
THE_ANSWER = N_("the answer")
NOTHING_BACK = N_("Nothing to go back to in this session.")
SKIP_UNDONE = N_("The skip is undone.")
BACK_TO = N_("Back to {question} (you answered {answer}).")
EVENTS = ("answered", "unknown", "why", "back", "skip", "done", "refused", "registered",
          "more")
MORE_QUESTIONS = 10  # optional questions added each time the officer types "more"


@dataclass(frozen=True)
class Turn:
    """What to show before the officer types: ``question`` and its text (with the group's
    heading when the group changes), or the closing line when ``question`` is None."""

    question: Question | None
    text: str
    field: str | None = None  # a registration line (a case metadata key) waiting instead


@dataclass(frozen=True)
class Reply:
    """What one typed line did (``event``, one of ``EVENTS``) and what to tell the officer
    (``text``, empty when there is nothing to say)."""

    event: str
    text: str = ""


class Dialogue:
    """One interview, turn by turn."""

    def __init__(self, interview: Interview, technical: bool = False,
                 register: dict | None = None):
        self.interview = interview
        self.technical = technical  # why: the rules and conditions, not plain words
        self.lang = interview.kb.language  # the knowledge base's language: questions, replies
        self.question: Question | None = None  # asked, not settled yet
        self.over = False
        self.metadata = register  # the case's metadata, filled by the registration lines
        self._fields = [k for k, _ in REGISTRATION] if register is not None else []
        self.field: str | None = None  # the registration line waiting for its text
        self.offer: bool = False  # waiting for "more" or Enter after the interview stopped
        self._group: str | None = None
        self._again: Question | None = None  # the question ``back`` returns to

    @property
    def opening(self) -> str:
        """What to show first: how to answer (the commands), in the interview's language."""
        return fit(self.lang.gettext(HELP_TEXT))

    @property
    def waiting(self) -> bool:
        """A question (a registration line, the offer of more) waits: ``hear`` typed text."""
        return self.question is not None or self.field is not None or self.offer

    def next_turn(self) -> Turn | None:
        """The next registration line or question; when the interview stops, why (and the
        offer of the optional questions left, waiting for "more" or Enter), or the closing line
        (the conversation is then over); None once it is over."""
        if self.over:
            return None
        if self._fields:
            key = self._fields.pop(0)
            first = len(self._fields) == len(REGISTRATION) - 1
            label = self.lang.gettext(dict(REGISTRATION)[key])
            now = (self.metadata or {}).get(key)
            self.field = key
            title = self.lang.gettext(REGISTRATION_TITLE.strip("\n"))
            return Turn(None, ("\n" + title + "\n" if first else "") + label +
                        (f" [{now}]" if now else "") + ":", key)
        interview = self.interview
        q, self._again = self._again or interview.next_question(), None
        if q is None:
            return self._stopped()
        lines = []
        if q.group != self._group:
            self._group = q.group
            lines.append(f"\n== {group_title(interview.kb, q.group)}")
        lines.append(self._question_text(q))
        self.question = q
        return Turn(q, "\n".join(lines))

    def _question_text(self, q: Question) -> str:
        """The question with its number and, with a budget, the estimate of the questions in
        all ("Question 12 of about 20"), numbered on from the sessions it resumes."""
        interview = self.interview
        about = interview.about() if interview.budget is not None else None
        return question_text(q, interview.count() + 1, interview.remaining(), self.technical,
                             about, self.lang)

    def _stopped(self) -> Turn:
        """Why the interview stopped; with optional questions left, the offer to ask them."""
        interview = self.interview
        _ = self.lang.gettext
        reason = interview.stopped or "exhausted"
        text = "\n" + _(STOPPED[reason].strip("\n")).format(budget=interview.budget)
        left = len(interview.later()) if reason != "exhausted" else 0
        if left:
            self.offer = True
            more = self.lang.ngettext(*MORE, left).format(count=left)
            return Turn(None, fit(text + "\n" + more))
        self.over = True
        return Turn(None, fit(text))

    def hear(self, typed: str) -> Reply:
        """What ``typed`` does to the waiting question (``ValueError`` when none waits)."""
        if self.field is not None:
            return self._register(typed)
        if self.offer:
            self.offer = False
            if fold(typed) in ("more", fold(self.lang.gettext("more"))):
                self.interview.budget = self.interview.count() + MORE_QUESTIONS
                self.interview.settle_stop = False
                self.interview._changed()  # its plan was made for the old budget and stop
                return Reply("more")
            self.over = True
            return Reply("done")
        q = self.question
        if q is None:
            raise ValueError("no question is waiting for an answer: call next_turn() first")
        _ = self.lang.gettext
        typed = understood(typed, q.fact, self.lang.code)  # "sí", "no sé", "por qué" ...
        command = command_of(typed)
        if command == "why":
            needs = self.interview.why(q.name)
            if self.technical:
                return Reply("why", why_text(q.name, needs))
            return Reply("why", fit(why_asked(self.interview.kb, q.name, [n.rule for n in needs]))
                         + "\n\n" + self._question_text(q))
        if command == "done":
            self.over = True
            return self._settled(Reply("done"))
        if command == "skip":
            skipped = self.interview.skip_group(q.group)
            if self.lang.is_source:
                count = quantity(len(skipped), "question", "questions")
                said = f"Skipped {count} of this group (left unknown)."
            else:
                said = self.lang.ngettext(*SKIPPED, len(skipped)).format(count=len(skipped))
            return self._settled(Reply("skip", said))
        if command == "back":
            return self._back()
        if command == "unknown":
            self.interview.answer(q.name, None)
            return self._settled(Reply("unknown"))
        try:
            value = parse_answer(q.fact, typed)
        except ValueProblem as exc:
            said = str(exc) if self.technical else str(exc).replace(q.name, _(THE_ANSWER))
            if not self.lang.is_source and not self.technical:  # the check speaks English
                said = what_to_type(q.fact, self.lang)
            return Reply("refused", fit(_(REFUSED).format(problem=said)))
        self.interview.answer(q.name, value)
        return self._settled(Reply("answered"))

    def _back(self) -> Reply:
        _ = self.lang.gettext
        last = self.interview.last_answer()
        again = self.interview.back()
        if again is None:
            return Reply("refused", _(NOTHING_BACK))
        self._again = again
        if not last:
            return self._settled(Reply("back", _(SKIP_UNDONE)))
        fact = self.interview.kb.facts.get(last[0])
        asked = last[0] if self.technical or fact is None else \
            f'"{fact.question or fact.meaning}"'
        answer = format_value(last[1]) if self.lang.is_source else \
            said_value(self.interview.kb, fact, last[1])
        return self._settled(Reply("back", _(BACK_TO).format(question=asked, answer=answer)))

    def _settled(self, reply: Reply) -> Reply:
        self.question = None
        return reply

    def _register(self, typed: str) -> Reply:
        """One registration line: its text goes to the case's metadata (empty: kept as it
        was); text a case file could not hold is refused and the line asked again."""
        text = typed.strip()
        if command_of(understood(text, None, self.lang.code)) == "done":  # at any time
            self.field, self.over = None, True
            return Reply("done")
        if text:
            flaw = metadata_flaw(self.field, text) or _date_flaw(self.field, text, self.lang)
            if flaw:
                return Reply("refused", self.lang.gettext(REFUSED_LINE).format(problem=flaw))
            self.metadata[self.field] = text
        self.field = None
        return Reply("registered")


def _date_flaw(key: str, text: str, lang) -> str:
    """Why ``text`` is no visit date ('' when it is one, or ``key`` is not the visit date)."""
    if key != "visit_date":
        return ""
    try:
        _dt.date.fromisoformat(text)
    except ValueError:
        return lang.gettext(NOT_A_DATE).format(text=text)
    return ""
