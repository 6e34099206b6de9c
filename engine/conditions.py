"""The condition language: a tokenizer and parser from text to a small, frozen syntax tree.

Knowledge engineers write conditions such as ``payback_months > 2 * horizon_months`` or
``barrier(factor='risks', severity='significant')``. This module only parses; it never runs
anything and knows nothing about facts (``checks`` resolves names, ``logic`` evaluates).
Every node keeps ``pos``, its offset in the text, so errors point at the column.

Entry points: ``parse(text) -> Node`` and ``parse_template(text) -> list[str | Placeholder]``.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal
from typing import Union

MAX_EXPRESSION_CHARS = 2000
MAX_NESTING = 40
MAX_NUMBER_CHARS = 20  # a longer literal would not fit a float (or print) exactly


class ParseError(Exception):
    def __init__(self, message: str, pos: int):
        super().__init__(message)
        self.message = message
        self.pos = pos


@dataclass(frozen=True)
class Num:
    value: float
    pos: int = 0


@dataclass(frozen=True)
class Str:
    value: str
    pos: int = 0


@dataclass(frozen=True)
class Bool:
    value: bool
    pos: int = 0


@dataclass(frozen=True)
class ListLit:
    items: tuple
    pos: int = 0


@dataclass(frozen=True)
class Name:
    name: str
    pos: int = 0


@dataclass(frozen=True)
class Neg:
    operand: "Node"
    pos: int = 0


@dataclass(frozen=True)
class Arith:
    op: str  # + - * /
    left: "Node"
    right: "Node"
    pos: int = 0


@dataclass(frozen=True)
class Func:
    name: str  # min, max, abs
    args: tuple
    pos: int = 0


@dataclass(frozen=True)
class Compare:
    op: str  # == != < <= > >= in not_in contains
    left: "Node"
    right: "Node"
    pos: int = 0


@dataclass(frozen=True)
class IsKnown:
    operand: Name
    known: bool
    pos: int = 0


@dataclass(frozen=True)
class IsEmpty:
    operand: "Node"
    empty: bool
    pos: int = 0


@dataclass(frozen=True)
class Not:
    operand: "Node"
    pos: int = 0


@dataclass(frozen=True)
class And:
    items: tuple
    pos: int = 0


@dataclass(frozen=True)
class Or:
    items: tuple
    pos: int = 0


@dataclass(frozen=True)
class FindingRef:
    """``finding(id)``: the finding was asserted."""

    finding: str
    pos: int = 0


@dataclass(frozen=True)
class FindingPattern:
    """``barrier(...)``, ``enabler(...)``, ``note(...)``: some finding with these attributes."""

    kind: str | None
    attrs: tuple  # ((name, value-or-tuple), ...)
    pos: int = 0

    def attr(self, name: str, default=None):
        return dict(self.attrs).get(name, default)


@dataclass(frozen=True)
class Count:
    """``count(pattern) >= n`` (also ``>``)."""

    pattern: FindingPattern
    at_least: int
    pos: int = 0


@dataclass(frozen=True)
class Fired:
    rule: str
    pos: int = 0


Node = Union[Num, Str, Bool, ListLit, Name, Neg, Arith, Func, Compare, IsKnown, IsEmpty, Not,
             And, Or, FindingRef, FindingPattern, Count, Fired]

PATTERN_KINDS = {"barrier": "barrier", "enabler": "enabler", "note": "note", "finding": None}
PATTERN_ATTRS = ("factor", "severity", "kind", "mitigated", "id")
ARITH_FUNCS = ("min", "max", "abs")

_TOKEN = re.compile(r"""
    (?P<ws>\s+)
  | (?P<num>\d+(?:\.\d+)?)
  | (?P<str>'[^'\\\n]*'|"[^"\\\n]*")
  | (?P<name>[A-Za-z_][A-Za-z0-9_]*)
  | (?P<op>==|!=|<=|>=|<|>|\+|-|\*|/|\(|\)|\[|\]|,|=)
