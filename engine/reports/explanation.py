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

MAX_INDENT = 30  # levels indented; a deeper step shows its depth instead, so lines stay short


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


def _tree_lines(tree: Node, kb: KnowledgeBase, out: list[str], depth: int) -> None:
    """The tree as indented lines, depth first, children in order; an explicit stack (no
    recursion), so a chain of thousands of steps prints too."""
    rules = {r.id: r for r in kb.rules}
    stack = [(tree, depth)]
    while stack:
        node, level = stack.pop()
        pad = "  " * min(level, MAX_INDENT) + (f"[{level}] " if level > MAX_INDENT else "")
        out.append(f"{pad}{node.concluded}  <= rule {node.rule} (#{node.seq}, {node.location})")
        rule = rules.get(node.rule)
        if rule is not None:
            out.append(f"{pad}   {rule.description}")
        if node.sources:
            out.append(f"{pad}   sources: {', '.join(node.sources)}")
        for name, value in node.facts:
            out.append(f"{pad}   fact {name} = {fact_text(value)}")
        stack.extend((child, level + 1) for child in reversed(node.children))
