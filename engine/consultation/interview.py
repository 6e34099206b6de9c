"""The adaptive interview: which question to ask next, given the answers so far.

After every answer every rule is evaluated in an open world (``openworld``): it fires for sure,
cannot fire, or is pending. A question is relevant when a pending rule reads its fact (directly
or through a derived fact), a rule that can still fire prints it, it can still tell neutral from
not assessed (``ASSESS``), a relevant question presupposes it, or it is a gate (``closes``) of
a relevant fact. It is asked only after the facts it presupposes (a ratio asked as money, after
its two amounts, which then give it); a gate's "no" settles the facts it closes. With a budget
(the officer's interview) ``priorities`` orders the questions and stops; without one (the whole
interview, for checks) they come grouped by factor, ``opportunity`` first, the fact deciding the
most pending rules first. Typed text is read by ``answers``, questions worded by ``wording``.

Must not: print, prompt or touch files (``dialogue`` holds the conversation, ``casefile`` saves).
Entry point: ``Interview(advisor, known, unknown, budget, asked_before, direct)`` then
``next_question()`` (None when it stops: ``stopped`` says why), ``answer(name, value)``,
``back()``, ``skip_group(group)``, ``why(name)``, ``count()``, ``about()``, ``later()``,
``run()``; ``replay.simulate`` plays it from a case's facts.
"""
from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from engine import language as c
from engine.consultation.conclusions import conclusions
from engine.consultation.openworld import OpenWorld
from engine.knowledge.interviewing import ratio_of
from engine.knowledge.spec import FACTOR_IDS, FactSpec, KnowledgeBase

GROUP_ORDER = ("opportunity",) + FACTOR_IDS
TEXT = "(text)"  # "via" of a fact a rule needs only to print it
ASSESS = "(assess)"  # "via" of a fact that can only settle whether a factor can be assessed


@dataclass(frozen=True)
class Question:
    """One question to ask: the input fact, its group (a factor id or "opportunity"), and the
    pending rules that need it."""

    fact: FactSpec
    group: str
    rules: tuple  # ids of the pending rules that need this fact

    @property
    def name(self) -> str:
        return self.fact.name

    @property
    def choices(self) -> tuple:
        return tuple(self.fact.values) if self.fact.type in ("enum", "list[enum]") else ()


@dataclass(frozen=True)
class RuleNeed:
    """A pending rule that needs a fact, and what it could conclude."""

    rule: str
    description: str
    via: str | None  # the derived fact through which it needs it
    concludes: tuple  # plain phrases: "barrier x (time, significant)", "recommends STAGED"
    when: tuple  # its conditions as written


