"""The table of remedies (``remedies.yaml``): each remedy an officer can count on in a case -
available in the facts or arrangeable with ordinary extension tools (brief 4.6) - written once
and applied to every barrier it fits.

A remedy has an ``id``, a ``description``, ``when`` (the conditions that make it available),
``by`` (the intervention), ``text`` (why it is available here), ``advice`` (what the officer
does), ``sources``, ``fits`` (the barriers it answers, each of which may give its own ``by``,
``text``, ``advice`` and extra ``when``) and ``examples`` (given facts and the barriers it then
``mitigates``; every fit must be shown mitigating in one of them). Each fit becomes one
ordinary rule, ``<remedy id>.<barrier id>``: when the barrier holds and the remedy is
available, it mitigates the barrier by the intervention and advises it (``session._mitigate``). So the engine, the open world, the trace (a firing with its
source), lint, the CLIPS export and the reference read remedies as rules, and the three-valued
assessment (``policy.counts_as_mitigated``) weighs each fit as one way to mitigate its barrier.

Must not: read files (``loader`` hands over the document); check names (the rule builder checks
the rules made here, with locations in ``remedies.yaml``); raise.
Entry point: ``remedy_rules(data, path, problems) -> [(rule entry, location, None), ...]``, the
entries ``RuleBuilder.build`` reads, and ``with_barrier_factors(rules, finding_specs)``.
"""
from __future__ import annotations

import re
from dataclasses import replace
from pathlib import Path

from engine.errors import Location, Problem
from engine.knowledge.reader import FieldReader, entries
from engine.knowledge.located import YList, YMap

REMEDY_FIELDS = ("id", "description", "when", "by", "text", "advice", "sources", "judgment",
                 "fits", "examples")
FIT_FIELDS = ("barrier", "when", "by", "text", "advice")
EXAMPLE_FIELDS = ("given", "mitigates", "note")
ID_PATTERN = re.compile(r"^[A-Za-z][A-Za-z0-9_-]{0,30}$")
SEPARATOR = "."  # rule id = remedy id + SEPARATOR + barrier id


def remedy_rules(data, path: Path, problems: list) -> list:
    """The rule entries of every fit of every remedy in ``data`` (the document of
    ``remedies.yaml``, or None when there is none), as ``[(entry, location, None), ...]``."""
    if data is None:
        return []
    out, seen = [], {}
    for _, item, where in entries(data, "remedies", path, problems):
        r = FieldReader(item, where, "a remedy", problems)
        r.unknown_keys(REMEDY_FIELDS)
        rid = r.text("id", required=True)
        if not rid:
            continue
        if not ID_PATTERN.match(rid):
            r.problem("id", f'remedy id "{rid}" may hold letters, digits, "-" and "_" (up to 31)')
        if rid in seen:
            r.problem("id", f'duplicate remedy id "{rid}" (first at {seen[rid]})', "duplicate-id")
            continue
        seen[rid] = where
        out.extend(_fits(r, rid, where, problems))
    return out


def with_barrier_factors(rules: tuple, finding_specs: dict) -> tuple:
    """The rules with each remedy rule filed under its barrier's factor."""
    out = []
    for rule in rules:
        barrier = rule.id.partition(SEPARATOR)[2] if SEPARATOR in rule.id else ""
        spec = finding_specs.get(barrier)
        out.append(replace(rule, factor=spec.factor) if spec and not rule.factor else rule)
    return tuple(out)


