"""The explanation trace: one structured ``Firing`` per rule firing, nothing else.

The tracer records; renderers (text, Markdown, JSON, HTML) and ``explain`` read these records.
A ``Matched`` entry names an input fact with its value, or a derived fact or finding with the
``seq`` of the firing that asserted it, so every conclusion can be followed to input facts.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class Matched:
    kind: str  # fact | derived | finding | mitigation
    name: str
    value: Any
    seq: int | None  # the firing that asserted it (derived facts and findings)

    def to_dict(self) -> dict:
        if self.kind == "fact":
            return {"fact": self.name, "value": _plain(self.value)}
        if self.kind == "derived":
            return {"derived": self.name, "value": _plain(self.value), "seq": self.seq}
        if self.kind == "mitigation":
            return {"mitigation": self.name, "by": self.value}
        return {"finding": self.name, "seq": self.seq}


@dataclass(frozen=True)
class Asserted:
    kind: str  # finding | recommendation | mitigation | derived | verdict | assessment
    name: str
    value: Any
    text: str

    def to_dict(self) -> dict:
        out = {self.kind: self.name}
        if self.kind in ("derived", "mitigation", "assessment") or \
                (self.kind == "finding" and self.value):
            out["value" if self.kind != "finding" else "kind"] = _plain(self.value)
        return out


@dataclass(frozen=True)
class Firing:
    seq: int
    rule: str
    matched: tuple  # Matched
    asserted: tuple  # Asserted
    sources: tuple
    location: str  # file:line:col of the rule
    explanation: str = ""

    def to_dict(self) -> dict:
        return {"seq": self.seq, "rule": self.rule,
                "matched": [m.to_dict() for m in self.matched],
                "asserted": [a.to_dict() for a in self.asserted],
                "sources": list(self.sources), "location": self.location}


def _plain(value):
    if isinstance(value, tuple):
        return list(value)
    return value
