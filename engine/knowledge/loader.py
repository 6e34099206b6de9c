"""Load a knowledge-base folder into frozen specs, checking everything before it is used.

Reads kb.yaml, the vocabulary (factors.yaml, facts.yaml, parameters.yaml, sources.yaml,
interventions.yaml: ``vocabulary``), rules/*.yaml (``rules``), and when present the remedy table
(remedies.yaml: ``remedies`` turns each remedy into rules) and the words texts may use
(words.yaml: ``words``); collects every problem
(``file:line:col: message``, with a did-you-mean for unknown names) and raises
``KnowledgeBaseError`` with all of them, so a knowledge base with any error is never compiled.
The digest names the exact files a result was reasoned from.

Must not: import experta; print; write files; read a file other than through ``reader`` (the
digest alone opens the files again, to hash their bytes).
Entry points: ``load_knowledge_base(root)`` (raises on an error); ``load_with_problems(root)
-> Loaded`` (the knowledge base and every problem, errors and warnings, from one reading: what
``kb validate`` shows); ``validate(root) -> list[Problem]``; ``building()`` for whoever
compiles what was loaded.
"""
from __future__ import annotations

import contextlib
import gc
import hashlib
from dataclasses import dataclass
from pathlib import Path

from engine.errors import KnowledgeBaseError, Location, Problem
from engine.knowledge.catalogue import finish_catalogue
from engine.knowledge.reader import FieldReader, entries, read_yaml
from engine.knowledge.remedies import remedy_rules, with_barrier_factors
from engine.knowledge.rules import RuleBuilder
from engine.knowledge.spec import KnowledgeBase
from engine.knowledge.typecheck import Scope
from engine.knowledge.words import load_words
from engine.knowledge.vocabulary import (
    check_actions, load_factors, load_facts, load_interventions, load_parameters, load_sources,
)

KB_FILES = ("kb.yaml", "factors.yaml", "facts.yaml", "parameters.yaml", "sources.yaml",
            "interventions.yaml")
OPTIONAL_FILES = ("remedies.yaml", "words.yaml")  # read when present


@dataclass(frozen=True)
class Loaded:
    """A knowledge-base folder read once: every problem found, errors and warnings, in the
    order found, and the knowledge base, which is None when an error stops it being used."""

    root: Path
    problems: tuple
    kb: KnowledgeBase | None

    @property
    def errors(self) -> list[Problem]:
        return [p for p in self.problems if p.severity == "error"]

    @property
    def warnings(self) -> list[Problem]:
        return [p for p in self.problems if p.severity != "error"]


def load_with_problems(root: str | Path) -> Loaded:
    """The knowledge base in folder ``root`` with every problem found; never raises for what
    the files hold."""
    with building():
        kb, problems = _load(Path(root))
    loaded = Loaded(Path(root), tuple(problems), kb)
    return loaded if not loaded.errors else Loaded(loaded.root, loaded.problems, None)


@contextlib.contextmanager
def building():
    """Hold the cyclic garbage collector off while a knowledge base is read or compiled.

    Everything built then stays alive, yet each collection that the allocations trigger walks
    it all again: at ten times the shipped size that was a third of the load and compile time.
    Nested uses are fine; the collector's state is restored after the outermost."""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


def load_knowledge_base(root: str | Path) -> KnowledgeBase:
    """The knowledge base in folder ``root`` (kb.yaml, the vocabulary files, rules/, cases/).

    Raises ``KnowledgeBaseError`` holding every error found (warnings alone do not stop it)."""
    loaded = load_with_problems(root)
    if loaded.kb is None:
        raise KnowledgeBaseError(loaded.errors or loaded.problems)
    return loaded.kb


def validate(root: str | Path) -> list[Problem]:
    """Every problem, errors and warnings, of the knowledge base in folder ``root``, in the
    order they were found; never raises for what the files hold."""
    return list(load_with_problems(root).problems)


