"""What one consultation concludes, as records kept in firing order: findings (with the
mitigations found for them) and recommendations. The session writes them; the result, why-not
and the reports read them. Must not: run rules or render text.
"""
from __future__ import annotations

from dataclasses import dataclass, field

from engine.knowledge.policy import counts_as_mitigated

UNASSESSED = "unassessed"  # ``FindingRecord.assessed`` before the built-in assessment ran


@dataclass
class FindingRecord:
    id: str
    kind: str
    factor: str
    severity: str | None
    mitigable_by_nature: bool
    text: str
    rule: str
    sources: tuple
    seq: int
    mitigations: list = field(default_factory=list)  # (intervention, text, rule, seq)
    assessed: object = UNASSESSED  # True, False or None (unknown), once assessed
    undecided: tuple = ()  # rule ids of the mitigations whose facts are unknown

    @property
    def mitigable(self) -> bool | None:
        """Whether the barrier counts as mitigated in this case, three-valued
        (``policy.counts_as_mitigated``): the built-in assessment's answer once it ran, else
        whether it is mitigable by nature or a mitigation was found."""
        if self.assessed != UNASSESSED:
            return self.assessed
        return counts_as_mitigated(self.mitigable_by_nature, (True for _ in self.mitigations),
                                   self.severity)


@dataclass
class RecommendationRecord:
    intervention: str
    text: str
    addresses: tuple
    rule: str
    sources: tuple
    seq: int
    fact: str | None = None
