"""Export a knowledge base as CLIPS constructs, and run that export through ``clipspy``.

The export is an independent second encoding of the same rules: CLIPS templates for the
working memory of ``compiler`` (``case`` with one slot per input fact, ``finding``,
``assessment``, ``mitigation``, ``derived``, ``verdict``, ``fired``, plus ``recommendation`` so
that what a rule recommends can be read back), and one ``defrule`` per rule and alternative.
Stages and salience are ``policy.RuleOrder``'s (``-100 * stage + salience``); each rule fires once
(``(not (fired ...))``) and the first verdict rule wins (``(not (verdict))``).

Three-valued logic lives in CLIPS deffunctions (``tv-*``): an unknown input fact is the symbol
``UNKNOWN`` (a list fact: the one-element list ``(UNKNOWN)``), every comparison, arithmetic
operation and connective returns ``TRUE``, ``FALSE`` or ``UNKNOWN``, and a rule's test holds only
when the result is ``TRUE``. So no comparison with an unknown holds, as in ``logic``. Text
templates are not exported: CLIPS concludes ids (findings, recommendations, verdict), which is
what the cross-check compares.

Pure: builds text; ``ClipsAdvisor`` needs the optional ``clipspy`` (``pip install '.[clips]'``).
Entry points: ``export_clips(kb) -> str``; ``ClipsAdvisor(kb).run(facts) -> ClipsRun``.
"""
from __future__ import annotations

import re
from dataclasses import dataclass

from engine import language as c
from engine.errors import ExportError
from engine.knowledge.policy import uses_assessments
from engine.language.normal_form import substitute_parameters, to_dnf
from engine.knowledge.spec import (
    DeriveAction, FindingAction, KnowledgeBase, MitigateAction, RecommendAction, VerdictAction,
)

UNKNOWN = "UNKNOWN"

