"""Case splits for the open world: evaluating it once per value class of a fact, or once with a
rule assumed to fire and once assumed not to, so that correlated conditions stop looking
independent.

The open world (``fixpoint``) treats every reading of an open fact, and every reading of a pending
rule's conclusion, as free to go either way on its own; a barrier and the mitigation that follows
from the very same fact then look as if one could hold without the other. Splitting restores the
correlation, and it is sound when the branches cover every completion:

- a rule split: in each completion a pending rule fires or it does not; ``branches.Branch``
  evaluates the open world with that rule's status fixed, everything else as before;
- a fact split: a yes/no or enum fact takes each of its values or stays unknown; a number stays
  unknown or falls in one class of the thresholds the rules still compare it with *here*
  (``classes``): every number of one class compares alike, so one stands for the class.

``Refutation`` splits a case until no branch lets a verdict value through, or gives up when its
budget of rule evaluations is spent; splitting a fact is preferred (its branches are real
completions), a rule only when no open fact can be split soundly.

Must not: run the engine or print. Entry points: ``Splitter(world).fact_classes(ev, name)``,
``.rule_inputs(ev, rule_id)``, ``.direct`` (rule id -> the rules its evaluation reads);
``Refutation(outlook, base, value, limit, work).holds()``.
"""
from __future__ import annotations

from engine import language as c
from engine.consultation.branches import Branch
from engine.consultation.classes import NumberReadings
from engine.consultation.fixpoint import Evaluation

MAX_LIST_CHOICES = 4  # a list fact is split into its subsets only up to this many choices


class Splitter:
    """What can be split, for one prepared open world (``OpenWorld``)."""

    def __init__(self, world):
        self.world = world
        self.numbers = NumberReadings(world)
        self.direct = {rid: _direct_rules(world, rule) for rid, rule in world.rules.items()}

    def rule_inputs(self, ev: Evaluation, rule_id: str) -> list:
        """The pending rules whose status rule ``rule_id``'s own evaluation reads."""
        return [r for r in self.direct[rule_id] if ev.truth.get(r) is None]

    def fact_classes(self, ev: Evaluation, name: str):
        """One value per class of the open input fact ``name`` (None, unknown, always among them),
        or None when the fact cannot be split soundly here."""
        spec = self.world.kb.input_facts[name]
        if spec.type == "bool":
            return (True, False, None)
        if spec.type == "enum":
            return tuple(spec.values) + (None,)
        if spec.type == "list[enum]":
            if len(spec.values) > MAX_LIST_CHOICES:
                return None
            return tuple(tuple(v for v, keep in zip(spec.values, mask) if keep)
                         for mask in _masks(len(spec.values))) + (None,)
        return self.numbers.classes(ev, spec) if spec.is_numeric else None


def _masks(n: int):
    for number in range(2 ** n):
        yield tuple(bool(number >> i & 1) for i in range(n))


def _direct_rules(world, rule) -> tuple:
    """Rules whose status the evaluation of ``rule`` reads: producers and mitigators of the
    findings it tests, derivers of the facts it reads, rules it asks ``fired(...)`` of, and the
    verdict rules that outrank it."""
    out: list = list(world.kb.order.outranked_by(rule.id))
    for node in c.walk(world.condition[rule.id]):
        if type(node) is c.FindingRef:
            out += [rid for rid, _ in world.producers.get(node.finding, ())]
        elif type(node) in (c.FindingPattern, c.Count):
            pattern = node.pattern if type(node) is c.Count else node
            for fid, rid, _ in world.candidates(pattern):
                out.append(rid)
                if pattern.attr("mitigated") is not None:
                    out += world.mitigators.get(fid, [])
        elif type(node) is c.Fired:
            out.append(node.rule)
        elif type(node) is c.Name and node.name in world.derivers:
            out += [rid for rid, _ in world.derivers[node.name]]
        elif type(node) is c.Name and node.name == "verdict":
            out += [v.id for v in world.verdict_rules if v.id != rule.id]
    return tuple(dict.fromkeys(r for r in out if r in world.rules and r != rule.id))


class Refutation:
    """Case splits showing that no completion of a case gives one verdict value, within
    ``limit`` rule evaluations. ``outlook`` is the ``possible.VerdictOutlook`` (its ``world``,
    ``splitter``, ``candidates``, ``reach``, ``position`` and ``value_of``); ``base`` the case's
    ``Branch``; ``work`` counts the evaluations spent."""

    def __init__(self, outlook, base: Branch, value, limit: int, work: dict):
        self.o, self.base, self.value = outlook, base, value
        self.limit, self.work, self.spent = limit, work, 0

    def _child(self, branch: Branch, **split) -> Branch:
        child = branch.child(**split)
        self.spent += child.evaluated
        self.work["evaluations"] += child.evaluated
        return child

    def holds(self) -> bool:
        """Whether no completion gives the value: every branch of the case splits lets no
        rule of it fire (within the budget; False when the budget ran out first)."""
        if self.value is None and self._fallback_fires():
            return True
        return self._refute(self.base)

    def _fallback_fires(self) -> bool:
        """Whether the last verdict rule (a fallback such as ``verdict is unknown``) fires for
        sure once all the others are assumed silent: then some verdict rule always fires."""
        rules = self.o.world.verdict_rules
        branch = self.base
        for v in rules[:-1]:
            branch = self._child(branch, rule=v.id, fires=False)
        return bool(rules) and branch.truth[rules[-1].id] is True

    def _refute(self, branch: Branch) -> bool:
        if self.value not in self.o.candidates(branch):
            return True
        if self.spent >= self.limit:
            return False
        split = self._split(branch)
        if split is None:
            return False
        kind, key, options = split
        for x in options:
            child = (self._child(branch, fact=key, value=x) if kind == "fact" else
                     self._child(branch, rule=key, fires=x))
            if not self._refute(child):
                return False
        return True

    def _split(self, branch: Branch):
        """The open fact the pending rules of the value reach with the fewest value classes,
        else the first pending rule they read that is not assumed yet, else None."""
        o, truths = self.o, branch.truth
        targets = [v.id for v in o.world.verdict_rules if truths[v.id] is None and
                   (self.value is None or o.value_of[v.id] == self.value)]
        best = None
        for target in targets:
            for name in sorted(o.reach(target, truths), key=o.position.get):
                if name in branch.answers:
                    continue
                classes = o.splitter.fact_classes(branch, name)
                if classes is not None and (best is None or len(classes) < len(best[2])):
                    best = ("fact", name, classes)
            if best is not None:
                return best
        for target in targets:
            inputs = [r for r in o.splitter.rule_inputs(branch, target)
                      if r not in branch.assumed]
            if inputs:
                return "rule", inputs[0], (True, False)
        return None
