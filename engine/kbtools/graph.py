"""The knowledge base as a graph: input facts -> rules -> findings and derived facts -> verdict
and recommendations, rendered as Mermaid or Graphviz dot.

Nodes are keyed ``kind:name`` (``fact:payback_months``, ``rule:TM-1``, ``finding:...``,
``derived:...``, ``verdict:unlikely``, ``intervention:STAGED``). A rule's inputs are the facts,
derived facts, findings (named, or matched by a pattern) and rules (``fired``) its conditions
read. ``focus`` keeps one node with everything upstream and downstream of it.

Must not: print or write files (returns text); evaluate rules. Entry points:
``build_graph(kb) -> Graph``, ``Graph.focus(name)``, ``to_mermaid(graph)``, ``to_dot(graph)``.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field

from engine import language as c
from engine.errors import Location, Problem, UnknownId, UsageError, did_you_mean
from engine.knowledge.dependencies import finding_ids_matching
from engine.knowledge.spec import (
    DeriveAction, FindingAction, KnowledgeBase, MitigateAction, RecommendAction, VerdictAction,
)

KINDS = ("fact", "derived", "rule", "finding", "verdict", "intervention")
MERMAID_MAX_EDGES = 500  # Mermaid draws no more unless its maxEdges setting is raised


@dataclass
class Graph:
    """Nodes keyed ``kind:name`` with their (kind, label), and directed edges between keys."""

    nodes: dict = field(default_factory=dict)  # key -> (kind, label)
    edges: set = field(default_factory=set)  # (from key, to key)

    def add(self, kind: str, name: str, label: str | None = None) -> str:
        key = f"{kind}:{name}"
        self.nodes.setdefault(key, (kind, label or name))
        return key

    def resolve(self, name: str) -> str:
        """A node key from ``kind:name`` or a bare name (rule id, fact, finding, ...)."""
        if name in self.nodes:
            return name
        matches = [k for k in self.nodes if k.split(":", 1)[1] == name]
        if len(matches) == 1:
            return matches[0]
        where = Location("--focus")
        if len(matches) > 1:
            raise UsageError([Problem(where, f'"{name}" names several nodes '
                                             f'({", ".join(sorted(matches))}): give one of them')])
        names = {k.split(":", 1)[1] for k in self.nodes}
        raise UnknownId([Problem(where, f'"{name}" is no rule, fact, finding, derived fact, '
                                        "verdict or intervention of the knowledge base"
                                        f"{did_you_mean(name, names)}")])

    def focus(self, name: str) -> Graph:
        """The node ``name`` with all its ancestors and descendants; ``UnknownId`` when
        ``name`` names no node, ``UsageError`` when it names several (both at ``--focus``)."""
        start = self.resolve(name)
        keep = {start} | _reach(start, self.edges, 0) | _reach(start, self.edges, 1)
        return Graph({k: v for k, v in self.nodes.items() if k in keep},
                     {e for e in self.edges if e[0] in keep and e[1] in keep})


def _reach(start: str, edges: set, direction: int) -> set:
    nxt: dict = {}
    for e in edges:
        nxt.setdefault(e[direction], []).append(e[1 - direction])
    seen, todo = set(), [start]
    while todo:
        for n in nxt.get(todo.pop(), ()):
            if n not in seen:
                seen.add(n)
                todo.append(n)
    return seen


def build_graph(kb: KnowledgeBase) -> Graph:
    """Every rule with what its conditions read and what it concludes."""
    g = Graph()
    for rule in kb.rules:
        r = g.add("rule", rule.id)
        for cond in rule.conditions:
            for node in c.walk(cond.node):
                for src in _inputs(node, kb, g):
                    g.edges.add((src, r))
        for a in rule.actions:
            if isinstance(a, FindingAction):
                g.edges.add((r, g.add("finding", a.id, f"{a.id} ({a.kind})")))
            elif isinstance(a, DeriveAction):
                g.edges.add((r, g.add("derived", a.name)))
                for name in c.names_in(a.value):
                    if name in kb.facts:
                        g.edges.add((_fact_node(g, kb, name), r))
            elif isinstance(a, VerdictAction):
                g.edges.add((r, g.add("verdict", a.value)))
            elif isinstance(a, RecommendAction):
                g.edges.add((r, g.add("intervention", a.intervention)))
            elif isinstance(a, MitigateAction):
                g.edges.add((r, g.add("intervention", a.by)))
    return g


def _fact_node(g: Graph, kb: KnowledgeBase, name: str) -> str:
    return g.add("derived" if kb.facts[name].derived else "fact", name)


def _inputs(node, kb: KnowledgeBase, g: Graph) -> list:
    if isinstance(node, c.Name) and node.name in kb.facts:
        return [_fact_node(g, kb, node.name)]
    if isinstance(node, c.FindingRef):
        return [g.add("finding", node.finding)]
    if isinstance(node, c.FindingPattern):
        return [g.add("finding", fid) for fid in sorted(finding_ids_matching(
            node, kb.finding_specs))]
    if isinstance(node, c.Fired):
        return [g.add("rule", node.rule)]
    return []


# ---------------------------------------------------------------- renderings

MERMAID_SHAPES = {"fact": '(["{}"])', "derived": '[/"{}"/]', "rule": '["{}"]',
                  "finding": '{{{{"{}"}}}}', "verdict": '(("{}"))', "intervention": '>"{}"]'}
DOT_SHAPES = {"fact": "ellipse", "derived": "parallelogram", "rule": "box", "finding": "hexagon",
              "verdict": "doublecircle", "intervention": "cds"}


def _mermaid_id(key: str, used: dict) -> str:
    """A Mermaid node id: letters, digits and underscores only, unique per key."""
    base = re.sub(r"[^A-Za-z0-9_]", "_", key)
    ident, n = base, 2
    while used.get(ident, key) != key:
        ident, n = f"{base}_{n}", n + 1
    used[ident] = key
    return ident


def _mermaid_label(label: str) -> str:
    return label.replace('"', "#quot;").replace("<", "#lt;").replace(">", "#gt;")


def to_mermaid(g: Graph) -> str:
    """A Mermaid ``flowchart LR``, nodes shaped and coloured by kind, in a stable order (more
    than ``MERMAID_MAX_EDGES`` edges need Mermaid's maxEdges setting raised)."""
    used: dict = {}
    ids = {key: _mermaid_id(key, used) for key in sorted(g.nodes)}
    lines = ["flowchart LR"]
    for key in sorted(g.nodes, key=_order):
        kind, label = g.nodes[key]
        lines.append(f"  {ids[key]}" + MERMAID_SHAPES[kind].format(_mermaid_label(label)))
    for a, b in sorted(g.edges, key=lambda e: (_order(e[0]), _order(e[1]))):
        lines.append(f"  {ids[a]} --> {ids[b]}")
    for kind in KINDS:
        members = [ids[k] for k in sorted(g.nodes) if g.nodes[k][0] == kind]
        if members:
            lines.append(f"  class {','.join(members)} {kind}")
    lines += ["  classDef fact fill:#eef6ff,stroke:#4a7ab5",
              "  classDef derived fill:#f3eefc,stroke:#7a5ab5",
              "  classDef rule fill:#ffffff,stroke:#555555",
              "  classDef finding fill:#fff6e0,stroke:#b58a2a",
              "  classDef verdict fill:#e6f5e6,stroke:#3a8a3a",
              "  classDef intervention fill:#e8f7f7,stroke:#2a8a8a"]
    return "\n".join(lines) + "\n"


def _dot_quote(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"').replace("\n", " ") + '"'


def to_dot(g: Graph) -> str:
    """A Graphviz ``digraph``, nodes shaped by kind, in a stable order."""
    lines = ["digraph knowledge_base {", "  rankdir=LR;", '  node [fontname="Helvetica"];']
    for key in sorted(g.nodes, key=_order):
        kind, label = g.nodes[key]
        lines.append(f"  {_dot_quote(key)} [label={_dot_quote(label)}, "
                     f"shape={DOT_SHAPES[kind]}];")
    for a, b in sorted(g.edges, key=lambda e: (_order(e[0]), _order(e[1]))):
        lines.append(f"  {_dot_quote(a)} -> {_dot_quote(b)};")
    lines.append("}")
    return "\n".join(lines) + "\n"


def _order(key: str) -> tuple:
    kind, name = key.split(":", 1)
    return (KINDS.index(kind), name)
