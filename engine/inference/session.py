"""The runtime half of every compiled engine class: one consultation's working memory, the run
loop, and what happens when a rule fires.

``AdvisorEngine._fire`` records each firing as a ``Firing`` (``trace``) before its conclusions
are declared, so the trace is exactly the order in which the agenda fired the rules; it asserts
findings, recommendations, mitigations, derived values and the verdict (``records``), deriving
nothing from an unknown value (``policy.derivable``). The compiler subclasses it with the rules.

Must not: print, read files, or decide the order of rules (``agenda`` and ``policy`` do).
"""
from __future__ import annotations  # noqa: I001 - experta after compat

import logging

from engine.compat import KnowledgeEngine, watchers
from engine.inference.agenda import InitialFact, OrderedAgenda, OrderedStrategy
from engine.inference.counting import Counting
from engine.inference.memory import (
    Assessment, Derived, Finding, Fired, Mitigation, Verdict, WorkingMemory, new_fact,
)
from engine.inference.records import FindingRecord, RecommendationRecord
from engine.inference.rete.matcher import LeanReteMatcher
from engine.inference.trace import Asserted, Firing, Matched
from engine.knowledge.policy import counts_as_mitigated, derivable
from engine.knowledge.words import resolve as resolve_words
from engine.knowledge.spec import (
    DeriveAction, FindingAction, KnowledgeBase, MitigateAction, RecommendAction, VerdictAction,
)
from engine import language as c
from engine.language import kleene, templates


