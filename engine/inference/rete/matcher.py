"""experta's RETE matcher, minus work it repeats on every consultation.

The network is experta's RETE: the rules are prepared by experta (``prepare_rule``) and the beta
network is wired by experta (``wire_rule``: its join, negation, ``TEST`` and conflict-set node
classes). What differs, each part giving the same matches:
- the alpha network is ``alpha.AlphaNetwork``: a fact finds its patterns by its type and by
  dictionary lookup on literal fields, and each pattern's tests run as one compiled function,
  instead of experta's trie of feature tests, each a call and a logger call (about 2,000 per
  consultation);
- the beta nodes are ``beta``'s subclasses of experta's node classes: no token copied at each
  node, memories that need not be thawed, no logging unless experta's ``MATCH`` watcher is on;
- ``reset`` wipes each node with a memory once, and only if the last consultation stored
  something in it (experta recursed through shared nodes about 1,700 times);
- ``changes`` collects activations only from the conflict-set nodes that received a token
  (experta asked all of them after every declaration).
When experta's ``MATCH`` watcher is on (``experta.watchers.watch()``), the alpha tests run
through experta's own check objects and the beta nodes log, so the matching is logged as before.
No I/O. Entry point: ``LeanReteMatcher`` (an experta ``__matcher__``).
"""
from __future__ import annotations  # noqa: I001 - experta after compat

import logging

from engine.compat import experta  # noqa: F401 - compat first: it makes experta importable
from experta.matchers.rete import ReteMatcher
from experta.matchers.rete.mixins import ChildNode, NoMemory
from experta.matchers.rete.nodes import ConflictSetNode
from experta.matchers.rete.token import Token
from experta.watchers import MATCH

from engine.inference.rete import beta
from engine.inference.rete.tokens import _Touched
from engine.inference.rete.alpha import AlphaNetwork

_new_token = tuple.__new__
_VALID, _INVALID = Token.TagType.VALID, Token.TagType.INVALID


class LeanReteMatcher(ReteMatcher):
    """experta's ``ReteMatcher`` with the indexed alpha network and the lean beta nodes."""

    def build_network(self):
        ruleset = self.prepare_ruleset(self.engine)
        self.alpha = AlphaNetwork(ruleset)
        self.build_beta_part(ruleset, self.alpha.terminals)
        nodes, seen, stack = [], set(), list(self.alpha.terminals.values())
        while stack:
            node = stack.pop()
            if id(node) in seen:
                continue
            seen.add(id(node))
            nodes.append(node)
            stack.extend(child.node for child in node.children)
        memory = [n for n in nodes if type(n)._reset is not NoMemory._reset]
        for node in nodes:
            beta.make_lean(node)
        self._touched = []  # lean nodes that stored something since the last reset
        for node in nodes:
            if isinstance(node, _Touched):
                node.touched = self._touched
        self._memory_nodes = tuple(n for n in memory if not isinstance(n, _Touched))
        for node in nodes:  # callbacks were bound before the classes changed: bind them again
            node.children[:] = [ChildNode(c.node, getattr(c.node, c.callback.__name__))
                                for c in node.children]
        self._queue = []  # conflict-set nodes that received a token since the last changes
        for node in nodes:
            if isinstance(node, ConflictSetNode):
                node.queue = self._queue
        self._conflict_sets = tuple(n for n in nodes if isinstance(n, ConflictSetNode))

    def _get_conflict_set_nodes(self):
        return self._conflict_sets

    def reset(self):
        for node in self._touched:
            node._reset()
            node.dirty = False
        self._touched.clear()
        for node in self._memory_nodes:  # nodes of other kinds: always
            node._reset()

    def changes(self, adding=None, deleting=None):
        logged = beta.LOG = MATCH.isEnabledFor(logging.INFO)
        if deleting is not None:
            self._propagate(deleting, _INVALID, logged)
        if adding is not None:
            self._propagate(adding, _VALID, logged)
        added, removed = [], []
        for csn in self._queue:
            csn.queued = False
            a, r = csn.get_activations()
            added.extend(a)
            removed.extend(r)
        self._queue.clear()
        return added, removed

    def _propagate(self, facts, tag, logged: bool) -> None:
        matches = self.alpha.matches
        for fact in facts:
            data = {fact}
            for terminal, context in matches(fact, logged):
                token = _new_token(Token, (tag, data, context))
                for child in terminal.children:
                    child.callback(token)
