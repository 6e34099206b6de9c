"""What a rule's conditions demand of each fact, as intervals and value sets, for static checks.

A rule's ``when`` entries are joined by ``and``. Each simple entry (a fact compared with a
constant after parameters are put in, an enum value or list of values, a bool fact, ``is known``,
``is empty``, ``contains``, ``finding(x)``, ``fired('R')``, and ``not`` of any of these) becomes a
``Constraint`` on one key: ``("fact", name)``, ``("finding", id)`` or ``("fired", rule id)``.
Anything else (two facts compared, arithmetic over facts, ``or`` across facts, patterns) is kept
as *opaque* text and treated as unconstrained, so the checks built on this never report a
problem they cannot prove.

Used by ``lint`` for contradictions, values outside a fact's range, subsumed and conflicting
rules. Pure: no I/O, no evaluation of rules on cases. Entry points: ``rule_constraints(rule,
kb)``, ``meet``, ``is_empty``, ``implies``.
"""
from __future__ import annotations

import math
from dataclasses import dataclass, field, replace

from engine.language import kleene
from engine import language as c

from engine.knowledge.spec import KnowledgeBase, RuleSpec
from engine.knowledge.values import bounds

INF = math.inf
FLIP = {"<": ">", "<=": ">=", ">": "<", ">=": "<=", "==": "==", "!=": "!="}
NEGATE = {"<": ">=", "<=": ">", ">": "<=", ">=": "<", "==": "!=", "!=": "==", "in": "not_in",
          "not_in": "in"}
ENUMERABLE = 2000  # whole-number ranges up to this size are checked value by value


@dataclass(frozen=True)
class Constraint:
    """What one key must be. ``known``: True must be known/present, False unknown/absent."""

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


@dataclass
class RuleConstraints:
    """The conjunction of one rule's conditions, key by key."""

    by_key: dict = field(default_factory=dict)  # key -> Constraint
    conditions: dict = field(default_factory=dict)  # key -> [Condition] that constrain it
    opaque: set = field(default_factory=set)  # text of conjuncts not understood
    first_empty: tuple | None = None  # (key, Condition, alone: bool) where it became empty


def domain_of(key: tuple, kb: KnowledgeBase) -> Domain:
    if key[0] == "relation":
        return Domain("number")
    if key[0] != "fact":
        return Domain("presence")
    spec = kb.facts.get(key[1])
    if spec is None:
        return Domain("any")
    if spec.is_numeric:
        if spec.derived:  # values computed by rules are not checked against a range at run time
            return Domain("number", whole=False)
        lo, hi = bounds(spec)
        return Domain("number", lo, INF if hi is None else hi, spec.is_whole)
    if spec.type == "bool":
        return Domain("set", values=frozenset({True, False}))
    if spec.type == "enum":
        return Domain("set", values=frozenset(spec.values))
    if spec.type == "list[enum]":
        return Domain("list", values=frozenset(spec.values))
    return Domain("set")  # str: any text


# ---------------------------------------------------------------- reading conditions

class _Opaque(Exception):
    """A condition this module does not reason about."""


def _constant(node, kb: KnowledgeBase):
    """The value of an expression over literals and parameters, or raise ``_Opaque``."""
    for n in c.walk(node):
        if isinstance(n, c.Name) and n.name not in kb.parameters:
            raise _Opaque
        if not isinstance(n, (c.Num, c.Str, c.Bool, c.ListLit, c.Name, c.Neg, c.Arith, c.Func)):
            raise _Opaque
    value = kleene.evaluate(node, kleene.State({k: p.value for k, p in kb.parameters.items()}))
    if value is None:
        raise _Opaque
    return value


def _fact(node, kb: KnowledgeBase) -> str:
    if isinstance(node, c.Name) and node.name in kb.facts:
        return node.name
    raise _Opaque


def _number(v) -> bool:
    return isinstance(v, (int, float)) and not isinstance(v, bool)


def atoms(node, kb: KnowledgeBase, negated: bool = False) -> list[tuple]:
    """``[(key, Constraint), ...]`` that together mean ``node``; raise ``_Opaque`` otherwise."""
    if isinstance(node, c.Not):
        return atoms(node.operand, kb, not negated)
    if isinstance(node, c.And) and not negated:
        return [a for item in node.items for a in atoms(item, kb)]
    if isinstance(node, c.Or) and not negated:
        return _union(node, kb)
    if isinstance(node, c.FindingRef):
        return [(("finding", node.finding), Constraint(known=not negated))]
    if isinstance(node, c.Fired):
        return [(("fired", node.rule), Constraint(known=not negated))]
    if isinstance(node, c.IsKnown):
        if node.operand.name == "verdict":
            return [(("verdict", "verdict"), Constraint(known=node.known != negated))]
        return [(("fact", _fact(node.operand, kb)), Constraint(known=node.known != negated))]
    if isinstance(node, c.IsEmpty):
        return [(("fact", _fact(node.operand, kb)),
                 Constraint(known=True, empty=node.empty != negated))]
    if isinstance(node, c.Name):
        name = _fact(node, kb)
        if kb.facts[name].type != "bool":
            raise _Opaque
        return [(("fact", name), Constraint(known=True, allowed=frozenset({not negated})))]
    if isinstance(node, c.Compare):
        return [_compare(node, kb, negated)]
    raise _Opaque


