"""The built-in assessment of barriers written as CLIPS rules (``engine.inference.compiler``'s
ASSESS rules and ``session._assess``, ``policy.counts_as_mitigated``): three-valued.

A barrier is mitigated when it is mitigable by nature or a mitigation was found; otherwise,
when some rule that could mitigate it has conditions whose value is unknown (an *open route*,
asserted by one ``open-route`` rule per mitigating rule, just before the assessment), its
mitigation is ``UNKNOWN``, except for a blocking barrier, which stays unmitigated; else it is
not mitigated. A serious barrier's open route also recommends COLLECT when one of the input
facts its conditions read is unknown, as the engine asks for them.

Must not: import clipspy or experta. Entry point: ``assessment_rules(kb, salience) -> str``
(``export`` calls it; ``_defrule`` writes the constructs).
"""
from __future__ import annotations

from engine import language as c
from engine.knowledge.policy import ways_to_mitigate
from engine.knowledge.spec import KnowledgeBase
from engine.language.normal_form import substitute_parameters

from .expressions import ExpressionWriter, q

_COMMON = "(kind \"barrier\") (id ?fid) (factor ?factor) (severity ?severity)"
_ASSESS = ("(assert (assessment (finding ?fid) (kind \"barrier\") (factor ?factor) "
           "(severity ?severity) (mitigated {})))")


def assessment_rules(kb: KnowledgeBase, salience: int, defrule) -> str:
    """The open-route rules (at ``salience + 1``) and the assessment rules (at ``salience``)."""
    out = [_open_route(kb, rule_id, fid, salience + 1, defrule)
           for fid, rule_ids in ways_to_mitigate(kb.rules).items() for rule_id in rule_ids]
    unmitigated = [f"(finding {_COMMON} (mitigable FALSE))", "(not (mitigation (finding ?fid)))",
                   "(not (assessment (finding ?fid)))"]
    out += [
        defrule("assess-mitigable", "Built-in: a barrier mitigable by nature.", salience,
                [f"(finding {_COMMON} (mitigable TRUE))", "(not (assessment (finding ?fid)))"],
                [_ASSESS.format("TRUE")]),
        defrule("assess-mitigated", "Built-in: a mitigation was found in this case.", salience,
                [f"(finding {_COMMON} (mitigable FALSE))", "(mitigation (finding ?fid))",
                 "(not (assessment (finding ?fid)))"], [_ASSESS.format("TRUE")]),
        defrule("assess-open", "Built-in: a mitigation waits for unknown facts.", salience,
                unmitigated + ["(test (neq ?severity \"blocking\"))",
                               "(open-route (finding ?fid))"], [_ASSESS.format("UNKNOWN")]),
        defrule("assess-unmitigated-blocking", "Built-in: a blocking barrier, no mitigation.",
                salience, unmitigated + ["(test (eq ?severity \"blocking\"))"],
                [_ASSESS.format("FALSE")]),
        defrule("assess-unmitigated", "Built-in: a barrier with no mitigation.", salience,
                unmitigated + ["(test (neq ?severity \"blocking\"))",
                               "(not (open-route (finding ?fid)))"], [_ASSESS.format("FALSE")]),
    ]
    return "\n".join(out)


def _open_route(kb: KnowledgeBase, rule_id: str, fid: str, salience: int, defrule) -> str:
    rule = kb.rule(rule_id)
    whole = substitute_parameters(rule.condition, kb.parameter_values)
    expr = ExpressionWriter(kb, in_rhs=True, findings=True)
    inputs = sorted(n for n in c.names_in(whole) if n in kb.input_facts)
    slots = " ".join(f"({n} {'$?' if n in expr.lists else '?'}v_{n})" for n in inputs)
    # Read when it fires (just before the assessment), when all the conditions read is final.
    then = [f"(assert (open-route (finding {q(fid)}) (rule {q(rule_id)})))"]
    spec = kb.finding_specs.get(fid)
    if inputs and spec is not None and spec.severity in ("blocking", "significant"):
        unknown = " ".join(f"(tv-unknown-list $?v_{n})" if n in expr.lists
                           else f"(eq ?v_{n} UNKNOWN)" for n in inputs)
        then.append(f"(if (or FALSE {unknown}) then (assert (recommendation (intervention "
                    f"\"COLLECT\") (rule \"ASSESS\"))))")
    rhs = [f"(if (eq {expr(whole)} UNKNOWN) then " + " ".join(then) + ")"]
    lhs = [f"(case{' ' + slots if slots else ''})", f"(finding (id {q(fid)}) (kind \"barrier\"))",
           f"(not (mitigation (finding {q(fid)})))"]
    name = "u-" + "".join(ch if ch.isalnum() or ch in "_-" else "_" for ch in rule_id)
    return defrule(name + "-" + "".join(ch if ch.isalnum() else "_" for ch in fid),
                   f"Built-in: whether {rule_id} mitigates {fid} is unknown.", salience, lhs, rhs)
