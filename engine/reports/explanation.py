"""How a conclusion was reached, as indented text: ``mse-advisor explain CASE [TARGET]``.

``render_explanation(result, kb, target) -> str`` prints the derivation trees that
``engine.consultation.explain.derivation`` builds from a result's trace: each firing with its
rule's description and sources, the input facts it matched, and below it, indented, the
firings that concluded what it matched.

``render_plain_explanation(result, kb, target) -> (heading, text)`` says the same in plain
words for the officer (the default of ``explain``): the conclusion, what it rests on (the
findings, with the case's values) and what was recorded that led to it (each fact's meaning
and value); no rule ids, fact names or file positions. Within 80 columns.

Must not: run rules or import ``engine.inference`` (the trees come from the result dict, so a
stored result can be explained too); print.
"""
from __future__ import annotations

from engine.consultation.explain import Node, derivation
from engine.knowledge.spec import KnowledgeBase
from engine.translation.catalogue import N_
from engine.reports.content import VERDICT_WORDS, fact_text, value_words, with_unit
from engine.reports.plain import advice_label
from engine.reports.text import wrap

PLAIN = {"rests_on": N_("It rests on:"), "recorded": N_("From what was recorded:"),
         "advised": N_("Advised because:"), "verdict": N_("The verdict"),
         "none": N_("(nothing recorded)")}


def render_plain_explanation(result: dict, kb: KnowledgeBase, target: str) -> tuple[str, str]:
    """(heading, text) of how ``target`` follows from the case, in plain words."""
    said = {key: kb.language.gettext(text) for key, text in PLAIN.items()}
    trees = derivation(result, target)
    findings = {f["id"]: f for f in result["findings"]}
    recs = {r["intervention"]: r for r in result["recommendations"]}
    lines: list[str] = []
    if target == "verdict":
        heading = said["verdict"]
        v = result["verdict"]
        lines += wrap(kb.language.gettext(VERDICT_WORDS[v["value"]]) if v["value"] in VERDICT_WORDS
                      else str(v["value"]))
        lines += wrap(v.get("text") or "")
        ids = v.get("because", [])
    elif target in recs:
        heading = advice_label(kb, target)
        lines += wrap(recs[target]["text"])
        ids, lines = recs[target]["addresses"], lines + ["", said["advised"]]
    elif target in findings:
        heading = findings[target]["text"]
        ids = []
    else:  # a derived fact: said by its meaning
        spec = kb.facts.get(target)
        heading = spec.meaning if spec and spec.meaning else target.replace("_", " ")
        ids = []
    texts = [findings[i]["text"] for i in ids if i in findings]
    if texts and target == "verdict":
        lines += ["", said["rests_on"]]
    lines += [w for t in texts for w in wrap(t, "  - ")]
    facts = _leaves(trees)
    lines += ["", said["recorded"]]
    lines += [w for name, value in facts for w in wrap(_fact_words(kb, name, value), "  - ")] \
        or ["  " + said["none"]]
    return heading, "\n".join(lines) + "\n"


def _leaves(trees: list[Node]) -> list[tuple]:
    """The input facts under the trees, each once, in the order met."""
    out: dict = {}
    pending = list(trees)
    while pending:
        node = pending.pop(0)
        for name, value in node.facts:
            out.setdefault(name, value)
        pending += node.children
    return list(out.items())


def _fact_words(kb: KnowledgeBase, name: str, value) -> str:
    spec = kb.facts.get(name)
    if spec is None:
        return f"{name.replace('_', ' ')}: {fact_text(value)}"
    said = with_unit(spec, value_words(kb, spec, value), kb.language.is_source)
    return f"{spec.meaning or spec.question}: {said}"

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
