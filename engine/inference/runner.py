"""Run a compiled knowledge base on one case: the consultation's entry point into inference.

``Advisor`` is built once per knowledge base (compiling the experta class and its RETE network
once, ``compiler``) and reused for every consultation: reset, declare the case, run
(``session``). ``Run`` is what one consultation concluded.

Must not: print, or read anything but the knowledge-base folder (``Advisor.from_folder``).
Entry points: ``Advisor(kb).run(facts) -> Run``; ``Advisor.from_folder(path)``;
``Advisor.of(kb)``; ``settle()`` once a long-running process has built its advisor.
"""
from __future__ import annotations

import gc
import weakref
from collections.abc import Mapping
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from engine.inference.compiler import compile_knowledge_base
from engine.inference.memory import Case, new_fact
from engine.knowledge.loader import building
from engine.knowledge.spec import KnowledgeBase
from engine.language import kleene


@dataclass
class Run:
    """Everything one consultation concluded, in firing order."""

    facts: dict  # input facts, None for unknown
    firings: list  # trace.Firing
    findings: dict  # id -> records.FindingRecord
    recommendations: list  # records.RecommendationRecord
    derived: dict  # name -> (value, seq)
    verdict: tuple | None  # (value, text, rule, seq, because)

    def state(self, parameters: Mapping | None = None) -> kleene.State:
        """The final state, for three-valued evaluation after the run: input facts, derived
        facts, findings, firings, verdict and, with ``parameters`` (name -> value, usually
        ``kb.parameter_values``), the parameters as the rules read them."""
        values = dict(self.facts)
        values.update({k: v for k, (v, _) in self.derived.items()})
        values.update(parameters or {})
        findings = {f.id: kleene.FindingState(f.id, f.kind, f.factor, f.severity, f.mitigable)
                    for f in self.findings.values()}
        return kleene.State(values, findings, frozenset(f.rule for f in self.firings),
                            self.verdict[0] if self.verdict else None)


_COMPILED: weakref.WeakValueDictionary = weakref.WeakValueDictionary()  # id(kb) -> Advisor


class Advisor:
    """A knowledge base compiled once, ready for any number of consultations."""

    def __init__(self, kb: KnowledgeBase):
        self.kb = kb
        with building():
            self.engine_class = compile_knowledge_base(kb)
            self.engine = self.engine_class()
        self.input_names = tuple(kb.input_facts)
        _COMPILED[id(kb)] = self

    @classmethod
    def of(cls, kb: KnowledgeBase) -> "Advisor":
        """An advisor already compiled for this very ``kb`` object if one is alive, else a new
        one (for code handed a knowledge base and a run, not the advisor that made the run)."""
        found = _COMPILED.get(id(kb))
        return found if found is not None and found.kb is kb else cls(kb)

    @classmethod
    def from_folder(cls, root: str | Path, lang: str = "en") -> "Advisor":
        """The advisor of the knowledge base in ``root`` speaking ``lang`` (its texts from
        ``translations/<lang>.yaml``), cached per folder, language and process; raises
        ``KnowledgeBaseError`` with every problem, ``UsageError`` for a language not shipped."""
        return _advisor_for(str(Path(root).resolve()), lang)

    def run(self, facts: dict) -> Run:
        """Consult on ``facts`` (input fact name -> value; missing means unknown)."""
        values = {name: facts.get(name) for name in self.input_names}
        engine = self.engine
        engine.reset()
        engine.begin(values, self.kb.parameter_values)
        engine.declare_case(new_fact(Case, **values))
        engine.run()
        return Run(values, engine.firings, engine.findings, engine.recommendations,
                   engine.derived, engine.verdict)


def settle() -> None:
    """For a process that keeps its advisor for many consultations (a batch worker, an
    interview, the benchmark): collect what is garbage now, then move every object that is left,
    the compiled knowledge base among them, out of sight of the cyclic garbage collector
    (``gc.freeze``). Otherwise each full collection, which consultations trigger every so often,
    walks the whole compiled network again: at ten times the shipped knowledge base that made a
    tenth of all consultations take five times as long. What is frozen is never collected, so a
    process that builds advisor after advisor (the tests) does not call this."""
    gc.collect()
    gc.freeze()


@lru_cache(maxsize=8)
def _advisor_for(root: str, lang: str = "en") -> Advisor:
    from engine.knowledge.loader import load_knowledge_base
    from engine.knowledge.translations import for_language
    from engine.translation.catalogue import language

    return Advisor(for_language(load_knowledge_base(root), language(lang)))
