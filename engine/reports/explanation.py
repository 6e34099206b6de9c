"""How a conclusion was reached, as indented text: ``mse-advisor explain CASE [TARGET]``.

``render_explanation(result, kb, target) -> str`` prints the derivation trees that
``engine.consultation.explain.derivation`` builds from a result's trace: each firing with its
rule's description and sources, the input facts it matched, and below it, indented, the
firings that concluded what it matched.

Must not: run rules or import ``engine.inference`` (the trees come from the result dict, so a
stored result can be explained too); print.
"""
from __future__ import annotations

from engine.consultation.explain import Node, derivation
from engine.knowledge.spec import KnowledgeBase
from engine.reports.content import fact_text


def render_explanation(result: dict, kb: KnowledgeBase, target: str) -> str:
    """Every derivation of ``target`` ("verdict", an intervention or finding id, a derived
    fact) as indented lines ending with a newline; one line saying so when none concluded it."""
    trees = derivation(result, target)
    if not trees:
        return f"Nothing in this consultation concluded {target}.\n"
    out: list[str] = []
    for tree in trees:
        _tree_lines(tree, kb, out, 0)
    return "\n".join(out) + "\n"


def _tree_lines(node: Node, kb: KnowledgeBase, out: list[str], depth: int) -> None:
    pad = "  " * depth
    out.append(f"{pad}{node.concluded}  <= rule {node.rule} (#{node.seq}, {node.location})")
    rule = next((r for r in kb.rules if r.id == node.rule), None)
    if rule is not None:
        out.append(f"{pad}   {rule.description}")
    if node.sources:
        out.append(f"{pad}   sources: {', '.join(node.sources)}")
    for name, value in node.facts:
        out.append(f"{pad}   fact {name} = {fact_text(value)}")
    for child in node.children:
        _tree_lines(child, kb, out, depth + 1)
