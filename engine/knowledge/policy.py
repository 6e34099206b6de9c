"""The rules of the game, each stated once: in which order rules take effect, which verdict rule
wins, when a barrier counts as mitigated, and what may be derived from an unknown value.

Everything that runs or reasons about rules reads these, never its own copy: the compiler
(salience, the first-verdict guard, the built-in assessment), the agenda (ties by rule position),
the open-world evaluation (the same order and the same guard, three-valued), why-not ("lost to a
verdict rule of higher priority"), the runner (mitigations, derivations), the result and the kb
tools (lint, CLIPS export). ``RuleOrder`` is computed once per knowledge base, by the loader.

- **Order** (``RuleOrder``): stages as in stratified Datalog (``dependencies.compute_stages``):
  a rule that tests the absence of something runs after every rule that could assert it. Within
  a stage a higher ``salience`` goes first; the agenda breaks remaining ties by the most recent
  facts, then by position in the files. Effective salience: ``-STAGE_SPAN * stage + salience``.
- **First verdict wins**: verdict rules share the last stage and are tried from the highest
  salience down (the loader refuses two verdict rules with one salience, so the order is the
  knowledge engineer's, never the file order's); the first whose conditions hold concludes the
  verdict and no other verdict rule fires. Where two can hold at once, the more cautious verdict
  (``VERDICT_CAUTION``) is meant to be tried first.
- **Mitigated** (``counts_as_mitigated``), three-valued: a barrier counts as mitigated when it is
  mitigable by nature or some rule found an available mitigation for it in this case; as not
  mitigated when every rule that could mitigate it is known not to apply; otherwise its
  mitigation is unknown (neither), except that a blocking barrier stays unmitigated until a
  mitigation is found. ``barrier(mitigated=true)`` and ``barrier(mitigated=false)`` match only
  the first and the second.
- **Unknowns** (``derivable``): an unknown never makes a condition true (Kleene logic,
  ``language.kleene``), and a derivation whose value is unknown derives nothing.

Must not: import experta, do I/O.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Iterable, Mapping

from engine import language as c
from engine.language.arithmetic import or3
from engine.knowledge.dependencies import compute_stages, rule_dependencies
from engine.knowledge.spec import MitigateAction

STAGE_SPAN = 100  # salience range inside one stage; a rule's own salience stays within it
# Brief 4.6 tries the unlikely rules, then possible_with_support, then likely. Where two verdict
# rules can hold on one case, the one tried first should conclude the more cautious verdict;
# lint reports an order that does otherwise (KB702) unless a waiver gives the reason.
VERDICT_CAUTION = ("unlikely", "possible_with_support", "likely")  # most cautious first


@dataclass(frozen=True)
class RuleOrder:
    """When each rule of one knowledge base takes effect."""

    stage: Mapping[str, int]  # rule id -> stage
    assessment_stage: int  # the built-in assessment of barriers runs in this stage
    position: Mapping[str, int]  # rule id -> index in the files (load order)
    own_salience: Mapping[str, int]  # rule id -> the salience written in the rule
    verdict_rules: tuple  # ids of the verdict rules, the one tried first first
    cycle: tuple = ()  # rule ids on a cycle through a negation (a load error)

    def salience(self, rule_id: str) -> int:
        """The effective salience the agenda compares: the stage first, then the rule's own."""
        return -STAGE_SPAN * self.stage[rule_id] + self.own_salience[rule_id]

    @property
    def assessment_salience(self) -> int:
        return -STAGE_SPAN * self.assessment_stage

    def key(self, rule_id: str) -> tuple:
        """Sort key: rules that take effect earlier sort first."""
        return (self.stage[rule_id], -self.own_salience[rule_id], self.position[rule_id])

    def sequence(self, rule_ids: Iterable[str] | None = None) -> list:
        """Rule ids in the order they take effect (all rules when ``rule_ids`` is None)."""
        return sorted(self.position if rule_ids is None else rule_ids, key=self.key)

    def outranked_by(self, rule_id: str) -> tuple:
        """The verdict rules tried before verdict rule ``rule_id`` (any of them that holds wins)."""
        if rule_id not in self.verdict_rules:
            return ()
        return self.verdict_rules[:self.verdict_rules.index(rule_id)]


