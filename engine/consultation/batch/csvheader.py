"""The header row of a survey export: its delimiter, and what each column is.

Survey exports come from spreadsheets and data-collection tools, not from the advisor. A
European spreadsheet separates cells with ``;``; ODK and KoboToolbox add columns of their own
(``start``, ``end``, ``deviceid``, ``_uuid``, ``_submission_time``, GPS columns) and prefix
questions with their group (``household/payback_months``); a spreadsheet may leave blank,
unnamed columns at the end. So the header is read leniently, and only what cannot be right
stops the file:

- the delimiter is the one of ``,`` ``;`` tab ``|`` that makes the most columns the advisor
  knows (``,`` when none does);
- a column name is compared without its group prefix (up to the last ``/``), case, spaces or
  hyphens; it is ``id``, an input fact, or case metadata (``enterprise``, ``country``, ...,
  passed through to the output);
- a blank, unnamed column is ignored; any other column is ignored too, and named once in a
  warning (with a did-you-mean when it is close to a fact's name);
- no ``id`` column, or two columns for the same name, stops the file before any row is read.

Must not: read rows (``csvrecords``) or values (``survey``). Entry points: ``detect_delimiter
(line, kb)``, ``read_columns(path, names, kb) -> Columns``.
"""
from __future__ import annotations

import csv
from dataclasses import dataclass, field

from engine.consultation.cases import METADATA
from engine.errors import CaseError, Location, Problem, did_you_mean
from engine.knowledge.spec import KnowledgeBase
from engine.knowledge.values import fold

DELIMITERS = (",", ";", "\t", "|")


@dataclass
class Columns:
    """What each column of the header is: ``roles[i]`` is ("id", None), ("fact", FactSpec),
    ("metadata", key) or ("ignored", None); ``ignored`` the names of the ignored columns that
    had a name, each with its did-you-mean (for the one warning)."""

    roles: list
    ignored: list = field(default_factory=list)

    @property
    def last_used(self) -> int:
        """How many cells a row needs: up to the last column that is not ignored."""
        used = [i for i, (role, _) in enumerate(self.roles) if role != "ignored"]
        return used[-1] + 1 if used else 0

    def warning(self) -> str:
        """The one warning naming the ignored columns, or ''."""
        if not self.ignored:
            return ""
        shown = ", ".join(self.ignored[:12]) + (f" and {len(self.ignored) - 12} more"
                                                if len(self.ignored) > 12 else "")
        return (f"{len(self.ignored)} column(s) ignored, not input facts, id or case metadata: "
                f"{shown}")


def column_key(name: str) -> str:
    """A column name as compared: without a group prefix (``group/sub/name``), folded."""
    return fold(name.rsplit("/", 1)[-1])


def detect_delimiter(line: str, kb: KnowledgeBase) -> str:
    """The delimiter of a header ``line`` that gives the most known columns (then the most
    columns); ``,`` when no candidate names any column the advisor knows."""
    known = {fold(n) for n in kb.input_facts} | {fold(k) for k in METADATA}
    best, best_score = ",", (0, 0)
    for delimiter in DELIMITERS:
        try:
            names = next(csv.reader([line], delimiter=delimiter), [])
        except csv.Error:
            continue
        score = (sum(column_key(n) in known for n in names), len(names))
        if score[0] and score > best_score:
            best, best_score = delimiter, score
    return best


def read_columns(path: str, names: list, kb: KnowledgeBase) -> Columns:
    """The role of each column of the header ``names``; ``CaseError`` listing every problem
    when the file cannot be read at all (no id column, a name used twice)."""
    where = Location(str(path), 1)
    facts = {fold(n): spec for n, spec in kb.input_facts.items()}
    metadata = {fold(k): k for k in METADATA if k != "id"}
    columns, problems, seen = Columns([]), [], {}
    for name in names:
        key = column_key(name)
        if key == "id":
            role = ("id", None)
        elif key in facts:
            role = ("fact", facts[key])
        elif key in metadata:
            role = ("metadata", metadata[key])
        else:
            columns.roles.append(("ignored", None))
            if name.strip():
                columns.ignored.append(f'"{name[:60]}"' + did_you_mean(key, facts))
            continue
        if key in seen:
            problems.append(Problem(where, f'columns "{seen[key]}" and "{name[:60]}" are the '
                                           "same column: remove one"))
        seen.setdefault(key, name[:60])
        columns.roles.append(role)
    if "id" not in seen:
        problems.append(Problem(where, 'no "id" column: the first row must name the columns, '
                                       "one of them id (a unique name for each case)"))
    if problems:
        raise CaseError(problems)
    return columns
