"""Import experta on the Python versions we support.

experta 1.9.4 (the last release) pins ``frozendict==1.2``, whose class subclasses
``collections.Mapping``. That alias was removed in Python 3.10, so ``import experta`` fails
with ``AttributeError`` on every supported Python. Restoring the alias from
``collections.abc`` before the first import is enough: frozendict only needs the ABC.
This is the one place the workaround lives; every module imports experta from here.
"""
import collections
import collections.abc

if not hasattr(collections, "Mapping"):
    collections.Mapping = collections.abc.Mapping  # type: ignore[attr-defined]

import experta  # noqa: E402
from experta import (  # noqa: E402,F401
    AS, EXISTS, MATCH, NOT, OR, TEST, Fact, KnowledgeEngine, L, P, Rule, W,
)
from experta import watchers  # noqa: E402

# experta's watchers log every fact and firing at INFO; silence them unless a caller asks.
watchers.unwatch()

__all__ = ["experta", "AS", "EXISTS", "MATCH", "NOT", "OR", "TEST", "Fact", "KnowledgeEngine", "L", "P",
           "Rule", "W", "watchers"]
