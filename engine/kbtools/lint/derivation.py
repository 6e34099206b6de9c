"""Derivation: circular derivations, rules that need each other's conclusions.

KB501 (error)
    A circular derivation: a group of rules each of which needs (positively, by name) a
    derived fact, finding or firing that only the group produces, so none of them can start.
    Break the circle. Each rule of the circle is reported once, here and not as KB304.
KB502 (error)
    A cycle through a negation: a rule needs the absence of something a rule depending on it
    produces, so the stages cannot be ordered. The loader finds it (``loader_problems``). Break
    the cycle.

A condition reading many findings through a pattern (``count(barrier()) >= 2``) does not make a
circle: only a derived fact, ``finding(id)`` or ``fired('R')`` named in a condition does.

Must not: report rules that cannot fire for other reasons (``reachability``). Entry points:
``check(ctx)``; ``circles(ctx)`` (also read by ``reachability``).
"""
from __future__ import annotations

from engine import language as c
from engine.errors import Problem
from engine.knowledge.spec import RuleSpec

from .context import Context, problem

ID = "derivation"
NAMED = ("derived", "finding", "fired")  # the keys a condition can name and so close a circle


def check(ctx: Context) -> list[Problem]:
    """KB501 for every rule on a circle, circle by circle."""
    out = []
    for group in circles(ctx):
        for rid in group:
            rule = ctx.rules[rid]
            needs = sorted(f"{key[1]}" for key in ctx.deps[rid].positive
                           if any(p in group for p in ctx.producers.get(key, ()))
                           and key[0] in NAMED)
            others = [g for g in group if g != rid] or [rid]
            out.append(problem("KB501", rule.loc,
                               f'rule "{rid}" is on a circular derivation with '
                               f"{', '.join(others)}: it needs {', '.join(needs)}, which "
                               "only that circle produces or reproduces"))
    return out


def circles(ctx: Context) -> list[list[str]]:
    """Groups of rule ids (sorted) each of which needs (positively) another's conclusion."""
    return ctx.memo("circles", lambda: _find_circles(ctx))


def _find_circles(ctx: Context) -> list[list[str]]:
    edges: dict = {r.id: set() for r in ctx.kb.rules}  # producer -> rules needing it
    for rule in ctx.kb.rules:
        for key in ctx.deps[rule.id].positive:
            if key[0] in NAMED and _names(rule, key):
                for p in ctx.producers.get(key, ()):
                    edges[p].add(rule.id)
    return [g for g in strongly_connected(edges) if len(g) > 1 or g[0] in edges[g[0]]]


def _names(rule: RuleSpec, key: tuple) -> bool:
    """The rule names the key itself (not through a pattern over many findings)."""
    for cond in rule.conditions:
        for node in c.walk(cond.node):
            if key[0] == "finding" and isinstance(node, c.FindingRef) and \
                    node.finding == key[1]:
                return True
            if key[0] == "fired" and isinstance(node, c.Fired) and node.rule == key[1]:
                return True
            if key[0] == "derived" and isinstance(node, c.Name) and node.name == key[1]:
                return True
    return False


def strongly_connected(edges: dict) -> list[list]:
    """Tarjan's algorithm, iteratively: ``edges`` node -> set of successors (every node a key);
    the strongly connected components, each sorted, in a stable order."""
    index, low, stack, on_stack, groups = {}, {}, [], set(), []

    def visit(node) -> None:
        index[node] = low[node] = len(index)
        stack.append(node)
        on_stack.add(node)

    for root in edges:
        if root in index:
            continue
        visit(root)
        work = [(root, iter(sorted(edges[root])))]
        while work:
            node, it = work[-1]
            nxt = next(it, None)
            if nxt is not None:
                if nxt not in index:
                    visit(nxt)
                    work.append((nxt, iter(sorted(edges[nxt]))))
                elif nxt in on_stack:
                    low[node] = min(low[node], index[nxt])
                continue
            work.pop()
            if work:
                low[work[-1][0]] = min(low[work[-1][0]], low[node])
            if low[node] == index[node]:
                groups.append(_pop_group(stack, on_stack, node))
    return groups


def _pop_group(stack: list, on_stack: set, node) -> list:
    """Pop the stack down to ``node``: one component, sorted."""
    group = []
    while True:
        item = stack.pop()
        on_stack.discard(item)
        group.append(item)
        if item == node:
            return sorted(group)
