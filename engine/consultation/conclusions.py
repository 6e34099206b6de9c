"""What a rule concludes, in short phrases, for the interview's ``why`` and ``explain --why-not``
with ``--technical``: "barrier x (time, significant)", "recommends STAGED", "verdict unlikely".

Must not: print or evaluate anything. Entry point: ``conclusions(rule, kb)``.
"""
from __future__ import annotations

from engine.knowledge.spec import (
    DeriveAction, FindingAction, KnowledgeBase, MitigateAction, RecommendAction, VerdictAction,
)


def conclusions(rule, kb: KnowledgeBase) -> tuple:
    """What a rule concludes, in short phrases."""
    out = []
    for a in rule.actions:
        if isinstance(a, FindingAction):
            detail = ", ".join(x for x in (a.factor, a.severity) if x)
            out.append(f"{a.kind} {a.id} ({detail})")
        elif isinstance(a, RecommendAction):
            out.append(f"recommends {a.intervention}")
        elif isinstance(a, MitigateAction):
            out.append(f"{a.by} mitigates {a.finding}")
        elif isinstance(a, DeriveAction):
            out.append(f"derives {a.name}")
        elif isinstance(a, VerdictAction):
            out.append(f"verdict {a.value}")
    return tuple(out)