class AdvisorEngine(Counting, KnowledgeEngine):
    """The runtime half of every compiled engine class (``compiler`` adds the rules)."""

    __strategy__ = OrderedStrategy
    __matcher__ = LeanReteMatcher
    kb: KnowledgeBase
    plans: dict

    def reset(self):
        """experta's reset, with an ``OrderedAgenda`` (exact removal, reproducible ties)."""
        self.agenda = OrderedAgenda()
        self.facts = WorkingMemory()
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
        agenda_logged = watchers.worth("AGENDA", "DEBUG")  # asked once per run, not per firing
        rules_logged = watchers.RULES.isEnabledFor(logging.INFO)
        while steps > 0 and self.running:
            added, removed = self.get_activations()
            self.strategy.update_agenda(self.agenda, added, removed)
            if agenda_logged:
                for idx, act in enumerate(self.agenda.activations):
                    watchers.AGENDA.debug("%d: %r %r", idx, act.rule.__name__,
                                          ", ".join(str(f) for f in act.facts))
            activation = self.agenda.get_next()
            if activation is None:
                break
            steps -= 1
            execution += 1
            if rules_logged:
                watchers.RULES.info("FIRE %s %s: %s", execution, activation.rule.__name__,
                                    ", ".join(str(f) for f in activation.facts))
            bindings = {k: v for k, v in activation.context.items() if not k.startswith("__")}
            plan = getattr(activation.rule._wrapped, "plan", None)
            if plan is not None:  # a compiled rule: straight to _fire (what its rhs would do)
                self._fire(plan, bindings)
            else:
                activation.rule(self, **bindings)
        self.running = False

    def declare_case(self, fact) -> None:
        """Declare the engine-built ``Case`` fact: experta's ``declare`` less its checks for
        facts a user wrote (field constraints, nested names), which walk all its fields."""
        self.facts.declare(fact)
        if not self.running:
            added, removed = self.get_activations()
            self.strategy.update_agenda(self.agenda, added, removed)

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
        self.values.update(resolve_words(self.kb.words, facts))  # texts only (words.yaml)
        self.firings: list[Firing] = []
        self.fired_ids: set = set()  # the rules in ``firings``, kept as they fire
        self.findings: dict[str, FindingRecord] = {}
        self.recommendations: list[RecommendationRecord] = []
        self.derived: dict = {}
        self.verdict = None
        self._finding_states: dict = {}  # findings as kleene sees them; replaced, never changed
        self.counted: dict = {}  # count key -> the facts it counted, in declaration order

    def state(self) -> kleene.State:
        return kleene.State(self.values, self._finding_states)

    def _finding_changed(self, record: FindingRecord) -> None:
        states = dict(self._finding_states)  # a new dict: states handed out stay as they were
        states[record.id] = kleene.FindingState(record.id, record.kind, record.factor,
                                                record.severity, record.mitigable)
        self._finding_states = states

    # ------------------------------------------------------------ a firing

    def _fire(self, plan, bindings: dict) -> None:
        seq = len(self.firings) + 1
        rule = plan.rule
        if plan.tallies:
            bindings = self._counted_bindings(plan, bindings)
        matched = self._matched(plan, bindings)
        state = self.state()
        asserted, declare = [], []
        if plan.builtin:
            f = bindings["f_1"]
            mitigated = self._assess(self.findings[f["id"]], plan.builtin == "assess-unmitigated",
                                     seq, asserted)
            declare.append(new_fact(Assessment, finding=f["id"], kind="barrier",
                                    factor=f["factor"], severity=f["severity"],
                                    mitigated=mitigated))
            asserted.insert(0, Asserted("assessment", f["id"], _ASSESSED[mitigated], ""))
        for action in rule.actions:
            conclude = _CONCLUDE[type(action)]
            conclude(self, rule, action, state, seq, matched, asserted, declare)
        explanation = templates.render(rule.explanation, state) if rule.explanation else ""
        self.fired_ids.add(rule.id)
        self.firings.append(Firing(seq, rule.id, tuple(matched), tuple(asserted),
                                   rule.sources, str(rule.loc), explanation))
        if plan.announced:  # only where some rule reads fired(...) of it (compiler)
            declare.append(new_fact(Fired, rule=rule.id))
        # experta's declare (less its checks for facts a user wrote, while running)
        declare_one = self.facts.declare if self.running else self.declare
        counts = self.counts
        for fact in declare:
            declared = declare_one(fact)
            if declared is not None and type(fact) in counts:
                self._tally(declared, counts[type(fact)], declare_one)

    def _matched(self, plan, bindings: dict) -> list:
        """What the firing matched: input facts, derived facts, findings and mitigations."""
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
                if record.id not in named and kleene.pattern_matches(
                        pattern, self._finding_states[record.id]):
                    matched.append(Matched("finding", record.id, record.kind, record.seq))
                    named.add(record.id)
        return matched

    # ------------------------------------------------------------ one conclusion each

    def _finding(self, rule, action, state, seq, matched, asserted, declare) -> None:
        text = templates.render(action.text, state)
        if action.id not in self.findings:
            self.findings[action.id] = FindingRecord(
                action.id, action.kind, action.factor, action.severity, action.mitigable,
                text, rule.id, rule.sources, seq)
            self._finding_changed(self.findings[action.id])
        declare.append(new_fact(Finding, id=action.id, kind=action.kind, factor=action.factor,
                                severity=action.severity, mitigable=action.mitigable))
        asserted.append(Asserted("finding", action.id, action.kind, text))

    def _recommend(self, rule, action, state, seq, matched, asserted, declare) -> None:
        text = templates.render(action.text, state)
        addresses = action.addresses or _default_addresses(rule, matched)
        self.recommendations.append(RecommendationRecord(
            action.intervention, text, addresses, rule.id, rule.sources, seq, action.fact))
        asserted.append(Asserted("recommendation", action.intervention, "", text))

    def _mitigate(self, rule, action, state, seq, matched, asserted, declare) -> None:
        """A mitigation found; what it takes is advised too (every mitigation the verdict
        counts is a recommendation of its own), in the action's ``advice`` or else its text."""
        text = templates.render(action.text, state)
        record = self.findings.get(action.finding)
        if record is not None:
            record.mitigations.append((action.by, text, rule.id, seq))
            self._finding_changed(record)
        declare.append(new_fact(Mitigation, finding=action.finding, by=action.by))
        asserted.append(Asserted("mitigation", action.finding, action.by, text))
        advice = templates.render(action.advice, state) if action.advice else text
        self.recommendations.append(RecommendationRecord(
            action.by, advice, (action.finding,), rule.id, rule.sources, seq))
        asserted.append(Asserted("recommendation", action.by, "", advice))

    def _assess(self, record, unmitigated: bool, seq: int, asserted: list) -> bool | None:
        """Whether a barrier counts as mitigated. One no mitigation was found for
        (``unmitigated``): weigh the rules that could mitigate it on what is known now (their
        conditions' Kleene values, ``policy.counts_as_mitigated``); for a serious barrier whose
        mitigation waits for unknown facts, ask for them (COLLECT): they decide whether it can
        be overcome."""
        if not unmitigated:
            record.assessed = True
            self._finding_changed(record)
            return True
        state = kleene.State(self.values, self._finding_states, self.fired_ids)
        values, undecided = [], []
        for rule, condition in self.ways_to_mitigate.get(record.id, ()):
            try:
                value = kleene.evaluate(condition, state)
            except (TypeError, ValueError, OverflowError, RecursionError):
                value = False
            values.append(value)
            if value is None:
                undecided.append((rule, condition))
        mitigated = counts_as_mitigated(record.mitigable_by_nature, values, record.severity)
        record.assessed, record.undecided = mitigated, tuple(r.id for r, _ in undecided)
        self._finding_changed(record)
        if record.severity in ("blocking", "significant"):
            self._ask_for_deciding_facts(record, undecided, seq, asserted)
        return mitigated

    def _ask_for_deciding_facts(self, record, undecided: list, seq: int, asserted: list):
        asked = set()
        for rule, condition in undecided:
            for name in sorted(c.names_in(condition)):
                fact = self.kb.facts.get(name)
                if (name in asked or fact is None or fact.derived
                        or self.case_values.get(name) is not None):
                    continue
                asked.add(name)
                text = (f"Ask at the next visit: {fact.question or fact.meaning} The answer "
                        "decides whether a remedy for an obstacle is at hand.")
                self.recommendations.append(RecommendationRecord(
                    "COLLECT", text, (record.id,), "ASSESS", rule.sources, seq, name))
                asserted.append(Asserted("recommendation", "COLLECT", "", text))

    def _derive(self, rule, action, state, seq, matched, asserted, declare) -> None:
        value = kleene.evaluate(action.value, state)
        if not derivable(value):
            asserted.append(Asserted("derived", action.name, None, "unknown"))
            return
        self.derived[action.name] = (value, seq)
        self.values[action.name] = value
        declare.append(new_fact(Derived, name=action.name, value=value))
        asserted.append(Asserted("derived", action.name, value, ""))

    def _verdict(self, rule, action, state, seq, matched, asserted, declare) -> None:
        text = templates.render(action.text, state)
        because = tuple(m.name for m in matched if m.kind == "finding")
        self.verdict = (action.value, text, rule.id, seq, because)
        declare.append(new_fact(Verdict, value=action.value))
        asserted.append(Asserted("verdict", action.value, "", text))


_ASSESSED = {True: "mitigated", False: "not mitigated", None: "mitigation unknown"}


_CONCLUDE = {FindingAction: AdvisorEngine._finding, RecommendAction: AdvisorEngine._recommend,
             MitigateAction: AdvisorEngine._mitigate, DeriveAction: AdvisorEngine._derive,
             VerdictAction: AdvisorEngine._verdict}


def _default_addresses(rule, matched) -> tuple:
    """What a recommendation answers when the rule does not say: the findings the rule
    asserts, else the barriers it mitigates, else the findings it matched."""
    return (tuple(a.id for a in rule.actions if isinstance(a, FindingAction))
            or tuple(a.finding for a in rule.actions if isinstance(a, MitigateAction))
            or tuple(m.name for m in matched if m.kind == "finding"))
