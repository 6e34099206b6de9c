"""The algebra of constraints: what one key may be, as an interval or a value set, and how two
such constraints combine.

A ``Constraint`` says whether a key must be known (or present) and which values it may take: an
interval with open or closed ends, a set of allowed values, values excluded, and for list facts
the elements it must contain or lack and whether it is empty. A ``Domain`` is what the key can
take at all (a numeric range, whole or not; a finite set; a list over a set; presence only).
``meet`` is both constraints at once; ``is_empty`` says no value satisfies one; ``implies`` says
every value satisfying one satisfies the other. Whole-number ranges up to ``ENUMERABLE`` values
are checked value by value, so ``x > 5 and x < 6`` on months is empty.

Must not: know about rules, conditions or the knowledge base (``reading`` turns those into
constraints and domains); evaluate anything on cases. Entry points: ``meet``, ``is_empty``,
``implies``.
"""
from __future__ import annotations

import math
from dataclasses import dataclass, replace

INF = math.inf
ENUMERABLE = 2000  # whole-number ranges up to this size are checked value by value


@dataclass(frozen=True)
class Constraint:
    """What one key must be. ``known``: True must be known/present, False unknown/absent.

    ``known`` and ``empty`` become the string ``"conflict"`` when a meet asked for both ways."""

    known: bool | None = None
    lo: float = -INF
    lo_open: bool = False
    hi: float = INF
    hi_open: bool = False
    allowed: frozenset | None = None  # None: any value
    excluded: frozenset = frozenset()
    contains: frozenset = frozenset()  # list facts
    lacks: frozenset = frozenset()
    empty: bool | None = None

    @property
    def has_value_test(self) -> bool:
        return (self.lo > -INF or self.hi < INF or self.allowed is not None or
                bool(self.excluded or self.contains or self.lacks) or self.empty is not None)


@dataclass(frozen=True)
class Domain:
    """The values a key can take: a numeric range (whole or not), a finite set, or anything."""

    kind: str  # number | set | list | presence | any
    lo: float = -INF
    hi: float = INF
    whole: bool = False
    values: frozenset | None = None


def is_number(v) -> bool:
    """An int or float, not a bool."""
    return isinstance(v, (int, float)) and not isinstance(v, bool)


def meet(a: Constraint, b: Constraint) -> Constraint:
    """Both constraints at once."""
    if a.known is None or b.known is None:
        known = b.known if a.known is None else a.known
    else:
        known = a.known if a.known == b.known else "conflict"
    lo, lo_open = max((a.lo, a.lo_open), (b.lo, b.lo_open))
    hi, hi_open = min((a.hi, not a.hi_open), (b.hi, not b.hi_open))
    allowed = a.allowed if b.allowed is None else (
        b.allowed if a.allowed is None else a.allowed & b.allowed)
    empty = a.empty if b.empty is None else (
        b.empty if a.empty is None or a.empty == b.empty else "conflict")
    return Constraint(known, lo, lo_open, hi, not hi_open, allowed, a.excluded | b.excluded,
                      a.contains | b.contains, a.lacks | b.lacks, empty)


def is_empty(con: Constraint, dom: Domain) -> bool:
    """True when no value (or absence) satisfies ``con``."""
    if con.known == "conflict" or con.empty == "conflict":
        return True
    if con.known is False and con.has_value_test:
        return True
    if dom.kind == "list":
        if con.contains & con.lacks or (con.empty is True and con.contains):
            return True
        return dom.values is not None and not con.contains <= dom.values
    if dom.kind in ("number", "set"):
        if dom.kind == "number" and con.allowed is not None and \
                not any(is_number(v) for v in con.allowed):
            return True
        values = _values(con, dom)
        return values is not None and not values
    return False


