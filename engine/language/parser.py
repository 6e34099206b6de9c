"""The condition language's parser: tokens (``lexer``) to a ``syntax`` tree, or a
``ParseError`` with the offset of the slip. A recursive descent, one method per level of the
grammar, from ``or`` down to atoms; what a function call means is ``functions``' business.

Must not: run anything; know about facts (``knowledge.typecheck`` resolves names, ``kleene``
evaluates).
Entry point: ``parse(text) -> Node``.
"""
from __future__ import annotations

from engine.errors import ParseError

from .functions import EXPRESSION_ARGS, build_call
from .lexer import KEYWORDS, MAX_NESTING, MAX_NUMBER_CHARS, UNDERSCORE_HINT, Token, tokenize
from .syntax import (
    And, Arith, Bool, Compare, Count, IsEmpty, IsKnown, ListLit, Name, Neg, Node, Not, Num, Or,
    Str, walk,
)


class _Parser:
    """One parse of one text: its tokens, the current one, and how deeply the tree nests so far
    (``nest`` refuses more than ``MAX_NESTING``, before Python's own recursion limit)."""

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

    def close(self, text: str, opened: Token) -> Token:
        """The bracket ``text`` that closes ``opened``; at the end of the text the slip is the
        bracket left open, so it is reported where it opens."""
        if self.tok.kind == "end":
            raise ParseError(f'"{opened.text}" is never closed: add "{text}"', opened.pos)
        if not self.at(text):
            self.operator_slip()
            raise ParseError(f'expected "{text}" to close the "{opened.text}" at column '
                             f'{opened.pos + 1} but found "{self.tok.text}"', self.tok.pos)
        return self.take()

    def separator(self, closing: str, opened: Token) -> None:
        """The "," between two items of a list or call opened by ``opened``."""
        if self.tok.kind == "end":
            self.close(closing, opened)
        self.operator_slip()
        self.expect(",")

    def operator_slip(self) -> None:
        """A ``ParseError`` naming the operator meant, when the current token starts one that is
        written another way here: ``=`` ``=<`` ``=>`` ``<>``."""
        t, after = self.tok, self.peek()
        if t.kind != "op":
            return
        adjacent = after.kind == "op" and after.pos == t.pos + len(t.text)
        if t.text == "=" and adjacent and after.text in ("<", ">"):
            raise ParseError(f'"={after.text}" is written "{after.text}=" here', t.pos)
        if t.text == "=":
            raise ParseError('"=" is not a comparison: write "==" to test a value (a single "=" '
                             "only gives a pattern's attribute, as in barrier(factor='risks'))",
                             t.pos)
        if t.text == "<" and adjacent and after.text == ">":
            raise ParseError('"<>" is written "!=" here (is not equal)', t.pos)

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
            self.operator_slip()
            if self.at(")"):
                raise ParseError('")" closes no "(": remove it or add the "(" it closes',
                                 self.tok.pos)
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
        self.operator_slip()
        if self.at("==", "!=", "<", "<=", ">", ">="):
            op = self.take().text
            right = self.additive()
            if isinstance(left, Count) or isinstance(right, Count):
                return self._count(left, op, right, pos)
            return Compare(op, left, right, pos)
        if self.at("in", "contains"):
            return Compare(self.take().text, left, self.additive(), pos)
        if self.at("not") and self.peek().text == "in":
            self.take(), self.take()
            return Compare("not_in", left, self.additive(), pos)
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
            opened = self.take()
            self.nest()
            node = self.or_expr()
            self.depth -= 1
            self.close(")", opened)
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
                raise ParseError(UNDERSCORE_HINT, t.pos)
            self.take()
            if self.at("("):
                return self.call(t)
            return Name(t.text, t.pos)
        found = t.text or "the end of the condition"
        raise ParseError(f'expected a fact, a number or a quoted value but found "{found}"', t.pos)

    def list_literal(self) -> ListLit:
        opened = self.take()
        pos = opened.pos
        items = []
        while not self.at("]"):
            if self.tok.kind == "end":
                self.close("]", opened)
            if self.at("["):
                raise ParseError("a list cannot hold another list", self.tok.pos)
            item = self.atom()
            if not isinstance(item, (Str, Num, Bool)):
                raise ParseError("a list holds only quoted values, numbers, true or false",
                                 item.pos)
            items.append(item)
            if not self.at("]"):
                self.separator("]", opened)
        self.take()
        return ListLit(tuple(items), pos)

    def call(self, name_tok: Token) -> Node:
        fname, pos = name_tok.text, name_tok.pos
        opened = self.take()
        self.nest()
        args, kwargs = [], []
        while not self.at(")"):
            if self.tok.kind == "end":
                self.close(")", opened)
            if self.tok.kind == "name" and self.peek().text == "=" and self.peek().kind == "op":
                key = self.take().text
                self.take()
                kwargs.append((key, self.call_value()))
            else:
                if kwargs:
                    raise ParseError("positional values come before name=value ones",
                                     self.tok.pos)
                args.append(self.or_expr() if fname in EXPRESSION_ARGS else self.call_value())
            if not self.at(")"):
                self.separator(")", opened)
        self.take()
        self.depth -= 1
        return build_call(fname, args, kwargs, pos)

    def call_value(self):
        """A call argument that is a literal or a bare identifier (a finding or rule id)."""
        t = self.tok
        if t.kind == "name" and t.text not in ("true", "false"):
            if t.text.startswith("_"):
                raise ParseError(UNDERSCORE_HINT, t.pos)
            self.take()
            return Name(t.text, t.pos)
        return self.atom()


def parse(text: str) -> Node:
    """Parse one condition or value expression; raise ``ParseError`` with the offset."""
    if not isinstance(text, str) or not text.strip():
        raise ParseError("empty condition", 0)
    node = _Parser(text).parse()
    for inner in walk(node):  # a count inside arithmetic or a function was never compared
        if isinstance(inner, Count) and inner.at_least == 0:
            raise ParseError("compare a count with a number, e.g. count(...) >= 2", inner.pos)
    return node


