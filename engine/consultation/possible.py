"""What the facts still unknown could do to the verdict: every verdict value that some answer to
them could give, each shown by a completion or kept because it could not be ruled out.

A *completion* of a case answers every open fact (one not given) with a value or "unknown"; the
consultation itself is the completion that leaves them all unknown, so its verdict is always
possible. The open world (``openworld``, evaluated by ``branches``) says which verdict rules can
still fire; it is sound (it never misses a completion's verdict, tests/test_openworld_guard.py)
but reads every condition as independent, so it may let through a value no completion gives. Each
value it lets through, other than the verdict given, is

- *shown* when a completion gives it. Tried in turn: each open fact that reaches the verdict set
  alone to each value that matters (``probes.probe_values``), the others unknown, evaluated in
  the closed world, where the open world is exactly the engine (the guard test checks that on a
  thousand cases; this also says which facts move the verdict on their own); then, run through
  the real engine (``Advisor.run``), seeds (rule examples and worked cases meant to reach the
  value, ``probes.example_seeds`` and ``worked_seeds``) laid over the case, and random
  completions of the facts that reach the verdict (seeded by the case, so reproducible). Whatever verdict a completion
  gives is possible, whichever value was sought;
- *ruled out* when few open facts reach its rules and case splits (``splits.Refutation``) show
  that none of them can fire in any branch;
- else *kept*, unproven, once the budget is spent: soundness first, a value is dropped only when
  it is ruled out.

The work is bounded by counts (rule evaluations, engine runs), never by a clock, so a case gets
the same answer on any machine (``Budget``; docs/confidence.md gives the cost and how tight it is).

Must not: print, touch files, or change the case. Entry point:
``VerdictOutlook.of(kb, advisor).explore(answers, verdict) -> Outlook``.
"""
from __future__ import annotations

import random
import zlib
from dataclasses import dataclass, field

from engine.consultation.branches import Branch
from engine.consultation.openworld import OpenWorld
from engine.consultation.probes import example_seeds, probe_values, worked_seeds
from engine.consultation.splits import Refutation, Splitter
from engine.knowledge.spec import VERDICTS, KnowledgeBase, VerdictAction


STEPS = {"likely": 0, "possible_with_support": 1, "unlikely": 2}  # verdicts in a row
FIRST_FACTS = 3  # the facts a report names to collect first: found before the search may stop


def moves(a, b) -> int:
    """How far apart two verdicts are: likely to unlikely is 2 steps (no verdict: the middle)."""
    return abs(STEPS.get(a, 1) - STEPS.get(b, 1))


@dataclass
class Budget:
    """How much work one consultation may spend to tighten its possible verdicts."""

    seeds: int = 1  # seed completions run through the engine, per verdict value
    alone: int = 600  # rule evaluations to try each open fact alone, the others unknown
    evaluations: int = 600  # rule evaluations in case splits, per verdict value
    small: int = 8  # open facts reaching a value's rules, at most, to try to rule it out
    samples: int = 3  # random completions of the facts that reach the verdict, in all


@dataclass
class Outlook:
    """What the open facts could still do to one consultation's verdict."""

    verdict: str | None  # the verdict with every open fact unknown
    possible: tuple  # every value some completion could give (VERDICTS order, then None)
    shown: dict  # value -> a completion (open fact -> value) that gives it
    kept: tuple  # values neither shown nor ruled out within the budget (kept: sound)
    flips: dict  # open fact -> values it gives alone (the others unknown), when probed
    truths: dict  # rule id -> open-world status on the answers (True, False, None = pending)
    cone: dict = field(default_factory=dict)  # open fact -> (pending verdict rules it feeds,
    #   how many pending rules feeding them read it), in vocabulary order
    work: dict = field(default_factory=dict)  # rule evaluations and engine runs spent
    world: object = None  # the ``OpenWorld`` the statuses are of


