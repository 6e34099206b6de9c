"""Static checks of conditions and templates against the knowledge base's names and types.

Catches at load time what would otherwise go wrong in the middle of a consultation: unknown
facts, findings, parameters or rule ids (with a suggestion), a bool fact compared with a number,
an enum compared with a value it does not allow, arithmetic on text, a condition that is not a
yes/no question. Read by the rule builder (``rules``, ``actions``) for conditions, derived values
and the placeholders of texts.

Must not: evaluate; report problems itself (it returns offsets and messages; the caller places
them in the file).
Entry point: ``check_expression(node, scope, boolean)`` returns ``[(offset, message), ...]``
(``TypeProblem``: each also has a ``code``).
"""
from __future__ import annotations

from dataclasses import dataclass

from engine import language as c
from engine.errors import Location, Problem, did_you_mean
from engine.knowledge.spec import FACTOR_IDS, FINDING_KINDS, SEVERITIES, FactSpec

NUM, BOOL, STR, LIST, ANY = "number", "true/false", "text", "list", "any"


@dataclass(frozen=True)
class Scope:
    facts: dict  # name -> FactSpec
    parameters: dict  # name -> ParameterSpec
    findings: dict  # id -> FindingAction
    rule_ids: frozenset
    words: frozenset = frozenset()  # words of words.yaml: text, for templates only


@dataclass(frozen=True)
class Typed:
    kind: str
    fact: FactSpec | None = None


def _fact_type(fact: FactSpec) -> Typed:
    if fact.type == "bool":
        return Typed(BOOL, fact)
    if fact.type == "list[enum]":
        return Typed(LIST, fact)
    if fact.type in ("enum", "str"):
        return Typed(STR, fact)
    return Typed(NUM, fact)


def _value_type(value) -> Typed:
    if isinstance(value, bool):
        return Typed(BOOL)
    if isinstance(value, (int, float)):
        return Typed(NUM)
    if isinstance(value, str):
        return Typed(STR)
    return Typed(ANY)


class TypeProblem(tuple):
    """``(offset, message)``, with a ``code``: ``unknown-name``, ``unknown-finding``,
    ``unknown-rule`` (a name the knowledge base lacks; none may be a follow-on of a file that
    did not load), ``parameter-type:NAME`` (a parameter whose value has the wrong type for this
    use: the slip is in parameters.yaml) or ``type``."""

    code: str

    def __new__(cls, pos: int, message: str, code: str = "type"):
        self = super().__new__(cls, (pos, message))
        self.code = code
        return self


