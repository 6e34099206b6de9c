"""Open-world three-valued evaluation: which rules can still fire while facts are being asked.

A finished case is evaluated closed-world: a finding nobody asserted is false, a fact not given
is unknown for good. During an interview that closes the world too early (a rule waiting for
``finding(x)`` would look settled before the facts that assert ``x`` were asked), so here every
rule's conditions get the *set* of Kleene values they may still take. A test on a fact not asked
yet may come out true, false or unknown; a test on answered facts is what ``kleene.evaluate``
says (an answer "unknown" stays unknown: a rule needing its value can never fire);
``finding(...)``, ``barrier(...)``, ``count(...)``, ``fired(...)``, derived facts and the verdict
are open while the rules that would assert them are. Rules are evaluated in the compiler's stage
order (``policy.RuleOrder``), to a fixpoint. A rule's status is True (fires whatever
is still asked), False (cannot fire) or None (pending). When every fact has been asked this is
exactly what the engine fires (tests/test_openworld_guard.py checks it on generated cases).
The order of rules, the first-verdict guard, when a barrier counts as mitigated and what an
unknown allows are ``knowledge.policy``'s, as in the engine.

Must not: print, prompt, touch files, or run experta. Entry point:
``OpenWorld(kb).evaluate(answers) -> (status by rule id, value sets by rule id)``.
"""
from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from engine.language import kleene
from engine import language as c

from engine.knowledge.policy import counts_as_mitigated, derivable
from engine.knowledge.spec import (
    DeriveAction, FindingAction, KnowledgeBase, MitigateAction, VerdictAction,
)


def _and3(a, b):
    if a is False or b is False:
        return False
    return None if a is None or b is None else True


def _or3(values) -> bool | None:
    result = False
    for v in values:
        if v is True:
            return True
        if v is None:
            result = None
    return result


def rule_condition(rule) -> c.Node:
    nodes = [cond.node for cond in rule.conditions]
    return nodes[0] if len(nodes) == 1 else c.And(tuple(nodes))


class OpenWorld:
    """A knowledge base prepared for three-valued evaluation while facts are still being asked."""

    def __init__(self, kb: KnowledgeBase):
        self.kb = kb
        self.rules = {r.id: r for r in kb.rules}
        self.order = [self.rules[rid] for rid in kb.order.sequence()]
        self.inputs = frozenset(kb.input_facts)
        self._names: dict = {}  # id(node) -> names it reads (the nodes live as long as kb)
        self.condition = {r.id: rule_condition(r) for r in kb.rules}
        self.reads = {r.id: c.names_in(self.condition[r.id]) for r in kb.rules}
        self.text_reads = {r.id: _template_names(r) & set(kb.input_facts) for r in kb.rules}
        self.verdict_rules = [self.rules[rid] for rid in kb.order.verdict_rules]
        self.parameters = {n: p.value for n, p in kb.parameters.items()}
        self.producers: dict[str, list] = {}  # finding id -> [(rule id, FindingAction)]
        self.mitigators: dict[str, list] = {}  # finding id -> [rule id]
        self.derivers: dict[str, list] = {}  # derived name -> [(rule id, DeriveAction)]
        for r in kb.rules:
            for a in r.actions:
                if isinstance(a, FindingAction):
                    self.producers.setdefault(a.id, []).append((r.id, a))
                elif isinstance(a, MitigateAction):
                    self.mitigators.setdefault(a.finding, []).append(r.id)
                elif isinstance(a, DeriveAction):
                    self.derivers.setdefault(a.name, []).append((r.id, a))
        self.factor_rules: dict[str, list] = {}  # factor -> rules asserting one of its findings
        for r in kb.rules:
            for factor in dict.fromkeys(a.factor for a in r.findings()):
                self.factor_rules.setdefault(factor, []).append(r.id)

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
                     for rid, a in producers if _static_match(pattern, fid, a) and
                     (pattern.attr("mitigated") is None or a.kind == "barrier")]
            self._names[key] = (found, pattern)
        return self._names[key][0]

    def truths(self, answers: Mapping[str, Any]) -> dict:
        """Rule id -> True (fires whatever is still asked), False (cannot fire) or None
        (pending), given ``answers`` (the facts asked so far; ``None`` = asked, unknown)."""
        return self.evaluate(answers)[0]

    def evaluate(self, answers: Mapping[str, Any]) -> tuple:
        """(truths, rule id -> the set of Kleene values its conditions may still take)."""
        ev = _Evaluation(self, answers)
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


