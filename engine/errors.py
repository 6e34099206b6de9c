"""Problems a person can act on: what is wrong, where (file:line:col), and how to fix it.

Every loader collects ``Problem`` records and raises one exception carrying all of them, so a
knowledge engineer fixes ten typos in one pass. The CLI maps the exception classes to exit codes.
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
    """One defect found in a knowledge-base or case file."""

    where: Location
    message: str
    code: str = "invalid"
    severity: str = "error"

    def __str__(self) -> str:
        return f"{self.where}: {self.message}"


class AdvisorError(Exception):
    """Root of the advisor's errors; ``problems`` lists every defect found."""

    exit_code = 1

    def __init__(self, problems: Iterable[Problem] | str):
        if isinstance(problems, str):
            problems = [Problem(Location("<input>"), problems)]
        self.problems: list[Problem] = list(problems)
        super().__init__("\n".join(str(p) for p in self.problems))


class KnowledgeBaseError(AdvisorError):
    """The knowledge base is invalid; it must not be used."""

    exit_code = 1


class CaseError(AdvisorError):
    """A case file (or a value given for a fact) is wrong."""

    exit_code = 2


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
