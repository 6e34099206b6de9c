"""The open world evaluated branch by branch: one more fact answered, or one rule assumed to fire
or not, re-evaluates only the rules that read what changed.

``fixpoint.Evaluation`` evaluates every rule, pass after pass, until nothing changes: about three
passes over all rules for each set of answers. A case split (``splits``) evaluates many sets of
answers that differ from their parent in one fact, so ``Branch`` records, while it evaluates a
rule, everything that rule's evaluation read: the status of other rules (through findings,
mitigations, derived facts, ``fired``, the verdict) and the answers (which facts are asked, their
values), and the sets of values other rules' conditions may take (mitigations read those). A rule
is evaluated again only when something it read changed, in the order rules take effect, as
``Evaluation.run`` would; a child branch starts from its parent's statuses and re-evaluates the
rules that read the fact it answers (or the rule it assumes); the branches of one tree share the
record of who read what, so a sibling may re-evaluate a rule for nothing but never misses one.
Statuses only narrow from parent to child (a child's completions are some of its parent's), so
starting from the parent's is sound. What a rule means, the first-verdict guard and the policy stay
``fixpoint``'s: this module only decides *which* rules to evaluate again.

Must not: print, touch files, run experta, or decide what a rule means. Entry point:
``Branch(world, answers)``, then ``.child(fact=..., value=...)`` or ``.child(rule=..., fires=...)``;
``.truth`` and ``.sets`` as for ``Evaluation`` (``tests/test_confidence_soundness.py`` checks
that a branch gives exactly what a fresh ``Evaluation`` gives).
"""
from __future__ import annotations

import heapq
import weakref

from engine.consultation.fixpoint import Evaluation
from engine.consultation.kleene_sets import set_of
from engine.language import kleene


_POSITIONS: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()


def positions(world) -> dict:
    """Rule id -> its position in ``world.order`` (the order rules take effect in)."""
    found = _POSITIONS.get(world)
    if found is None:
        found = _POSITIONS[world] = {r.id: i for i, r in enumerate(world.order)}
    return found


class _Reads(dict):
    """A dict whose reads are recorded in the owning branch's current frame."""

    __slots__ = ("branch", "prefix")

    def __init__(self, data, branch, prefix):
        super().__init__(data)
        self.branch, self.prefix = branch, prefix

    # each read notes itself in the frame inline: these run tens of thousands of times a case

    def __getitem__(self, key):
        frame = self.branch.frame
        if frame is not None:
            frame.add((self.prefix, key))
        return dict.__getitem__(self, key)

    def get(self, key, default=None):
        frame = self.branch.frame
        if frame is not None:
            frame.add((self.prefix, key))
        return dict.get(self, key, default)

    def __contains__(self, key):
        frame = self.branch.frame
        if frame is not None:
            frame.add((self.prefix, key))
        return dict.__contains__(self, key)


class _State(kleene.State):
    """The state conditions read; reading the verdict is recorded as reading every verdict rule."""

    def __init__(self, values, branch):
        self._branch = branch
        self._verdict = None
        super().__init__(values)

    @property
    def verdict(self):
        branch = self._branch
        if branch.frame is not None:
            branch.frame.update(("rule", v.id) for v in branch.world.verdict_rules)
        return self._verdict

    @verdict.setter
    def verdict(self, value):
        self._verdict = value


