"""The condition language compiled to closures, for the rules' predicates.

``compile_holds(node)`` gives ``values -> holds(node, State(values))`` with the tree walked once,
at compile time: the compiled rules test input facts hundreds of times per consultation. Same
result as ``kleene.evaluate`` for every input (node types other than plain expressions fall back
to it).

Must not: do I/O or know about experta; give any answer ``kleene`` would not.
Entry point: ``compile_holds(node) -> (values -> bool)``.
"""
from __future__ import annotations

from . import syntax as c
from .arithmetic import and3, arith, compare, is_empty, neg, not3, or3
from .kleene import State, evaluate


def compile_holds(node):
    """``values -> holds(node, State(values))``, with the tree walked once, here.

    The compiled rules test input facts hundreds of times per consultation; a closure per node
    costs a fraction of ``evaluate``'s dispatch on the node type at every call. Same result for
    every input: node types other than the plain expressions below use ``evaluate`` itself."""
    try:
        value = _compile(node)
    except RecursionError:  # too deep to compile: evaluate it as it is
        def value(values):
            return evaluate(node, State(values))

    def compiled_holds(values) -> bool:
        try:
            return value(values) is True
        except (TypeError, ValueError, OverflowError, RecursionError):
            return False
    return compiled_holds


def _compile(node):
    """A closure ``values -> evaluate(node, State(values))`` (no findings, firings or verdict)."""
    t = type(node)
    if t is c.Num or t is c.Str or t is c.Bool or t is c.ListLit:
        constant = evaluate(node, State({}))
        return lambda values: constant
    if t is c.Name:
        name = node.name
        return lambda values: values.get(name)  # "verdict" too: a TEST binds it by that name
    if t is c.Compare or t is c.Arith:
        op, left, right = node.op, _compile(node.left), _compile(node.right)
        combine = compare if t is c.Compare else arith
        return lambda values: combine(op, left(values), right(values))
    if t is c.And or t is c.Or:
        items = tuple(_compile(i) for i in node.items)
        junction = and3 if t is c.And else or3
        return lambda values: junction(item(values) for item in items)
    if t is c.Not or t is c.IsKnown or t is c.IsEmpty or t is c.Neg:
        operand = _compile(node.operand)
        if t is c.Not:
            return lambda values: not3(operand(values))
        if t is c.IsKnown:
            known = node.known
            return lambda values: (operand(values) is not None) == known
        if t is c.IsEmpty:
            empty = node.empty
            return lambda values: is_empty(operand(values), empty)
        return lambda values: neg(operand(values))
    return lambda values: evaluate(node, State(values))

