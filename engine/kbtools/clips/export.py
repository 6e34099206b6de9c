"""A knowledge base written as CLIPS constructs: the prelude, the ``case`` template, and one
``defrule`` per rule and alternative.

Each rule's conditions (parameters put in) are split into alternatives (``to_dnf``); one
alternative is one ``defrule`` whose left-hand side matches ``case`` (one slot per input fact it
reads), findings, derived facts and firings as patterns, and tests the rest with the prelude's
three-valued functions: a test holds only when it returns ``TRUE``, so no comparison with an
unknown holds. Salience is ``policy.RuleOrder``'s (``-100 * stage + salience``, from
``kb.order``: no experta engine is compiled); each rule fires once (``(not (fired ...))``) and
the first verdict rule wins (``(not (verdict))``). The built-in assessment of barriers
(three-valued, ``assessment``) is exported when some rule asks whether a barrier is mitigated
or mitigates one; a mitigation found also asserts its recommendation. Texts are not exported:
CLIPS concludes ids (findings, recommendations, verdict), which is what the cross-check compares.

Must not: import clipspy or experta; write files. Entry point: ``export_clips(kb) -> str``;
raises ``ExportError`` naming the rule it cannot write.
"""
from __future__ import annotations

import re

from engine import language as c
from engine.errors import ExportError
from engine.knowledge.policy import uses_assessments
from engine.knowledge.spec import (
    DeriveAction, FindingAction, KnowledgeBase, MitigateAction, RecommendAction, RuleSpec,
    VerdictAction,
)
from engine.language.normal_form import substitute_parameters, to_dnf

from .assessment import assessment_rules
from .expressions import ExpressionWriter, literal, q
from .prelude import PRELUDE, UNKNOWN


def export_clips(kb: KnowledgeBase) -> str:
    """The knowledge base as CLIPS constructs; raise ``ExportError`` naming the rule."""
    order = kb.order
    lists = _list_facts(kb)
    out = [f";;; {kb.name} {kb.version} (digest {kb.digest}): exported for CLIPS 6.4",
           ";;; by mse-advisor kb export --clips. Do not edit: re-export.", PRELUDE]
    slots = [f"  ({'multislot' if n in lists else 'slot'} {n} (default {UNKNOWN}))"
             for n in kb.input_facts]
    out.append("(deftemplate case\n" + "\n".join(slots) + ")\n")
    for index, rule in enumerate(kb.rules):
        try:
            out.extend(_defrules(kb, index, rule, order.salience(rule.id)))
        except ExportError as exc:
            raise ExportError(f'{rule.loc}: rule "{rule.id}": {exc}') from None
    if uses_assessments(kb.rules):
        out.append(assessment_rules(kb, order.assessment_salience, _defrule))
    return "\n".join(out)


def rule_name(rule_id: str, branch: int) -> str:
    """The CLIPS name of alternative ``branch`` of a rule: ``r-<id>-<branch>``."""
    return "r-" + re.sub(r"[^A-Za-z0-9_-]", "_", rule_id) + f"-{branch}"


def _list_facts(kb: KnowledgeBase) -> set:
    return {n for n, f in kb.input_facts.items() if f.type == "list[enum]"}


def _defrules(kb: KnowledgeBase, index: int, rule: RuleSpec, salience: int) -> list[str]:
    """One ``defrule`` per alternative of the rule's conditions."""
    lists = _list_facts(kb)
    whole = substitute_parameters(rule.condition, kb.parameter_values)
    rhs, rhs_names = _actions(rule, kb)
    guard = "(not (verdict))" if rule.concludes_verdict else \
        f"(not (fired (rule {q(rule.id)})))"
    out = []
    for b, atoms in enumerate(to_dnf(whole, False, set(kb.input_facts))):
        branch = _Branch(ExpressionWriter(kb), f"{index}_{b}")
        for atom in atoms:
            if atom[0] == "input":
                branch.test(atom[1])
            else:
                branch.other(atom[1], atom[2])
        lhs = branch.lhs(lists, rhs_names) + [guard]
        out.append(_defrule(rule_name(rule.id, b), rule.description, salience, lhs, rhs))
    return out


def _defrule(name: str, description: str, salience: int, lhs: list, rhs: list) -> str:
    comment = q(" ".join(description.split())[:200])
    return (f"(defrule {name} {comment}\n  (declare (salience {salience}))\n  "
            + "\n  ".join(lhs) + "\n  =>\n  " + "\n  ".join(rhs) + ")\n")


# ---------------------------------------------------------------- left-hand side