PRELUDE = """\
(deftemplate finding (slot id) (slot kind) (slot factor) (slot severity) (slot mitigable))
(deftemplate assessment (slot finding) (slot kind) (slot factor) (slot severity) (slot mitigated))
(deftemplate mitigation (slot finding) (slot by))
(deftemplate derived (slot name) (slot value))
(deftemplate verdict (slot value) (slot rule))
(deftemplate fired (slot rule))
(deftemplate recommendation (slot intervention) (slot rule))

;;; Three-valued logic: TRUE, FALSE or UNKNOWN. An unknown fact is the symbol UNKNOWN.
(deffunction tv (?x) (if ?x then TRUE else FALSE))
(deffunction tv-unknown-list ($?l) (and (= (length$ ?l) 1) (eq (nth$ 1 ?l) UNKNOWN)))
(deffunction tv-not (?x) (if (eq ?x TRUE) then FALSE else (if (eq ?x FALSE) then TRUE else UNKNOWN)))
(deffunction tv-and ($?xs)
  (if (member$ FALSE ?xs) then FALSE else (if (member$ UNKNOWN ?xs) then UNKNOWN else TRUE)))
(deffunction tv-or ($?xs)
  (if (member$ TRUE ?xs) then TRUE else (if (member$ UNKNOWN ?xs) then UNKNOWN else FALSE)))
(deffunction tv-eq (?a ?b)
  (if (or (eq ?a UNKNOWN) (eq ?b UNKNOWN)) then (return UNKNOWN))
  (if (and (numberp ?a) (numberp ?b)) then (return (tv (= ?a ?b))))
  (if (or (and (stringp ?a) (stringp ?b)) (and (symbolp ?a) (symbolp ?b)))
   then (return (tv (eq ?a ?b))))
  UNKNOWN)
(deffunction tv-ne (?a ?b) (tv-not (tv-eq ?a ?b)))
(deffunction tv-lt (?a ?b) (if (and (numberp ?a) (numberp ?b)) then (tv (< ?a ?b)) else UNKNOWN))
(deffunction tv-le (?a ?b) (if (and (numberp ?a) (numberp ?b)) then (tv (<= ?a ?b)) else UNKNOWN))
(deffunction tv-gt (?a ?b) (if (and (numberp ?a) (numberp ?b)) then (tv (> ?a ?b)) else UNKNOWN))
(deffunction tv-ge (?a ?b) (if (and (numberp ?a) (numberp ?b)) then (tv (>= ?a ?b)) else UNKNOWN))
(deffunction tv-member (?x $?l)
  (if (or (eq ?x UNKNOWN) (tv-unknown-list ?l)) then UNKNOWN else (tv (member$ ?x ?l))))
(deffunction tv-not-member (?x $?l) (tv-not (tv-member ?x ?l)))
(deffunction tv-empty ($?l) (if (tv-unknown-list ?l) then UNKNOWN else (tv (= (length$ ?l) 0))))
(deffunction tv-known (?x) (tv (neq ?x UNKNOWN)))
(deffunction tv-list-known ($?l) (tv (not (tv-unknown-list ?l))))
(deffunction tv-add (?a ?b) (if (and (numberp ?a) (numberp ?b)) then (+ ?a ?b) else UNKNOWN))
(deffunction tv-sub (?a ?b) (if (and (numberp ?a) (numberp ?b)) then (- ?a ?b) else UNKNOWN))
(deffunction tv-mul (?a ?b) (if (and (numberp ?a) (numberp ?b)) then (* ?a ?b) else UNKNOWN))
(deffunction tv-div (?a ?b)
  (if (and (numberp ?a) (numberp ?b) (<> ?b 0)) then (/ ?a ?b) else UNKNOWN))
(deffunction tv-neg (?a) (if (numberp ?a) then (- 0 ?a) else UNKNOWN))
(deffunction tv-abs (?a) (if (numberp ?a) then (abs ?a) else UNKNOWN))
(deffunction tv-min ($?xs)
  (if (= (length$ ?xs) 0) then (return UNKNOWN))
  (foreach ?x ?xs (if (not (numberp ?x)) then (return UNKNOWN)))
  (bind ?m (nth$ 1 ?xs))
  (foreach ?x ?xs (if (< ?x ?m) then (bind ?m ?x)))
  ?m)
(deffunction tv-max ($?xs)
  (if (= (length$ ?xs) 0) then (return UNKNOWN))
  (foreach ?x ?xs (if (not (numberp ?x)) then (return UNKNOWN)))
  (bind ?m (nth$ 1 ?xs))
  (foreach ?x ?xs (if (> ?x ?m) then (bind ?m ?x)))
  ?m)
(deffunction derived-value (?name)
  (bind ?value UNKNOWN)
  (do-for-all-facts ((?d derived)) (eq ?d:name ?name) (bind ?value ?d:value))
  ?value)
(deffunction derive (?name ?value)
  (if (and (neq ?value UNKNOWN) (neq ?value TRUE) (neq ?value FALSE))
   then (assert (derived (name ?name) (value ?value)))))
"""

_COMPARE = {"==": "tv-eq", "!=": "tv-ne", "<": "tv-lt", "<=": "tv-le", ">": "tv-gt",
            ">=": "tv-ge"}
_ARITH = {"+": "tv-add", "-": "tv-sub", "*": "tv-mul", "/": "tv-div"}


def q(text) -> str:
    """A CLIPS string literal."""
    return '"' + str(text).replace("\\", "\\\\").replace('"', '\\"') + '"'


def literal(value) -> str:
    if value is None:
        return "NONE"
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, (int, float)):
        return repr(value)
    return q(value)


def rule_name(rule_id: str, branch: int) -> str:
    return "r-" + re.sub(r"[^A-Za-z0-9_-]", "_", rule_id) + f"-{branch}"


# ---------------------------------------------------------------- expressions

