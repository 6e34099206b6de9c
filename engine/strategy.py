"""Conflict resolution for the advisor's engines: experta's depth strategy, with exact removal.

experta's ``DepthStrategy`` removes an activation by bisecting on its key and looking only at
the three neighbouring positions. Several activations of one rule can share a key (the same
salience and the same set of fact ids, e.g. when two patterns of a rule match the same finding),
and then the wrong one, or none, is removed: a rule whose ``NOT`` guard has turned false keeps
firing. Here removal drops every activation equal to a removed one, and the order of firing is
otherwise the same as experta's (salience, then the most recent facts first).
"""
from __future__ import annotations

import bisect

from .compat import experta  # noqa: F401  (experta must be imported through compat)
from experta.strategies import DepthStrategy


class ExactDepthStrategy(DepthStrategy):
    def _update_agenda(self, agenda, added, removed):
        if removed:
            for act in removed:
                act.key = self.get_key(act)
            gone = set(removed)
            agenda.activations = [a for a in agenda.activations if a not in gone]
        for act in added:
            act.key = self.get_key(act)
            bisect.insort(agenda.activations, act)
