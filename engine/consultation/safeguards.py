"""Do no harm: advice the knowledge base itself forbids in this case is withheld, and said so.

Each intervention may carry ``never`` pairs in ``interventions.yaml`` (``knowledge.catalogue``):
never advise it when a condition holds - credit for a market that ends with a project, for a
buyer known not to exist ... A pair applies only when its condition is definitely true on the
case (Kleene: an unknown never makes it hold, so an unknown buyer suppresses nothing). The
recommendation is then taken out of the advice and shown in its place with the pair's honest
text ("do not borrow until ..."), its reason and sources.

Must not: run rules, print, or change the run. Entry point:
``apply_safeguards(kb, run, recommendations) -> (recommendations kept, withheld)``.
"""
from __future__ import annotations

from engine.inference.runner import Run
from engine.knowledge.spec import KnowledgeBase
from engine.knowledge.words import resolve
from engine.language import kleene, templates


def apply_safeguards(kb: KnowledgeBase, run: Run, recommendations: list) -> tuple[list, list]:
    """``recommendations`` (the merged entries of ``result``) without those a ``never`` pair
    forbids here, and one ``withheld`` entry per forbidden intervention that was advised:
    ``{intervention, text, because, never, sources, rules}``."""
    advised = {r["intervention"]: r for r in recommendations}
    forbidden = [n for iid in advised if iid in kb.interventions
                 for n in kb.interventions[iid].never]
    if not forbidden:
        return recommendations, []
    state = _state(kb, run)
    withheld: dict = {}
    for never in forbidden:
        if never.intervention in withheld or not kleene.holds(never.condition.node, state):
            continue
        withheld[never.intervention] = {
            "intervention": never.intervention, "text": templates.render(never.instead, state),
            "because": never.reason, "never": never.id, "sources": list(never.sources),
            "rules": list(advised[never.intervention].get("rules", []))}
    kept = [r for r in recommendations if r["intervention"] not in withheld]
    return kept, list(withheld.values())


def _state(kb: KnowledgeBase, run: Run) -> kleene.State:
    """The final state with the parameters and words a condition or text may read."""
    state = run.state(kb.parameter_values)
    state.values.update(resolve(kb.words, run.facts))
    return state
