"""What a worked case's ``expected:`` (or a rule example) asserts, read strictly, and checked
against a run.

Every list says how it is meant (``docs/knowledge-base.md``, "Worked cases"):

==================  =================================================================  ========
key                 meaning                                                            ``[]``
==================  =================================================================  ========
``verdict``         the verdict is this value
``barriers``        *exactly* these factors are barriers (likewise ``enablers``,       none
                    ``neutral``, ``unknown``)
``interventions``   *at least* these interventions are recommended                     refused
``not_interventions``  *none* of these is recommended                                  refused
``findings``        *at least* these findings are asserted                             refused
``not_findings``    *none* of these is asserted                                        refused
``fired``           *at least* these rules fired                                       refused
``not_fired``       *none* of these rules fired                                        refused
==================  =================================================================  ========

A key not in this table is an error with a suggestion (``verdic`` -> ``verdict``), and so is an
id the knowledge base does not have, so an expectation cannot pass by accident.

Must not: run rules (``expectations`` does); print. Entry points: ``read_expected(data, kb,
where) -> (Expected, problems)``, ``unmet(expected, run, result) -> list[Unmet]``.
"""
from __future__ import annotations

from dataclasses import dataclass, field

from engine.errors import Location, Problem, did_you_mean
from engine.knowledge.spec import FACTOR_IDS, VERDICTS, KnowledgeBase
from engine.knowledge.yamlsource import YList, YMap

STATUS_OF = {"barriers": "barrier", "enablers": "enabler", "neutral": "neutral",
             "unknown": "unknown"}
# key -> (what the list means, the kind of id it holds, how it is compared)
EXPECTED_LISTS = {
    **{key: (f"exactly these factors are {status}" + ("s" if key != status else ""), "factor",
             "exactly") for key, status in STATUS_OF.items()},
    "interventions": ("at least these interventions are recommended", "intervention",
                      "at least"),
    "not_interventions": ("none of these interventions is recommended", "intervention", "none"),
    "findings": ("at least these findings are asserted", "finding", "at least"),
    "not_findings": ("none of these findings is asserted", "finding", "none"),
    "fired": ("at least these rules fired", "rule", "at least"),
    "not_fired": ("none of these rules fired", "rule", "none"),
}
EXPECTED_FIELDS = ("verdict",) + tuple(EXPECTED_LISTS)


@dataclass(frozen=True)
class Expected:
    """What is expected: ``verdict`` (or None) and, for each key given, its ids."""

    verdict: str | None = None
    lists: dict = field(default_factory=dict)  # key of EXPECTED_LISTS -> tuple of ids


@dataclass(frozen=True)
class Unmet:
    """One expectation not met: in words, expected and actual, and what explains it:
    ``("rule", id)``, ``("finding", id)``, ``("intervention", id)``, ``("verdict", value)`` or
    ``("factor", id, status)``."""

    expected: str
    actual: str
    explain: tuple = ()


def read_expected(data, kb: KnowledgeBase, where: Location) -> tuple[Expected, list]:
    """``expected:`` of a worked case (a located map) as ``Expected``, with a problem (at the
    key's or item's ``file:line:col``) for every unknown key, id or verdict."""
    problems: list = []
    if not isinstance(data, dict):
        return Expected(), [Problem(where, '"expected" must be a map, e.g. {verdict: likely}')]
    loc = (lambda key: data.loc_of(key)) if isinstance(data, YMap) else (lambda key: where)
    verdict, lists = None, {}
    for key, value in data.items():
        kloc = data.key_loc(key) if isinstance(data, YMap) else where
        if key not in EXPECTED_FIELDS:
            problems.append(Problem(kloc, f'unknown key "{key}" in expected'
                                          f"{did_you_mean(str(key), EXPECTED_FIELDS)}: the keys "
                                          f"are {', '.join(EXPECTED_FIELDS)}", "unknown-key"))
        elif key == "verdict":
            verdict = str(value) if value is not None else None
            if verdict not in VERDICTS:
                problems.append(Problem(loc(key), f'"{verdict}" is not a verdict'
                                                  f"{did_you_mean(str(verdict), VERDICTS)}"))
        else:
            lists[key] = _ids(key, value, loc(key), kb, problems)
    return Expected(verdict, lists), problems