class _Branch:
    """The left-hand side of one alternative of a rule: patterns, then tests."""

    def __init__(self, expr: ExpressionWriter, tag: str):
        self.expr, self.tag = expr, tag
        self.case_names: set = set()
        self.patterns: list[str] = []
        self.tests: list[str] = []
        self.counter = 0

    def test(self, node) -> None:
        self.case_names.update(n for n in c.names_in(node) if n in self.expr.inputs)
        self.tests.append(f"(test (eq {self.expr(node)} TRUE))")

    def other(self, node, negated: bool) -> None:
        """A condition on something other than input facts, matched by a pattern if it can be."""
        if isinstance(node, c.FindingRef):
            pattern = f"(finding (id {q(node.finding)}))"
        elif isinstance(node, c.FindingPattern):
            pattern = _finding_pattern(node)
        elif isinstance(node, c.Count):
            self.count(node, negated)
            return
        elif isinstance(node, c.Fired):
            pattern = f"(fired (rule {q(node.rule)}))"
        elif isinstance(node, c.IsKnown) and node.operand.name == "verdict":
            pattern, negated = "(verdict)", negated == node.known
        elif isinstance(node, c.IsKnown) and node.operand.name in self.expr.derived:
            pattern = f"(derived (name {q(node.operand.name)}))"
            negated = negated == node.known
        else:
            for name in sorted(c.names_in(node)):
                if name in self.expr.derived:
                    self.patterns.append(f"(derived (name {q(name)}) (value ?d_{name}))")
                elif name == "verdict":
                    self.patterns.append("(verdict (value ?d_verdict))")
            self.test(c.Not(node, node.pos) if negated else node)
            return
        self.patterns.append(f"(not {pattern})" if negated else pattern)

    def count(self, node: c.Count, negated: bool) -> None:
        """``count(p) >= n``: n patterns on distinct ids, in increasing order."""
        if negated:
            raise ExportError("a count cannot be negated")
        key = "finding" if node.pattern.attr("mitigated") is not None else "id"
        ids = []
        for _ in range(node.at_least):
            self.counter += 1
            var = f"?c{self.tag}_{self.counter}"
            ids.append(var)
            self.patterns.append(_finding_pattern(node.pattern, f"({key} {var})"))
        for a, b in zip(ids, ids[1:]):
            self.tests.append(f"(test (< (str-compare {a} {b}) 0))")

    def lhs(self, lists: set, extra_names: set) -> list[str]:
        slots = " ".join(f"({n} {'$?' if n in lists else '?'}v_{n})"
                         for n in sorted(self.case_names | extra_names))
        return [f"(case{' ' + slots if slots else ''})"] + self.patterns + self.tests


def _finding_pattern(pattern: c.FindingPattern, extra: str = "") -> str:
    """A ``finding`` pattern, or an ``assessment`` one when it asks whether it is mitigated."""
    assessed = pattern.attr("mitigated") is not None
    slots = []
    if pattern.kind:
        slots.append(f"(kind {literal(pattern.kind)})")
    for key, value in pattern.attrs:
        name = "finding" if key == "id" and assessed else key
        slots.append(f"({name} {_slot_constraint(value)})")
    body = " ".join(slots + ([extra] if extra else []))
    return f"({'assessment' if assessed else 'finding'}{' ' + body if body else ''})"


def _slot_constraint(value) -> str:
    if isinstance(value, tuple):
        return "|".join(literal(v) for v in value)
    return literal(value)


# ---------------------------------------------------------------- right-hand side

def _actions(rule: RuleSpec, kb: KnowledgeBase) -> tuple[list, set]:
    """The rule's right-hand side, and the input facts its derivations read."""
    expr = ExpressionWriter(kb, in_rhs=True)
    rhs, names = [], set()
    for action in rule.actions:
        if isinstance(action, FindingAction):
            rhs.append(f"(assert (finding (id {q(action.id)}) (kind {q(action.kind)}) "
                       f"(factor {q(action.factor)}) (severity {literal(action.severity)}) "
                       f"(mitigable {literal(action.mitigable)})))")
        elif isinstance(action, RecommendAction):
            rhs.append(f"(assert (recommendation (intervention {q(action.intervention)}) "
                       f"(rule {q(rule.id)})))")
        elif isinstance(action, MitigateAction):  # a mitigation found is advised too
            rhs.append(f"(assert (mitigation (finding {q(action.finding)}) "
                       f"(by {q(action.by)})))")
            rhs.append(f"(assert (recommendation (intervention {q(action.by)}) "
                       f"(rule {q(rule.id)})))")
        elif isinstance(action, DeriveAction):
            value = substitute_parameters(action.value, kb.parameter_values)
            names.update(n for n in c.names_in(value) if n in kb.input_facts)
            rhs.append(f"(derive {q(action.name)} {expr(value)})")
        elif isinstance(action, VerdictAction):
            rhs.append(f"(assert (verdict (value {q(action.value)}) (rule {q(rule.id)})))")
    rhs.append(f"(assert (fired (rule {q(rule.id)})))")
    return rhs, names
