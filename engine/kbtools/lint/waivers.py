"""Waivers: a lint warning silenced on purpose, for one rule or vocabulary entry, with its reason.

A rule, fact, parameter, source or intervention may carry ``waive:``, a list of
``{code: KB402, reason: "...", with: [rule ids]}``. Each silences the warnings of that code
reported about that entry (``Problem.subject``); ``with`` limits it to warnings about that
entry and other rules which name no rule but those (a pair warning with a new partner shows
again). The reason is required: ``kb lint`` prints no waived warning, so the reason is the
only trace a reviewer has. Errors cannot be waived.

KB706 (warning)
    A waiver that silences nothing: the warning it was written for is gone. Remove it.
KB707 (error)
    A waiver of a code that is not a lint warning (an error, or no code at all). Fix the code;
    errors must be fixed, not waived.

Applied by ``linter`` after every family has run. Must not: silence an error; check anything
else. Entry points: ``apply(kb, problems) -> list[Problem]``, ``warning_codes()``.
"""
from __future__ import annotations

import re

from engine.errors import Problem
from engine.knowledge.spec import KnowledgeBase

from .context import problem

_CODE = re.compile(r"^(KB\d{3}) \((warning|error)\)$", re.MULTILINE)


def warning_codes() -> dict:
    """``{code: severity}`` of every lint code, read from the families' documentation (each
    documents its codes as ``KBnnn (warning)``), this module's included."""
    from . import loader_problems, names
    from .registry import FAMILIES

    out = {}
    for module in (loader_problems, names, *FAMILIES.values()):
        out.update({m.group(1): m.group(2) for m in _CODE.finditer(module.__doc__ or "")})
    out.update({m.group(1): m.group(2) for m in _CODE.finditer(__doc__)})
    return out


def apply(kb: KnowledgeBase, problems: list) -> list[Problem]:
    """``problems`` less the warnings a waiver silences, then KB706 and KB707."""
    entries = list(_waivers(kb))
    used = set()
    kept = []
    for p in problems:
        hit = next((i for i, (subject, w) in enumerate(entries) if _silences(subject, w, p)),
                   None)
        if hit is None:
            kept.append(p)
        else:
            used.add(hit)
    codes = warning_codes()
    for i, (subject, w) in enumerate(entries):
        kind, name = subject.split(":", 1)
        who = f'{kind} "{name}"'
        if codes.get(w.code) != "warning":
            what = "an error: fix it" if codes.get(w.code) == "error" else "no lint code"
            kept.append(problem("KB707", w.loc, f"{who} waives {w.code}, which is {what} "
                                               "(only warnings can be waived)",
                                subject=(subject,)))
        elif i not in used:
            kept.append(problem("KB706", w.loc, f"{who} waives {w.code}, but no such "
                                               "warning is reported about it: remove the "
                                               "waiver", "warning", (subject,)))
    return kept


def _silences(subject: str, waiver, p: Problem) -> bool:
    if p.severity != "warning" or p.code != waiver.code or not p.subject or \
            p.subject[0] != subject:
        return False
    named = {f"rule:{rid}" for rid in waiver.with_ids}
    return not waiver.with_ids or set(p.subject[1:]) <= named


def _waivers(kb: KnowledgeBase):
    """``(subject, Waiver)`` for every waiver of the knowledge base."""
    for kind, specs in (("rule", {r.id: r for r in kb.rules}), ("fact", kb.facts),
                        ("parameter", kb.parameters), ("source", kb.sources),
                        ("intervention", kb.interventions)):
        for name, spec in specs.items():
            for waiver in getattr(spec, "waivers", ()):
                yield f"{kind}:{name}", waiver
