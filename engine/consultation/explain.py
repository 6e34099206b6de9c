"""Derivation trees: how a verdict, recommendation, finding or derived fact was reached.

Built from the trace records of a result (the same dicts ``--format json`` prints), so an
explanation can be given for a stored result too. Each node is a firing; its children are the
firings that asserted the findings and derived facts it matched; leaves are input facts with
their values. Built without recursion, so a chain of any length is explained.

Must not: run rules; print. Entry points: ``derivation(result, target)``, ``targets(result)``,
``explanation_targets(result, target)`` (what ``explain`` shows, or ``UsageError``).
"""
from __future__ import annotations

from dataclasses import dataclass, field

from engine.errors import UsageError

EXPLAINED_KINDS = ("recommendation", "finding", "derived", "mitigation")  # as trace records name


@dataclass
class Node:
    seq: int
    rule: str
    concluded: str
    sources: list
    location: str
    facts: list = field(default_factory=list)  # (name, value)
    children: list = field(default_factory=list)


def _asserted_names(firing: dict) -> list[tuple]:
    out = []
    for item in firing["asserted"]:
        kind, name = next(iter(item.items()))
        out.append((kind, name))
    return out


def targets(result: dict) -> list[str]:
    """What the case concluded: 'verdict', intervention ids, finding ids (derived facts can be
    explained too, but are not listed)."""
    out = ["verdict"] if result["verdict"]["value"] else []
    out += [r["intervention"] for r in result["recommendations"]]
    out += [f["id"] for f in result["findings"]]
    return out


def explanation_targets(result: dict, target: str | None = None) -> list[str]:
    """What ``explain`` shows: ``target``, or else the verdict and every recommended
    intervention. ``UsageError`` naming what was concluded when ``target`` was not."""
    if not target:
        return ["verdict"] + [r["intervention"] for r in result["recommendations"]]
    asserted = {name for firing in result["trace"] for kind, name in _asserted_names(firing)
                if kind in EXPLAINED_KINDS}
    if target not in targets(result) and target not in asserted:
        known = ", ".join(targets(result)) or "nothing"
        raise UsageError(f'"{target}" was not concluded in this case. It concluded: {known}.')
    return [target]


def _firings_for(result: dict, target: str) -> list[dict]:
    hits = []
    for firing in result["trace"]:
        for kind, name in _asserted_names(firing):
            if (target == "verdict" and kind == "verdict") or \
                    (kind in EXPLAINED_KINDS and name == target):
                hits.append(firing)
                break
    return hits


def derivation(result: dict, target: str) -> list[Node]:
    """Trees for every firing that concluded ``target``; empty when nothing did."""
    by_seq = {f["seq"]: f for f in result["trace"]}
    return [_tree(by_seq, f, target) for f in _firings_for(result, target)]


def _tree(by_seq: dict, firing: dict, concluded: str) -> Node:
    """The derivation tree under one firing, built with an explicit stack (no recursion), so a
    chain of thousands of derived values is explained too. A firing already on the path from
    the root is not expanded again (it cannot have derived its own premise)."""
    root = _bare(firing, concluded)
    stack = [(root, firing, frozenset({firing["seq"]}))]
    while stack:
        node, current, path = stack.pop()
        for m in current["matched"]:
            if "fact" in m:
                node.facts.append((m["fact"], m["value"]))
            elif "derived" in m or "finding" in m:
                seq = m.get("seq")
                if seq in by_seq and seq not in path:
                    child = _bare(by_seq[seq], m.get("derived") or m.get("finding"))
                    node.children.append(child)
                    stack.append((child, by_seq[seq], path | {seq}))
    return root


def _bare(firing: dict, concluded: str) -> Node:
    return Node(firing["seq"], firing["rule"], concluded, firing.get("sources", []),
                firing.get("location", ""))
