"""Reading a rule's conditions as constraints, key by key, and a key's domain from its fact spec.

A rule's ``when`` entries are joined by ``and``. Each simple entry (a fact compared with a
constant after parameters are put in, an enum value or list of values, a bool fact, ``is known``,
``is empty``, ``contains``, ``finding(x)``, ``fired('R')``, and ``not`` of any of these) becomes a
``Constraint`` on one key: ``("fact", name)``, ``("finding", id)``, ``("fired", rule id)`` or
``("verdict", "verdict")``; ``a < b`` between two expressions constrains the key
``("relation", "a - b", a, b)``. Anything else (arithmetic over facts, ``or`` across facts,
patterns) is kept as *opaque* text and treated as unconstrained.

Must not: decide what is a problem (lint does); evaluate rules on cases. Entry points:
``rule_constraints(rule, kb) -> RuleConstraints``, ``domain_of(key, kb) -> Domain``,
``describe(key) -> str``.
"""
from __future__ import annotations

from dataclasses import dataclass, field

from engine import language as c
from engine.language import kleene
from engine.knowledge.spec import KnowledgeBase, RuleSpec
from engine.knowledge.values import bounds

from .algebra import INF, Constraint, Domain, is_empty, is_number, meet

FLIP = {"<": ">", "<=": ">=", ">": "<", ">=": "<=", "==": "==", "!=": "!="}
NEGATE = {"<": ">=", "<=": ">", ">": "<=", ">=": "<", "==": "!=", "!=": "==", "in": "not_in",
          "not_in": "in"}


@dataclass
class RuleConstraints:
    """The conjunction of one rule's conditions, key by key."""

    by_key: dict = field(default_factory=dict)  # key -> Constraint
    conditions: dict = field(default_factory=dict)  # key -> [Condition] that constrain it
    opaque: set = field(default_factory=set)  # text of conjuncts not understood
    first_empty: tuple | None = None  # (key, Condition, alone: bool) where it became empty


def rule_constraints(rule: RuleSpec, kb: KnowledgeBase) -> RuleConstraints:
    """Meet every condition of ``rule``; note where (if anywhere) a key's values ran out:
    ``alone`` when that condition on its own allows no value."""
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


def domain_of(key: tuple, kb: KnowledgeBase) -> Domain:
    """The values ``key`` can take, from its fact's type and range (derived numbers unbounded)."""
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


def describe(key: tuple) -> str:
    """A key in words, for messages: ``fact "x"``, ``rule "R" having fired``, ..."""
    kind, name = key[:2]
    if kind == "relation":
        return f'how "{key[2]}" compares with "{key[3]}"'
    return {"fact": f'fact "{name}"', "finding": f'finding "{name}"',
            "fired": f'rule "{name}" having fired', "verdict": "the verdict"}[kind]


class _Opaque(Exception):
    """A condition this module does not reason about."""


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
        return _membership(node, kb, negated)
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
    if kb.facts[name].type == "list[enum]":
        raise _Opaque
    return ("fact", name), _value_test(op, value, kb.facts[name].is_numeric)


def _membership(node: c.Compare, kb: KnowledgeBase, negated: bool) -> tuple:
    """``list contains v`` or ``v in list``: an element the list fact must contain or lack."""
    op = node.op
    fact_node, value_node = (node.left, node.right) if op == "contains" else \
        (node.right, node.left)
    name = _fact(fact_node, kb)
    value = _constant(value_node, kb)
    has = (op != "not_in") != negated
    con = Constraint(known=True, contains=frozenset({value}) if has else frozenset(),
                     lacks=frozenset() if has else frozenset({value}))
    return ("fact", name), con


def _value_test(op: str, value, numeric: bool) -> Constraint:
    """``fact op value`` (the fact on the left) as a constraint on the fact."""
    if op in ("in", "not_in"):
        values = frozenset(value) if isinstance(value, tuple) else None
        if values is None:
            raise _Opaque
        return (Constraint(known=True, allowed=values) if op == "in"
                else Constraint(known=True, excluded=values))
    if op == "==":
        if is_number(value) and numeric:
            return Constraint(known=True, lo=value, hi=value)
        return Constraint(known=True, allowed=frozenset({value}))
    if op == "!=":
        return Constraint(known=True, excluded=frozenset({value}))
    if not is_number(value):
        raise _Opaque
    if op in ("<", "<="):
        return Constraint(known=True, hi=value, hi_open=op == "<")
    return Constraint(known=True, lo=value, lo_open=op == ">")


def _relation(op: str, left, right) -> tuple:
    """``a < b`` between two expressions as a constraint on ``a - b`` (key ``relation``)."""
    lt, rt = c.to_text(left), c.to_text(right)
    if lt > rt:
        lt, rt, op = rt, lt, FLIP[op]
    key = ("relation", f"{lt} - {rt}", lt, rt)
    if op in ("<", "<="):
        return key, Constraint(known=True, hi=0, hi_open=op == "<")
    return key, Constraint(known=True, lo=0, lo_open=op == ">")


def _constant(node, kb: KnowledgeBase):
    """The value of an expression over literals and parameters, or raise ``_Opaque``."""
    for n in c.walk(node):
        if isinstance(n, c.Name) and n.name not in kb.parameters:
            raise _Opaque
        if not isinstance(n, (c.Num, c.Str, c.Bool, c.ListLit, c.Name, c.Neg, c.Arith, c.Func)):
            raise _Opaque
    value = kleene.evaluate(node, kleene.State(kb.parameter_values))
    if value is None:
        raise _Opaque
    return value


def _is_constant(node, kb: KnowledgeBase) -> bool:
    try:
        _constant(node, kb)
    except _Opaque:
        return False
    return True


def _fact(node, kb: KnowledgeBase) -> str:
    if isinstance(node, c.Name) and node.name in kb.facts:
        return node.name
    raise _Opaque
