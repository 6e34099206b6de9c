"""The knowledge base's vocabulary: the factors, sources, facts, parameters and interventions that
rules are written in, read from factors.yaml, sources.yaml, facts.yaml, parameters.yaml and
interventions.yaml.

Each ``load_*`` takes one file's positioned data (None when the file could not be read: its
problem is already recorded), the file's path, what it refers to, and the problems list; it
returns a dict of specs by id or name, keeping the first of two entries with one name.

Must not: read rules (``rules``) or files (``loader`` reads them through ``reader``); raise.
Entry points: ``load_factors``, ``load_sources``, ``load_facts``, ``load_parameters``,
``load_interventions``, ``check_sources``, ``check_actions``.
"""
from __future__ import annotations

import dataclasses
import math
import re
from pathlib import Path

from engine.errors import Location, Problem, ValueProblem, did_you_mean
from engine.knowledge.interviewing import check_interview_fields, interview_fields
from engine.knowledge.reader import FieldReader, entries
from engine.knowledge.values import check_value, fold
from engine.knowledge.spec import (
    FACTOR_IDS, FACT_TYPES, FactAction, FactSpec, FactorSpec, InterventionSpec, ParameterSpec,
    SourceSpec,
)

NAME_PATTERN = re.compile(r"^[a-z][a-z0-9_]{0,63}$")
OPPORTUNITY_GROUP = "opportunity"
# Names the condition language gives a meaning of its own; no fact or parameter may take them.
RESERVED_NAMES = frozenset({"verdict"})
# use_when and never are read once the rules are known (``catalogue``)
INTERVENTION_FIELDS = ("label", "does", "sources", "use_when", "never")
FACT_FIELDS = ("name", "type", "factor", "meaning", "question", "help", "unit", "values", "min",
               "max", "derived", "waive", "synonyms", "action",
               "frame", "presupposes", "closes", "from_amounts")
ACTION_FIELDS = ("values", "by", "through")
ACTORS = ("owner", "officer", "both")


HANDOUT_CHOICES = ("written", "in_person")  # factors.yaml ``handout:`` (default written)


def load_factors(data, path: Path, problems: list) -> dict:
    """``{factor id: FactorSpec}``; each of the twelve ids of the result contract, once."""
    out = {}
    for _, item, where in entries(data, "factors", path, problems) if data else []:
        r = FieldReader(item, where, "a factor", problems)
        fid = r.text("id", required=True)
        if fid and fid not in FACTOR_IDS:
            r.problem("id", f'"{fid}" is not one of the twelve factor ids'
                            f"{did_you_mean(fid, FACTOR_IDS)}")
        elif fid in out:
            r.problem("id", f'factor "{fid}" is listed twice', "duplicate-id")
        elif fid:
            handout = r.text("handout", default="written")
            if handout not in HANDOUT_CHOICES:
                r.problem("handout", f'"handout" is one of {", ".join(HANDOUT_CHOICES)} (in_person: '
                                     "the factor's findings and advice are discussed with the "
                                     "owner, not written on the sheet left in the house)")
            out[fid] = FactorSpec(fid, r.text("label", required=True), r.text("description"),
                                  where, in_person=handout == "in_person")
    if data:
        for fid in FACTOR_IDS:
            if fid not in out:
                problems.append(Problem(Location(str(path), 1, 1),
                                        f'factor "{fid}" of the result contract is missing'))
    return out


def load_sources(data, path: Path, problems: list) -> dict:
    """``{source key: SourceSpec}``: what rules, parameters and interventions cite."""
    out = {}
    for key, item, where in entries(data, "sources", path, problems) if data else []:
        r = FieldReader(item, where, f'source "{key}"', problems)
        key = key or r.text("key", required=True)
        if key in out:
            problems.append(Problem(where, f'source "{key}" is listed twice', "duplicate-id"))
            continue
        out[str(key)] = SourceSpec(str(key), r.text("title", required=True),
                                   r.text("reference"), r.text("url"), where, r.waivers())
    return out


