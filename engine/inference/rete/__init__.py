"""Speed-ups to experta's RETE network, fenced here behind experta's own matcher interface.

experta's ``ReteMatcher`` builds an alpha network (one node per field test) and a beta network
(joins, negations, tests, conflict sets). ``matcher.LeanReteMatcher`` keeps experta's network
and its semantics and replaces the parts that dominated a consultation's time: ``alpha`` finds a
fact's patterns by fact type and literal fields and runs each pattern's tests as one compiled
function (``compiled_checks``); ``beta`` swaps experta's node classes for ones that do not copy
tokens or log (``negation``: the NOT node, its left tokens indexed; ``tokens``: what they share).

Must not: change what matches. ``tests/test_matcher.py`` proves it: every bundled case and
generated cases give the same activations and traces with stock experta's ``ReteMatcher``.
"""
