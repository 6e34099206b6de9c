"""One open-world evaluation: every rule's possible values on a set of answers, to a fixpoint.

A condition's value is the set of Kleene values it may still take (``kleene_sets``): a test
reading a fact not asked yet may come out true, false or unknown; one reading only answers is what
``kleene.evaluate`` says (an answer "unknown" stays unknown: such a test can never hold);
``finding(...)``, ``barrier(...)``, ``count(...)``, ``fired(...)``, derived facts and the verdict
are open while the rules that would assert them are. Rules are evaluated in the compiler's stage
order, again until nothing changes. The first-verdict guard, when a barrier counts as mitigated
and what an unknown allows are ``knowledge.policy``'s, as in the engine.

Must not: print, prompt, touch files, run experta, or prepare the knowledge base (``openworld``
does, once). Entry point: ``Evaluation(world, answers).run() -> status by rule id``, then
``.sets`` (rule id -> the set of values its conditions may still take).
"""
from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from engine import language as c
from engine.consultation.kleene_sets import ANY, and_sets, or_sets, set_of, status_of
from engine.knowledge.policy import derivable, mitigation_outcomes
from engine.knowledge.spec import VerdictAction
from engine.language import kleene
from engine.language.arithmetic import and3, or3


class Evaluation:
    """One evaluation of every rule on a set of answers, to a fixpoint in stage order.

    ``world`` is the prepared knowledge base (``openworld.OpenWorld``, which imports this
    module, so it is not imported here); ``answers`` maps the facts asked so far to their
    values (``None`` = asked, unknown). A rule's status is True when it fires whatever is still
    asked, False when it cannot fire, None (pending) otherwise.
    """

    def __init__(self, world, answers: Mapping[str, Any]):
        self.world = world
        self.answers = answers
        self.truth = {r.id: False for r in world.order}
        self.sets: dict = {}
        self.memo: dict = {}
        self._busy: set = set()  # derived facts whose inputs are being settled (``derived``)
        self.state = kleene.State(_Values(self))

    def run(self) -> dict:
        """Rule id -> status, once no status changes (``self.sets`` is filled on the way).

        Every rule is evaluated in stage order, again and again until a pass changes no
        status; after the first pass only the rules that read a status or value set that
        changed since their last evaluation (``OpenWorld.dependents``): the others would give
        what they gave."""
        changed: set = set()
        dependents = self.world.dependents
        sets = self.sets
        stale = set(self.truth)
        for _ in range(len(self.truth) + 2):
            changed = set()
            for rule in self.world.order:
                rid = rule.id
                if rid not in stale:
                    continue
                stale.discard(rid)
                before = sets.get(rid)
                t = self.rule_truth(rule)
                if t is not self.truth[rid]:
                    self.truth[rid] = t
                    self.memo.clear()
                    changed.add(rid)
                    stale |= dependents[rid]
                elif sets[rid] != before:  # a mitigation's possible outcomes are read too
                    stale |= dependents[rid]
            if not changed:
                break
        for rid in changed:  # did not settle (should not happen): say pending, never settled
            self.truth[rid] = None
        return self.truth

    def rule_truth(self, rule) -> bool | None:
        self.state.verdict = self.verdict_value()[0]
        values = self.possible(self.world.condition[rule.id], rule.id)
        if rule.id in self.world.verdict_ids:  # the first verdict rule that holds wins (policy)
            higher = or3(self.truth[v] for v in self.world.kb.order.outranked_by(rule.id))
            values = and_sets(values, set_of(None if higher is None else not higher))
        self.sets[rule.id] = values
        return status_of(values)

    # ------------------------------------------------------------ the open-world pieces

    def possible(self, node, rule_id: str) -> frozenset:
        t = type(node)
        if t is c.And or t is c.Or:
            op = and_sets if t is c.And else or_sets
            acc = frozenset((t is c.And,))
            for item in node.items:
                acc = op(acc, self.possible(item, rule_id))
            return acc
        if t is c.Not:
            return frozenset(None if v is None else not v
                             for v in self.possible(node.operand, rule_id))
        if t is c.IsKnown:
            known = self.is_known(node.operand.name, rule_id)
            return set_of(known if known is None or node.known else not known)
        if t is c.FindingRef:
            return set_of(or3(self.truth.get(rid, False)
                                  for rid, _ in self.world.producers.get(node.finding, ())))
        if t is c.FindingPattern:
            return set_of(or3(self.matches(node).values()))
        if t is c.Count:
            status = list(self.matches(node.pattern).values())
            sure, maybe = status.count(True), status.count(None)
            return set_of(True if sure >= node.at_least else
                             False if sure + maybe < node.at_least else None)
        if t is c.Fired:
            return set_of(self.truth.get(node.rule, False))
        if self.reads_open(node):
            return ANY
        try:
            value = kleene.evaluate(node, self.state)
        except (TypeError, ValueError, OverflowError, RecursionError):
            value = False
        return frozenset((True if value is True else None if value is None else False,))

    def is_known(self, name: str, rule_id: str) -> bool | None:
        if name == "verdict":
            return or3(self.truth[v.id] for v in self.world.verdict_rules if v.id != rule_id)
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
                # each way to mitigate: the values its conditions may still take (policy)
                outcomes = mitigation_outcomes(action.mitigable, (
                    self.sets.get(m, set_of(self.truth.get(m, False)))
                    for m in self.world.mitigators.get(fid, ())), action.severity)
                t = and3((t, status_of(frozenset(o == want_mitigated for o in outcomes))))
            out[fid] = or3((out.get(fid, False), t))
        return out

    def derived(self, name: str) -> tuple:
        """(value, derived) of a derived fact: derived is True, False or None (open); a value
        of None with derived True means the value is still open.

        The derived facts its value reads are worked out first, deepest first and without
        recursion (``_settle_inputs``), so a chain of a thousand derived values costs no deeper
        a stack than a chain of one."""
        if name in self.memo:
            return self.memo[name]
        self._settle_inputs(name)
        if name in self.memo:  # a cycle through it was closed meanwhile
            return self.memo[name]
        return self._derive(name)

    def _settle_inputs(self, name: str) -> None:
        """Memoise the derived facts ``name``'s deriving rules read, each after its own inputs
        (an iterative depth-first walk; a fact being settled further up reads as open)."""
        derivers, names, memo = self.world.derivers, self.world.names, self.memo
        busy = self._busy
        order, seen, stack = [], {name}, [(name, False)]
        while stack:
            fact, done = stack.pop()
            if done:
                order.append(fact)
                continue
            stack.append((fact, True))
            for _, action in derivers.get(fact, ()):
                for read in names(action.value):
                    if read in derivers and read not in seen and read not in memo \
                            and read not in busy:
                        seen.add(read)
                        stack.append((read, False))
        order.pop()  # ``name`` itself, which the caller derives
        busy.update(order)
        try:
            for fact in order:
                if fact not in memo:
                    self.derived(fact)
        finally:
            busy.difference_update(order)

    def _derive(self, name: str) -> tuple:
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


class _Values(Mapping):
    """The values ``kleene.evaluate`` reads: answers, parameters, derived facts (computed lazily)."""

    def __init__(self, ev: Evaluation):
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