class _Expr:
    """Translates one condition or value into a CLIPS expression returning a value."""

    def __init__(self, kb: KnowledgeBase, in_rhs: bool = False):
        self.lists = {n for n, f in kb.input_facts.items() if f.type == "list[enum]"}
        self.inputs = set(kb.input_facts)
        self.derived = set(kb.derived_facts)
        self.in_rhs = in_rhs

    def list_args(self, node) -> str:
        """The elements of a list, spread as arguments; ``UNKNOWN`` if it is not a list."""
        if isinstance(node, c.ListLit):
            return " ".join(literal(i.value) for i in node.items)
        if isinstance(node, c.Name) and node.name in self.lists:
            return f"$?v_{node.name}"
        return UNKNOWN

    def __call__(self, node) -> str:
        t = type(node)
        if t in (c.Num, c.Str, c.Bool):
            return literal(node.value)
        if t is c.Name:
            if node.name == "verdict":
                return "?d_verdict"
            if node.name in self.lists:
                raise ExportError(f'the list fact "{node.name}" can only be tested with '
                                  "contains, in, is empty or is known")
            if node.name in self.derived:
                return f"(derived-value {q(node.name)})" if self.in_rhs else f"?d_{node.name}"
            return f"?v_{node.name}"
        if t is c.Compare:
            if node.op in ("in", "not_in"):
                fn = "tv-member" if node.op == "in" else "tv-not-member"
                return f"({fn} {self(node.left)} {self.list_args(node.right)})"
            if node.op == "contains":
                return f"(tv-member {self(node.right)} {self.list_args(node.left)})"
            return f"({_COMPARE[node.op]} {self(node.left)} {self(node.right)})"
        if t in (c.And, c.Or):
            fn = "tv-and" if t is c.And else "tv-or"
            return f"({fn} " + " ".join(self(i) for i in node.items) + ")"
        if t is c.Not:
            return f"(tv-not {self(node.operand)})"
        if t is c.IsKnown:
            name = node.operand.name
            if name in self.lists:
                known = f"(tv-list-known $?v_{name})"
            else:
                known = f"(tv-known {self(node.operand)})"
            return known if node.known else f"(tv-not {known})"
        if t is c.IsEmpty:
            empty = f"(tv-empty {self.list_args(node.operand)})"
            return empty if node.empty else f"(tv-not {empty})"
        if t is c.Arith:
            return f"({_ARITH[node.op]} {self(node.left)} {self(node.right)})"
        if t is c.Neg:
            return f"(tv-neg {self(node.operand)})"
        if t is c.Func:
            return f"(tv-{node.name} " + " ".join(self(a) for a in node.args) + ")"
        if t is c.ListLit:
            raise ExportError("a list can only stand on the right of in / not in")
        raise ExportError(f"{c.to_text(node)} cannot be exported inside an expression")


# ---------------------------------------------------------------- patterns

def _slot_constraint(value) -> str:
    if isinstance(value, tuple):
        return "|".join(literal(v) for v in value)
    return literal(value)


def _finding_pattern(pattern: c.FindingPattern, extra: str = "") -> str:
    assessed = pattern.attr("mitigated") is not None
    slots = []
    if pattern.kind:
        slots.append(f"(kind {literal(pattern.kind)})")
    for key, value in pattern.attrs:
        name = "finding" if key == "id" and assessed else key
        slots.append(f"({name} {_slot_constraint(value)})")
    body = " ".join(slots + ([extra] if extra else []))
    return f"({'assessment' if assessed else 'finding'}{' ' + body if body else ''})"


class _Branch:
    """The left-hand side of one alternative of a rule."""

    def __init__(self, expr: _Expr, tag: str):
        self.expr, self.tag = expr, tag
        self.case_names: set = set()
        self.patterns: list[str] = []
        self.tests: list[str] = []
        self.counter = 0

    def test(self, node) -> None:
        self.case_names.update(n for n in c.names_in(node) if n in self.expr.inputs)
        self.tests.append(f"(test (eq {self.expr(node)} TRUE))")

    def other(self, node, negated: bool) -> None:
        if isinstance(node, c.FindingRef):
            pattern = f"(finding (id {q(node.finding)}))"
        elif isinstance(node, c.FindingPattern):
            pattern = _finding_pattern(node)
        elif isinstance(node, c.Count):
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

    def lhs(self, lists: set, extra_names: set) -> list[str]:
        slots = " ".join(f"({n} {'$?' if n in lists else '?'}v_{n})"
                         for n in sorted(self.case_names | extra_names))
        return [f"(case{' ' + slots if slots else ''})"] + self.patterns + self.tests


