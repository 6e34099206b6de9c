"""What the interview asks first, and when it has asked enough: question order by what an answer
can still change, and the stop when the verdict is settled or the budget is spent.

After every answer the verdicts still possible are explored (``possible.VerdictOutlook``, the
same search as a consultation's confidence, ``docs/confidence.md``) with every answered fact
fixed (``None``: answered "don't know", not asked again) and every unasked fact open. Then:

- **stop** when the verdict is settled (one possible value) and no pending rule could still
  find a blocking or significant barrier (``stopped = "settled"``), or when ``budget`` questions
  have been asked (``"budget"``); ``"exhausted"`` is for the interview to say (nothing relevant
  is left);
- **order**, in tiers: the framing facts (``FactSpec.frame``) first; then the facts that can
  still change the verdict (the outlook's cone); then those that can add or mitigate a barrier;
  then the rest (recommendations, texts, telling neutral from not assessed). Within the verdict
  tier a gate question (``FactSpec.closes``) that can still close its topic comes first, then
  each fact by its *score*: every pending rule on the way to a pending verdict rule gives each
  unasked fact it reads one share of 1/(its unasked facts), so a fact that alone settles a rule
  scores 1 for it (the prototype of issue 13: the facts nearest to deciding the verdict first).
  A rule that only mitigates a barrier gives nothing until that barrier is found for sure (a
  remedy's facts are asked once its barrier is found). Ties: vocabulary order.

Must not: print, prompt, touch files, or decide the wording. Entry point:
``Priorities(interview).plan() -> Plan``.
"""
from __future__ import annotations

from dataclasses import dataclass

from engine.consultation.possible import Outlook, VerdictOutlook, moves
from engine.knowledge.spec import FindingAction, MitigateAction

# JUDGMENT (issue 13): a first visit's questions. Consultation tools officers know ask 10 to 25,
# most important first; with an owner waiting and twenty minutes, about one a minute.
FIRST_VISIT_QUESTIONS = 20
SERIOUS = ("blocking", "significant")  # a barrier of these counts for the verdict (brief 4.6)
TIERS = ("frame", "verdict", "barrier", "detail")  # what an answer can change, most first


@dataclass(frozen=True)
class Plan:
    """The order of the questions still relevant, and whether to stop now.

    ``order``: unasked fact names, most useful first; ``tier``: fact -> one of ``TIERS``;
    ``stopped``: ``"settled"``, ``"budget"`` or None (go on); ``outlook``: the exploration."""

    order: tuple
    tier: dict
    stopped: str | None
    outlook: Outlook


class Priorities:
    """Orders an interview's relevant questions (``interview.needs()``) and decides the stop."""

    def __init__(self, interview):
        self.interview = interview
        self.kb = interview.kb
        self.explorer = VerdictOutlook.of(self.kb, interview.advisor)
        self.world = self.explorer.world
        self.mitigates = {rid: [a.finding for a in r.actions if isinstance(a, MitigateAction)]
                          for rid, r in self.world.rules.items()}
        self.serious = {rid for rid, r in self.world.rules.items()
                        if any(isinstance(a, FindingAction) and a.kind == "barrier" and
                               a.severity in SERIOUS for a in r.actions)}

    def plan(self) -> Plan:
        interview = self.interview
        answers = dict(interview.answers)
        run = interview.run()
        verdict = run.verdict[0] if run.verdict else None
        seen = self.explorer.explore(answers, verdict)
        truths = seen.truths
        needs = interview.needs()
        serious_open = any(truths.get(rid) is None for rid in self.serious)
        if not needs:
            stopped = None  # nothing left to ask: the interview says "exhausted"
        elif interview.settle_stop and len(seen.possible) <= 1 and not serious_open:
            stopped = "settled"
        elif interview.count() >= interview.budget:
            stopped = "budget"
        else:
            stopped = None
        score = self._scores(seen, answers)
        tier = {name: self._tier(name, seen, needs, score) for name in needs}
        for name in needs:  # what a question refers to is asked as early as that question
            for other in self.interview.before(name):
                if other in needs:
                    score[other] = max(score.get(other, 0.0), score.get(name, 0.0))
                    tier[other] = min(tier[other], tier[name], key=TIERS.index)
        gates = {n for n in needs if interview.inputs[n].closes}
        far = {n: max((moves(verdict, v) for v in seen.flips.get(n, ())), default=0)
               for n in needs}
        for gate in gates:  # a gate ranks with the most useful fact it closes
            closed = [n for n, _ in interview.inputs[gate].closes if n in needs]
            tier[gate] = min((tier[n] for n in closed), key=TIERS.index, default=tier[gate])
            far[gate] = max((far[n] for n in closed), default=0)
        position = interview.position
        order = sorted(needs, key=lambda n: (TIERS.index(tier[n]), -far[n], n not in gates,
                                             -score.get(n, 0.0), position[n]))
        return Plan(tuple(order), tier, stopped, seen)

    def _tier(self, name: str, seen: Outlook, needs: dict, score: dict) -> str:
        if self.interview.inputs[name].frame:
            return "frame"
        if name in seen.cone and (score.get(name, 0.0) > 0 or self.interview.inputs[name].closes):
            return "verdict"
        rules = needs.get(name, {})
        if any(rid in self.serious or self.mitigates[rid] for rid in rules):
            return "barrier"
        return "detail"

    def _scores(self, seen: Outlook, answers: dict) -> dict:
        """Fact -> its share of the pending rules on the way to the pending verdict rules."""
        truths = seen.truths
        found = {fid for fid, producers in self.world.producers.items()
                 if any(truths.get(rid) is True for rid, _ in producers)}
        on_the_way: set = set()
        for v in self.world.verdict_rules:
            if truths[v.id] is None:
                on_the_way |= self.explorer.reach(v.id, truths, with_rules=True)[1]
        score: dict = {}
        for rid in on_the_way:
            rule = self.world.rules[rid]
            if self.mitigates[rid] and not rule.findings() and \
                    not any(f in found for f in self.mitigates[rid]):
                continue  # a remedy's facts wait until its barrier is found
            unasked = [n for n in self.world.inputs_needed(rid, truths) if n not in answers]
            for name in unasked:
                score[name] = score.get(name, 0.0) + 1 / len(unasked)
        return score
