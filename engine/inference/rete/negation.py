"""experta's negation node (``NotNode``), with its left tokens indexed for the right ones.

Part of the lean beta network (``beta``): same memories in content, same tokens sent on, as
experta's node. No I/O. Entry point: ``LeanNot`` (``beta.make_lean`` gives it to each NotNode).
"""
from __future__ import annotations  # noqa: I001 - experta after compat

from engine.compat import experta  # noqa: F401 - compat first: it makes experta importable
from experta.matchers.rete.check import SameContextCheck
from experta.matchers.rete.nodes import NotNode
from experta.matchers.rete.token import Token

from engine.inference.rete.tokens import (
    _INVALID, _VALID, _frozen, _new_token, _same_context, _Touched,
)

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