def _union(node: c.Or, kb: KnowledgeBase) -> list[tuple]:
    """``a == 'x' or a == 'y'`` (one fact, value tests only) as one value set."""
    parts = [atoms(item, kb) for item in node.items]
    keys = {key for part in parts for key, _ in part}
    if len(keys) != 1 or any(len(p) != 1 for p in parts):
        raise _Opaque
    allowed = set()
    for (_, con), in parts:
        if con.allowed is None or con.excluded or con.lo > -INF or con.hi < INF:
            raise _Opaque
        allowed |= con.allowed
    return [(keys.pop(), Constraint(known=True, allowed=frozenset(allowed)))]


def _compare(node: c.Compare, kb: KnowledgeBase, negated: bool) -> tuple:
    op, left, right = node.op, node.left, node.right
    if op in ("contains",) or (op in ("in", "not_in") and isinstance(right, c.Name)
                               and right.name in kb.facts):
        fact_node, value_node = (left, right) if op == "contains" else (right, left)
        name = _fact(fact_node, kb)
        value = _constant(value_node, kb)
        has = (op != "not_in") != negated
        con = Constraint(known=True, contains=frozenset({value}) if has else frozenset(),
                         lacks=frozenset() if has else frozenset({value}))
        return ("fact", name), con
    if negated:
        op = NEGATE[op]
    if op in ("<", "<=", ">", ">=") and not _is_constant(left, kb) and \
            not _is_constant(right, kb):
        return _relation(op, left, right)
    if isinstance(left, c.Name) and left.name in kb.facts:
        name, value = left.name, _constant(right, kb)
    elif isinstance(right, c.Name) and right.name in kb.facts and op in FLIP:
        name, value, op = right.name, _constant(left, kb), FLIP[op]
    else:
        raise _Opaque
    spec = kb.facts[name]
    if spec.type == "list[enum]":
        raise _Opaque
    key = ("fact", name)
    if op in ("in", "not_in"):
        values = frozenset(value) if isinstance(value, tuple) else None
        if values is None:
            raise _Opaque
        return key, (Constraint(known=True, allowed=values) if op == "in"
                     else Constraint(known=True, excluded=values))
    if op == "==":
        if _number(value) and spec.is_numeric:
            return key, Constraint(known=True, lo=value, hi=value)
        return key, Constraint(known=True, allowed=frozenset({value}))
    if op == "!=":
        return key, Constraint(known=True, excluded=frozenset({value}))
    if not _number(value):
        raise _Opaque
    if op in ("<", "<="):
        return key, Constraint(known=True, hi=value, hi_open=op == "<")
    return key, Constraint(known=True, lo=value, lo_open=op == ">")


def _is_constant(node, kb: KnowledgeBase) -> bool:
    try:
        _constant(node, kb)
    except _Opaque:
        return False
    return True


def _relation(op: str, left, right) -> tuple:
    """``a < b`` between two expressions as a constraint on ``a - b`` (key ``relation``)."""
    lt, rt = c.to_text(left), c.to_text(right)
    if lt > rt:
        lt, rt, op = rt, lt, FLIP[op]
    key = ("relation", f"{lt} - {rt}", lt, rt)
    if op in ("<", "<="):
        return key, Constraint(known=True, hi=0, hi_open=op == "<")
    return key, Constraint(known=True, lo=0, lo_open=op == ">")


def rule_constraints(rule: RuleSpec, kb: KnowledgeBase) -> RuleConstraints:
    """Meet every condition of ``rule``; note where (if anywhere) a key's values ran out."""
    out = RuleConstraints()
    for cond in rule.conditions:
        try:
            found = atoms(cond.node, kb)
        except _Opaque:
            out.opaque.add(c.to_text(cond.node))
            continue
        for key, con in found:
            dom = domain_of(key, kb)
            merged = meet(out.by_key.get(key, Constraint()), con)
            out.by_key[key] = merged
            out.conditions.setdefault(key, []).append(cond)
            if out.first_empty is None:
                if is_empty(con, dom):
                    out.first_empty = (key, cond, True)
                elif is_empty(merged, dom):
                    out.first_empty = (key, cond, False)
    return out


# ---------------------------------------------------------------- reasoning

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


def _whole_range(con: Constraint, dom: Domain) -> tuple:
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
            return {v for v in con.allowed if _number(v) and _admits_number(con, dom, v)}
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
                not any(_number(v) for v in con.allowed):
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
    a_lo, a_lo_open, a_hi, a_hi_open = _interval(a, dom)
    b_lo, b_lo_open, b_hi, b_hi_open = _interval(b, dom)
    if dom.whole:
        a_first, a_last = _whole_range(a, dom)
        b_first, b_last = _whole_range(b, dom)
        inside = b_first <= a_first and a_last <= b_last
    else:
        inside = (a_lo > b_lo or (a_lo == b_lo and (a_lo_open or not b_lo_open))) and \
                 (a_hi < b_hi or (a_hi == b_hi and (a_hi_open or not b_hi_open)))
    return inside and all(not _admits_number(a, dom, v) for v in b.excluded if _number(v))


def _satisfies(con: Constraint, dom: Domain, v) -> bool:
    if dom.kind == "number":
        if con.allowed is not None and v not in con.allowed:
            return False
        return _admits_number(replace(con, allowed=None), Domain("number", whole=dom.whole), v)
    if con.allowed is not None and v not in con.allowed:
        return False
    return v not in con.excluded


def describe(key: tuple) -> str:
    kind, name = key[:2]
    if kind == "relation":
        return f'how "{key[2]}" compares with "{key[3]}"'
    return {"fact": f'fact "{name}"', "finding": f'finding "{name}"',
            "fired": f'rule "{name}" having fired', "verdict": "the verdict"}[kind]