def _ids(key: str, value, where: Location, kb: KnowledgeBase, problems: list) -> tuple:
    meaning, kind, how = EXPECTED_LISTS[key]
    items = [value] if isinstance(value, str) else value
    if not isinstance(items, list):
        problems.append(Problem(where, f'"{key}" must be a list of ids ({meaning})'))
        return ()
    if not items and how != "exactly":
        problems.append(Problem(where, f'"{key}: []" asserts nothing ({key} means "{meaning}"):'
                                       " list ids, or remove the key"))
    known = _known(kind, kb)
    out = []
    for i, item in enumerate(items):
        iloc = items.loc_of(i) if isinstance(items, YList) else where
        if str(item) not in known:
            problems.append(Problem(iloc, f'unknown {kind} "{item}" in {key}'
                                          f"{did_you_mean(str(item), known)}",
                                    f"unknown-{kind}"))
        else:
            out.append(str(item))
    return tuple(out)


def _known(kind: str, kb: KnowledgeBase):
    if kind == "factor":
        return FACTOR_IDS
    if kind == "intervention":
        return kb.interventions
    if kind == "finding":
        return kb.finding_specs
    return {r.id for r in kb.rules}


def unmet(expected: Expected, run, result: dict | None = None) -> list[Unmet]:
    """Each expectation the run (and the result dict, for factor statuses and interventions)
    does not meet, in the order of ``EXPECTED_FIELDS``."""
    out = []
    verdict = run.verdict[0] if run.verdict else None
    if expected.verdict and verdict != expected.verdict:
        by = f" (rule {run.verdict[2]})" if run.verdict else ""
        out.append(Unmet(f"verdict {expected.verdict}", f"verdict {verdict}{by}",
                         (("verdict", expected.verdict),)))
    fired = {f.rule for f in run.firings}
    # what the officer is advised: the result's recommendations (remedies the verdict counts
    # added, advice the do-no-harm pairs withhold left out); the run's own without a result
    recommended = [r["intervention"] for r in result["recommendations"]] if result is not None \
        else [r.intervention for r in run.recommendations]
    for key, ids in expected.lists.items():
        if key in STATUS_OF:
            out.extend(_statuses(key, ids, result))
        elif key in ("interventions", "findings", "fired"):
            have = {"interventions": recommended, "findings": run.findings, "fired": fired}[key]
            kind = EXPECTED_LISTS[key][1]
            for item in ids:
                if item not in have:
                    out.append(Unmet(f"{kind} {item} {_done(key)}", f"{kind} {item} "
                                     f"{_done(key, False)}", ((kind, item),)))
        else:
            have = {"not_interventions": recommended, "not_findings": run.findings,
                    "not_fired": fired}[key]
            kind = EXPECTED_LISTS[key][1]
            for item in ids:
                if item in have:
                    out.append(Unmet(f"{kind} {item} {_done(key, False)}",
                                     f"{kind} {item} {_done(key)}", ((kind, item),)))
    return out


def _done(key: str, yes: bool = True) -> str:
    word = {"interventions": "recommended", "findings": "asserted", "fired": "fired"}[
        key.removeprefix("not_")]
    return word if yes else f"not {word}"


def _statuses(key: str, ids: tuple, result: dict | None) -> list[Unmet]:
    """``barriers: [a, b]``: exactly a and b are barriers."""
    status = STATUS_OF[key]
    actual = [f for f, e in (result or {}).get("factors", {}).items() if e["status"] == status]
    if set(actual) == set(ids):
        return []
    missing = [f for f in ids if f not in actual]
    extra = [f for f in actual if f not in ids]
    return [Unmet(f"{key}: exactly {', '.join(ids) or 'none'}",
                  f"{key}: {', '.join(actual) or 'none'}"
                  + (f" (missing {', '.join(missing)})" if missing else "")
                  + (f" (not expected: {', '.join(extra)})" if extra else ""),
                  tuple(("factor", f, status) for f in missing + extra))]