def check_sources(keys: tuple, sources: dict, where: Location, problems: list) -> None:
    """A problem at ``where`` for each cited key that sources.yaml does not list."""
    for key in keys:
        if key not in sources:
            problems.append(Problem(where, f'unknown source "{key}"{did_you_mean(key, sources)}'
                                           " (add it to sources.yaml)", "unknown-source"))


def load_facts(data, path: Path, factors: dict, problems: list) -> dict:
    """``{fact name: FactSpec}``, input and derived facts, in file order."""
    out = {}
    groups = set(FACTOR_IDS) | {OPPORTUNITY_GROUP}
    for _, item, where in entries(data, "facts", path, problems) if data else []:
        r = FieldReader(item, where, "a fact", problems)
        r.unknown_keys(FACT_FIELDS)
        name = r.text("name", required=True)
        ftype = r.text("type", required=True)
        derived = bool(r.get("derived", bool, default=False))
        if name:
            _check_name(r, "name", name, "fact")
        if name in out:
            r.problem("name", f'fact "{name}" is defined twice (first at line '
                              f"{out[name].loc.line})", "duplicate-id")
            continue
        if ftype not in FACT_TYPES:
            r.problem("type", f'unknown type "{ftype}"{did_you_mean(ftype, FACT_TYPES)}')
        factor = r.text("factor", required=True)
        if factor and factor not in groups:
            r.problem("factor", f'unknown factor "{factor}"{did_you_mean(factor, groups)}',
                      "unknown-factor")
        values = r.str_list("values", required=ftype in ("enum", "list[enum]"))
        question = r.text("question", required=not derived)
        spec = FactSpec(name=name, type=ftype, factor=factor, meaning=r.text("meaning"),
                        question=question, help=r.text("help"), unit=r.text("unit"),
                        values=values, min=_finite(r, "min"), max=_finite(r, "max"),
                        derived=derived, loc=where, waivers=r.waivers(),
                        synonyms=_synonyms(r, values),
                        **interview_fields(r, ftype))
        if "action" in r.data and ftype in FACT_TYPES:
            spec = dataclasses.replace(spec, action=_read_action(r, spec, problems))
        out[name] = spec
    check_interview_fields(out, problems)
    return out


def _read_action(r: FieldReader, spec: FactSpec, problems: list) -> FactAction | None:
    """A fact's ``action:`` (values an action can give it, by whom, through which
    interventions); each value is checked like a case's. Interventions are checked later
    (``check_actions``), once they are read."""
    if spec.derived:
        r.problem("action", f'derived fact "{spec.name}" cannot be acted on: act on the facts '
                            "it is computed from")
        return None
    a = FieldReader(r.data["action"], r.loc("action"), f'the action of fact "{spec.name}"',
                    problems)
    a.unknown_keys(ACTION_FIELDS)
    values = []
    for value in a.get("values", list, required=True, default=[]):
        try:
            values.append(check_value(spec, value))
        except ValueProblem as exc:
            a.problem("values", f"{exc} (in the values an action can give)")
    by = a.text("by", default="officer")
    if by not in ACTORS:
        a.problem("by", f'"by" is one of {", ".join(ACTORS)}, not "{by}"')
    return FactAction(tuple(values), by, a.str_list("through", required=True), r.loc("action"))


def check_actions(facts: dict, interventions: dict, problems: list) -> None:
    """A problem for each intervention an ``action:`` names that interventions.yaml lacks."""
    for spec in facts.values():
        for iid in spec.action.through if spec.action else ():
            if iid not in interventions:
                problems.append(Problem(spec.action.loc, f'fact "{spec.name}": the action names '
                                        f'no intervention "{iid}"'
                                        f"{did_you_mean(iid, interventions)}", "unknown-id"))


