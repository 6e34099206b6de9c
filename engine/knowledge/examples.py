"""A rule's examples (its ``examples:`` list): given input facts, whether the rule fires, and
which findings and verdict follow, read into ``Example`` specs with every value checked against
its fact.

Read once every rule is known, so an example may name any finding of the knowledge base.
Must not: run the examples (``kbtools.expectations`` does, against the compiled rules); raise.
Entry point: ``read_example(raw, rule_loc, scope, problems) -> Example``.
"""
from __future__ import annotations

from engine.errors import Location, Problem, ValueProblem, did_you_mean
from engine.knowledge.reader import FieldReader
from engine.knowledge.spec import VERDICTS, Example
from engine.knowledge.typecheck import Scope
from engine.knowledge.values import check_value
from engine.knowledge.yamlsource import YMap

EXAMPLE_FIELDS = ("given", "fires", "findings", "verdict", "note")


def read_example(raw, rule_loc: Location, scope: Scope, problems: list) -> Example:
    """One entry of a rule's ``examples:``; ``rule_loc`` stands in when the entry has no
    location of its own; ``scope`` gives the facts and the findings by id. Given values that
    are unknown or out of range are left out of ``Example.given``, with a problem each."""
    where = getattr(raw, "loc", rule_loc)
    r = FieldReader(raw, where, "an example", problems)
    r.unknown_keys(EXAMPLE_FIELDS)
    given = r.get("given", dict, required=True, default={})
    fires = r.get("fires", bool, required=True, default=True)
    values = {}
    for name, value in given.items():
        vloc = given.loc_of(name) if isinstance(given, YMap) else where
        fact = scope.facts.get(name)
        if fact is None or fact.derived:
            problems.append(Problem(vloc, f'unknown input fact "{name}"'
                                          f"{did_you_mean(str(name), scope.facts)}"))
            continue
        try:
            values[name] = check_value(fact, value)
        except ValueProblem as exc:
            problems.append(Problem(vloc, str(exc)))
    findings = r.str_list("findings")
    for fid in findings:
        if fid not in scope.findings:
            r.problem("findings", f'unknown finding "{fid}"{did_you_mean(fid, scope.findings)}')
    verdict = r.text("verdict") or None
    if verdict and verdict not in VERDICTS:
        r.problem("verdict", f'"{verdict}" is not a verdict')
    return Example(values, fires, findings, verdict, where)
