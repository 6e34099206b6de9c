"""Run a compiled knowledge base on one case and record every firing.

``Advisor`` is built once per knowledge base (compiling the experta class and its RETE network
once) and reused for every consultation: ``reset()``, declare the case, ``run()``. Each firing is
recorded by ``AdvisorEngine._fire`` as a ``Firing`` (see ``trace``) before its conclusions are
declared, so the trace is exactly the order in which experta fired the rules.

Entry points: ``Advisor(kb).run(facts) -> Run``; ``Advisor.from_folder(path)``.
"""
from __future__ import annotations  # noqa: I001 - experta after compat

import logging
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

from . import logic
from .compat import Fact, KnowledgeEngine, watchers
from experta.utils import freeze
from .agenda import FactList, InitialFact, OrderedAgenda, OrderedStrategy
from .compiler import Assessment, Case, Derived, Finding, Fired, Mitigation, Verdict
from .matcher import LeanReteMatcher
from .spec import (
    DeriveAction, FindingAction, KnowledgeBase, MitigateAction, RecommendAction, VerdictAction,
)
from .trace import Asserted, Firing, Matched


@dataclass
class FindingRecord:
    id: str
    kind: str
    factor: str
    severity: str | None
    mitigable_by_nature: bool
    text: str
    rule: str
    sources: tuple
    seq: int
    mitigations: list = field(default_factory=list)  # (intervention, text, rule, seq)

    @property
    def mitigable(self) -> bool:
        return self.mitigable_by_nature or bool(self.mitigations)


@dataclass
class RecommendationRecord:
    intervention: str
    text: str
    addresses: tuple
    rule: str
    sources: tuple
    seq: int
    fact: str | None = None


@dataclass
class Run:
    """Everything one consultation concluded, in firing order."""

    facts: dict  # input facts, None for unknown
    firings: list
    findings: dict  # id -> FindingRecord
    recommendations: list
    derived: dict  # name -> (value, seq)
    verdict: tuple | None  # (value, text, rule, seq, because)

    def state(self) -> logic.State:
        """The final state, for three-valued evaluation after the run."""
        values = dict(self.facts)
        values.update({k: v for k, (v, _) in self.derived.items()})
        findings = {f.id: logic.FindingState(f.id, f.kind, f.factor, f.severity, f.mitigable)
                    for f in self.findings.values()}
        return logic.State(values, findings, frozenset(f.rule for f in self.firings),
                           self.verdict[0] if self.verdict else None)


class _FactList(FactList):
    """experta's fact list; a fact's identity (to refuse duplicates) computed without a call
    to ``Fact.is_special`` per field (a few per cent of a consultation)."""

    @staticmethod
    def _get_fact_id(fact):
        return frozenset([fact.__class__] + [
            (k, v) for k, v in fact.items()
            if not (isinstance(k, str) and k.startswith("__") and k.endswith("__"))])


