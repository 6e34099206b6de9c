"""What a rule's conditions demand of each fact, as intervals and value sets, for static checks.

    rule conditions --reading--> RuleConstraints: a Constraint per key, opaque text for the rest
    Constraint, Domain --algebra--> meet (both at once), is_empty (no value fits), implies

Conditions it cannot read (two facts combined by arithmetic, ``or`` across facts, patterns) are
kept as opaque text and count as unconstrained, so the checks built on this never report a
problem they cannot prove. Used by ``kbtools.lint`` for contradictions, values outside a fact's
range, subsumed and conflicting rules.

Must not: do I/O; evaluate rules on cases. Entry points: ``rule_constraints(rule, kb)``,
``domain_of(key, kb)``, ``describe(key)``, ``meet``, ``is_empty``, ``implies``.
"""
from .algebra import Constraint, Domain, implies, is_empty, meet
from .reading import RuleConstraints, describe, domain_of, rule_constraints

__all__ = ["Constraint", "Domain", "RuleConstraints", "describe", "domain_of", "implies",
           "is_empty", "meet", "rule_constraints"]