class _Values(Mapping):
    """The values ``kleene.evaluate`` reads: answers, parameters, derived facts (computed lazily)."""

    def __init__(self, ev: _Evaluation):
        self.ev = ev

    def get(self, name, default=None):
        ev = self.ev
        if name in ev.answers:
            return ev.answers[name]
        if name in ev.world.parameters:
            return ev.world.parameters[name]
        if name in ev.world.derivers:
            return ev.derived(name)[0]
        return None

    def __getitem__(self, name):
        return self.get(name)

    def __iter__(self):
        return iter(())

    def __len__(self):
        return 0


ANY = frozenset((True, False, None))


def _possible(status) -> frozenset:
    """A fire status (True, False, None = open) as the set of truth values it may still take."""
    return frozenset((True, False)) if status is None else frozenset((status,))


def _combine(op, a: frozenset, b: frozenset) -> frozenset:
    return frozenset(op(x, y) for x in a for y in b)


def _status(values: frozenset) -> bool | None:
    """Fires for sure (True), cannot fire (False), or still open (None)."""
    if True not in values:
        return False
    return True if values == {True} else None


class _Evaluation:
    """One evaluation of every rule on a set of answers, to a fixpoint in stage order.

    A condition's value is the set of Kleene values it may still take: a test reading a fact not
    asked yet may come out true, false or unknown; one reading only answers is what
    ``kleene.evaluate`` says (an answer "unknown" stays unknown: such a test can never hold). A
    rule's status is True when it fires whatever is still asked, False when it cannot fire,
    None (pending) otherwise.
    """

    def __init__(self, world: OpenWorld, answers: Mapping[str, Any]):
        self.world = world
        self.answers = answers
        self.truth = {r.id: False for r in world.order}
        self.sets: dict = {}
        self.memo: dict = {}
        self.state = kleene.State(_Values(self))

    def run(self) -> dict:
        changed: set = set()
        for _ in range(len(self.truth) + 2):
            changed = set()
            for rule in self.world.order:
                t = self.rule_truth(rule)
                if t is not self.truth[rule.id]:
                    self.truth[rule.id] = t
                    self.memo.clear()
                    changed.add(rule.id)
            if not changed:
                break
        for rid in changed:  # did not settle (should not happen): say pending, never settled
            self.truth[rid] = None
        return self.truth

    def rule_truth(self, rule) -> bool | None:
        self.state.verdict = self.verdict_value()[0]
        values = self.possible(self.world.condition[rule.id], rule.id)
        if rule.concludes_verdict:  # the first verdict rule that holds wins (policy)
            higher = _or3(self.truth[v] for v in self.world.kb.order.outranked_by(rule.id))
            values = _combine(_and3, values, _possible(None if higher is None else not higher))
        self.sets[rule.id] = values
        return _status(values)

    # ------------------------------------------------------------ the open-world pieces

    def possible(self, node, rule_id: str) -> frozenset:
        t = type(node)
        if t is c.And or t is c.Or:
            op = _and3 if t is c.And else (lambda a, b: _or3((a, b)))
            acc = frozenset((t is c.And,))
            for item in node.items:
                acc = _combine(op, acc, self.possible(item, rule_id))
            return acc
        if t is c.Not:
            return frozenset(None if v is None else not v
                             for v in self.possible(node.operand, rule_id))
        if t is c.IsKnown:
            known = self.is_known(node.operand.name, rule_id)
            return _possible(known if known is None or node.known else not known)
        if t is c.FindingRef:
            return _possible(_or3(self.truth.get(rid, False)
                                  for rid, _ in self.world.producers.get(node.finding, ())))
        if t is c.FindingPattern:
            return _possible(_or3(self.matches(node).values()))
        if t is c.Count:
            status = list(self.matches(node.pattern).values())
            sure, maybe = status.count(True), status.count(None)
            return _possible(True if sure >= node.at_least else
                             False if sure + maybe < node.at_least else None)
        if t is c.Fired:
            return _possible(self.truth.get(node.rule, False))
        if self.reads_open(node):
            return ANY
        try:
            value = kleene.evaluate(node, self.state)
        except (TypeError, ValueError, OverflowError, RecursionError):
            value = False
        return frozenset((True if value is True else None if value is None else False,))

    def is_known(self, name: str, rule_id: str) -> bool | None:
        if name == "verdict":
            return _or3(self.truth[v.id] for v in self.world.verdict_rules if v.id != rule_id)
        if name in self.world.derivers:
            return self.derived(name)[1]
        if name in self.answers:
            return self.answers[name] is not None
        if name in self.world.parameters:
            return True
        return None if name in self.world.inputs else False

    def is_open(self, name: str) -> bool:
        if name == "verdict":
            return not self.verdict_value()[1]
        if name in self.world.derivers:
            value, known = self.derived(name)
            return known is None or (known is True and value is None)
        return name in self.world.inputs and name not in self.answers

    def reads_open(self, node) -> bool:
        return any(self.is_open(name) for name in self.world.names(node))

    def matches(self, pattern: c.FindingPattern) -> dict:
        """Finding id -> whether some finding of that id matching the pattern holds."""
        want_mitigated = pattern.attr("mitigated")
        out: dict = {}
        for fid, rid, action in self.world.candidates(pattern):
            t = self.truth.get(rid, False)
            if want_mitigated is not None:
                mitigated = counts_as_mitigated(action.mitigable, (
                    self.truth.get(m, False) for m in self.world.mitigators.get(fid, ())))
                t = _and3(t, None if mitigated is None else mitigated == want_mitigated)
            out[fid] = _or3((out.get(fid, False), t))
        return out

    def derived(self, name: str) -> tuple:
        """(value, derived) of a derived fact: derived is True, False or None (open); a value
        of None with derived True means the value is still open."""
        if name in self.memo:
            return self.memo[name]
        self.memo[name] = (None, None)  # a cycle reads as open
        gives, maybe = [], False
        for rid, action in self.world.derivers.get(name, ()):
            t = self.truth.get(rid, False)
            if t is False:
                continue
            if self.reads_open(action.value):
                maybe = True
                continue
            try:
                v = kleene.evaluate(action.value, self.state)
            except (TypeError, ValueError, OverflowError, RecursionError):
                v = None
            if not derivable(v):
                continue  # the engine derives nothing from an unknown value (policy)
            if t is True:
                gives.append(v)
            else:
                maybe = True
        if gives:
            result = (None, True) if maybe else (gives[0], True)
        else:
            result = (None, None) if maybe else (None, False)
        self.memo[name] = result
        return result

    def verdict_value(self) -> tuple:
        """(verdict or None, decided): the first verdict rule that holds, once that is settled."""
        for v in self.world.verdict_rules:
            t = self.truth[v.id]
            if t is None:
                return None, False
            if t:
                return next(a.value for a in v.actions if isinstance(a, VerdictAction)), True
        return None, True


def _template_names(rule) -> set:
    """Facts the rule's texts print (a finding's text names the stigma, say)."""
    names: set = set()
    templates = [getattr(a, "text", None) for a in rule.actions] + [rule.explanation]
    for template in templates:
        for part in getattr(template, "parts", ()):
            if not isinstance(part, str):
                names |= c.names_in(part.node)
    return names


def _static_match(pattern: c.FindingPattern, fid: str, action: FindingAction) -> bool:
    if pattern.kind and action.kind != pattern.kind:
        return False
    for key, want in pattern.attrs:
        if key == "mitigated":
            continue
        have = fid if key == "id" else getattr(action, key, None)
        if have not in (want if isinstance(want, tuple) else (want,)):
            return False
    return True
