"""What the lean beta nodes share: experta's tokens made and compared cheaply, and the nodes'
record of having been touched since the last reset.

No I/O. Used by ``beta`` and ``negation`` only.
"""
from __future__ import annotations  # noqa: I001 - experta after compat

from engine.compat import experta  # noqa: F401 - compat first: it makes experta importable
from experta.matchers.rete.token import Token

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