class AdvisorEngine(KnowledgeEngine):
    """The runtime half of every compiled engine class (``compiler`` adds the rules)."""

    __strategy__ = OrderedStrategy
    __matcher__ = LeanReteMatcher
    kb: KnowledgeBase
    plans: dict

    def reset(self):
        """experta's reset, with an ``OrderedAgenda`` (exact removal, reproducible ties)."""
        self.agenda = OrderedAgenda()
        self.facts = _FactList()
        self.matcher.reset()
        self.facts.declare(InitialFact())
        added, removed = self.get_activations()
        self.strategy.update_agenda(self.agenda, added, removed)
        self.running = False

    def run(self, steps=float("inf")):
        """experta's run loop, less one cost: experta formatted every firing's facts as text for
        its ``RULES`` watcher's message even when that watcher is off."""
        self.running = True
        execution = 0
        while steps > 0 and self.running:
            added, removed = self.get_activations()
            self.strategy.update_agenda(self.agenda, added, removed)
            if watchers.worth("AGENDA", "DEBUG"):
                for idx, act in enumerate(self.agenda.activations):
                    watchers.AGENDA.debug("%d: %r %r", idx, act.rule.__name__,
                                          ", ".join(str(f) for f in act.facts))
            activation = self.agenda.get_next()
            if activation is None:
                break
            steps -= 1
            execution += 1
            if watchers.RULES.isEnabledFor(logging.INFO):
                watchers.RULES.info("FIRE %s %s: %s", execution, activation.rule.__name__,
                                    ", ".join(str(f) for f in activation.facts))
            activation.rule(self, **{k: v for k, v in activation.context.items()
                                     if not k.startswith("__")})
        self.running = False

    _deffacts_cache = None

    def get_deffacts(self):
        # experta re-scans the class for deffacts on every reset(); the answer never changes.
        cls = type(self)
        if cls._deffacts_cache is None:
            cls._deffacts_cache = super().get_deffacts()
        return cls._deffacts_cache

    def begin(self, facts: dict, parameters: dict) -> None:
        self.case_values = facts
        self.values = dict(parameters)
        self.values.update(facts)
        self.firings: list[Firing] = []
        self.findings: dict[str, FindingRecord] = {}
        self.recommendations: list[RecommendationRecord] = []
        self.derived: dict = {}
        self.verdict = None
        self._finding_states: dict = {}  # findings as logic sees them; replaced, never changed

    def state(self) -> logic.State:
        return logic.State(self.values, self._finding_states)

    def _finding_changed(self, record: FindingRecord) -> None:
        states = dict(self._finding_states)  # a new dict: states handed out stay as they were
        states[record.id] = logic.FindingState(record.id, record.kind, record.factor,
                                               record.severity, record.mitigable)
        self._finding_states = states

    def _fire(self, plan, bindings: dict) -> None:
        seq = len(self.firings) + 1
        rule = plan.rule
        matched = [Matched("fact", name, self.case_values.get(name), None)
                   for name in plan.input_names]
        for name in plan.derived_names:
            value, at = self.derived.get(name, (None, None))
            matched.append(Matched("derived", name, value, at))
        for key in sorted(bindings):
            fact = bindings[key]
            if isinstance(fact, (Finding, Assessment)):
                fid = fact["id"] if isinstance(fact, Finding) else fact["finding"]
                record = self.findings.get(fid)
                matched.append(Matched("finding", fid, fact.get("kind"),
                                       record.seq if record else None))
            elif isinstance(fact, Mitigation):
                matched.append(Matched("mitigation", fact["finding"], fact["by"], None))
        named = {m.name for m in matched if m.kind == "finding"}
        for pattern in plan.existence_patterns:  # EXISTS binds nothing: record what satisfied it
            for record in self.findings.values():
                if record.id not in named and logic.pattern_matches(
                        pattern, self._finding_states[record.id]):
                    matched.append(Matched("finding", record.id, record.kind, record.seq))
                    named.add(record.id)
        state = self.state()
        asserted, declare = [], []
        if plan.builtin:
            f = bindings["f_1"]
            mitigated = plan.builtin != "assess-unmitigated"
            declare.append(_fact(Assessment, finding=f["id"], kind="barrier", factor=f["factor"],
                                      severity=f["severity"], mitigated=mitigated))
            asserted.append(Asserted("assessment", f["id"], "mitigated" if mitigated
                                     else "not mitigated", ""))
        for action in rule.actions:
            if isinstance(action, FindingAction):
                text = logic.render(action.text, state)
                if action.id not in self.findings:
                    self.findings[action.id] = FindingRecord(
                        action.id, action.kind, action.factor, action.severity, action.mitigable,
                        text, rule.id, rule.sources, seq)
                    self._finding_changed(self.findings[action.id])
                declare.append(_fact(Finding, id=action.id, kind=action.kind, factor=action.factor,
                                       severity=action.severity, mitigable=action.mitigable))
                asserted.append(Asserted("finding", action.id, action.kind, text))
            elif isinstance(action, RecommendAction):
                text = logic.render(action.text, state)
                addresses = action.addresses or self._default_addresses(rule, matched)
                self.recommendations.append(RecommendationRecord(
                    action.intervention, text, addresses, rule.id, rule.sources, seq,
                    action.fact))
                asserted.append(Asserted("recommendation", action.intervention, "", text))
            elif isinstance(action, MitigateAction):
                text = logic.render(action.text, state)
                record = self.findings.get(action.finding)
                if record is not None:
                    record.mitigations.append((action.by, text, rule.id, seq))
                    self._finding_changed(record)
                declare.append(_fact(Mitigation, finding=action.finding, by=action.by))
                asserted.append(Asserted("mitigation", action.finding, action.by, text))
            elif isinstance(action, DeriveAction):
                value = logic.evaluate(action.value, state)
                if isinstance(value, bool) or value is None:
                    asserted.append(Asserted("derived", action.name, None, "unknown"))
                    continue
                self.derived[action.name] = (value, seq)
                self.values[action.name] = value
                declare.append(_fact(Derived, name=action.name, value=value))
                asserted.append(Asserted("derived", action.name, value, ""))
            elif isinstance(action, VerdictAction):
                text = logic.render(action.text, state)
                because = tuple(m.name for m in matched if m.kind == "finding")
                self.verdict = (action.value, text, rule.id, seq, because)
                declare.append(_fact(Verdict, value=action.value))
                asserted.append(Asserted("verdict", action.value, "", text))
        explanation = logic.render(rule.explanation, state) if rule.explanation else ""
        self.firings.append(Firing(seq, rule.id, tuple(matched), tuple(asserted),
                                   rule.sources, str(rule.loc), explanation))
        if not plan.builtin:
            declare.append(_fact(Fired, rule=rule.id))
        if self.running:  # experta's declare, less its checks for facts a user wrote
            for fact in declare:
                self.facts.declare(fact)
        else:
            for fact in declare:
                self.declare(fact)


    @staticmethod
    def _default_addresses(rule, matched) -> tuple:
        """What a recommendation answers when the rule does not say: the findings the rule
        asserts, else the barriers it mitigates, else the findings it matched."""
        return (tuple(a.id for a in rule.actions if isinstance(a, FindingAction))
                or tuple(a.finding for a in rule.actions if isinstance(a, MitigateAction))
                or tuple(m.name for m in matched if m.kind == "finding"))