# ---------------------------------------------------------------- whole knowledge base

def export_clips(kb: KnowledgeBase) -> str:
    """The knowledge base as CLIPS constructs; raise ``ExportError`` naming the rule."""
    order = kb.order
    parameters = {n: p.value for n, p in kb.parameters.items()}
    inputs = set(kb.input_facts)
    lists = {n for n, f in kb.input_facts.items() if f.type == "list[enum]"}
    out = [f";;; {kb.name} {kb.version} (digest {kb.digest}): exported for CLIPS 6.4",
           ";;; by mse-advisor kb export --clips. Do not edit: re-export.", PRELUDE]
    slots = [f"  ({'multislot' if n in lists else 'slot'} {n} (default {UNKNOWN}))"
             for n in kb.input_facts]
    out.append("(deftemplate case\n" + "\n".join(slots) + ")\n")
    for index, rule in enumerate(kb.rules):
        nodes = [substitute_parameters(cond.node, parameters) for cond in rule.conditions]
        whole = nodes[0] if len(nodes) == 1 else c.And(tuple(nodes))
        try:
            rhs, rhs_names = _actions(rule, kb)
            for b, atoms in enumerate(to_dnf(whole, False, inputs)):
                branch = _Branch(_Expr(kb), f"{index}_{b}")
                for atom in atoms:
                    if atom[0] == "input":
                        branch.test(atom[1])
                    else:
                        branch.other(atom[1], atom[2])
                guard = "(not (verdict))" if rule.concludes_verdict else \
                    f"(not (fired (rule {q(rule.id)})))"
                lhs = branch.lhs(lists, rhs_names) + [guard]
                out.append(_defrule(rule_name(rule.id, b), rule.description, order.salience(rule.id),
                                    lhs, rhs))
        except ExportError as exc:
            raise ExportError(f'{rule.loc}: rule "{rule.id}": {exc}') from None
    if uses_assessments(kb.rules):
        out.append(_assessment_rules(order.assessment_salience))
    return "\n".join(out)


def _defrule(name: str, description: str, salience: int, lhs: list, rhs: list) -> str:
    comment = q(" ".join(description.split())[:200])
    return (f"(defrule {name} {comment}\n  (declare (salience {salience}))\n  "
            + "\n  ".join(lhs) + "\n  =>\n  " + "\n  ".join(rhs) + ")\n")


def _actions(rule, kb: KnowledgeBase) -> tuple[list, set]:
    expr = _Expr(kb, in_rhs=True)
    rhs, names = [], set()
    for action in rule.actions:
        if isinstance(action, FindingAction):
            rhs.append(f"(assert (finding (id {q(action.id)}) (kind {q(action.kind)}) "
                       f"(factor {q(action.factor)}) (severity {literal(action.severity)}) "
                       f"(mitigable {literal(action.mitigable)})))")
        elif isinstance(action, RecommendAction):
            rhs.append(f"(assert (recommendation (intervention {q(action.intervention)}) "
                       f"(rule {q(rule.id)})))")
        elif isinstance(action, MitigateAction):
            rhs.append(f"(assert (mitigation (finding {q(action.finding)}) "
                       f"(by {q(action.by)})))")
        elif isinstance(action, DeriveAction):
            value = substitute_value(action.value, kb)
            names.update(n for n in c.names_in(value) if n in kb.input_facts)
            rhs.append(f"(derive {q(action.name)} {expr(value)})")
        elif isinstance(action, VerdictAction):
            rhs.append(f"(assert (verdict (value {q(action.value)}) (rule {q(rule.id)})))")
    rhs.append(f"(assert (fired (rule {q(rule.id)})))")
    return rhs, names


