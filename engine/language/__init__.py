"""The condition language: conditions and value expressions as knowledge engineers write them.

    text --lexer--> tokens --parser (+ functions)--> syntax tree --printer--> text
                     syntax tree --kleene / compiled--> True, False or None (unknown)
                     syntax tree --normal_form--> parameters substituted, DNF (for compilers)
    template text --templates--> literal parts and placeholders --render--> officer's text

Must not: import experta or the knowledge base; do I/O; ``eval`` anything.

The package exports the syntax tree and the parse/print entry points, so callers write
``from engine import language as c`` and then ``c.parse(text)``, ``c.walk(node)``, ``c.Name``.
Evaluation lives in ``engine.language.kleene`` (tree walking) and ``.compiled`` (closures), both
on the primitive operations of ``.arithmetic``; ``.formatting`` shows a value as an officer reads
it.
"""
from engine.errors import ParseError

from .lexer import KEYWORDS, MAX_EXPRESSION_CHARS, MAX_NESTING, MAX_NUMBER_CHARS, tokenize
from .parser import parse
from .printer import to_text
from .syntax import (
    ARITH_FUNCS, PATTERN_ATTRS, PATTERN_KINDS, And, Arith, Bool, Compare, Count, FindingPattern,
    FindingRef, Fired, Func, IsEmpty, IsKnown, ListLit, Name, Neg, Node, Not, Num, Or, Str,
    children, names_in, walk,
)
from .templates import Placeholder, parse_template

__all__ = [
    "ARITH_FUNCS", "KEYWORDS", "MAX_EXPRESSION_CHARS", "MAX_NESTING", "MAX_NUMBER_CHARS",
    "PATTERN_ATTRS", "PATTERN_KINDS", "And", "Arith", "Bool", "Compare", "Count", "FindingPattern",
    "FindingRef", "Fired", "Func", "IsEmpty", "IsKnown", "ListLit", "Name", "Neg", "Node", "Not",
    "Num", "Or", "ParseError", "Placeholder", "Str", "children", "names_in", "parse",
    "parse_template", "to_text", "tokenize", "walk",
]
