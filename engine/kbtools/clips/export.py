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
from engine.knowledge.values import bounds
from engine.language.normal_form import to_dnf

from .assessment import assessment_rules
from .expressions import ExpressionWriter, literal, q
from .prelude import PRELUDE, UNKNOWN


def export_clips(kb: KnowledgeBase) -> str:
    """The knowledge base as CLIPS constructs; raise ``ExportError`` naming the rule."""
    order = kb.order
    names = _construct_names(kb)
    out = [usage(kb), PRELUDE, *_globals(kb), case_template(kb)]
    for index, rule in enumerate(kb.rules):
        try:
            out.extend(_defrules(kb, index, rule, order.salience(rule.id), names[rule.id]))
        except ExportError as exc:
            raise ExportError(f'{rule.loc}: rule "{rule.id}": {exc}') from None
    if uses_assessments(kb.rules):
        out.append(assessment_rules(kb, order.assessment_salience, _defrule))
    return "\n".join(out)


def usage(kb: KnowledgeBase) -> str:
    """The comment the export starts with: what it is and how to run it in CLIPS."""
    example = next(iter(kb.input_facts), "some_fact")
    return "\n".join(f";;; {line}" if line else ";;;" for line in (
        f"{kb.name} {kb.version} (digest {kb.digest}): exported for CLIPS 6.4",
        "by mse-advisor kb export --clips. Do not edit: re-export.",
        "",
        "Usage, in CLIPS 6.4:",
        "  (set-dynamic-constraint-checking TRUE)   ; refuse values of the wrong type or range",
        '  (load "this-file.clp")',
        "  (reset)",
        f"  (assert (case ({example} ...) ...))       ; one slot per known input fact; leave the",
        "                                           ; unknown ones out (they stay UNKNOWN)",
        "  (run)",
        "  (facts)   ; finding, recommendation, verdict and fired facts: what was concluded",
        "Each rule is one defrule per alternative of its conditions (r-<rule id>-<n>); parameters",
        "are defglobals (?*name*), the thresholds in one place; three-valued logic is the tv-*",
        "deffunctions: a test holds only when it returns TRUE, so an unknown never makes one hold.",
    )) + "\n"


def rule_name(rule_id: str, branch: int) -> str:
    """The CLIPS name of alternative ``branch`` of a rule: ``r-<id>-<branch>``. A rule id holds
    letters, digits, "-", "_" and "." only (the loader's ``ID_PATTERN``), all of which a CLIPS
    symbol may hold, so distinct ids give distinct names."""
    if not re.fullmatch(r"[A-Za-z0-9_.-]+", rule_id):
        raise ExportError(f'rule id "{rule_id}" holds a character CLIPS names cannot hold')
    return f"r-{rule_id}-{branch}"


def _construct_names(kb: KnowledgeBase) -> dict:
    """``{rule id: the id its constructs are named by}``, refusing (``ExportError`` naming both
    rules) two rules whose constructs would share a name, of which CLIPS would silently keep
    the last."""
    seen: dict = {}
    for rule in kb.rules:
        name = rule_name(rule.id, 0)
        if name in seen:
            other = seen[name]
            raise ExportError(f'{rule.loc}: rules "{other.id}" ({other.loc}) and "{rule.id}" '
                              f'would both be the CLIPS construct "{name}": rename one')
        seen[name] = rule
    return {rule.id: rule.id for rule in kb.rules}


def _globals(kb: KnowledgeBase) -> list[str]:
    """One ``defglobal`` per parameter: the rules read ``?*name*``, so a threshold changes in
    one place in the export too."""
    if not kb.parameters:
        return []
    lines = [f"  ?*{name}* = {literal(p.value)}" for name, p in kb.parameters.items()]
    return ["(defglobal\n" + "\n".join(lines) + ")\n"]


def case_template(kb: KnowledgeBase) -> str:
    """The ``case`` template: one slot per input fact, typed from its fact type (allowed values,
    range), every one also taking the symbol ``UNKNOWN``, its default."""
    slots = [f"  ({'multislot' if f.type == 'list[enum]' else 'slot'} {n} "
             f"{slot_constraints(f)} (default {UNKNOWN}))" for n, f in kb.input_facts.items()]
    return "(deftemplate case\n" + "\n".join(slots) + ")\n"


def slot_constraints(fact) -> str:
    """CLIPS constraint attributes for a fact's values, besides ``UNKNOWN``."""
    unknown = f"(allowed-symbols {UNKNOWN})"
    if fact.type == "bool":
        return f"(type SYMBOL) (allowed-symbols TRUE FALSE {UNKNOWN})"
    if fact.type in ("enum", "list[enum]"):
        values = " ".join(q(v) for v in fact.values)
        return f"(type STRING SYMBOL) (allowed-strings {values}) {unknown}"
    if fact.type == "str":
        return f"(type STRING SYMBOL) {unknown}"
    low, high = bounds(fact)
    kind = "INTEGER" if fact.is_whole else "INTEGER FLOAT"
    return (f"(type {kind} SYMBOL) {unknown} "
            f"(range {_number(low)} {'?VARIABLE' if high is None else _number(high)})")


def _number(value) -> str:
    return repr(int(value)) if float(value).is_integer() else repr(float(value))


def _list_facts(kb: KnowledgeBase) -> set:
    return {n for n, f in kb.input_facts.items() if f.type == "list[enum]"}


def _defrules(kb: KnowledgeBase, index: int, rule: RuleSpec, salience: int,
              name: str) -> list[str]:
    """One ``defrule`` per alternative of the rule's conditions (parameters left as globals)."""
    lists = _list_facts(kb)
    whole = rule.condition
    rhs, rhs_names = _actions(rule, kb)
    guard = "(not (verdict))" if rule.concludes_verdict else \
        f"(not (fired (rule {q(rule.id)})))"
    out = []
    for b, atoms in enumerate(to_dnf(whole, False, set(kb.input_facts) | set(kb.parameters))):
        branch = _Branch(ExpressionWriter(kb), f"{index}_{b}")
        for atom in atoms:
            if atom[0] == "input":
                branch.test(atom[1])
            else:
                branch.other(atom[1], atom[2])
        lhs = branch.lhs(lists, rhs_names) + [guard]
        out.append(_defrule(rule_name(name, b), rule.description, salience, lhs, rhs))
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
            value = action.value
            names.update(n for n in c.names_in(value) if n in kb.input_facts)
            rhs.append(f"(derive {q(action.name)} {expr(value)})")
        elif isinstance(action, VerdictAction):
            rhs.append(f"(assert (verdict (value {q(action.value)}) (rule {q(rule.id)})))")
    rhs.append(f"(assert (fired (rule {q(rule.id)})))")
    return rhs, names