def substitute_value(node, kb: KnowledgeBase):
    return substitute_parameters(node, {n: p.value for n, p in kb.parameters.items()})


def _assessment_rules(salience: int) -> str:
    """The built-in ASSESS rules of ``compiler._assessment_rules``."""
    common = "(kind \"barrier\") (id ?fid) (factor ?factor) (severity ?severity)"
    assess = ("(assert (assessment (finding ?fid) (kind \"barrier\") (factor ?factor) "
              "(severity ?severity) (mitigated {})))")
    return "\n".join([
        _defrule("assess-mitigable", "Built-in: a barrier mitigable by nature.", salience,
                 [f"(finding {common} (mitigable TRUE))", "(not (assessment (finding ?fid)))"],
                 [assess.format("TRUE")]),
        _defrule("assess-mitigated", "Built-in: a mitigation was found in this case.",
                 salience,
                 [f"(finding {common} (mitigable FALSE))", "(mitigation (finding ?fid))",
                  "(not (assessment (finding ?fid)))"], [assess.format("TRUE")]),
        _defrule("assess-unmitigated", "Built-in: a barrier with no mitigation.", salience,
                 [f"(finding {common} (mitigable FALSE))", "(not (mitigation (finding ?fid)))",
                  "(not (assessment (finding ?fid)))"], [assess.format("FALSE")]),
    ])


# ---------------------------------------------------------------- running it in CLIPS

@dataclass(frozen=True)
class ClipsRun:
    """What CLIPS concluded on one case."""

    findings: frozenset
    recommendations: frozenset  # intervention ids
    verdict: str | None
    verdict_rule: str | None
    fired: frozenset  # rule ids (built-ins excluded)


class ClipsAdvisor:
    """The export loaded into one CLIPS environment, reused for every case (needs clipspy)."""

    def __init__(self, kb: KnowledgeBase, text: str | None = None):
        import clips  # the optional [clips] extra

        self.kb = kb
        self.env = clips.Environment()
        for construct in _constructs(text if text is not None else export_clips(kb)):
            self.env.build(construct)
        self.case_template = self.env.find_template("case")
        self.lists = {n for n, f in kb.input_facts.items() if f.type == "list[enum]"}
        self.unknown = clips.Symbol(UNKNOWN)

    def close(self) -> None:
        """Free the environment. clipspy's fact objects sit in reference cycles; collected
        after the environment, CLIPS prints a memory warning on stdout."""
        import gc

        gc.collect()
        self.env = self.case_template = None
        gc.collect()

    def run(self, facts: dict) -> ClipsRun:
        env = self.env
        env.reset()
        slots = {}
        for name, value in facts.items():
            if value is None or name not in self.kb.input_facts:
                continue
            slots[name] = tuple(value) if name in self.lists else value
        self.case_template.assert_fact(**slots)
        env.run()
        findings, recs, fired = set(), set(), set()
        verdict = verdict_rule = None
        for fact in env.facts():
            name = fact.template.name
            if name == "finding":
                findings.add(fact["id"])
            elif name == "recommendation":
                recs.add(fact["intervention"])
            elif name == "fired":
                fired.add(fact["rule"])
            elif name == "verdict":
                verdict, verdict_rule = fact["value"], fact["rule"]
        return ClipsRun(frozenset(findings), frozenset(recs), verdict, verdict_rule,
                        frozenset(fired))


def _constructs(text: str):
    """Split exported text into top-level constructs (comments dropped)."""
    depth, start, in_string, escape = 0, None, False, False
    lines = [line for line in text.splitlines() if not line.lstrip().startswith(";")]
    source = "\n".join(lines)
    for i, ch in enumerate(source):
        if in_string:
            if escape:
                escape = False
            elif ch == "\\":
                escape = True
            elif ch == '"':
                in_string = False
            continue
        if ch == '"':
            in_string = True
        elif ch == "(":
            if depth == 0:
                start = i
            depth += 1
        elif ch == ")":
            depth -= 1
            if depth == 0:
                yield source[start:i + 1]