class Advisor:
    """A knowledge base compiled once, ready for any number of consultations."""

    def __init__(self, kb: KnowledgeBase):
        from .compiler import compile_knowledge_base

        self.kb = kb
        self.engine_class = compile_knowledge_base(kb)
        self.engine = self.engine_class()
        self.input_names = tuple(kb.input_facts)

    @classmethod
    def from_folder(cls, root: str | Path) -> "Advisor":
        return _advisor_for(str(Path(root).resolve()))

    def run(self, facts: dict) -> Run:
        """Consult on ``facts`` (input fact name -> value; missing means unknown)."""
        values = {name: facts.get(name) for name in self.input_names}
        engine = self.engine
        engine.reset()
        engine.begin(values, {n: p.value for n, p in self.kb.parameters.items()})
        engine.declare(_fact(Case, **values))
        engine.run()
        return Run(values, engine.firings, engine.findings, engine.recommendations,
                   engine.derived, engine.verdict)


_PLAIN = (str, int, float, bool, type(None), tuple)  # values experta's ``freeze`` keeps as they are


def _fact(cls, **fields) -> Fact:
    """``cls(**fields)`` without experta's per-field ``__setitem__`` and ``freeze`` dispatch:
    the same dict and attributes, for the facts the engine itself declares."""
    fact = cls.__new__(cls)
    for key, value in fields.items():
        if type(value) not in _PLAIN:
            fields[key] = freeze(value)
    dict.update(fact, fields)
    fact._Fact__defaults = {}
    return fact


@lru_cache(maxsize=8)
def _advisor_for(root: str) -> Advisor:
    from .loader import load_knowledge_base

    return Advisor(load_knowledge_base(root))