class VerdictOutlook:
    """A knowledge base prepared once for exploring the verdicts of its consultations."""

    _prepared: dict = {}

    @classmethod
    def of(cls, kb: KnowledgeBase, advisor) -> "VerdictOutlook":
        """The prepared outlook for ``kb`` and its ``Advisor`` (cached per pair)."""
        key = (id(kb), id(advisor))
        hit = cls._prepared.get(key)
        if hit is None or hit.kb is not kb or hit.advisor is not advisor:
            if len(cls._prepared) >= 8:
                cls._prepared.clear()
            hit = cls._prepared[key] = cls(kb, advisor)
        return hit

    def __init__(self, kb: KnowledgeBase, advisor):
        self.kb, self.advisor = kb, advisor
        self.world = OpenWorld(kb)
        self.splitter = Splitter(self.world)
        self.value_of = {v.id: next(a.value for a in v.actions if isinstance(a, VerdictAction))
                         for v in self.world.verdict_rules}
        self.probe_values = probe_values(kb)
        self.position = {name: i for i, name in enumerate(kb.input_facts)}
        self._seeds: dict | None = None  # verdict -> rule examples' facts
        self._worked: dict | None = None  # verdict -> worked cases' facts

    def explore(self, answers: dict, verdict, budget: Budget | None = None) -> Outlook:
        """The outlook of a case: ``answers`` maps the facts given to their values (``None``:
        asked, and settled as unknown); every input fact absent from it is open. ``verdict`` is
        the engine's verdict on the given values (every open fact unknown)."""
        budget = budget or Budget()
        base = Branch(self.world, answers)
        work = {"evaluations": base.evaluated, "runs": 0}
        truths = dict(base.truth)
        seen = Outlook(verdict, (), {verdict: {}}, (), {}, truths, self.cone(truths, answers),
                       work, self.world)
        open_values = [v for v in self.candidates(base) if v != verdict]

        def unshown():
            return [v for v in open_values if v not in seen.shown]

        def tried(completion: dict) -> None:  # every verdict reached counts, even "ruled out"
            got = self.run({**answers, **completion}, work)
            seen.shown.setdefault(got, completion)

        if open_values:  # else (high) nothing could change it: no fact to rank
            self._alone(seen, base, answers, open_values, budget.alone)
        for value in unshown():
            for extra in self._seeds_for(value, answers, budget.seeds):
                tried(extra)
                if value in seen.shown:
                    break
        ruled_out = set()
        for value in unshown():
            reach = set().union(*(self.reach(v.id, truths) for v in self.world.verdict_rules
                                  if truths[v.id] is None and self.value_of[v.id] == value))
            if len(reach - answers.keys()) <= budget.small and \
                    Refutation(self, base, value, budget.evaluations, work).holds():
                ruled_out.add(value)
        rng = random.Random(zlib.crc32(repr(sorted(answers.items())).encode()))
        for _ in range(budget.samples):
            if not [v for v in unshown() if v not in ruled_out]:
                break
            tried(self._sample(rng, seen.cone))
        seen.kept = tuple(v for v in unshown() if v not in ruled_out)
        seen.possible = tuple(v for v in VERDICTS + (None,) if v in seen.shown or v in seen.kept)
        return seen

    # ------------------------------------------------------------------ the pieces

    def open_world_values(self, truths: dict) -> list:
        """Verdict values the open world's statuses let through (None when no verdict rule is
        sure): some rule of each can still fire."""
        out = [self.value_of[v.id] for v in self.world.verdict_rules if truths[v.id] is not False]
        if not any(truths[v.id] is True for v in self.world.verdict_rules):
            out.append(None)
        return list(dict.fromkeys(out))

    def candidates(self, branch: Branch) -> list:
        """``open_world_values``, cut at the first verdict rule whose own conditions hold for
        sure: then it or one tried before it fires in every completion, so no rule after it
        (and no silence) can conclude. The open world misses this: each guard "no rule before
        fired" reads the rules before as independent."""
        out = []
        for v in self.world.verdict_rules:
            status = branch.truth[v.id]
            if status is not False:
                out.append(self.value_of[v.id])
            if status is True or branch.possible(self.world.condition[v.id], v.id) == {True}:
                return list(dict.fromkeys(out))
        return list(dict.fromkeys(out + [None]))

    def cone(self, truths: dict, answers: dict) -> dict:
        """Open input fact -> (the pending verdict rules whose outcome it can reach, how many
        pending rules on the way read it), in vocabulary order."""
        feeds: dict = {}
        on_the_way: set = set()
        for v in self.world.verdict_rules:
            if truths[v.id] is None:
                names, rules = self.reach(v.id, truths, with_rules=True)
                on_the_way |= rules
                for name in names:
                    feeds.setdefault(name, []).append(v.id)
        readers: dict = {}
        for rid in on_the_way:
            for name in self.world.inputs_needed(rid, truths):
                readers[name] = readers.get(name, 0) + 1
        return {n: (feeds[n], readers.get(n, 0)) for n in sorted(feeds, key=self.position.get)
                if n not in answers}

    def reach(self, rule_id: str, truths: dict, with_rules: bool = False):
        """Input facts a pending rule reads, directly or through the pending rules it reads
        (and, ``with_rules``, those rules)."""
        seen, names, pending = {rule_id}, set(), [rule_id]
        while pending:
            rid = pending.pop()
            names.update(self.world.inputs_needed(rid, truths))
            for r in self.splitter.direct[rid]:
                if r not in seen and truths.get(r) is None:
                    seen.add(r)
                    pending.append(r)
        return (names, seen) if with_rules else names

    def _alone(self, seen: Outlook, base: Branch, answers: dict, open_values: list,
               limit: int) -> None:
        """Each open fact that reaches the verdict, most connected first, set alone to each
        value that matters with every other open fact unknown: the closed world, where the open
        world is exactly the engine (tests/test_openworld_guard.py), so a branch per value is
        enough, and a verdict other than the consultation's is shown by that completion (and
        goes to ``seen.flips``). Stops once ``FIRST_FACTS`` facts move the verdict as far as any
        could and every value is shown: the facts tried later could only rank after them."""
        furthest = max(moves(seen.verdict, v) for v in open_values)
        closed = Branch(self.world, {**{n: None for n in self.kb.input_facts}, **answers})
        spent = closed.evaluated
        for name in self.ranked_facts(seen.cone):  # values: the classes while it is open
            far = [n for n, got in seen.flips.items()
                   if max(moves(seen.verdict, v) for v in got) == furthest]
            if spent >= limit or (len(far) >= FIRST_FACTS and
                                  all(v in seen.shown for v in open_values)):
                break
            for x in self.splitter.fact_classes(base, name) or self.probe_values[name]:
                if x is None:
                    continue
                child = closed.child(fact=name, value=x)
                spent += child.evaluated
                got = self._closed_verdict(child)
                if got not in (seen.verdict, "?"):  # closed world: the engine's verdict
                    seen.flips.setdefault(name, set()).add(got)
                    seen.shown.setdefault(got, {name: x})
        seen.work["evaluations"] += spent

    def _closed_verdict(self, branch: Branch):
        """The verdict of a branch where every fact is answered: the first verdict rule that
        fires (None: none fires); "?" if one tried before it is still pending (not expected in
        a closed world: then nothing is claimed)."""
        for v in self.world.verdict_rules:
            status = branch.truth[v.id]
            if status is None:
                return "?"
            if status:
                return self.value_of[v.id]
        return None

    def ranked_facts(self, cone: dict) -> list:
        """Open facts in the cone, those feeding the most pending verdict rules first."""
        return sorted(cone, key=lambda n: (-len(cone[n][0]), -cone[n][1]))

    def run(self, completion: dict, work: dict):
        """The engine's verdict on a completion (``None`` values and open facts: unknown)."""
        work["runs"] += 1
        run = self.advisor.run({n: v for n, v in completion.items() if v is not None})
        return run.verdict[0] if run.verdict else None

    def _seeds_for(self, value, answers: dict, limit: int) -> list:
        """Up to ``limit`` seeds meant to reach ``value``, each cut to the facts the case does
        not give (laid over the case, they leave its own answers alone): rule examples first,
        the worked cases (read from their files once, when first needed) after."""
        out: list = []
        for source in (self._examples, self._worked_seeds):
            for seed in source().get(value, ()):
                extra = {n: v for n, v in seed.items() if n not in answers}
                if extra and extra not in out:
                    out.append(extra)
                if len(out) >= limit:
                    return out
        return out

    def _sample(self, rng, cone: dict) -> dict:
        """A random completion of the open facts that reach the verdict (each unknown one time
        in four, else a value that matters); the others stay unknown."""
        return {n: None if rng.random() < 0.25 else rng.choice(self.probe_values[n])
                for n in cone}

    def _examples(self) -> dict:
        if self._seeds is None:
            self._seeds = example_seeds(self.kb)
        return self._seeds

    def _worked_seeds(self) -> dict:
        if self._worked is None:
            self._worked = worked_seeds(_worked_cases(self.kb))
        return self._worked


def _worked_cases(kb: KnowledgeBase) -> list:
    """The knowledge base's worked cases (``kb.case_files``, as ``cases.Case``); a case that
    does not load is left out (``kb test`` reports it)."""
    from engine.consultation.cases import load_case
    from engine.errors import AdvisorError

    out = []
    for path in kb.case_files:
        try:
            out.append(load_case(path, kb))
        except AdvisorError:
            continue
    return out
