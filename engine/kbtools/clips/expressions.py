"""Conditions and values of the condition language written as CLIPS expressions.

Every expression returns ``TRUE``, ``FALSE`` or ``UNKNOWN`` (or a number, or ``UNKNOWN``) through
the prelude's ``tv-*`` deffunctions. Names become variables bound in the rule's left-hand side:
an input fact ``?v_name`` (a list fact ``$?v_name``), a derived fact ``?d_name`` (on the
right-hand side ``(derived-value "name")``, read when the rule fires), the verdict
``?d_verdict``, a parameter the global ``?*name*``. What CLIPS cannot say as an expression (a list fact compared as a value, a list
outside ``in``, patterns) raises ``ExportError``.

Must not: write patterns or rules (``export`` does). Entry points: ``ExpressionWriter(kb)(node)
-> str``, ``literal(value) -> str``, ``q(text) -> str``.
"""
from __future__ import annotations

from engine import language as c
from engine.errors import ExportError
from engine.knowledge.spec import KnowledgeBase

from .prelude import UNKNOWN

_COMPARE = {"==": "tv-eq", "!=": "tv-ne", "<": "tv-lt", "<=": "tv-le", ">": "tv-gt",
            ">=": "tv-ge"}
_ARITH = {"+": "tv-add", "-": "tv-sub", "*": "tv-mul", "/": "tv-div"}


def q(text) -> str:
    """A CLIPS string literal."""
    return '"' + str(text).replace("\\", "\\\\").replace('"', '\\"') + '"'


def literal(value) -> str:
    """A Python value as a CLIPS constant: ``NONE``, ``TRUE``/``FALSE``, a number, a string."""
    if value is None:
        return "NONE"
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, (int, float)):
        return repr(value)
    return q(value)


class ExpressionWriter:
    """Translates one condition or value into a CLIPS expression returning a value.

    ``in_rhs``: on a rule's right-hand side, where derived facts are read when it fires.
    ``findings``: findings and firings are asked of working memory as values (closed world:
    absent is ``FALSE``), for a whole condition's value rather than a pattern to match."""

    def __init__(self, kb: KnowledgeBase, in_rhs: bool = False, findings: bool = False):
        self.lists = {n for n, f in kb.input_facts.items() if f.type == "list[enum]"}
        self.inputs = set(kb.input_facts)
        self.derived = set(kb.derived_facts)
        self.parameters = set(kb.parameters)
        self.in_rhs = in_rhs
        self.findings = findings

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
            return self.name(node.name)
        if t is c.Compare:
            return self.compare(node)
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
        if self.findings and t in (c.FindingRef, c.FindingPattern, c.Fired):
            return self.held(node)
        if t is c.ListLit:
            raise ExportError("a list can only stand on the right of in / not in")
        raise ExportError(f"{c.to_text(node)} cannot be exported inside an expression")

    def held(self, node) -> str:
        """``TRUE`` when working memory holds a finding (or firing) the node asks for."""
        if isinstance(node, c.Fired):
            return f"(tv (any-factp ((?x fired)) (eq ?x:rule {q(node.rule)})))"
        if isinstance(node, c.FindingRef):
            return f"(tv (any-factp ((?x finding)) (eq ?x:id {q(node.finding)})))"
        if node.attr("mitigated") is not None:
            raise ExportError("a mitigated= pattern cannot be asked as a value")
        tests = [f"(eq ?x:kind {q(node.kind)})"] if node.kind else []
        for key, value in node.attrs:
            wanted = value if isinstance(value, tuple) else (value,)
            tests.append("(or " + " ".join(f"(eq ?x:{key} {literal(v)})" for v in wanted) + ")")
        return f"(tv (any-factp ((?x finding)) (and TRUE {' '.join(tests)})))"

    def name(self, name: str) -> str:
        """The variable (or right-hand-side lookup) holding a fact, the verdict, or the global
        holding a parameter."""
        if name == "verdict":
            return "?d_verdict"
        if name in self.parameters:
            return f"?*{name}*"
        if name in self.lists:
            raise ExportError(f'the list fact "{name}" can only be tested with '
                              "contains, in, is empty or is known")
        if name in self.derived:
            return f"(derived-value {q(name)})" if self.in_rhs else f"?d_{name}"
        return f"?v_{name}"

    def compare(self, node: c.Compare) -> str:
        if node.op in ("in", "not_in"):
            fn = "tv-member" if node.op == "in" else "tv-not-member"
            return f"({fn} {self(node.left)} {self.list_args(node.right)})"
        if node.op == "contains":
            return f"(tv-member {self(node.right)} {self.list_args(node.left)})"
        return f"({_COMPARE[node.op]} {self(node.left)} {self(node.right)})"
