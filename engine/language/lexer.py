"""The condition language's tokenizer: text to tokens (numbers, strings, names, operators),
or a ``ParseError`` at the offset of the first character that starts no token. Also states
the language's limits (length, nesting, digits) and its keywords.

Must not: parse or evaluate.
Entry point: ``tokenize(text) -> list[Token]``.
"""
from __future__ import annotations

import re
from dataclasses import dataclass

from engine.errors import ParseError

MAX_EXPRESSION_CHARS = 2000
MAX_NESTING = 40
MAX_NUMBER_CHARS = 20  # a longer literal would not fit a float (or print) exactly

_TOKEN = re.compile(r"""
    (?P<ws>\s+)
  | (?P<num>\d+(?:\.\d+)?)
  | (?P<str>'[^'\\\n]*'|"[^"\\\n]*")
  | (?P<name>[A-Za-z_][A-Za-z0-9_]*)
  | (?P<op>==|!=|<=|>=|<|>|\+|-|\*|/|\(|\)|\[|\]|,|=)
""", re.VERBOSE)

UNDERSCORE_HINT = ('a name cannot start with "_" (facts, parameters and ids start with a letter; '
               "nothing outside the knowledge base can be reached)")
# Characters other languages use for what this one writes in words or with straight quotes.
CHARACTER_HINTS = {
    "&&": '"&&" is written "and" here', "||": '"||" is written "or" here',
    "&": '"&" is written "and" here', "|": '"|" is written "or" here',
    "!": '"!" is written "not" here ("!=" means "is not equal")',
}
CURLY_QUOTES = "\u2018\u2019\u201a\u201b\u201c\u201d\u201e\u201f\u00ab\u00bb\u2032\u2033"
KEYWORDS = {"and", "or", "not", "in", "is", "contains", "known", "unknown", "empty", "true",
            "false"}


@dataclass(frozen=True)
class Token:
    kind: str  # num str name op end
    text: str
    pos: int


def tokenize(text: str) -> list[Token]:
    """The tokens of ``text``, ending with one of kind "end" at ``len(text)``; ``ParseError``
    for a text over ``MAX_EXPRESSION_CHARS`` or a character that starts no token."""
    if len(text) > MAX_EXPRESSION_CHARS:
        raise ParseError(f"condition longer than {MAX_EXPRESSION_CHARS} characters", 0)
    tokens, pos = [], 0
    while pos < len(text):
        m = _TOKEN.match(text, pos)
        if not m:
            raise ParseError(_unexpected(text, pos), pos)
        kind = m.lastgroup
        if kind != "ws":
            tokens.append(Token(kind, m.group(), pos))
        pos = m.end()
    tokens.append(Token("end", "", len(text)))
    return tokens


def _unexpected(text: str, pos: int) -> str:
    """What to say about a character that starts no token, with what was probably meant."""
    ch = text[pos]
    if ch in CURLY_QUOTES:
        return (f"unexpected curly quote {ch!r} (pasted from a word processor?): write "
                "straight quotes, 'text' or \"text\"")
    for written, hint in CHARACTER_HINTS.items():
        if text.startswith(written, pos):
            return f"unexpected {written!r}: {hint}"
    if ch in "'\"":
        return f"unexpected character {ch!r} (strings need matching quotes on one line)"
    return f"unexpected character {ch!r}"