def _finite(r: FieldReader, key: str):
    """A number field that must be finite (``.nan``, ``.inf`` and ``1e400`` are not)."""
    value = r.get(key, float)
    if value is not None and not math.isfinite(value):
        r.problem(key, f'"{key}" must be a finite number, not {value}')
        return None
    return value


def _synonyms(r: FieldReader, values: tuple) -> tuple:
    """``synonyms: {value: [word, ...]}``: other names of a choice that a survey export or an
    officer may use ("VSLA" for ``savings_group``), as ``((folded word, value, word), ...)``. Each
    word must name one choice only, and not be another spelling of a choice."""
    data = r.get("synonyms", dict, default={})
    if data and not values:
        r.problem("synonyms", '"synonyms" are for a fact with "values"')
        return ()
    taken = {fold(v): v for v in values}
    out = []
    listed = FieldReader(data, r.loc("synonyms"), "synonyms", r.problems)
    for value in data:
        if value not in values:
            r.problems.append(Problem(data.key_loc(value), f'"{value}" is not one of the values'
                                      f"{did_you_mean(str(value), values)}", "unknown-value"))
            continue
        for word in listed.str_list(value):
            key = fold(word)
            if key in taken and taken[key] != value:
                r.problems.append(Problem(data.loc_of(value), f'synonym "{word}" already names '
                                          f'"{taken[key]}"', "duplicate-id"))
                continue
            taken[key] = value
            out.append((key, value, word))
    return tuple(out)


def load_parameters(data, path: Path, facts: dict, sources: dict, problems: list) -> dict:
    """``{parameter name: ParameterSpec}``: the named thresholds rules compare with."""
    out = {}
    for key, item, where in entries(data, "parameters", path, problems) if data else []:
        r = FieldReader(item, where, f'parameter "{key}"', problems)
        r.unknown_keys(("value", "unit", "rationale", "judgment", "sources", "waive"))
        name = str(key)
        _check_name(r, None, name, "parameter")
        if name in facts:
            problems.append(Problem(where, f'parameter "{name}" has the name of a fact: '
                                           "rename one", "name-clash"))
        value = r.get("value", (int, float, str, bool), required=True)
        if isinstance(value, float) and not math.isfinite(value):
            r.problem("value", f"a parameter's value must be a finite number, not {value} "
                               "(a rule comparing with it could never fire)")
        srcs = r.str_list("sources")
        check_sources(srcs, sources, r.loc("sources"), problems)
        out[name] = ParameterSpec(name, value, r.text("rationale", required=True),
                                  r.text("unit"), bool(r.get("judgment", bool, default=False)),
                                  srcs, where, r.waivers(), r.loc("value"))
    return out


def _check_name(r: FieldReader, key: str | None, name: str, what: str) -> None:
    """A fact's or parameter's name: lower_case_with_underscores, and not a reserved name; the
    problem stands at ``key``'s value, or at the entry when ``key`` is None."""
    if not NAME_PATTERN.match(name):
        form = "lower_case_with_underscores" if what == "fact" else "lower_case"
        r.problem(key, f'{what} name "{name}" must be {form}')
    elif name in RESERVED_NAMES:
        r.problem(key, f'"{name}" is reserved: conditions use it for the concluded verdict; '
                       f"give the {what} another name", "name-clash")


def load_interventions(data, path: Path, sources: dict, problems: list) -> dict:
    """``{intervention id: InterventionSpec}``: what recommendations and mitigations name."""
    out = {}
    for key, item, where in entries(data, "interventions", path, problems) if data else []:
        r = FieldReader(item, where, f'intervention "{key}"', problems)
        r.unknown_keys(INTERVENTION_FIELDS)
        srcs = r.str_list("sources")
        check_sources(srcs, sources, r.loc("sources"), problems)
        out[str(key)] = InterventionSpec(str(key), r.text("label", required=True),
                                         r.text("does", required=True), srcs, where,
                                         r.waivers())
    return out