def order_rules(rules: tuple, finding_specs: Mapping, derived: set) -> RuleOrder:
    """The ``RuleOrder`` of ``rules``; ``cycle`` names the rules on a cycle through a negation."""
    deps = {r.id: rule_dependencies(r, derived, finding_specs) for r in rules}
    stages = compute_stages(rules, deps, finding_specs)
    position = {r.id: i for i, r in enumerate(rules)}
    own = {r.id: r.salience for r in rules}
    verdicts = sorted((r for r in rules if r.concludes_verdict),
                      key=lambda r: (-r.salience, position[r.id]))
    return RuleOrder(stages.stage, stages.assessment_stage, position, own,
                     tuple(r.id for r in verdicts), stages.cycle)


def verdict_salience_clashes(rules: tuple) -> list:
    """Pairs of verdict rules with the same salience: which one wins would be file order's."""
    seen: dict = {}
    clashes = []
    for rule in rules:
        if rule.concludes_verdict:
            if rule.salience in seen:
                clashes.append((seen[rule.salience], rule))
            else:
                seen[rule.salience] = rule
    return clashes


def counts_as_mitigated(mitigable_by_nature: bool, mitigations: Iterable,
                        severity: str | None = None) -> bool | None:
    """Whether a barrier counts as mitigated, three-valued (brief 4.6 and section 0).

    ``mitigations``: for each way the barrier could be mitigated in this case (each rule that
    mitigates it), the Kleene value of its conditions: True (available here), False (known to
    be absent) or None (undecided: facts it needs are unknown). True when the barrier is
    mitigable by nature or some way is available; False when every way is known to be absent;
    otherwise None, "mitigation unknown": an unknown never makes a barrier worse, so such a
    barrier is neither mitigated nor unmitigated. A blocking barrier decides as it is unless a
    way is available: an undecided way counts as absent for it (``severity`` "blocking")."""
    return _assessed(mitigable_by_nature, or3(mitigations), severity)


def mitigation_outcomes(mitigable_by_nature: bool, route_values: Iterable,
                        severity: str | None = None) -> frozenset:
    """Every value ``counts_as_mitigated`` can still give while facts are being asked:
    ``route_values`` holds, per way of mitigating, the set of Kleene values its conditions may
    still take (the open world, ``consultation.fixpoint``)."""
    found = frozenset((False,))
    for values in route_values:
        found = frozenset(or3((a, b)) for a in found for b in values)
    return frozenset(_assessed(mitigable_by_nature, f, severity) for f in found)


def _assessed(mitigable_by_nature: bool, found: bool | None, severity: str | None):
    if mitigable_by_nature or found is True:
        return True
    if found is None and severity != "blocking":
        return None
    return False


def derivable(value) -> bool:
    """A derivation asserts its value only when it is known and a number, text or list: an
    unknown value (or a truth value computed from one) derives nothing (brief, section 0)."""
    return value is not None and not isinstance(value, bool)


def uses_assessments(rules: Iterable) -> bool:
    """Whether the built-in assessment of barriers is compiled: when some rule asks
    ``barrier(mitigated=...)`` or some rule mitigates a barrier (its assessment then says
    whether the mitigation is available, unknown or absent, and asks for the facts that decide
    it)."""
    for rule in rules:
        if any(isinstance(a, MitigateAction) for a in rule.actions):
            return True
        for cond in rule.conditions:
            for node in c.walk(cond.node):
                pattern = node.pattern if isinstance(node, c.Count) else node
                if isinstance(pattern, c.FindingPattern) and pattern.attr("mitigated") is not None:
                    return True
    return False


def ways_to_mitigate(rules: Iterable) -> dict:
    """Barrier finding id -> ids of the rules that mitigate it, in file order: the ways
    ``counts_as_mitigated`` weighs."""
    out: dict = {}
    for rule in rules:
        for action in rule.actions:
            if isinstance(action, MitigateAction) and rule.id not in out.get(action.finding, ()):
                out.setdefault(action.finding, []).append(rule.id)
    return {fid: tuple(ids) for fid, ids in out.items()}
