"""The condition language's functions: what each takes and the node a call builds.

``finding(id)``, ``barrier(...)``, ``enabler(...)``, ``note(...)`` and ``finding(...)`` with
attributes (finding patterns), ``count(pattern)``, ``fired(rule id)``, ``min``, ``max`` and
``abs``. The parser reads a call's arguments; this module checks them against the function and
builds the node, or raises ``ParseError`` at the call.

Must not: read tokens (``parser`` does); resolve names or evaluate.
Entry point: ``build_call(name, args, kwargs, pos) -> Node``.
"""
from __future__ import annotations

from engine.errors import ParseError

from .syntax import (
    ARITH_FUNCS, PATTERN_ATTRS, PATTERN_KINDS, Bool, Count, FindingPattern, FindingRef, Fired,
    Func, ListLit, Name, Node, Num, Str,
)

# Functions whose positional arguments are whole expressions; the others take literal values
# or bare ids.
EXPRESSION_ARGS = ARITH_FUNCS + ("count",)


def build_call(fname: str, args: list, kwargs: list, pos: int) -> Node:
    """The node of ``fname(args..., key=value...)``: ``args`` are nodes, ``kwargs`` a list of
    ``(key, node)``, ``pos`` the offset of the function name. A ``Count`` comes back with
    ``at_least`` 0: the comparison around it completes it."""
    if fname in ARITH_FUNCS:
        if kwargs or not args or (fname == "abs" and len(args) != 1):
            raise ParseError(f"{fname}() takes {'one value' if fname == 'abs' else 'values'}",
                             pos)
        return Func(fname, tuple(args), pos)
    if fname == "count":
        if len(args) != 1 or kwargs or not isinstance(args[0], FindingPattern):
            raise ParseError("count() takes one pattern, e.g. count(barrier(severity="
                             "'significant'))", pos)
        return Count(args[0], 0, pos)
    if fname == "fired":
        if len(args) != 1 or kwargs or not isinstance(args[0], (Str, Name)):
            raise ParseError("fired() takes one rule id, e.g. fired('RK-3')", pos)
        return Fired(_text_of(args[0]), pos)
    if fname == "finding" and len(args) == 1 and not kwargs:
        if not isinstance(args[0], (Str, Name)):
            raise ParseError("finding() takes a finding id", pos)
        return FindingRef(_text_of(args[0]), pos)
    if fname in PATTERN_KINDS:
        return _pattern(fname, args, kwargs, pos)
    raise ParseError(f'unknown function "{fname}" (use finding, barrier, enabler, note, '
                     'count, fired, min, max or abs)', pos)


def _pattern(fname: str, args: list, kwargs: list, pos: int) -> FindingPattern:
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