def implies(a: Constraint, b: Constraint, dom: Domain) -> bool:
    """True when every value satisfying ``a`` satisfies ``b`` (``a`` assumed satisfiable)."""
    a_known = True if a.has_value_test else a.known
    if b.known is not None and a_known != b.known:
        return False
    if dom.kind == "list":
        return b.contains <= a.contains and b.lacks <= a.lacks and \
            (b.empty is None or b.empty == a.empty or (b.empty is False and bool(a.contains)))
    if not b.has_value_test:
        return True
    if dom.kind not in ("number", "set"):
        return False
    values = _values(a, dom)
    if values is not None:
        return all(_satisfies(b, dom, v) for v in values)
    if dom.kind == "set":  # open-ended text: only exclusions can be compared
        return b.allowed is None and b.excluded <= a.excluded
    if b.allowed is not None:
        return False
    return _interval_inside(a, b, dom) and \
        all(not _admits_number(a, dom, v) for v in b.excluded if is_number(v))


def _interval_inside(a: Constraint, b: Constraint, dom: Domain) -> bool:
    """``a``'s interval lies inside ``b``'s (counting whole numbers only when ``dom.whole``)."""
    if dom.whole:
        a_first, a_last = _whole_range(a, dom)
        b_first, b_last = _whole_range(b, dom)
        return b_first <= a_first and a_last <= b_last
    a_lo, a_lo_open, a_hi, a_hi_open = _interval(a, dom)
    b_lo, b_lo_open, b_hi, b_hi_open = _interval(b, dom)
    return (a_lo > b_lo or (a_lo == b_lo and (a_lo_open or not b_lo_open))) and \
        (a_hi < b_hi or (a_hi == b_hi and (a_hi_open or not b_hi_open)))


def _whole_range(con: Constraint, dom: Domain) -> tuple:
    """(first, last) whole number ``con`` allows inside the domain (infinite ends stay so)."""
    lo = max(con.lo, dom.lo)
    hi = min(con.hi, dom.hi)
    first = math.floor(lo) + 1 if (con.lo_open and lo == con.lo and float(lo).is_integer()) \
        else math.ceil(lo) if lo > -INF else -INF
    last = math.ceil(hi) - 1 if (con.hi_open and hi == con.hi and float(hi).is_integer()) \
        else math.floor(hi) if hi < INF else INF
    return first, last


def _interval(con: Constraint, dom: Domain) -> tuple:
    """(lo, lo_open, hi, hi_open) inside the domain."""
    lo, lo_open = max((con.lo, con.lo_open), (dom.lo, False))
    hi, hi_open = min((con.hi, not con.hi_open), (dom.hi, True))
    return lo, lo_open, hi, not hi_open


def _values(con: Constraint, dom: Domain):
    """The finite set of values ``con`` allows, or None when it is not finite here."""
    if dom.kind == "number":
        if con.allowed is not None:
            return {v for v in con.allowed if is_number(v) and _admits_number(con, dom, v)}
        if dom.whole:
            first, last = _whole_range(con, dom)
            if first > last:
                return set()
            if last - first <= ENUMERABLE:
                return {v for v in range(int(first), int(last) + 1) if v not in con.excluded}
            return None
        lo, lo_open, hi, hi_open = _interval(con, dom)
        if lo > hi or (lo == hi and (lo_open or hi_open)):
            return set()
        if lo == hi:
            return set() if lo in con.excluded else {lo}
        return None
    if dom.kind == "set":
        base = con.allowed if dom.values is None else (
            dom.values if con.allowed is None else con.allowed & dom.values)
        return None if base is None else set(base) - set(con.excluded)
    return None


def _admits_number(con: Constraint, dom: Domain, v) -> bool:
    if v in con.excluded or (dom.whole and not float(v).is_integer()):
        return False
    lo, lo_open, hi, hi_open = _interval(con, dom)
    return (v > lo or (v == lo and not lo_open)) and (v < hi or (v == hi and not hi_open))


def _satisfies(con: Constraint, dom: Domain, v) -> bool:
    if dom.kind == "number":
        if con.allowed is not None and v not in con.allowed:
            return False
        return _admits_number(replace(con, allowed=None), Domain("number", whole=dom.whole), v)
    if con.allowed is not None and v not in con.allowed:
        return False
    return v not in con.excluded
