"""The interviews in progress: each visit's conversation, kept in memory by a random visit id.

The web server is local and serves one officer, so a visit lives in this process's memory (a
dict keyed by an unguessable id, ``secrets.token_urlsafe``), not in a cookie or a database:
the conversation object (``api.InterviewSession``) is the terminal's own and is not meant to be
serialised. The answers are saved as a case file after every answer, so a server stopped
mid-visit loses nothing (``mse-advisor consult --resume FILE`` continues it). At most
``MAX_VISITS`` are kept; the oldest finished ones go first.

Must not: call the engine (``pages`` does, through ``engine.api``). Entry point:
``Visits().add(session) -> id``, ``Visits().get(id) -> Visit | None``.
"""
from __future__ import annotations

import secrets
from collections import OrderedDict
from dataclasses import dataclass, field

MAX_VISITS = 200  # visits kept in memory: a day's work many times over


@dataclass
class Visit:
    """One interview in a browser: the session (``api.InterviewSession``), the text of the
    question on screen, what the last button did (shown once), the case file saved and, once
    concluded, the consultation's number in the history."""

    session: object
    turn_text: str = ""
    said: list = field(default_factory=list)  # (kind, text): "why", "note", "refused"
    saved: str = ""
    row_id: int | None = None


class Visits:
    """Visits by id, oldest first."""

    def __init__(self):
        self._visits: OrderedDict[str, Visit] = OrderedDict()

    def add(self, session) -> str:
        """Keep a new visit; its id (URL-safe, unguessable)."""
        while len(self._visits) >= MAX_VISITS:
            done = [k for k, v in self._visits.items() if v.row_id is not None]
            self._visits.pop(done[0] if done else next(iter(self._visits)))
        visit_id = secrets.token_urlsafe(16)
        self._visits[visit_id] = Visit(session)
        return visit_id

    def get(self, visit_id: str) -> Visit | None:
        return self._visits.get(visit_id)
