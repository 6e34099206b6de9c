"""The interview's fields of a fact in facts.yaml: ``frame``, ``presupposes``, ``closes`` and
``from_amounts``.

- ``frame: true``: the fact frames everything else (the kind of change, the owner's gender, the
  enterprise's role): the interview asks it right after registration;
- ``presupposes: [fact, ...]``: the question refers to what those facts introduce ("this
  premium", "that firm"): the interview asks it only once each of them was asked;
- ``closes: {fact: value, ...}`` on a yes/no fact makes it a *gate* (a screening question): the
  answer "no" settles every listed fact at its value (one "no" closes a topic); "yes" or "don't
  know" leaves them to be asked one by one. A gate is answered in a case file like any fact, or
  else from the facts it summarises (``summary_of``);
- ``from_amounts: {amount: upfront_cost, per: monthly_net_income, times: 1}`` on a ratio: the
  interview asks the two amounts in local currency instead (no arithmetic during the visit) and
  sets the ratio to amount / per x times; when either is not known it asks the ratio itself. A
  case file may still give the ratio directly.

Must not: read files or raise (problems are appended, with the file's line and column).
Entry points: ``interview_fields(reader, type)``, ``check_interview_fields(facts, problems)``,
``summary_of(fact, facts)``, ``ratio_of(fact, amount, per)``.
"""
from __future__ import annotations

from engine.errors import Problem, ValueProblem, did_you_mean
from engine.knowledge.values import bounds, check_value


def interview_fields(r, ftype: str) -> dict:
    """The ``frame``, ``presupposes`` and ``closes`` of one fact entry (FieldReader ``r``), as
    FactSpec keyword arguments; the names are checked later by ``check_interview_fields``."""
    closes = r.get("closes", dict, default={})
    if closes and ftype != "bool":
        r.problem("closes", '"closes" is for a yes/no fact (type bool): its "no" closes the topic')
        closes = {}
    pairs = tuple((str(name), closes[name], closes.key_loc(name)) for name in closes)
    money = r.get("from_amounts", dict, default={})
    amounts = ()
    if money:
        amount, per = str(money.get("amount", "")), str(money.get("per", ""))
        times = money.get("times", 1)
        if not amount or not per or isinstance(times, bool) or \
                not isinstance(times, (int, float)) or times <= 0:
            r.problem("from_amounts", '"from_amounts" needs amount: FACT, per: FACT and '
                                      "times: a positive number (1 unless a percentage: 100)")
        else:
            amounts = (amount, per, times, r.loc("from_amounts"))
    return {"frame": bool(r.get("frame", bool, default=False)), "amounts": amounts,
            "presupposes": tuple((name, r.loc("presupposes")) for name in
                                 r.str_list("presupposes")),
            "closes": pairs}


def check_interview_fields(facts: dict, problems: list) -> None:
    """Each name in ``presupposes`` and ``closes`` is an input fact, each closing value a value
    of its fact; then the fields keep only the names (and values), without their locations."""
    inputs = {n: f for n, f in facts.items() if not f.derived}
    for name, fact in list(facts.items()):
        kept_pre = []
        for other, where in fact.presupposes:
            if _known(other, inputs, where, problems, name):
                kept_pre.append(other)
        kept_closes = []
        for other, value, where in fact.closes:
            if not _known(other, inputs, where, problems, name):
                continue
            if inputs[other].closes:
                problems.append(Problem(where, f'gate "{name}" closes "{other}", another gate: '
                                               "list the facts that gate closes instead"))
                continue
            try:
                kept_closes.append((other, check_value(inputs[other], value)))
            except ValueProblem as exc:
                problems.append(Problem(where, f'gate "{name}": {exc}', "unknown-value"))
        object.__setattr__(fact, "presupposes", tuple(kept_pre))
        object.__setattr__(fact, "closes", tuple(kept_closes))
        object.__setattr__(fact, "amounts", _amounts(name, fact, inputs, problems))


def _amounts(name: str, fact, inputs: dict, problems: list) -> tuple:
    """``from_amounts`` checked: both facts are money input facts, the fact itself a number."""
    if not fact.amounts:
        return ()
    amount, per, times, where = fact.amounts
    if not fact.is_numeric or fact.type == "money":
        problems.append(Problem(where, f'"from_amounts" is for a ratio or share, not the '
                                       f'{fact.type} fact "{name}"'))
        return ()
    for other in (amount, per):
        if not _known(other, inputs, where, problems, name):
            return ()
        if inputs[other].type != "money":
            problems.append(Problem(where, f'"{other}" in from_amounts of "{name}" must be a '
                                           "money fact (an amount in local currency)"))
            return ()
    return (amount, per, times)


def ratio_of(fact, amount, per):
    """The ratio ``fact`` takes from its two amounts (``from_amounts``), rounded to 2 decimals;
    None when either is unknown or ``per`` is zero (no income: the ratio cannot be told)."""
    if amount is None or per is None or per <= 0:
        return None
    high = bounds(fact)[1]
    value = round(amount / per * fact.amounts[2], 2)
    return value if high is None else min(value, high)  # a share beyond the whole: the whole


def _known(other: str, inputs: dict, where, problems: list, name: str) -> bool:
    if other == name or other not in inputs:
        why = "itself" if other == name else f'"{other}", which is no input fact' \
            f"{did_you_mean(other, inputs)}"
        problems.append(Problem(where, f'fact "{name}" refers to {why}', "unknown-fact"))
        return False
    return True


def summary_of(fact, facts: dict):
    """A gate's answer from the facts it summarises (``facts``: name -> value, absent or None =
    unknown): False ("no") when every listed fact has its closing value, True when one is known
    with another value, else None (don't know). For a replay from a case file that does not give
    the gate itself."""
    if any(facts.get(n) is not None and facts.get(n) != v for n, v in fact.closes):
        return True
    if all(facts.get(n) == v for n, v in fact.closes):
        return False
    return None
