"""The condition language compiled to closures, for the rules' predicates and the result.

``compile_holds(node)`` gives ``values -> holds(node, State(values))`` with the tree walked once,
at compile time: the compiled rules test input facts hundreds of times per consultation.
``compile_evaluate(node)`` gives ``state -> evaluate(node, state)`` for any condition, findings,
counts, firings and the verdict included: the result re-reads every rule's conditions on the
final state of each consultation. Both give the same result as ``kleene`` for every input (node
types without a closure of their own are handed to ``kleene.evaluate`` itself).

Must not: do I/O or know about experta; give any answer ``kleene`` would not.
Entry points: ``compile_holds(node) -> (values -> bool)``,
``compile_evaluate(node) -> (State -> True | False | None | value)``.
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
        value = _compile(node, _on_values)
    except RecursionError:  # too deep to compile: evaluate it as it is
        def value(values):
            return evaluate(node, State(values))

    def compiled_holds(values) -> bool:
        try:
            return value(values) is True
        except (TypeError, ValueError, OverflowError, RecursionError):
            return False
    return compiled_holds


def compile_evaluate(node):
    """``state -> evaluate(node, state)`` (a ``kleene.State``), with the tree walked once."""
    try:
        return _compile(node, _on_state)
    except RecursionError:  # too deep to compile: evaluate it as it is
        return lambda state: evaluate(node, state)


def _on_values(node):
    """The closure of a leaf, or of a node without one of its own, reading a dict of values."""
    if type(node) is c.Name:
        name = node.name
        return lambda values: values.get(name)  # "verdict" too: a TEST binds it by that name
    return lambda values: evaluate(node, State(values))


def _on_state(node):
    """The closure of a leaf, or of a node without one of its own, reading a ``State``."""
    t = type(node)
    if t is c.Name:
        name = node.name
        if name == "verdict":  # as kleene: the state's, or a value bound by that name
            return lambda state: (state.verdict if state.verdict is not None
                                  else state.values.get("verdict"))
        return lambda state: state.values.get(name)
    if t is c.FindingRef:
        finding = node.finding
        return lambda state: finding in state.findings
    if t is c.Fired:
        rule = node.rule
        return lambda state: rule in state.fired
    return lambda state: evaluate(node, state)


def _compile(node, leaf):
    """A closure ``x -> evaluate(node, ...)``; ``leaf`` makes those of names and of the node
    types not compiled here, and decides what ``x`` is (a dict of values, or a ``State``)."""
    t = type(node)
    if t is c.Num or t is c.Str or t is c.Bool or t is c.ListLit:
        constant = evaluate(node, State({}))
        return lambda x: constant
    if t is c.Compare or t is c.Arith:
        op, left, right = node.op, _compile(node.left, leaf), _compile(node.right, leaf)
        combine = compare if t is c.Compare else arith
        return lambda x: combine(op, left(x), right(x))
    if t is c.And or t is c.Or:
        items = tuple(_compile(i, leaf) for i in node.items)
        junction = and3 if t is c.And else or3
        return lambda x: junction(item(x) for item in items)
    if t is c.Not or t is c.IsKnown or t is c.IsEmpty or t is c.Neg:
        operand = _compile(node.operand, leaf)
        if t is c.Not:
            return lambda x: not3(operand(x))
        if t is c.IsKnown:
            known = node.known
            return lambda x: (operand(x) is not None) == known
        if t is c.IsEmpty:
            empty = node.empty
            return lambda x: is_empty(operand(x), empty)
        return lambda x: neg(operand(x))
    return leaf(node)
