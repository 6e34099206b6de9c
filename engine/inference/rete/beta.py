"""experta's beta-network nodes, doing the same joins with less work per token.

``matcher.LeanReteMatcher`` lets experta wire the beta network (``wire_rule``: joins, negations,
``TEST`` nodes, conflict-set nodes), then gives each node one of the subclasses below. Each does
exactly what experta's node does (same memories in content, same tokens sent on, same
activations) but:
- no token is copied on arrival (experta copied set, dict and a validated namedtuple at every
  node); no node here changes a token it received, so sharing one is safe;
- memories hold a token's own data set and context dict, not frozen copies that the next match
  thaws again with ``dict(...)``; a memory entry is frozen only where it must be a dict key;
- nothing is logged unless experta's ``MATCH`` watcher is on (``matcher`` sets ``LOG`` before
  each batch of changes); then joins and tests log what experta's nodes logged.
Negation nodes are ``negation.LeanNot``; the token helpers they share are in ``tokens``.
No I/O. Entry point: ``make_lean(node)``.
"""
from __future__ import annotations  # noqa: I001 - experta after compat

from engine.compat import experta  # noqa: F401 - compat first: it makes experta importable
from experta.activation import Activation
from experta.matchers.rete.abstract import OneInputNode, TwoInputNode
from experta.matchers.rete.check import SameContextCheck, WhereCheck
from experta.matchers.rete.nodes import ConflictSetNode, NotNode, OrdinaryMatchNode, WhereNode
from experta.matchers.rete.token import Token
from experta.watchers import MATCH

from engine.inference.rete.negation import LeanNot
from engine.inference.rete.tokens import _VALID, _frozen, _new_token, _same_context, _Touched

LOG = False  # experta's MATCH watcher is on: log joins and tests as experta's nodes do


class LeanJoin(_Touched, OrdinaryMatchNode):
    """``OrdinaryMatchNode``: pair each token with the other side's matching tokens."""

    def _reset(self):
        self.left_memory = []
        self.right_memory = []

    def activate_left(self, token):
        self._join(token, self.left_memory, self.right_memory, True)

    def activate_right(self, token):
        self._join(token, self.right_memory, self.left_memory, False)

    def _join(self, token, own, other, is_left):
        if not self.dirty:
            self._touch()
        tag, data, context = token
        if tag is _VALID:
            own.append((data, context))
        else:
            try:
                own.remove((data, context))
            except ValueError:
                pass
        if not other:
            return
        check = _same_context if type(self.matcher) is SameContextCheck else self.matcher
        children = self.children
        for other_data, other_context in other:
            left, right = (context, other_context) if is_left else (other_context, context)
            if not check(left, right):
                if LOG:
                    MATCH.debug("%s (%s | %s) = False", "OrdinaryMatchNode", left, right)
                continue
            if LOG:
                MATCH.info("%s (%s | %s) = True", "OrdinaryMatchNode", left, right)
            new_context = {k: v for k, v in context.items() if isinstance(k, str)}
            for k, v in other_context.items():
                if not isinstance(k, tuple):
                    new_context[k] = v
            new = _new_token(Token, (tag, data | other_data, new_context))
            for child in children:
                child.callback(new)


class LeanWhere(WhereNode):
    """``WhereNode``: a ``TEST`` over the token's bindings.

    A test function may carry ``context_test``, the same test reading the context directly
    (``compiler`` gives one to the tests it generates); else it is called as experta calls it,
    with its parameters taken from the context."""

    def _reset(self):
        matcher = self.matcher
        if type(matcher) is not WhereCheck:
            self.direct = matcher
            return
        test, parameters = matcher.test, tuple(matcher.parameters)
        direct = getattr(test, "context_test", None)
        if direct is None:
            def direct(context):
                return test(**{k: context.get(k) for k in parameters})
        self.direct = direct

    def activate(self, token):
        if (self.matcher if LOG else self.direct)(token.context):
            for child in self.children:
                child.callback(token)


class LeanConflictSet(_Touched, ConflictSetNode):
    """``ConflictSetNode``: a complete match becomes (or stops being) an activation."""

    queue: list  # the matcher's list of nodes with news since its last ``changes``
    queued = False

    def activate(self, token):
        if not self.dirty:
            self._touch()
        if not self.queued:
            self.queued = True
            self.queue.append(self)
        tag, data, context = token
        info = _frozen(data, context)
        bound = {k: v for k, v in context.items() if isinstance(k, str)}
        ident = (self.rule, info[0], info[1] if len(bound) == len(context)
                 else frozenset(bound.items()))
        activation = LeanActivation(self.rule, info[0], bound, ident)
        if tag is _VALID:
            if info not in self.memory:
                self.memory.add(info)
                if activation in self.removed:
                    self.removed.remove(activation)
                else:
                    self.added.add(activation)
        else:
            self.memory.remove(info)  # as experta: a KeyError here is a network bug
            if activation in self.added:
                self.added.remove(activation)
            else:
                self.removed.add(activation)


class LeanActivation(Activation):
    """experta's ``Activation`` with its hash computed once. ``ident`` is the tuple experta
    hashes (rule, facts, bindings); the agenda keys its live activations by it."""

    def __init__(self, rule, facts, context, ident):
        super().__init__(rule, facts, context)
        self.ident = ident
        self._hash = hash(ident)

    def __hash__(self):
        return self._hash


def _pass_one(self, token):
    return self._activate(token)


def _pass_left(self, token):
    return self._activate_left(token)


def _pass_right(self, token):
    return self._activate_right(token)


_LEAN = {OrdinaryMatchNode: LeanJoin, NotNode: LeanNot, WhereNode: LeanWhere,
         ConflictSetNode: LeanConflictSet}


def make_lean(node) -> None:
    """Give ``node`` the lean subclass of its class (memories emptied)."""
    cls = type(node)
    lean = _LEAN.get(cls)
    if lean is None:
        if issubclass(cls, OneInputNode):
            attrs = {"activate": _pass_one}
        elif issubclass(cls, TwoInputNode):
            attrs = {"activate_left": _pass_left, "activate_right": _pass_right}
        else:
            return
        lean = _LEAN[cls] = type("Lean" + cls.__name__, (cls,), attrs)
    node.__class__ = lean
    node._reset()
    node.dirty = False
