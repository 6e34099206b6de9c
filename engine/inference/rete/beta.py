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

LOG = False  # experta's MATCH watcher is on: log joins and tests as experta's nodes do
_new_token = tuple.__new__
_VALID, _INVALID = Token.TagType.VALID, Token.TagType.INVALID


def _same_context(left: dict, right: dict) -> bool:
    """experta's ``SameContextCheck``: shared variables agree, negated ones differ."""
    for key, value in left.items():
        if key[0] is False:
            raise RuntimeError('Negated value "%s" present before capture.' % key[1])
        if key in right and value != right[key]:
            return False
        if (False, key) in right and value == right[(False, key)]:
            return False
    return True


def _frozen(data, context) -> tuple:
    """What experta's ``TokenInfo`` holds, as a plain (hashable) tuple."""
    return (frozenset(data), frozenset(context.items()))


class _Touched:
    """A node with a memory that tells the matcher when it first stores something after a reset,
    so a reset wipes only the nodes a consultation touched (a few hundred of thousands)."""

    touched: list  # the matcher's list of nodes to wipe at the next reset
    dirty = False

    def _touch(self):
        self.dirty = True
        self.touched.append(self)


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


_UNSEEN = object()


class LeanNot(_Touched, NotNode):
    """``NotNode``: pass a left token on while no right token matches it.

    A right token can only match left tokens that give the variables both sides bind the same
    values; left tokens are indexed on those values, so a right token meets its candidates
    only (the built-in assessment of barriers made this quadratic in the number of barriers).
    Candidates still pass experta's whole check, in the order a scan would meet them. The index
    is used only while every token binds those variables: otherwise the node scans."""

    shared = _UNSEEN  # variables both sides bind (a tuple), None when the node scans

    def _reset(self):
        self.left_memory = {}  # frozen token -> number of matching right tokens
        self.left_tokens = {}  # frozen token -> (data, context)
        self.right_memory = []  # (data, context)
        self.index = {}  # values of ``shared`` -> {frozen left token: None}, insertion order

    def _learn_shared(self, right_context) -> None:
        """Settle ``shared`` from one left and one right token, and index the left tokens."""
        if type(self.matcher) is not SameContextCheck:
            self.shared = None
            return
        left_context = next(iter(self.left_tokens.values()))[1]
        shared = tuple(sorted(k for k in left_context if type(k) is str and k in right_context))
        self.shared = shared or None
        if self.shared:
            for key, (_, context) in self.left_tokens.items():
                self._index(key, context, True)

    def _index(self, key, context, add: bool) -> None:
        shared = self.shared
        try:
            values = tuple(context[k] for k in shared)
            if add:
                self.index.setdefault(values, {})[key] = None
            else:
                del self.index[values][key]
        except (KeyError, TypeError):  # a token without them, or unhashable: scan from now on
            self.shared, self.index = None, {}

    def _check(self):
        return _same_context if type(self.matcher) is SameContextCheck else self.matcher

    def activate_left(self, token):
        if not self.dirty:
            self._touch()
        tag, data, context = token
        key = _frozen(data, context)
        right = self.right_memory
        if self.shared and self.shared is not _UNSEEN:
            self._index(key, context, tag is _VALID)
        if not right:
            if tag is _VALID:
                self.left_memory[key] = 0
                self.left_tokens[key] = (data, context)
            else:
                del self.left_memory[key]
                del self.left_tokens[key]
            for child in self.children:
                child.callback(token)
            return
        check = self._check()
        count = 0
        for _, right_context in right:
            if check(context, right_context):
                count += 1
                if tag is not _VALID:
                    break
        if count == 0:
            for child in self.children:
                child.callback(token)
        if tag is _VALID:
            self.left_memory[key] = count
            self.left_tokens[key] = (data, context)
        else:
            del self.left_memory[key]
            del self.left_tokens[key]

    def activate_right(self, token):
        if not self.dirty:
            self._touch()
        tag, data, context = token
        if tag is _VALID:
            self.right_memory.append((data, context))
            inc = 1
        else:
            inc = -1
            self.right_memory.remove((data, context))
        check = self._check()
        counts, tokens = self.left_memory, self.left_tokens
        if not counts:
            return
        if self.shared is _UNSEEN:
            self._learn_shared(context)
        candidates = counts
        shared = self.shared
        if shared:
            try:
                candidates = tuple(self.index.get(tuple(context[k] for k in shared), ()))
            except (KeyError, TypeError):  # this right token binds less: scan for it
                candidates = counts
        for key in candidates:
            left_data, left_context = tokens[key]
            if check(left_context, context):
                counts[key] += inc
                count = counts[key]
                if (count == 0 and inc == -1) or (count == 1 and inc == 1):
                    new_tag = _VALID if inc == -1 else _INVALID
                    new = _new_token(Token, (new_tag, set(left_data), dict(left_context)))
                    for child in self.children:
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
