"""Problems a person can act on: what is wrong, where (file:line:col), and how to fix it.

One tree: every error a user can cause derives from ``AdvisorError``, which carries its exit code
(result contract: 1 the knowledge base is invalid or the consultation failed, 2 the command line,
a case file or an answer is wrong), a list of ``Problem`` records, each with a location where
there is one, and ``consequence``: what the error meant, said once after the problems. Loaders
collect every problem and raise once, so a knowledge engineer fixes ten typos in one pass. The
CLI prints ``Error: <problem>`` for each and exits with ``exit_code``, in one place. Must not:
print, or import anything but the standard library.

    AdvisorError (1)
    +-- KnowledgeBaseError (1)      the knowledge base is invalid; it must not be used
    |   +-- ExportError (1)         it cannot be written in another engine's language
    +-- OutputError (1)             a file or stream could not be written (also an OSError)
    +-- HistoryError (1)            the case history cannot be read or written
    +-- InputError (2)              what the user typed or gave is wrong
        +-- CaseError (2)           a case file or survey row
        +-- ValueProblem (2)        one value does not fit its fact (also a ValueError)
        +-- UsageError (2)          a command-line argument (two options that exclude each other)
        |   +-- UnknownId (2)       an id that names nothing (also a KeyError)
        +-- ParseError (2)          a condition or template, with the offset of the slip
"""
from __future__ import annotations

import difflib
from dataclasses import dataclass, field
from typing import Iterable


@dataclass(frozen=True)
class Location:
    """A 1-based position in a file."""

    path: str
    line: int = 0
    col: int = 0

    def __str__(self) -> str:
        if self.line <= 0:
            return self.path
        if self.col <= 0:
            return f"{self.path}:{self.line}"
        return f"{self.path}:{self.line}:{self.col}"

    def shifted(self, columns: int) -> "Location":
        return Location(self.path, self.line, self.col + columns)


@dataclass(frozen=True)
class Problem:
    """One defect found in a knowledge-base or case file, or in what the user typed."""

    where: Location
    message: str
    code: str = "invalid"
    severity: str = "error"
    # What the problem is about, for lint's waivers: ("rule:TM-1", "rule:TM-3") names the rule it
    # is reported at first, then any other rule of a pair; ("fact:x",) a vocabulary entry.
    subject: tuple = ()

    def __str__(self) -> str:
        where = str(self.where)
        return f"{where}: {self.message}" if where else self.message

    def to_dict(self) -> dict:
        """Plain data for machine-readable output (``kb validate --format json``, ``kb lint``):
        ``file``, ``line``, ``col`` (1-based; 0 when unknown), ``code``, ``severity``,
        ``message``."""
        return {"file": self.where.path, "line": self.where.line, "col": self.where.col,
                "code": self.code, "severity": self.severity, "message": self.message}


class AdvisorError(Exception):
    """Root of the advisor's errors; ``problems`` lists every defect found."""

    exit_code = 1
    consequence = ""  # what the error meant, e.g. that the knowledge base was not used

    def __init__(self, problems: Iterable[Problem] | str):
        if isinstance(problems, str):
            problems = [Problem(Location(""), problems)]
        self.problems: list[Problem] = list(problems)
        super().__init__("\n".join(str(p) for p in self.problems))

    def __str__(self) -> str:
        return "\n".join(str(p) for p in self.problems)


class KnowledgeBaseError(AdvisorError):
    """The knowledge base is invalid; it must not be used."""

    exit_code = 1
    consequence = ("the knowledge base was not used. Run 'mse-advisor kb validate' after fixing "
                   "them.")


class ExportError(KnowledgeBaseError):
    """The knowledge base cannot be written in another engine's language (CLIPS)."""

    consequence = ""  # it is valid and still in use; only the export failed


class OutputError(AdvisorError, OSError):
    """A report, case or result file could not be written (nothing else was changed); also an
    ``OSError``, whose ``filename`` and ``strerror`` say which file and why."""

    exit_code = 1

    @classmethod
    def at(cls, path, reason: str) -> "OutputError":
        """``cannot write PATH: reason``."""
        error = cls(f"cannot write {path}: {reason}")
        error.filename, error.strerror = str(path), reason
        return error


class HistoryError(AdvisorError):
    """The case history cannot be opened, read or written."""

    exit_code = 1

    @classmethod
    def at(cls, path, message: str) -> "HistoryError":
        return cls([Problem(Location(str(path)), message)])


class NoSuchConsultation(HistoryError):
    """The history has no consultation of the number asked for (a face may say "not found")."""


class InputError(AdvisorError):
    """What the user gave is wrong: the command line, a case file, a survey row, an answer."""

    exit_code = 2


class CaseError(InputError):
    """A case file (or a value given for a fact) is wrong."""


class UsageError(InputError):
    """A command-line argument is wrong: an unknown id, two options that exclude each other."""


class UnknownId(UsageError, KeyError):
    """An id given on the command line names nothing of its kind; the message suggests the
    closest one. Also a ``KeyError``, as a failed lookup."""


class ValueProblem(InputError, ValueError):
    """One value does not fit its fact; the message says what to type instead."""

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message

    def __str__(self) -> str:
        return self.message


class ParseError(InputError):
    """A condition or template that does not parse; ``pos`` is the 0-based offset of the slip."""

    def __init__(self, message: str, pos: int):
        super().__init__(message)
        self.message = message
        self.pos = pos

    def __str__(self) -> str:
        return self.message


@dataclass
class ProblemList:
    """Collects problems while a file is checked."""

    items: list[Problem] = field(default_factory=list)

    def add(self, where: Location, message: str, code: str = "invalid") -> None:
        self.items.append(Problem(where, message, code))

    def __bool__(self) -> bool:
        return bool(self.items)


def did_you_mean(name: str, candidates: Iterable[str]) -> str:
    """' (did you mean "x"?)' for the closest candidate, or '' when nothing is close."""
    close = difflib.get_close_matches(str(name), sorted(set(candidates)), n=1, cutoff=0.6)
    return f' (did you mean "{close[0]}"?)' if close else ""
