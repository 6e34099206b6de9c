"""The interview as a conversation, free of I/O: what to say next, and what the officer's typed
text did.

A terminal (``cli.py``) and a web page drive the same logic. Show ``opening``; then, while
``next_turn()`` gives a turn, show its text (a group heading and the question; or, when no
question can change the advice any more, the closing line) and, while ``waiting``, pass each
line the officer types to ``hear(text)`` and show the ``Reply``'s text. Typed text is a command
(``answers.command_of``: why, back, skip, done, ``?`` for unknown) or an answer checked like a
case file (``answers.parse_answer``); a refused answer or an impossible ``back`` leaves the
question waiting. ``why`` answers in two or three plain sentences
(``reasons.why_asked``) and asks the question again; ``technical`` shows the rules instead.
``over`` says the officer typed done or nothing is left to ask; the answers are
the interview's (``dialogue.interview``).

Must not: print, prompt, read or write files, or decide what to ask (``interview`` does); word
questions (``wording`` does). Entry point: ``Dialogue(interview)``: ``opening``, ``next_turn()``,
``waiting``, ``hear(text) -> Reply``, ``over``.
"""
from __future__ import annotations

from dataclasses import dataclass

from engine.consultation.answers import command_of, parse_answer
from engine.consultation.interview import Interview, Question
from engine.consultation.reasons import why_asked
from engine.consultation.spoken import understood
from engine.consultation.wording import (
    HELP_TEXT, group_title, question_text, what_to_type, why_text,
)
from engine.errors import ValueProblem
from engine.knowledge.translations import said_value
from engine.language.formatting import format_value, quantity
from engine.translation.catalogue import N_

CLOSING = N_("No other question can change the advice for this case.")
SKIPPED = (N_("Skipped {count} question of this group (left unknown)."),
           N_("Skipped {count} questions of this group (left unknown)."))
REFUSED = N_("Not accepted: {problem}. Type it again, or ? if not known.")
THE_ANSWER = N_("the answer")
NOTHING_BACK = N_("Nothing to go back to in this session.")
SKIP_UNDONE = N_("The skip is undone.")
BACK_TO = N_("Back to {question} (you answered {answer}).")
EVENTS = ("answered", "unknown", "why", "back", "skip", "done", "refused")


@dataclass(frozen=True)
class Turn:
    """What to show before the officer types: ``question`` and its text (with the group's
    heading when the group changes), or the closing line when ``question`` is None."""

    question: Question | None
    text: str


@dataclass(frozen=True)
class Reply:
    """What one typed line did (``event``, one of ``EVENTS``) and what to tell the officer
    (``text``, empty when there is nothing to say)."""

    event: str
    text: str = ""


class Dialogue:
    """One interview, turn by turn."""

    def __init__(self, interview: Interview, technical: bool = False):
        self.interview = interview
        self.technical = technical  # why: the rules and conditions, not plain words
        self.lang = interview.kb.language  # the knowledge base's language: questions, replies
        self.question: Question | None = None  # asked, not settled yet
        self.over = False
        self._group: str | None = None
        self._again: Question | None = None  # the question ``back`` returns to

    @property
    def opening(self) -> str:
        """What to show first: how to answer (the commands), in the interview's language."""
        return self.lang.gettext(HELP_TEXT)

    @property
    def waiting(self) -> bool:
        """A question was asked and is not settled yet: ``hear`` the next typed line."""
        return self.question is not None

    def next_turn(self) -> Turn | None:
        """The next question, the closing line when no question can change the advice (the
        conversation is then over), or None once it is over."""
        if self.over:
            return None
        q, self._again = self._again or self.interview.next_question(), None
        if q is None:
            self.over = True
            return Turn(None, "\n" + self.lang.gettext(CLOSING))
        lines = []
        if q.group != self._group:
            self._group = q.group
            lines.append(f"\n== {group_title(self.interview.kb, q.group)}")
        lines.append(question_text(q, self.interview.answered() + 1, self.interview.remaining(),
                                   self.technical, self.lang))
        self.question = q
        return Turn(q, "\n".join(lines))

    def hear(self, typed: str) -> Reply:
        """What ``typed`` does to the waiting question (``ValueError`` when none waits)."""
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
            return Reply("why", why_asked(self.interview.kb, q.name, [n.rule for n in needs])
                         + "\n\n" + question_text(q, self.interview.answered() + 1,
                                                   self.interview.remaining(), lang=self.lang))
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
            return Reply("refused", _(REFUSED).format(problem=said))
        self.interview.answer(q.name, value)
        return self._settled(Reply("answered"))

    def _back(self) -> Reply:
        last = self.interview.last_answer()
        again = self.interview.back()
        _ = self.lang.gettext
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
