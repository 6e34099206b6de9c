"""``kb table``: rules as a decision table, the view DMN users work in.

One row per rule, in the order the rules take effect (``kb.order``); one column per thing the
conditions test (a fact, a finding, a pattern of findings, a rule having fired), the cell saying
what the rule asks of it ("> 12", "known", "yes", "none"; "-" when the rule does not test it);
then the conclusion. The hit policy is stated in the top-left cell, as DMN does:

- ``verdict``: **F** (first). The verdict rules are tried from the top; the first whose
  conditions all hold concludes the verdict, and no other verdict rule fires (``policy``).
- a factor (``time``, ``social.gender`` ...): **C** (collect). Every rule of the factor whose
  conditions hold fires, in this order; all their findings are kept, and the factor's status
  follows from them (a barrier, the worst severity first; else an enabler; else neutral).

Must not: restate the rule order (``kb.order`` gives it); evaluate rules; print. Entry points:
``decision_table(kb, which) -> DecisionTable``, ``to_markdown(table)``, ``to_csv(table)``.
"""
from __future__ import annotations

import csv
import io
from dataclasses import dataclass

from engine import language as c
from engine.errors import UsageError, did_you_mean
from engine.knowledge.spec import (
    FACTOR_IDS, DeriveAction, FindingAction, KnowledgeBase, MitigateAction, RecommendAction,
    VerdictAction,
)

POLICIES = {
    "first": ("F", "first: the rules are tried from the top, and the first whose conditions all "
                   "hold concludes the verdict; every verdict rule also needs that no verdict is "
                   "concluded yet"),
    "collect": ("C", "collect: every rule whose conditions all hold fires, in this order, and "
                     "all its findings are kept; the factor is a barrier if any barrier holds "
                     "(the worst severity counts), else an enabler if any enabler holds, else "
                     "neutral or unknown"),
}
COMPARISONS = ("==", "!=", "<", "<=", ">", ">=", "in", "not_in", "contains")


@dataclass(frozen=True)
class DecisionTable:
    """Rules as rows: ``inputs`` are the column headers of the conditions, ``outputs`` those of
    the conclusions; each row is ``(rule id, input cells, output cells, location)``."""

    title: str
    hit_policy: str  # first | collect
    inputs: tuple
    outputs: tuple
    rows: tuple


def decision_table(kb: KnowledgeBase, which: str) -> DecisionTable:
    """The verdict table (``which == "verdict"``) or the table of a factor; ``UsageError``
    naming the choices for anything else."""
    if which == "verdict":
        rules = [kb.rule(rid) for rid in kb.order.verdict_rules]
        return _table(kb, "verdict", "first", rules, ("verdict",), _verdict)
    if which not in FACTOR_IDS:
        raise UsageError(f'"{which}" is neither "verdict" nor a factor'
                         f"{did_you_mean(which, ('verdict',) + FACTOR_IDS)}: choose verdict or "
                         f"one of {', '.join(FACTOR_IDS)}")
    ids = [r.id for r in kb.rules if not r.concludes_verdict and (
        r.factor == which or any(a.factor == which for a in r.findings()))]
    rules = [kb.rule(rid) for rid in kb.order.sequence(ids)]
    return _table(kb, which, "collect", rules, ("finding", "recommends", "other"), _conclusions)


def _table(kb, title, policy, rules, outputs, conclude) -> DecisionTable:
    columns: dict = {}  # header -> index, in order of first use
    cells = []
    for rule in rules:
        row: dict = {}
        for cond in rule.conditions:
            for node in _conjuncts(cond.node):
                if _is_guard(node):
                    continue
                header, cell = column_and_cell(node)
                columns.setdefault(header, len(columns))
                row[header] = f"{row[header]} and {cell}" if header in row else cell
        cells.append(row)
    inputs = tuple(columns)
    rows = tuple((rule.id, tuple(row.get(h, "-") for h in inputs), conclude(rule),
                  str(rule.loc)) for rule, row in zip(rules, cells))
    return DecisionTable(title, policy, inputs, outputs, rows)


def column_and_cell(node) -> tuple[str, str]:
    """What a condition tests (the column) and what it asks of it (the cell)."""
    negated = isinstance(node, c.Not)
    inner = node.operand if negated else node
    if isinstance(inner, c.Compare) and inner.op in COMPARISONS and not negated:
        if isinstance(inner.left, c.Name) or not isinstance(inner.right, c.Name):
            return c.to_text(inner.left), _op(inner.op) + " " + c.to_text(inner.right)
        flipped = {"<": ">", "<=": ">=", ">": "<", ">=": "<="}.get(inner.op, inner.op)
        return c.to_text(inner.right), _op(flipped) + " " + c.to_text(inner.left)
    if isinstance(inner, c.IsKnown):
        return inner.operand.name, "known" if inner.known != negated else "unknown"
    if isinstance(inner, c.IsEmpty):
        return c.to_text(inner.operand), "empty" if inner.empty != negated else "not empty"
    if isinstance(inner, c.Count) and not negated:
        return f"count({c.to_text(inner.pattern)})", f">= {inner.at_least}"
    if isinstance(inner, c.FindingPattern):
        return c.to_text(inner), "none" if negated else "yes"
    if isinstance(inner, c.Name):
        return inner.name, "false" if negated else "true"
    return c.to_text(inner), "no" if negated else "yes"


def _op(op: str) -> str:
    return {"not_in": "not in"}.get(op, op)


def _conjuncts(node) -> list:
    if isinstance(node, c.And):
        return [part for item in node.items for part in _conjuncts(item)]
    return [node]


def _is_guard(node) -> bool:
    return isinstance(node, c.IsKnown) and node.operand.name == "verdict" and not node.known


def _verdict(rule) -> tuple:
    return (next(a.value for a in rule.actions if isinstance(a, VerdictAction)),)


def _conclusions(rule) -> tuple:
    findings = "; ".join(f"{a.kind} {a.id}" + (f" ({a.severity})" if a.severity else "")
                         for a in rule.actions_of(FindingAction))
    recs = "; ".join(a.intervention for a in rule.actions_of(RecommendAction))
    other = "; ".join([f"{a.name} = {a.source}" for a in rule.actions_of(DeriveAction)] +
                      [f"{a.by} mitigates {a.finding}" for a in rule.actions_of(MitigateAction)])
    return findings or "-", recs or "-", other or "-"


def _header(table: DecisionTable) -> list[str]:
    letter = POLICIES[table.hit_policy][0]
    return [letter, "rule", *table.inputs, *table.outputs]


def to_markdown(table: DecisionTable) -> str:
    """The table in Markdown, its hit policy stated above it and in the top-left cell."""
    letter, words = POLICIES[table.hit_policy]
    header = _header(table)
    lines = [f"# Decision table: {table.title}", "",
             f"Hit policy **{letter}** ({words}). A cell shows what the rule asks of its "
             'column; "-": the rule does not test it.', "",
             "| " + " | ".join(_md(h) for h in header) + " |",
             "|" + "|".join("---" for _ in header) + "|"]
    for n, (rid, cells, outputs, _) in enumerate(table.rows, 1):
        lines.append("| " + " | ".join(_md(str(x)) for x in (n, rid, *cells, *outputs)) + " |")
    return "\n".join(lines) + "\n"


def to_csv(table: DecisionTable) -> str:
    """The table as CSV: a header row (hit policy letter in the first cell), then one row per
    rule with its location last."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(_header(table) + ["location"])
    for n, (rid, cells, outputs, where) in enumerate(table.rows, 1):
        writer.writerow([n, rid, *cells, *outputs, where])
    return out.getvalue()


def _md(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ")