""", re.VERBOSE)

_UNDERSCORE = ('a name cannot start with "_" (facts, parameters and ids start with a letter; '
               "nothing outside the knowledge base can be reached)")
KEYWORDS = {"and", "or", "not", "in", "is", "contains", "known", "unknown", "empty", "true",
            "false"}


@dataclass(frozen=True)
class Token:
    kind: str  # num str name op end
    text: str
    pos: int


def tokenize(text: str) -> list[Token]:
    if len(text) > MAX_EXPRESSION_CHARS:
        raise ParseError(f"condition longer than {MAX_EXPRESSION_CHARS} characters", 0)
    tokens, pos = [], 0
    while pos < len(text):
        m = _TOKEN.match(text, pos)
        if not m:
            ch = text[pos]
            hint = " (strings need matching quotes)" if ch in "'\"" else ""
            raise ParseError(f"unexpected character {ch!r}{hint}", pos)
        kind = m.lastgroup
        if kind != "ws":
            tokens.append(Token(kind, m.group(), pos))
        pos = m.end()
    tokens.append(Token("end", "", len(text)))
    return tokens


class _Parser:
    def __init__(self, text: str):
        self.text = text
        self.tokens = tokenize(text)
        self.i = 0
        self.depth = 0

    # -- helpers
    @property
    def tok(self) -> Token:
        return self.tokens[self.i]

    def peek(self, offset: int = 1) -> Token:
        return self.tokens[min(self.i + offset, len(self.tokens) - 1)]

    def at(self, *texts: str) -> bool:
        t = self.tok
        return t.kind in ("op", "name") and t.text in texts

    def take(self) -> Token:
        t = self.tok
        self.i += 1
        return t

    def expect(self, text: str) -> Token:
        if not self.at(text):
            found = self.tok.text or "the end of the condition"
            raise ParseError(f'expected "{text}" but found "{found}"', self.tok.pos)
        return self.take()

    def nest(self):
        self.depth += 1
        if self.depth > MAX_NESTING:
            raise ParseError(f"nested more than {MAX_NESTING} levels deep (each bracket, not, "
                             "minus sign and chained + - * / adds one): split it, e.g. with a "
                             "derived fact", self.tok.pos)

    # -- grammar
    def parse(self) -> Node:
        node = self.or_expr()
        if self.tok.kind != "end":
            raise ParseError(f'unexpected "{self.tok.text}" (a missing "and" or "or"?)',
                             self.tok.pos)
        return node

    def or_expr(self) -> Node:
        pos = self.tok.pos
        items = [self.and_expr()]
        while self.at("or"):
            self.take()
            items.append(self.and_expr())
        return items[0] if len(items) == 1 else Or(tuple(items), pos)

    def and_expr(self) -> Node:
        pos = self.tok.pos
        items = [self.not_expr()]
        while self.at("and"):
            self.take()
            items.append(self.not_expr())
        return items[0] if len(items) == 1 else And(tuple(items), pos)

    def not_expr(self) -> Node:
        if self.at("not"):
            pos = self.take().pos
            self.nest()
            node = Not(self.not_expr(), pos)
            self.depth -= 1
            return node
        return self.comparison()

    def comparison(self) -> Node:
        left = self.additive()
        pos = self.tok.pos
        if self.at("==", "!=", "<", "<=", ">", ">="):
            op = self.take().text
            right = self.additive()
            if isinstance(left, Count) or isinstance(right, Count):
                return self._count(left, op, right, pos)
            return Compare(op, left, right, pos)
        if self.at("in"):
            self.take()
            return Compare("in", left, self.additive(), pos)
        if self.at("not") and self.peek().text == "in":
            self.take(), self.take()
            return Compare("not_in", left, self.additive(), pos)
        if self.at("contains"):
            self.take()
            return Compare("contains", left, self.additive(), pos)
        if self.at("is"):
            self.take()
            negated = False
            if self.at("not"):
                self.take()
                negated = True
            word = self.take()
            if word.text in ("known", "unknown"):
                if not isinstance(left, Name):
                    raise ParseError('"is known" and "is unknown" apply to a fact name', pos)
                return IsKnown(left, (word.text == "known") != negated, pos)
            if word.text == "empty":
                return IsEmpty(left, not negated, pos)
            raise ParseError('after "is" write "known", "unknown", "empty" or "not empty"',
                             word.pos)
        if isinstance(left, Count):
            raise ParseError("compare a count with a number, e.g. count(...) >= 2", pos)
        return left

    def _count(self, left, op, right, pos) -> Count:
        if not isinstance(left, Count) or not isinstance(right, Num) or op not in (">=", ">"):
            raise ParseError('write counts as "count(pattern) >= N" or "count(pattern) > N"', pos)
        n = int(right.value) + (1 if op == ">" else 0)
        if right.value != int(right.value) or not 1 <= n <= 6:
            raise ParseError("a count can require from 1 to 6 findings", right.pos)
        return Count(left.pattern, n, pos)

    def additive(self) -> Node:
        node, depth = self.term(), self.depth
        while self.at("+", "-"):
            op = self.take()
            self.nest()  # a chain builds a tree as deep as it is long
            node = Arith(op.text, node, self.term(), op.pos)
        self.depth = depth
        return node

    def term(self) -> Node:
        node, depth = self.unary(), self.depth
        while self.at("*", "/"):
            op = self.take()
            self.nest()
            node = Arith(op.text, node, self.unary(), op.pos)
        self.depth = depth
        return node

    def unary(self) -> Node:
        if self.at("-"):
            pos = self.take().pos
            self.nest()
            node = Neg(self.unary(), pos)
            self.depth -= 1
            return node
        return self.atom()

    def atom(self) -> Node:
        t = self.tok
        if t.kind == "num":
            if len(t.text) > MAX_NUMBER_CHARS:
                raise ParseError(f"a number of more than {MAX_NUMBER_CHARS} characters: use a "
                                 "parameter or a smaller unit", t.pos)
            self.take()
            return Num(float(t.text) if "." in t.text else int(t.text), t.pos)
        if t.kind == "str":
            self.take()
            return Str(t.text[1:-1], t.pos)
        if self.at("("):
            self.take()
            self.nest()
            node = self.or_expr()
            self.depth -= 1
            self.expect(")")
            return node
        if self.at("["):
            return self.list_literal()
        if t.kind == "name":
            if t.text in ("true", "false"):
                self.take()
                return Bool(t.text == "true", t.pos)
            if t.text in KEYWORDS:
                raise ParseError(f'"{t.text}" cannot start a value here', t.pos)
            if t.text.startswith("_"):
                raise ParseError(_UNDERSCORE, t.pos)
            self.take()
            if self.at("("):
                return self.call(t)
            return Name(t.text, t.pos)
        found = t.text or "the end of the condition"
        raise ParseError(f'expected a fact, a number or a quoted value but found "{found}"', t.pos)

    def list_literal(self) -> ListLit:
        pos = self.take().pos
        items = []
        while not self.at("]"):
            if self.at("["):
                raise ParseError("a list cannot hold another list", self.tok.pos)
            item = self.atom()
            if not isinstance(item, (Str, Num, Bool)):
                raise ParseError("a list holds only quoted values, numbers, true or false",
                                 item.pos)
            items.append(item)
            if not self.at("]"):
                self.expect(",")
        self.take()
        return ListLit(tuple(items), pos)

    def call(self, name_tok: Token) -> Node:
        fname, pos = name_tok.text, name_tok.pos
        self.take()  # (
        self.nest()
        args, kwargs = [], []
        while not self.at(")"):
            if self.tok.kind == "name" and self.peek().text == "=" and self.peek().kind == "op":
                key = self.take().text
                self.take()
                kwargs.append((key, self.call_value()))
            else:
                if kwargs:
                    raise ParseError("positional values come before name=value ones",
                                     self.tok.pos)
                args.append(self.or_expr() if fname in ARITH_FUNCS + ("count",)
                            else self.call_value())
            if not self.at(")"):
                self.expect(",")
        self.take()
        self.depth -= 1
        return self.build_call(fname, args, kwargs, pos)

    def call_value(self):
        """A call argument that is a literal or a bare identifier (a finding or rule id)."""
        t = self.tok
        if t.kind == "name" and t.text not in ("true", "false"):
            if t.text.startswith("_"):
                raise ParseError(_UNDERSCORE, t.pos)
            self.take()
            return Name(t.text, t.pos)
        return self.atom()

    def build_call(self, fname: str, args: list, kwargs: list, pos: int) -> Node:
        if fname in ARITH_FUNCS:
            if kwargs or not args or (fname == "abs" and len(args) != 1):
                raise ParseError(f"{fname}() takes {'one value' if fname == 'abs' else 'values'}",
                                 pos)
            return Func(fname, tuple(args), pos)
        if fname == "count":
            if len(args) != 1 or kwargs or not isinstance(args[0], FindingPattern):
                raise ParseError("count() takes one pattern, e.g. count(barrier(severity="
                                 "'significant'))", pos)
            return Count(args[0], 0, pos)  # completed by the comparison
        if fname == "fired":
            if len(args) != 1 or kwargs or not isinstance(args[0], (Str, Name)):
                raise ParseError("fired() takes one rule id, e.g. fired('RK-3')", pos)
            return Fired(_text_of(args[0]), pos)
        if fname == "finding" and len(args) == 1 and not kwargs:
            if not isinstance(args[0], (Str, Name)):
                raise ParseError("finding() takes a finding id", pos)
            return FindingRef(_text_of(args[0]), pos)
        if fname in PATTERN_KINDS:
            if args:
                raise ParseError(f"{fname}() takes only name=value attributes, e.g. "
                                 f"{fname}(factor='risks')", pos)
            attrs = []
            for key, value in kwargs:
                if key not in PATTERN_ATTRS:
                    raise ParseError(f'unknown attribute "{key}" (use one of '
                                     f'{", ".join(PATTERN_ATTRS)})', pos)
                attrs.append((key, _literal_of(value)))
            return FindingPattern(PATTERN_KINDS[fname], tuple(attrs), pos)
        raise ParseError(f'unknown function "{fname}" (use finding, barrier, enabler, note, '
                         'count, fired, min, max or abs)', pos)


def _text_of(node) -> str:
    return node.value if isinstance(node, Str) else node.name


def _literal_of(node):
    if isinstance(node, (Str, Num, Bool)):
        return node.value
    if isinstance(node, ListLit):
        return tuple(i.value for i in node.items)
    if isinstance(node, Name):
        return node.name
    raise ParseError("an attribute takes a quoted value, a list, true or false", node.pos)


def parse(text: str) -> Node:
    """Parse one condition or value expression; raise ``ParseError`` with the offset."""
    if not isinstance(text, str) or not text.strip():
        raise ParseError("empty condition", 0)
    node = _Parser(text).parse()
    for inner in walk(node):  # a count inside arithmetic or a function was never compared
        if isinstance(inner, Count) and inner.at_least == 0:
            raise ParseError("compare a count with a number, e.g. count(...) >= 2", inner.pos)
    return node


@dataclass(frozen=True)
class Placeholder:
    """``{expression}`` or ``{expression:format}`` inside a text template."""

    node: Node
    fmt: str
    pos: int


_FORMAT_SPEC = re.compile(r"^[<>^]?\d{0,3}(?:\.\d{1,2})?[fd%]?$")


def parse_template(text: str) -> list:
    """Split a template into literal strings and placeholders; ``{{`` and ``}}`` are braces."""
    parts, buf, i = [], [], 0
    while i < len(text):
        ch = text[i]
        if ch in "{}" and text[i + 1:i + 2] == ch:
            buf.append(ch)
            i += 2
            continue
        if ch == "}":
            raise ParseError('a "}" without its "{" (write "}}" for a brace)', i)
        if ch == "{":
            end = text.find("}", i)
            if end < 0:
                raise ParseError('a "{" without its "}" (write "{{" for a brace)', i)
            inner = text[i + 1:end]
            expr, _, fmt = inner.partition(":") if ":" in inner else (inner, "", "")
            if fmt and not _FORMAT_SPEC.match(fmt):
                raise ParseError(f'format "{fmt}" not understood (use e.g. ".0f")', i)
            if buf:
                parts.append("".join(buf))
                buf = []
            try:
                node = parse(expr)
            except ParseError as exc:
                raise ParseError(exc.message, i + 1 + exc.pos) from None
            parts.append(Placeholder(node, fmt, i + 1))
            i = end + 1
            continue
        buf.append(ch)
        i += 1
    if buf:
        parts.append("".join(buf))
    return parts


def walk(node):
    """Yield a node and all nodes below it."""
    yield node
    for child in children(node):
        yield from walk(child)


def children(node) -> tuple:
    if isinstance(node, (And, Or)):
        return node.items
    if isinstance(node, (Not, Neg)):
        return (node.operand,)
    if isinstance(node, IsKnown):
        return (node.operand,)
    if isinstance(node, IsEmpty):
        return (node.operand,)
    if isinstance(node, (Arith, Compare)):
        return (node.left, node.right)
    if isinstance(node, Func):
        return node.args
    if isinstance(node, ListLit):
        return node.items
    if isinstance(node, Count):
        return (node.pattern,)
    return ()


def names_in(node) -> set[str]:
    """Bare names (facts, derived facts, parameters) that an expression reads."""
    return {n.name for n in walk(node) if isinstance(n, Name)}


def to_text(node) -> str:
    """Render a node back to the condition language (for docs, lint and traces)."""
    if isinstance(node, Num):
        v = node.value
        # positional notation: the language has no exponents ("1e-07" would not read back)
        return str(int(v)) if float(v).is_integer() else format(Decimal(repr(v)), "f")
    if isinstance(node, Str):
        return _quoted(node.value)
    if isinstance(node, Bool):
        return "true" if node.value else "false"
    if isinstance(node, ListLit):
        return "[" + ", ".join(to_text(i) for i in node.items) + "]"
    if isinstance(node, Name):
        return node.name
    if isinstance(node, Neg):
        return "-" + _operand(node.operand)
    if isinstance(node, Arith):
        return f"{_operand(node.left, Neg)} {node.op} {_operand(node.right, Neg)}"
    if isinstance(node, Func):
        return f"{node.name}(" + ", ".join(to_text(a) for a in node.args) + ")"
    if isinstance(node, Compare):
        op = {"not_in": "not in"}.get(node.op, node.op)
        return f"{_operand(node.left, Arith, Neg)} {op} {_operand(node.right, Arith, Neg)}"
    if isinstance(node, IsKnown):
        return f"{node.operand.name} is {'known' if node.known else 'unknown'}"
    if isinstance(node, IsEmpty):
        return f"{_operand(node.operand, Arith, Neg)} is {'empty' if node.empty else 'not empty'}"
    if isinstance(node, Not):
        return "not " + _paren(node.operand)
    if isinstance(node, And):
        return " and ".join(_paren(i) for i in node.items)
    if isinstance(node, Or):
        return " or ".join(_paren(i) for i in node.items)
    if isinstance(node, FindingRef):
        plain = re.fullmatch(r"[A-Za-z_][A-Za-z0-9_]*", node.finding) and \
            node.finding not in KEYWORDS
        return f"finding({node.finding if plain else _quoted(node.finding)})"
    if isinstance(node, FindingPattern):
        attrs = ", ".join(f"{k}={_attr_text(v)}" for k, v in node.attrs)
        return f"{node.kind or 'finding'}({attrs})"
    if isinstance(node, Count):
        return f"count({to_text(node.pattern)}) >= {node.at_least}"
    if isinstance(node, Fired):
        return f"fired({_quoted(node.rule)})"
    return str(node)


def _attr_text(v) -> str:
    if isinstance(v, tuple):
        return "[" + ", ".join(_attr_text(i) for i in v) + "]"
    if isinstance(v, bool):
        return "true" if v else "false"
    return _quoted(v) if isinstance(v, str) else to_text(Num(v))


def _quoted(text: str) -> str:
    """Quote text as the tokenizer reads it back (it knows no backslash escapes)."""
    return f'"{text}"' if "'" in text else f"'{text}'"


_ATOMS = (Num, Str, Bool, ListLit, Name, Func, FindingRef, FindingPattern, Fired)


def _operand(node, *binds_tighter) -> str:
    """An operand in brackets unless it is an atom or binds more tightly than its operator."""
    text = to_text(node)
    return text if isinstance(node, _ATOMS + binds_tighter) else f"({text})"


def _paren(node) -> str:
    text = to_text(node)
    return f"({text})" if isinstance(node, (And, Or, Arith)) else text