class Branch(Evaluation):
    """The open world on ``answers`` (fact -> value, ``None`` = asked, unknown; absent = open),
    with the rules of ``assumed`` (rule id -> True or False) taken to fire or not."""

    def __init__(self, world, answers, assumed: dict | None = None, _parent=None):
        super().__init__(world, {})
        self.answers = _Reads(answers, self, "fact")
        self.assumed = dict(assumed or {})
        self.state = _State(self.state.values, self)
        self.frame: set | None = None
        self.skip_verdict_read = False
        self.verdict_now = None  # verdict_value() while no verdict rule changes
        self.memo_reads: dict = {}
        self.evaluated = 0  # rule evaluations made by this branch (for the budget's accounts)
        if _parent is None:
            self.truth = _Reads(self.truth, self, "rule")
            self.sets = _Reads({}, self, "rule")
            self.readers: dict = {}  # ("rule" | "fact", name) -> rule ids that read it
            self._settle(range(len(world.order)))
        else:
            self.truth = _Reads(_parent.truth, self, "rule")
            self.sets = _Reads(_parent.sets, self, "rule")
            self.readers = _parent.readers  # shared: a reader too many costs work, never truth
            self.verdict_now = _parent.verdict_now

    def child(self, fact: str | None = None, value=None, rule: str | None = None,
              fires: bool | None = None) -> "Branch":
        """This branch with ``fact`` answered ``value``, or with ``rule`` assumed to fire
        (``fires`` True) or not (False)."""
        answers = dict.copy(self.answers)  # a plain dict: copying records no read
        if fact is not None:
            answers[fact] = value
            branch = Branch(self.world, answers, self.assumed, self)
            start = self.readers.get(("fact", fact), ())
        else:
            branch = Branch(self.world, answers, {**self.assumed, rule: fires}, self)
            start = (rule,)
        index = positions(self.world)
        branch._settle(sorted(index[r] for r in start))
        return branch

    def run(self) -> dict:
        return self.truth

    # ------------------------------------------------------------------ evaluation

    def _settle(self, start) -> None:
        """Evaluate the rules at the positions ``start`` (in ``world.order``), then every rule that read a
        status that changed, lowest position first, until nothing changes."""
        order, index = self.world.order, positions(self.world)
        heap = list(start)
        heapq.heapify(heap)
        queued = set(heap)
        limit = (len(order) + 2) * len(order)
        while heap:
            if self.evaluated >= limit:  # did not settle (should not happen): pending, not sure
                for position in heap:
                    dict.__setitem__(self.truth, order[position].id, None)
                return
            position = heapq.heappop(heap)
            queued.discard(position)
            rule = order[position]
            before = dict.get(self.truth, rule.id), dict.get(self.sets, rule.id)
            after = self._evaluate(rule)
            if (after, dict.get(self.sets, rule.id)) != before:  # a status or its value set
                dict.__setitem__(self.truth, rule.id, after)
                if rule.concludes_verdict:
                    self.verdict_now = None
                self.memo.clear()
                self.memo_reads.clear()
                for reader in self.readers.get(("rule", rule.id), ()):
                    p = index[reader]
                    if p not in queued:
                        queued.add(p)
                        heapq.heappush(heap, p)

    def _evaluate(self, rule):
        self.evaluated += 1
        if rule.id in self.assumed:
            value = self.assumed[rule.id]
            self.sets[rule.id] = set_of(value)
            return value
        self.frame = reads = set()
        self.skip_verdict_read = True
        try:
            value = self.rule_truth(rule)
        finally:
            self.frame = None
            self.skip_verdict_read = False
        self._record(rule.id, reads)
        return value

    def _record(self, rule_id: str, reads: set) -> None:
        for key in reads:
            self.readers.setdefault(key, set()).add(rule_id)

    def verdict_value(self) -> tuple:
        """As ``Evaluation.verdict_value``; the read ``rule_truth`` makes first, to set the state's
        verdict, is not recorded (a rule that reads the verdict reads it through the state)."""
        if self.skip_verdict_read:
            self.skip_verdict_read = False
            if self.verdict_now is None:
                frame, self.frame = self.frame, None
                try:
                    self.verdict_now = super().verdict_value()
                finally:
                    self.frame = frame
            return self.verdict_now
        return super().verdict_value()

    def derived(self, name: str) -> tuple:
        """As ``Evaluation.derived``; what computing it read is recorded for every rule that
        reads it, also when it comes from the memo."""
        if name in self.memo:
            if self.frame is not None:
                self.frame |= self.memo_reads.get(name, set())
            return self.memo[name]
        outer, self.frame = self.frame, set()
        try:
            result = super().derived(name)
        finally:
            inner, self.frame = self.frame, outer
        self.memo_reads[name] = inner
        if outer is not None:
            outer |= inner
        return result
