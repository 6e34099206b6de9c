"""``kb test --record``: a case file or a stored consultation written down as a new worked case,
with what the knowledge base concludes today as its expected outcome.

The case comes from a file or from the case history (a consultation's number); its text is the
one case dumper's (``consultation.casefile``) under a header saying where it came from, and its
``expected`` is ``expectations.expected_of`` the result, so ``kb test`` passes on it until a rule
change alters the advice.

Must not: write the file (``engine.files`` does, called by ``engine.api``); print; overwrite a
worked case. Entry points: ``case_to_record(source, kb, db)``, ``recording_target(kb, case,
out)``, ``recorded_text(case, result, source)``.
"""
from __future__ import annotations

from pathlib import Path

from engine.consultation.casefile import case_document, dump_case
from engine.consultation.cases import Case, case_from_mapping, load_case
from engine.errors import UsageError
from engine.history.store import open_history
from engine.kbtools.expectations import expected_of
from engine.knowledge.spec import KnowledgeBase

HEADER = ("# Recorded by 'mse-advisor kb test --record {source}': the expected outcome is what"
          " the knowledge base concludes today.\n# Check it before committing.\n")


def case_to_record(source: str, kb: KnowledgeBase, db=None) -> Case:
    """The case in file ``source``, or of consultation number ``source`` in the history ``db``
    (``HistoryError`` when there is none); ``UsageError`` when ``source`` is neither."""
    if Path(source).is_file():
        return load_case(source, kb)
    if not source.isdigit():
        raise UsageError(f'"{source}" is neither a case file nor a history id (a number from '
                         "'mse-advisor history list')")
    with open_history(db, create=False) as history:
        row = history.get(int(source))
    meta = {k: v for k, v in row["result"]["case"]["metadata"].items() if v is not None}
    return case_from_mapping({**meta, "facts": row["facts"]}, kb, f"history #{source}")


def recording_target(kb: KnowledgeBase, case: Case, out: str | Path | None = None) -> Path:
    """Where to write the worked case: ``out``, else ``cases/ID.yaml`` of the knowledge base;
    ``UsageError`` when that file exists already."""
    target = Path(out) if out is not None else Path(kb.root) / "cases" / f"{case.id}.yaml"
    if target.exists():
        raise UsageError(f"{target} exists: give another file with --out")
    return target


def recorded_text(case: Case, result: dict, source: str) -> str:
    """The worked case as YAML: metadata, facts, and the result's outcome as ``expected``."""
    doc = case_document(case.id, case.facts, case.metadata, expected_of(result))
    return dump_case(doc, HEADER.format(source=source))
