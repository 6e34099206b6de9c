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
from engine.consultation.wording import HELP_TEXT, group_title, question_text, why_text
from engine.errors import ValueProblem
from engine.language.formatting import format_value, quantity

CLOSING = "\nNo other question can change the advice for this case."
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

    opening = HELP_TEXT

    def __init__(self, interview: Interview, technical: bool = False):
        self.interview = interview
        self.technical = technical  # why: the rules and conditions, not plain words
        self.question: Question | None = None  # asked, not settled yet
        self.over = False
        self._group: str | None = None
        self._again: Question | None = None  # the question ``back`` returns to

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
            return Turn(None, CLOSING)
        lines = []
        if q.group != self._group:
            self._group = q.group
            lines.append(f"\n== {group_title(self.interview.kb, q.group)}")
        lines.append(question_text(q, self.interview.answered() + 1, self.interview.remaining(),
                                   self.technical))
        self.question = q
        return Turn(q, "\n".join(lines))

    def hear(self, typed: str) -> Reply:
        """What ``typed`` does to the waiting question (``ValueError`` when none waits)."""
        q = self.question
        if q is None:
            raise ValueError("no question is waiting for an answer: call next_turn() first")
        command = command_of(typed)
        if command == "why":
            needs = self.interview.why(q.name)
            if self.technical:
                return Reply("why", why_text(q.name, needs))
            return Reply("why", why_asked(self.interview.kb, q.name, [n.rule for n in needs])
                         + "\n\n" + question_text(q, self.interview.answered() + 1,
                                                   self.interview.remaining()))
        if command == "done":
            self.over = True
            return self._settled(Reply("done"))
        if command == "skip":
            skipped = self.interview.skip_group(q.group)
            count = quantity(len(skipped), "question", "questions")
            return self._settled(Reply("skip", f"Skipped {count} of this group (left "
                                               "unknown)."))
        if command == "back":
            return self._back()
        if command == "unknown":
            self.interview.answer(q.name, None)
            return self._settled(Reply("unknown"))
        try:
            value = parse_answer(q.fact, typed)
        except ValueProblem as exc:
            said = str(exc) if self.technical else str(exc).replace(q.name, "the answer")
            return Reply("refused", f"Not accepted: {said}. Type it again, or ? if not known.")
        self.interview.answer(q.name, value)
        return self._settled(Reply("answered"))

    def _back(self) -> Reply:
        last = self.interview.last_answer()
        again = self.interview.back()
        if again is None:
            return Reply("refused", "Nothing to go back to in this session.")
        self._again = again
        if not last:
            return self._settled(Reply("back", "The skip is undone."))
        fact = self.interview.kb.facts.get(last[0])
        asked = last[0] if self.technical or fact is None else \
            f'"{fact.question or fact.meaning}"'
        return self._settled(Reply("back", f"Back to {asked} (you answered "
                                           f"{format_value(last[1])})."))

    def _settled(self, reply: Reply) -> Reply:
        self.question = None
        return reply
