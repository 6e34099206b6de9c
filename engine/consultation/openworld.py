"""Open-world three-valued evaluation: which rules can still fire while facts are being asked.

A finished case is evaluated closed-world: a finding nobody asserted is false, a fact not given
is unknown for good. During an interview that closes the world too early (a rule waiting for
``finding(x)`` would look settled before the facts that assert ``x`` were asked), so here every
rule's conditions get the *set* of Kleene values they may still take, and a rule's status is
True (fires whatever is still asked), False (cannot fire) or None (pending). When every fact has
been asked this is exactly what the engine fires (tests/test_openworld_guard.py checks it on
generated cases). The order of rules (``policy.RuleOrder``), the first-verdict guard, when a
barrier counts as mitigated and what an unknown allows are ``knowledge.policy``'s, as in the
engine.

This module prepares a knowledge base once (what each rule reads and prints, which rules
assert, mitigate and derive what); ``fixpoint`` evaluates it on one set of answers, with the
set arithmetic of ``kleene_sets``.

Must not: print, prompt, touch files, or run experta. Entry point:
``OpenWorld(kb).evaluate(answers) -> (status by rule id, value sets by rule id)``.
"""
from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from engine import language as c
from engine.consultation.fixpoint import Evaluation
from engine.knowledge.dependencies import may_match
from engine.knowledge.policy import ways_to_mitigate
from engine.knowledge.spec import DeriveAction, FindingAction, KnowledgeBase


class OpenWorld:
    """A knowledge base prepared for three-valued evaluation while facts are still being asked."""

    def __init__(self, kb: KnowledgeBase):
        self.kb = kb
        self.rules = {r.id: r for r in kb.rules}
        self.order = [self.rules[rid] for rid in kb.order.sequence()]
        self.inputs = frozenset(kb.input_facts)
        self._names: dict = {}  # id(node) -> names it reads (the nodes live as long as kb)
        self.condition = {r.id: r.condition for r in kb.rules}
        self.reads = {r.id: c.names_in(self.condition[r.id]) for r in kb.rules}
        self.text_reads = {r.id: _template_names(r) & set(kb.input_facts) for r in kb.rules}
        self.verdict_rules = [self.rules[rid] for rid in kb.order.verdict_rules]
        self.verdict_ids = frozenset(kb.order.verdict_rules)
        self.parameters = kb.parameter_values
        self.producers: dict[str, list] = {}  # finding id -> [(rule id, FindingAction)]
        self.mitigators = ways_to_mitigate(kb.rules)  # finding id -> (rule id, ...)
        self.derivers: dict[str, list] = {}  # derived name -> [(rule id, DeriveAction)]
        for r in kb.rules:
            for a in r.actions:
                if isinstance(a, FindingAction):
                    self.producers.setdefault(a.id, []).append((r.id, a))
                elif isinstance(a, DeriveAction):
                    self.derivers.setdefault(a.name, []).append((r.id, a))
        self.factor_rules: dict[str, list] = {}  # factor -> rules asserting one of its findings
        for r in kb.rules:
            for factor in dict.fromkeys(a.factor for a in r.findings()):
                self.factor_rules.setdefault(factor, []).append(r.id)
        self.dependents = self._dependents()  # rule id -> rules whose status its status feeds

    def _dependents(self) -> dict:
        """Rule id -> ids of the rules whose evaluation reads its status, directly or through
        a derived fact, a finding pattern, a mitigation, ``fired``, or the verdict: when its
        status changes, only those can change (``fixpoint`` re-evaluates just them). Errs on
        the side of too many: a missing edge would change answers, an extra one costs time."""
        derived_reads: dict = {}

        def through(name: str, seen: set) -> set:
            """Rules whose status decides derived fact or verdict ``name``'s value."""
            if name == "verdict":
                return set(self.verdict_ids)
            if name not in self.derivers or name in seen:
                return set()
            if name not in derived_reads:
                seen = seen | {name}
                out = set()
                for rid, action in self.derivers[name]:
                    out.add(rid)
                    for n in c.names_in(action.value):
                        out |= through(n, seen)
                derived_reads[name] = out
            return derived_reads[name]

        dependents: dict = {r.id: set() for r in self.kb.rules}
        for rule in self.kb.rules:
            reads = set(self.kb.order.outranked_by(rule.id))
            for node in c.walk(self.condition[rule.id]):
                if isinstance(node, c.Name):
                    reads |= through(node.name, set())
                elif isinstance(node, c.FindingRef):
                    reads |= {rid for rid, _ in self.producers.get(node.finding, ())}
                elif isinstance(node, (c.FindingPattern, c.Count)):
                    pattern = node.pattern if isinstance(node, c.Count) else node
                    for fid, rid, _ in self.candidates(pattern):
                        reads |= {rid, *self.mitigators.get(fid, ())}
                elif isinstance(node, c.Fired):
                    reads.add(node.rule)
            for rid in reads & dependents.keys():
                dependents[rid].add(rule.id)
        return {rid: frozenset(ids) for rid, ids in dependents.items()}

    def names(self, node) -> frozenset:
        key = id(node)
        if key not in self._names:
            self._names[key] = (frozenset(c.names_in(node)), node)  # keep node: id stays valid
        return self._names[key][0]

    def candidates(self, pattern: c.FindingPattern) -> list:
        """(finding id, rule id, action) of every finding a pattern can match, by its kind,
        factor, severity and id (``mitigated=`` is decided per case, and only for barriers)."""
        key = ("pattern", id(pattern))
        if key not in self._names:
            found = [(fid, rid, a) for fid, producers in self.producers.items()
                     for rid, a in producers if may_match(pattern, fid, a) and
                     (pattern.attr("mitigated") is None or a.kind == "barrier")]
            self._names[key] = (found, pattern)
        return self._names[key][0]

    def truths(self, answers: Mapping[str, Any]) -> dict:
        """Rule id -> True (fires whatever is still asked), False (cannot fire) or None
        (pending), given ``answers`` (the facts asked so far; ``None`` = asked, unknown)."""
        return self.evaluate(answers)[0]

    def evaluate(self, answers: Mapping[str, Any]) -> tuple:
        """(truths, rule id -> the set of Kleene values its conditions may still take)."""
        ev = Evaluation(self, answers)
        return ev.run(), ev.sets

    def inputs_needed(self, rule_id: str, truth: dict) -> dict:
        """Input facts a rule reads -> the derived fact it reads them through (or None)."""
        out: dict[str, str | None] = {}
        seen: set = set()
        pending = [(name, None) for name in self.reads[rule_id]]
        while pending:
            name, via = pending.pop()
            if name in self.inputs:
                out.setdefault(name, via)
            elif name in self.derivers and name not in seen:
                seen.add(name)
                for rid, action in self.derivers[name]:
                    if truth.get(rid) is not False:
                        pending += [(n, via or name) for n in
                                    self.reads[rid] | c.names_in(action.value)]
        return out


def _template_names(rule) -> set:
    """Facts the rule's texts print (a finding's text names the stigma, say)."""
    names: set = set()
    templates = [getattr(a, "text", None) for a in rule.actions] + [rule.explanation]
    for template in templates:
        for part in getattr(template, "parts", ()):
            if not isinstance(part, str):
                names |= c.names_in(part.node)
    return names
