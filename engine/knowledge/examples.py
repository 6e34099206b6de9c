"""A rule's examples (its ``examples:`` list): given input facts, whether the rule fires, and
what else must (or must not) follow, read into ``Example`` specs with every value checked
against its fact.

Which lists mean what (``docs/knowledge-base.md``, "Rule examples"): ``findings`` and ``fired``
are *at least these* (each must be asserted / have fired), ``not_findings`` and ``not_fired``
are *none of these*; ``verdict`` is exact. An empty list would assert nothing, so it is refused.
Read once every rule is known, so an example may name any finding or rule of the knowledge base.

Must not: run the examples (``kbtools.expectations`` does, against the compiled rules); raise.
Entry point: ``read_example(raw, rule_loc, scope, problems) -> Example``.
"""
from __future__ import annotations

from engine.errors import Location, Problem, ValueProblem, did_you_mean
from engine.knowledge.reader import FieldReader
from engine.knowledge.spec import VERDICTS, Example
from engine.knowledge.typecheck import Scope
from engine.knowledge.values import check_value
from engine.knowledge.located import YMap

# key -> (what the list means, "finding" or "rule" ids)
EXAMPLE_LISTS = {"findings": ("at least these findings are asserted", "finding"),
                 "not_findings": ("none of these findings is asserted", "finding"),
                 "fired": ("at least these rules fired", "rule"),
                 "not_fired": ("none of these rules fired", "rule")}
EXAMPLE_FIELDS = ("given", "fires", "verdict", "note") + tuple(EXAMPLE_LISTS)


def read_example(raw, rule_loc: Location, scope: Scope, problems: list) -> Example:
    """One entry of a rule's ``examples:``; ``rule_loc`` stands in when the entry has no
    location of its own; ``scope`` gives the facts, the findings by id and the rule ids. Given
    values that are unknown or out of range are left out of ``Example.given``, with a problem
    each."""
    where = getattr(raw, "loc", rule_loc)
    r = FieldReader(raw, where, "an example", problems)
    r.unknown_keys(EXAMPLE_FIELDS)
    given = r.get("given", dict, required=True, default={})
    fires = r.get("fires", bool, required=True, default=True)
    values = {}
    for name, value in given.items():
        vloc = given.key_loc(name) if isinstance(given, YMap) else where
        fact = scope.facts.get(name)
        if fact is not None and fact.derived:
            problems.append(Problem(vloc, f'"{name}" is a derived fact (rules compute it), not '
                                          "an input: give the input facts it is derived from",
                                    "derived-given"))
            continue
        if fact is None:
            inputs = [n for n, f in scope.facts.items() if not f.derived]
            problems.append(Problem(vloc, f'unknown input fact "{name}"'
                                          f"{did_you_mean(str(name), inputs)}", "unknown-name"))
            continue
        try:
            values[name] = check_value(fact, value)
        except ValueProblem as exc:
            problems.append(Problem(given.loc_of(name) if isinstance(given, YMap) else where,
                                    str(exc)))
    lists = {key: _id_list(r, key, kind, scope) for key, (_, kind) in EXAMPLE_LISTS.items()}
    verdict = r.text("verdict") or None
    if verdict and verdict not in VERDICTS:
        r.problem("verdict", f'"{verdict}" is not a verdict{did_you_mean(verdict, VERDICTS)}')
    return Example(values, fires, lists["findings"], verdict, where, lists["not_findings"],
                   lists["fired"], lists["not_fired"])


def _id_list(r: FieldReader, key: str, kind: str, scope: Scope) -> tuple:
    """The ids under ``key``, each a known finding or rule id; an empty list is refused."""
    ids = r.str_list(key)
    if key in r.data and not ids and isinstance(r.data[key], list):
        r.problem(key, f'"{key}: []" asserts nothing ({key} means '
                       f'"{EXAMPLE_LISTS[key][0]}"): list ids, or remove the key')
    known = scope.findings if kind == "finding" else scope.rule_ids
    code = "unknown-finding" if kind == "finding" else "unknown-rule"
    for item in ids:
        if item not in known:
            r.problem(key, f'unknown {kind} "{item}"{did_you_mean(item, known)}', code)
    return ids
