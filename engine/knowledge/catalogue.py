"""The intervention catalogue's rules of use, read from ``interventions.yaml`` once every rule is
known: when the catalogue lists an intervention (``use_when``, brief section 5) and when it must
never be advised (``never``: do no harm).

- ``use_when``: the ids of the barrier rules the catalogue lists the intervention for. A rule so
  listed recommends it, or says why not in its own ``omits:`` (``kb lint``, family ``wiring``).
- ``never``: pairs "never advise this intervention when this holds", each with a ``when``
  condition (the condition language; an unknown never makes it hold), the ``reason``, the
  honest advice shown ``instead`` ("do not borrow until ...") and ``sources``. The consultation
  withholds the intervention where a pair holds (``consultation.safeguards``); ``kb lint``
  (family ``harm``) reports a rule that advises it where a pair always forbids it.

Must not: read files (``loader`` hands over the positioned document); evaluate; raise.
Entry point: ``finish_catalogue(data, interventions, scope, problems) -> interventions``.
"""
from __future__ import annotations

from dataclasses import replace

from engine import language as c
from engine.errors import Problem, did_you_mean
from engine.knowledge.reader import FieldReader
from engine.knowledge.spec import Condition, NeverSpec
from engine.knowledge.typecheck import Scope, condition_problems, template_problems
from engine.knowledge.vocabulary import check_sources
from engine.knowledge.words import refuse_in_conditions
from engine.knowledge.located import YList, YMap

NEVER_FIELDS = ("when", "reason", "instead", "sources")


def finish_catalogue(data, interventions: dict, scope: Scope, sources: dict,
                     problems: list) -> dict:
    """``interventions`` with ``use_when`` and ``never`` read from ``data`` (the document of
    interventions.yaml) and checked against the rules (``scope``) and ``sources``."""
    items = data.get("interventions") if isinstance(data, dict) else None
    if not isinstance(items, YMap):
        return interventions
    out = dict(interventions)
    for iid, spec in interventions.items():
        item = items.get(iid)
        if not isinstance(item, dict):
            continue
        r = FieldReader(item, items.key_loc(iid), f'intervention "{iid}"', problems)
        use_when = r.str_list("use_when")
        for rid in use_when:
            if rid not in scope.rule_ids:
                r.problem("use_when", f'use_when names no rule "{rid}"'
                                      f"{did_you_mean(rid, scope.rule_ids)}", "unknown-rule")
        never = tuple(_never(entry, loc, iid, i, scope, sources, problems)
                      for i, (entry, loc) in enumerate(_located(r, "never"), 1))
        out[iid] = replace(spec, use_when=use_when, never=never)
    return out


def _located(r: FieldReader, key: str) -> list:
    raw = r.get(key, list, default=[])
    return [(entry, raw.loc_of(i) if isinstance(raw, YList) else r.loc(key))
            for i, entry in enumerate(raw)]


def _never(entry, where, iid: str, number: int, scope: Scope, sources: dict,
           problems: list) -> NeverSpec:
    r = FieldReader(entry, where, f'a "never" entry of intervention "{iid}"', problems)
    r.unknown_keys(NEVER_FIELDS)
    text = r.text("when", required=True)
    node = c.Bool(False)
    if text:
        try:
            node = c.parse(text)
        except c.ParseError as exc:
            problems.append(Problem(r.loc("when").shifted(exc.pos), exc.message, "syntax"))
        else:
            problems.extend(condition_problems(node, scope, r.loc("when")))
            refuse_in_conditions(node, dict.fromkeys(scope.words), r.loc("when"), problems)
    srcs = r.str_list("sources", required=True)
    check_sources(srcs, sources, r.loc("sources"), problems)
    instead = r.template("instead", required=True)
    problems.extend(template_problems(instead, scope, r.loc("instead")))
    return NeverSpec(f"{iid}-never-{number}", iid, Condition(text, node, r.loc("when")),
                     r.text("reason", required=True), instead, srcs, where)