class _Checker:
    def __init__(self, scope: Scope):
        self.scope = scope
        self.problems: list[TypeProblem] = []

    def err(self, pos: int, msg: str, code: str = "type") -> Typed:
        self.problems.append(TypeProblem(pos, msg, code))
        return Typed(ANY)

    def not_number(self, side, typed: Typed, msg: str) -> None:
        """``side`` (of type ``typed``) is used as a number but is not one; a parameter holding
        text or true/false is the parameter's slip, reported once at its own line by the
        loader."""
        if isinstance(side, c.Name) and side.name in self.scope.parameters and \
                typed.kind in (STR, BOOL):
            self.err(side.pos, msg, f"parameter-type:{side.name}")
        else:
            self.err(side.pos, msg)

    def known(self, pos: int, name, names, what: str, code: str) -> None:
        """A problem (of ``code``) at ``pos`` unless ``name`` is one of ``names``: ``what
        "name"`` and the closest of them."""
        if name not in names:
            self.err(pos, f'{what} "{name}"{did_you_mean(str(name), names)}', code)

    def type_of(self, node) -> Typed:  # noqa: C901 - one branch per node type
        if isinstance(node, c.Num):
            return Typed(NUM)
        if isinstance(node, c.Str):
            return Typed(STR)
        if isinstance(node, c.Bool):
            return Typed(BOOL)
        if isinstance(node, c.ListLit):
            return Typed(LIST)
        if isinstance(node, c.Name):
            return self.name(node)
        if isinstance(node, (c.Neg, c.Arith, c.Func)):
            for child in c.children(node):
                t = self.type_of(child)
                if t.kind not in (NUM, ANY):
                    self.not_number(child, t, f'"{c.to_text(child)}" is {t.kind}, not a number: '
                                              "arithmetic needs numbers")
            return Typed(NUM)
        if isinstance(node, c.Compare):
            self.compare(node)
            return Typed(BOOL)
        if isinstance(node, c.IsKnown):
            if node.operand.name != "verdict":
                self.name(node.operand)
            return Typed(BOOL)
        if isinstance(node, c.IsEmpty):
            t = self.type_of(node.operand)
            if t.kind not in (LIST, ANY):
                self.err(node.pos, f'"is empty" applies to a list fact; '
                                   f'"{c.to_text(node.operand)}" is {t.kind}')
            return Typed(BOOL)
        if isinstance(node, (c.And, c.Or, c.Not)):
            for child in c.children(node):
                self.boolean(child)
            return Typed(BOOL)
        if isinstance(node, c.FindingRef):
            self.known(node.pos, node.finding, self.scope.findings, "no rule asserts a finding",
                       "unknown-finding")
            return Typed(BOOL)
        if isinstance(node, c.FindingPattern):
            self.pattern(node)
            return Typed(BOOL)
        if isinstance(node, c.Count):
            self.pattern(node.pattern)
            return Typed(BOOL)
        if isinstance(node, c.Fired):
            self.known(node.pos, node.rule, self.scope.rule_ids, "no rule has the id",
                       "unknown-rule")
            return Typed(BOOL)
        return Typed(ANY)

    def name(self, node: c.Name) -> Typed:
        if node.name in self.scope.facts:
            return _fact_type(self.scope.facts[node.name])
        if node.name in self.scope.parameters:
            return _value_type(self.scope.parameters[node.name].value)
        if node.name == "verdict" or node.name in self.scope.words:
            return Typed(STR)
        known = list(self.scope.facts) + list(self.scope.parameters) + list(self.scope.words)
        hint = did_you_mean(node.name, known)
        if not hint and node.name in self.scope.findings:
            hint = f' (to test the finding, write "finding({node.name})")'
        elif not hint:
            hint = " (quote it if you meant a value: 'text')"
        return self.err(node.pos, f'unknown fact or parameter "{node.name}"{hint}',
                        "unknown-name")

    def boolean(self, node) -> None:
        t = self.type_of(node)
        if t.kind not in (BOOL, ANY):
            self.err(node.pos, f'"{c.to_text(node)}" is {t.kind}, not a yes/no condition '
                               "(compare it with something)")

    def compare(self, node: c.Compare) -> None:
        left, right = self.type_of(node.left), self.type_of(node.right)
        op = node.op
        if ANY in (left.kind, right.kind):
            return
        if op in ("<", "<=", ">", ">="):
            for side, t in ((node.left, left), (node.right, right)):
                if t.kind != NUM:
                    self.not_number(side, t, f'"{c.to_text(side)}" is {t.kind}: "{op}" compares '
                                             "numbers")
            return
        if op in ("==", "!="):
            if left.kind != right.kind:
                msg = (f'cannot compare {left.kind} "{c.to_text(node.left)}" with '
                       f'{right.kind} "{c.to_text(node.right)}"')
                if NUM in (left.kind, right.kind):
                    side, t = (node.left, left) if right.kind == NUM else (node.right, right)
                    self.not_number(side, t, msg)
                else:
                    self.err(node.pos, msg)
                return
            self.allowed(left, node.right)
            self.allowed(right, node.left)
            return
        if op in ("in", "not_in"):
            if right.kind != LIST:
                self.err(node.right.pos, '"in" needs a list after it, e.g. '
                                         "['a', 'b'], or a list fact")
                return
            if right.fact is not None:  # value in list fact
                if left.kind != STR:
                    self.err(node.left.pos, f"{right.fact.name} holds text values")
                self.allowed(right, node.left)
            elif isinstance(node.right, c.ListLit):
                for item in node.right.items:
                    self.allowed(left, item)
                    if _value_type(item.value).kind != left.kind:
                        self.err(item.pos, f'{c.to_text(item)} is not {left.kind} like '
                                           f'"{c.to_text(node.left)}"')
            return
        if op == "contains":
            if left.kind != LIST or left.fact is None:
                self.err(node.left.pos, '"contains" applies to a list fact')
                return
            self.allowed(left, node.right)

    def allowed(self, typed: Typed, value_node) -> None:
        """An enum or list fact compared with a literal value it does not allow."""
        fact = typed.fact
        if fact is None or not fact.values or not isinstance(value_node, c.Str):
            return
        if value_node.value not in fact.values:
            self.err(value_node.pos, f'"{value_node.value}" is not a value of {fact.name}'
                                     f"{did_you_mean(value_node.value, fact.values)}; it takes "
                                     + ", ".join(fact.values))

    def pattern(self, node: c.FindingPattern) -> None:
        allowed = {"factor": FACTOR_IDS, "severity": SEVERITIES, "kind": FINDING_KINDS}
        for key, value in node.attrs:
            values = value if isinstance(value, tuple) else (value,)
            if key == "mitigated":
                if not isinstance(value, bool):
                    self.err(node.pos, "mitigated takes true or false")
            elif key == "id":
                for v in values:
                    self.known(node.pos, v, self.scope.findings, "no rule asserts a finding",
                               "unknown-finding")
            else:
                for v in values:
                    if v not in allowed[key]:
                        self.err(node.pos, f'"{v}" is not a {key}'
                                           f"{did_you_mean(str(v), allowed[key])}")


def check_expression(node, scope: Scope, boolean: bool,
                     into: FactSpec | None = None) -> list[TypeProblem]:
    """The problems of one expression as ``(offset in its text, message)`` with a ``code``
    (``TypeProblem``), in the order found; ``boolean``: it must be a yes/no condition (else a
    value, which may not be a list literal); ``into``: the derived fact the value is stored in,
    whose kind it must have (a parameter written as text, such as "1e400", cannot become a
    number of months)."""
    checker = _Checker(scope)
    if boolean:
        checker.boolean(node)
    else:
        t = checker.type_of(node)
        if t.kind == LIST and t.fact is None:
            checker.err(node.pos, "a list cannot be a value here")
        want = _fact_type(into).kind if into is not None else ANY
        if ANY not in (want, t.kind) and t.kind != want:
            checker.err(node.pos, f'"{c.to_text(node)}" is {t.kind}, but {into.name} holds '
                                  f"{want}")
    return checker.problems


def condition_problems(node, scope: Scope, where: Location) -> list[Problem]:
    """The problems of a condition written at ``where``, each at its own column."""
    return [Problem(where.shifted(found[0]), found[1], found.code)
            for found in check_expression(node, scope, boolean=True)]


def template_problems(template, scope: Scope, where: Location) -> list[Problem]:
    """The problems of a text template's ``{placeholders}``, reported at ``where`` (the text)."""
    return [Problem(where, f"in text {{{c.to_text(part.node)}}}: {found[1]}", found.code)
            for part in template.parts if isinstance(part, c.Placeholder)
            for found in check_expression(part.node, scope, boolean=False)]