def _load(root: Path) -> tuple[KnowledgeBase | None, list[Problem]]:
    problems: list[Problem] = []
    if not root.is_dir():
        problems.append(Problem(Location(str(root)), "knowledge base folder not found: give the "
                                                     "folder holding kb.yaml and rules/"))
        return None, problems
    docs = {name: read_yaml(root / name, problems) for name in KB_FILES}
    unread = {str(root / name): name for name, doc in docs.items() if doc is None}
    meta = FieldReader(docs["kb.yaml"] or {}, Location(str(root / "kb.yaml"), 1, 1), "kb.yaml",
                       problems)
    factors = load_factors(docs["factors.yaml"], root / "factors.yaml", problems)
    sources = load_sources(docs["sources.yaml"], root / "sources.yaml", problems)
    facts = load_facts(docs["facts.yaml"], root / "facts.yaml", factors, problems)
    parameters = load_parameters(docs["parameters.yaml"], root / "parameters.yaml", facts,
                                 sources, problems)
    interventions = load_interventions(docs["interventions.yaml"], root / "interventions.yaml",
                                       sources, problems)
    check_actions(facts, interventions, problems)
    rule_files = sorted((root / "rules").glob("*.yaml")) if (root / "rules").is_dir() else []
    if not rule_files:
        problems.append(Problem(Location(str(root / "rules")), "no rule files (rules/*.yaml)"))
    optional = {name: read_yaml(root / name, problems) if (root / name).is_file() else None
                for name in OPTIONAL_FILES}
    unread.update({str(root / name): name for name, doc in optional.items()
                   if doc is None and (root / name).is_file()})
    words = load_words(optional["words.yaml"], root / "words.yaml", facts, parameters, problems)
    builder = RuleBuilder(facts, parameters, sources, interventions, problems, words)
    remedy_entries = remedy_rules(optional["remedies.yaml"], root / "remedies.yaml", problems)
    rules = builder.build(_rule_entries(rule_files, problems, unread) + remedy_entries)
    rules = with_barrier_factors(rules, builder.finding_specs)
    scope = Scope(facts, parameters, builder.finding_specs, frozenset(r.id for r in rules),
                  frozenset(words))
    interventions = finish_catalogue(docs["interventions.yaml"], interventions, scope, sources,
                                     problems)
    problems[:] = without_follow_ons(problems, unread)
    case_files = tuple(str(p) for p in sorted((root / "cases").glob("*.yaml"))) \
        if (root / "cases").is_dir() else ()
    kb = KnowledgeBase(
        name=meta.text("name", required=True), version=meta.text("version", required=True),
        digest=_digest(root, rule_files), root=str(root), facts=facts, factors=factors,
        parameters=parameters, sources=sources, interventions=interventions, rules=rules,
        case_files=case_files, finding_specs=builder.finding_specs, order=builder.order,
        words=words)
    return kb, problems


# A file that cannot be read leaves names undefined; the problems that only say so, in other
# files, are follow-ons of its one problem (by the loader's codes).
FOLLOW_ONS = {"facts.yaml": ("unknown-name",), "parameters.yaml": ("unknown-name",),
              "sources.yaml": ("unknown-source",), "interventions.yaml": ("unknown-intervention",),
              "factors.yaml": ("unknown-factor",), "rules": ("unknown-finding", "unknown-rule")}


def without_follow_ons(problems: list, unread: dict) -> list:
    """``problems`` less those the files of ``unread`` (path -> its name in ``FOLLOW_ONS``) cause
    in other files, so that one slip gives one message."""
    codes = {code for kind in unread.values() for code in FOLLOW_ONS.get(kind, ())}
    return [p for p in problems if p.code not in codes or p.where.path in unread]


def _rule_entries(rule_files: list, problems: list, unread: dict) -> list:
    """``[(rule entry, location, the file's factor or None), ...]`` over every rule file; a
    file that cannot be read is added to ``unread``."""
    out = []
    for path in rule_files:
        data = read_yaml(path, problems)
        if data is None:
            unread[str(path)] = "rules"
            continue
        file_factor = data.get("factor") if isinstance(data, dict) else None
        for _, item, where in entries(data, "rules", path, problems):
            out.append((item, where, file_factor))
    return out


def _digest(root: Path, rule_files: list) -> str:
    """``"sha256:"`` and 16 hex digits over the names and bytes of the knowledge-base files."""
    h = hashlib.sha256()
    for path in [root / n for n in KB_FILES + OPTIONAL_FILES] + list(rule_files):
        if path.is_file():
            h.update(path.name.encode() + b"\0")
            try:  # in chunks: memory stays flat whatever the size (an oversize file is an error)
                with open(path, "rb") as stream:
                    for chunk in iter(lambda: stream.read(1 << 20), b""):
                        h.update(chunk)
            except OSError:
                pass  # unreadable: reported by the reader, and the knowledge base is refused
    return "sha256:" + h.hexdigest()[:16]
