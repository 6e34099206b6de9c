"""experta's RETE matcher, minus work it repeats on every consultation.

The network is experta's own (same nodes, same matching), with three kinds of repeated work
removed:
- ``reset`` recursed through the node tree, visiting shared nodes once per parent (about 1,700
  visits for 200 rules); here each node with a memory is wiped once.
- ``changes`` asked every conflict-set node for its activations after every declaration; here
  only the nodes that have something to report are asked.
- every node copied each token it received (a new set, a new dict, a validated namedtuple), so
  that the one node that changes a token, the feature tester adding bindings, could do so in
  place. Here the feature tester builds a new token when it adds bindings and no node copies:
  no node changes a token it received, so sharing one is safe.
No I/O.

Entry point: ``LeanReteMatcher`` (an experta ``__matcher__``).
"""
from __future__ import annotations  # noqa: I001 - experta after compat

from collections.abc import Mapping

from .compat import experta  # noqa: F401 - compat first: it makes experta importable
from experta.matchers.rete import ReteMatcher
from experta.matchers.rete.abstract import OneInputNode, TwoInputNode
from experta.matchers.rete.mixins import ChildNode, NoMemory
from experta.matchers.rete.nodes import FeatureTesterNode
from experta.matchers.rete.token import Token


class LeanReteMatcher(ReteMatcher):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        nodes, seen, stack = [], set(), [self.root_node]
        while stack:
            node = stack.pop()
            if id(node) in seen:
                continue
            seen.add(id(node))
            nodes.append(node)
            stack.extend(child.node for child in node.children)
        self._memory_nodes = tuple(n for n in nodes if type(n)._reset is not NoMemory._reset)
        for node in nodes:
            _without_copies(node)
        for node in nodes:  # callbacks were bound before the classes changed: bind them again
            node.children[:] = [ChildNode(c.node, getattr(c.node, c.callback.__name__))
                                for c in node.children]
        self._conflict_sets = self._get_conflict_set_nodes()

    def reset(self):
        for node in self._memory_nodes:
            node._reset()

    def changes(self, adding=None, deleting=None):
        root = self.root_node
        if deleting is not None:
            for fact in deleting:
                root.remove(fact)
        if adding is not None:
            for fact in adding:
                root.add(fact)
        added, removed = [], []
        for csn in self._conflict_sets:
            if csn.added or csn.removed:
                a, r = csn.get_activations()
                added.extend(a)
                removed.extend(r)
        return added, removed



_new_token = tuple.__new__


def _lean_feature_activate(self, token):
    """``FeatureTesterNode._activate`` without changing (or copying) the received token."""
    fact = next(iter(token.data))
    match = self.matcher(fact)
    if not match:
        return
    if isinstance(match, Mapping):
        context = token.context
        for key, value in match.items():
            if isinstance(key, tuple):  # a negated binding
                if key[1] in context and context[key[1]] == value:
                    return
            else:
                if context.get(key, value) != value:
                    return
                if (False, key) in context and context[(False, key)] == value:
                    return
        context = dict(context)
        context.update(match)
        token = _new_token(Token, (token.tag, token.data, context))
    for child in self.children:
        child.callback(token)


def _pass_one(self, token):
    return self._activate(token)


def _pass_left(self, token):
    return self._activate_left(token)


def _pass_right(self, token):
    return self._activate_right(token)


_LEAN_CLASSES: dict = {}


def _without_copies(node) -> None:
    """Give ``node`` a subclass of its class whose activations do not copy the token."""
    cls = type(node)
    lean = _LEAN_CLASSES.get(cls)
    if lean is None:
        if issubclass(cls, FeatureTesterNode):
            attrs = {"activate": _lean_feature_activate}
        elif issubclass(cls, OneInputNode):
            attrs = {"activate": _pass_one}
        elif issubclass(cls, TwoInputNode):
            attrs = {"activate_left": _pass_left, "activate_right": _pass_right}
        else:
            return
        lean = _LEAN_CLASSES[cls] = type("Lean" + cls.__name__, (cls,), attrs)
    node.__class__ = lean