class Interview:
    """The answers so far and what to ask next. ``None`` as an answer means "unknown"."""

    def __init__(self, advisor, known: Mapping[str, Any] | None = None, unknown=(),
                 budget: int | None = None, asked_before: int = 0, direct=()):
        self.advisor = advisor
        self.kb: KnowledgeBase = advisor.kb
        self.world = OpenWorld(self.kb)
        self.inputs = inputs = self.kb.input_facts
        self.answers: dict[str, Any] = {n: v for n, v in (known or {}).items() if n in inputs}
        for name in unknown:
            if name in inputs:
                self.answers.setdefault(name, None)
        self.events: list[tuple] = []  # ("answer", name, closed) or ("skip", group, names)
        self.position = {name: i for i, name in enumerate(inputs)}
        self.budget = budget  # None: ask until nothing relevant is left (no stop by itself)
        self.asked_before = asked_before  # questions of earlier sessions (--resume)
        self.stopped: str | None = None  # "settled", "budget" or "exhausted", once stopped
        self.settle_stop = True  # stop once the verdict is settled (off: details asked too)
        self.direct = frozenset(direct)  # ratios asked as such, not as two amounts
        self._cache: tuple | None = None
        self._plan = None

    # ----------------------------------------------------------- what is pending

    def _state(self) -> tuple:
        if self._cache is None:
            truth, sets = self.world.evaluate(self.answers)
            needs: dict[str, dict] = {}
            for rid, t in truth.items():
                if t is None:
                    for name, via in self.world.inputs_needed(rid, truth).items():
                        if name not in self.answers:
                            needs.setdefault(name, {})[rid] = via
                if t is not False:  # what its texts print, so the advice reads in full
                    for name in self.world.text_reads[rid] - set(self.answers):
                        needs.setdefault(name, {}).setdefault(rid, TEXT)
            for rid in self._may_assess(truth, sets):
                for name in self.world.inputs_needed(rid, truth):
                    if name not in self.answers:
                        needs.setdefault(name, {}).setdefault(rid, ASSESS)
            for name in list(needs):  # what a question refers to is asked before it
                for other in self.before(name):
                    if other not in self.answers:
                        for rid in needs[name]:
                            needs.setdefault(other, {}).setdefault(rid, name)
            for name, fact in self.inputs.items():  # a gate matters while its topic does
                if fact.closes and name not in self.answers:
                    for other, _ in fact.closes:
                        for rid, via in needs.get(other, {}).items():
                            needs.setdefault(name, {}).setdefault(rid, via or other)
            self._cache = (truth, needs)
        return self._cache

    def _may_assess(self, truth: dict, sets: dict) -> list:
        """Rules that cannot fire but may still come out false rather than unknown, for
        factors nothing has assessed yet: that decides "neutral" against "unknown"."""
        out = []
        for rids in self.world.factor_rules.values():
            if any(None not in sets[r] for r in rids):
                continue  # some rule of this factor is settled true or false: assessed
            out += [r for r in rids if truth[r] is False and len(sets[r]) > 1]
        return out

    def truths(self) -> dict:
        return self._state()[0]

    def needs(self) -> dict:
        """Unasked fact -> {pending rule id: derived fact it is read through, or None}."""
        return self._state()[1]

    def decides(self, name: str) -> int:
        """How many pending rules a fact could decide (not counting texts that print it)."""
        return sum(1 for via in self.needs().get(name, {}).values() if via not in (TEXT, ASSESS))

    def _rank(self, name: str) -> tuple:
        needs = self.needs()[name].values()
        return (-self.decides(name), -sum(1 for via in needs if via == ASSESS),
                self.position[name])

    def remaining(self) -> int:
        """How many questions are relevant now (the count shrinks or grows with answers)."""
        return len(self.needs())

    def count(self) -> int:
        """Questions asked so far, this session and the sessions it resumes."""
        return self.asked_before + self.answered()

    def about(self) -> int:
        """An honest estimate of the questions in all: those asked, and those that can still
        change the verdict or add a barrier, within the budget."""
        plan = self.plan()
        if plan is None:
            return self.count() + self.remaining()
        left = sum(1 for n in plan.order if plan.tier[n] != "detail")
        if self.budget is not None:
            left = min(left, max(self.budget - self.count(), 0))
        return self.count() + max(left, 1)

    def plan(self):
        """The order of the questions and the stop (``priorities.Plan``), or None without a
        budget (the whole interview, in the order of groups)."""
        if self.budget is None:
            return None
        if self._plan is None:
            from engine.consultation.priorities import Priorities

            self._plan = Priorities(self).plan()
        return self._plan

    def before(self, name: str) -> tuple:
        """The facts asked before ``name``: those it presupposes and, for a ratio asked as
        money (``FactSpec.amounts``), its two amounts."""
        fact = self.inputs[name]
        money = fact.amounts[:2] if fact.amounts and name not in self.direct else ()
        return fact.presupposes + money

    def ready(self, name: str) -> bool:
        """Whether every fact asked before ``name`` (``before``) was asked."""
        return all(p in self.answers for p in self.before(name))

    def groups(self) -> list[str]:
        present = {f.factor for f in self.inputs.values()}
        return [g for g in GROUP_ORDER if g in present] + sorted(present - set(GROUP_ORDER))

    def question_for(self, name: str) -> Question:
        fact = self.inputs[name]
        return Question(fact, fact.factor, tuple(self.needs().get(name, {})))

    def next_question(self) -> Question | None:
        """The most useful relevant question, or None when the interview stops (``stopped``
        says why). With a budget, in the order of ``priorities`` and stopping by itself; else
        the first group that still has one, the fact deciding the most pending rules first."""
        self.stopped = None
        plan = self.plan()
        if plan is not None:
            self.stopped = plan.stopped
            ready = [n for n in plan.order if self.ready(n)] if not self.stopped else []
            if ready:
                return self.question_for(ready[0])
            self.stopped = self.stopped or "exhausted"
            return None
        needs = self.needs()
        for group in self.groups():
            names = [n for n in needs if self.inputs[n].factor == group and self.ready(n)]
            if names:
                best = min(names, key=self._rank)
                return self.question_for(best)
        self.stopped = "exhausted"
        return None

    def later(self) -> list[str]:
        """The questions still relevant when the interview stopped: "ask at the next visit"."""
        plan = self.plan()
        return list(plan.order) if plan is not None else list(self.needs())

    # ----------------------------------------------------------- changing the answers

    def answer(self, name: str, value) -> None:
        if name not in self.inputs:
            raise KeyError(name)
        self.answers[name] = value
        closed = []
        if value is False:  # a gate's "no" settles its topic
            for other, settled in self.inputs[name].closes:
                if other not in self.answers:
                    self.answers[other] = settled
                    closed.append(other)
        for ratio, fact in self.inputs.items():  # two amounts known: the ratio follows
            if name in fact.amounts[:2] and ratio not in self.answers:
                amount, per = (self.answers.get(n, ...) for n in fact.amounts[:2])
                if ... not in (amount, per) and ratio_of(fact, amount, per) is not None:
                    self.answers[ratio] = ratio_of(fact, amount, per)
                    closed.append(ratio)
        self.events.append(("answer", name, tuple(closed)))
        self._changed()

    def _changed(self) -> None:
        self._cache = self._plan = None

    def skip_group(self, group: str) -> list[str]:
        """Answer "unknown" to every fact of ``group`` not asked yet; return their names."""
        names = [n for n, f in self.inputs.items()
                 if f.factor == group and n not in self.answers]
        for name in names:
            self.answers[name] = None
        self.events.append(("skip", group, tuple(names)))
        self._changed()
        return names

    def last_answer(self) -> tuple | None:
        """(fact, value) of the last answer of this session, or None."""
        for event in reversed(self.events):
            if event[0] == "answer":
                return event[1], self.answers.get(event[1])
            return None
        return None

    def answered(self) -> int:
        """How many questions were answered in this session."""
        return sum(1 for e in self.events if e[0] == "answer")

    def back(self) -> Question | None:
        """Undo the last answer (or skip) of this session; the question to ask again."""
        if not self.events:
            return None
        event = self.events.pop()
        self._changed()
        if event[0] == "answer":
            for name in (event[1],) + event[2]:
                self.answers.pop(name, None)
            return self.question_for(event[1])
        for name in event[2]:
            self.answers.pop(name, None)
        return self.next_question()

    # ----------------------------------------------------------- explaining and concluding

    def why(self, name: str) -> list[RuleNeed]:
        """The pending rules that need ``name`` and what each could conclude."""
        out = []
        for rid, via in self.needs().get(name, {}).items():
            rule = self.world.rules[rid]
            when = tuple(f"({cond.source})" if isinstance(cond.node, c.Or) else cond.source
                         for cond in rule.conditions)
            out.append(RuleNeed(rid, rule.description, via, conclusions(rule, self.kb), when))
        return sorted(out, key=lambda n: self.kb.rules.index(self.world.rules[n.rule]))

    def known_facts(self) -> dict:
        return {n: v for n, v in self.answers.items() if v is not None}

    def run(self):
        """The engine's run on what is known (``engine.inference.runner.Run``)."""
        return self.advisor.run(self.known_facts())