def _fits(r: FieldReader, rid: str, where: Location, problems: list) -> list:
    fits = r.get("fits", list, required=True, default=[])
    if isinstance(fits, list) and not fits and "fits" in r.data:
        r.problem("fits", "a remedy fits at least one barrier")
    examples = _examples(r, problems)
    out, barriers = [], []
    for i, fit in enumerate(fits):
        floc = fits.loc_of(i) if isinstance(fits, YList) else where
        f = FieldReader(fit, floc, f'a fit of remedy "{rid}"', problems)
        f.unknown_keys(FIT_FIELDS)
        barrier = f.text("barrier", required=True)
        if not barrier:
            continue
        if barrier in barriers:
            f.problem("barrier", f'remedy "{rid}" lists the barrier "{barrier}" twice')
            continue
        barriers.append(barrier)
        out.append((_rule_entry(r, f, rid, barrier, floc, examples), floc, None))
    for mitigates, data in examples:
        for fid in sorted(mitigates - set(barriers)):
            problems.append(Problem(_loc(data, where), f'the example says remedy "{rid}" '
                                                       f'mitigates "{fid}", which it does not fit'))
    for barrier in barriers:
        if not any(barrier in m for m, _ in examples):
            problems.append(Problem(where, f'no example shows remedy "{rid}" mitigating '
                                           f'"{barrier}": add one to "examples:"',
                                    "no-example"))
    return out


def _examples(r: FieldReader, problems: list) -> list:
    """``[(the barriers an example mitigates, the example map), ...]``; the map is kept whole
    (its ``given`` is read by the rule builder, once per rule made)."""
    out = []
    raw = r.get("examples", list, default=[])
    if not raw:
        r.problem(None, f'remedy "{r.data.get("id")}" has no example: add "examples:" with given '
                        "facts and the barriers it mitigates", "no-example")
    for i, item in enumerate(raw):
        eloc = raw.loc_of(i) if isinstance(raw, YList) else r.where
        e = FieldReader(item, eloc, "an example", problems)
        e.unknown_keys(EXAMPLE_FIELDS)
        e.get("given", dict, required=True, default={})
        out.append((set(e.str_list("mitigates")), e.data))
    return out


def _rule_entry(r: FieldReader, f: FieldReader, rid: str, barrier: str, floc: Location,
                examples: list) -> YMap:
    """The rule a fit becomes, as the map the rule builder reads (positions kept)."""
    when = [(f"finding({barrier})", f.loc("barrier"))]
    for source in (r, f):
        conditions = source.get("when", (list, str), default=[])
        if isinstance(conditions, str):
            when.append((conditions, source.loc("when")))
        else:
            when += [(text, conditions.loc_of(i) if isinstance(conditions, YList)
                      else source.loc("when")) for i, text in enumerate(conditions)]
    mitigate = {"finding": (barrier, f.loc("barrier"))}
    for key in ("by", "text", "advice"):
        source = f if key in f.data else r
        if key in source.data:
            mitigate[key] = (source.data[key], source.loc(key))
    description = r.data.get("description", "")
    rule = {
        "id": (f"{rid}{SEPARATOR}{barrier}", f.loc("barrier")),
        "description": (f"{description} Remedy {rid} for the barrier {barrier}.",
                        r.loc("description")),
        "when": (_ylist(when, floc), r.loc("when")),
        "then": (_ylist([(_ymap({"mitigate": (_ymap(mitigate, floc), floc)}, floc), floc)],
                        floc), floc),
        "sources": (r.data.get("sources"), r.loc("sources")),
        "examples": (_ylist([(_example(data, barrier in mitigates), _loc(data, floc))
                             for mitigates, data in examples], floc), floc),
    }
    if "judgment" in r.data:
        rule["judgment"] = (r.data["judgment"], r.loc("judgment"))
    return _ymap(rule, floc)


def _example(data, fires: bool) -> YMap:
    where = _loc(data, Location(""))
    fields = {"given": (data.get("given", {}) if isinstance(data, dict) else {},
                        data.loc_of("given") if isinstance(data, YMap) else where),
              "fires": (fires, where)}
    if isinstance(data, dict) and "note" in data:
        fields["note"] = (data["note"], data.loc_of("note"))
    return _ymap(fields, where)


def _loc(data, default: Location) -> Location:
    return data.loc if isinstance(data, YMap) else default


def _ymap(fields: dict, where: Location) -> YMap:
    out = YMap((k, v) for k, (v, _) in fields.items())
    out.loc, out.key_locs = where, {k: loc for k, (_, loc) in fields.items()}
    out.value_locs = dict(out.key_locs)
    return out


def _ylist(items: list, where: Location) -> YList:
    out = YList(value for value, _ in items)
    out.loc, out.item_locs = where, [loc for _, loc in items]
    return out
