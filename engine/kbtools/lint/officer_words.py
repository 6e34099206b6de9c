"""Officer words: texts an extension officer (or an owner) reads must hold no internal name.

The officer's register of every report prints these texts as they are: findings, advice,
mitigations, verdicts, a rule's ``why``, the advice a "never" pair gives instead and its reason,
an input fact's question, help and meaning, an intervention's label and what it does, a factor's
label, the words of words.yaml. Only the literal parts of a template count: a placeholder such
as ``{cash_reserve_months}`` prints a value, not its name.

KB901 (error)
    The text holds the name of a fact or parameter (``estimated_gain``). Say it in words, or
    print its value with a placeholder (``{estimated_gain}``).
KB902 (error)
    The text holds a rule id (``FC-7``). Say what the rule found instead; rule ids belong in
    ``description``.
KB903 (warning)
    The text holds words meant for knowledge engineers (``JUDGMENT``, "the brief", "the seed",
    "salience", "TODO"): a working note. Move it to the rule's ``description`` or the
    parameter's ``rationale``.

Names are matched as whole words. Fact and parameter names with no underscore would be
ordinary words ("verdict" is reserved anyway), so only names holding one are looked for.

Must not: change a text; read files. Entry point: ``check(ctx)``.
"""
from __future__ import annotations

import re

from engine.errors import Problem
from engine.knowledge.spec import (
    FindingAction, MitigateAction, RecommendAction, Template, VerdictAction,
)

from .context import Context, problem

ID = "officer_words"
ENGINEER_WORDS = re.compile(r"\bJUDGMENT\b|\b[Tt]he brief\b|\bbrief's\b|\b[Tt]he seed\b|"
                            r"\bseed's\b|\bsalience\b|\bTODO\b|\bFIXME\b|\bknowledge engineers?\b")


def officer_texts(kb) -> list[tuple]:
    """(where, what, literal text) of every officer-facing text of ``kb``, rule by rule, then
    the vocabulary."""
    out = []
    for rule in kb.rules:
        if getattr(rule, "why", ""):
            out.append((rule.loc, f'rule "{rule.id}" why', rule.why))
        for a in rule.actions:
            if isinstance(a, (FindingAction, RecommendAction, VerdictAction)):
                out.append((a.loc, f'rule "{rule.id}" text', _literal(a.text)))
            elif isinstance(a, MitigateAction):
                out.append((a.loc, f'rule "{rule.id}" mitigation', _literal(a.text)))
                out.append((a.loc, f'rule "{rule.id}" advice', _literal(a.advice)))
    for fact in kb.input_facts.values():  # derived facts are the rules' own working
        for key in ("question", "help", "meaning"):
            out.append((fact.loc, f'fact "{fact.name}" {key}', getattr(fact, key)))
    for spec in kb.interventions.values():
        out.append((spec.loc, f'intervention "{spec.id}" label', spec.label))
        out.append((spec.loc, f'intervention "{spec.id}" does', spec.does))
        for never in spec.never:
            out.append((never.loc, f'"{never.id}" reason', never.reason))
            out.append((never.loc, f'"{never.id}" instead', _literal(never.instead)))
    for spec in kb.factors.values():
        out.append((spec.loc, f'factor "{spec.id}" label', spec.label))
    for name, word in kb.words.items():
        for _, text in word.choices:
            out.append((word.loc, f'word "{name}"', text))
    return [(where, what, text) for where, what, text in out if text]


def _literal(template: Template | None) -> str:
    """The words a template prints whatever the case: its literal parts, a gap per value."""
    if template is None:
        return ""
    return " ... ".join(p for p in template.parts if isinstance(p, str))


def check(ctx: Context) -> list[Problem]:
    """KB901-KB903, in the order of ``officer_texts``."""
    kb = ctx.kb
    names = sorted((n for n in list(kb.facts) + list(kb.parameters) if "_" in n),
                   key=len, reverse=True)
    name_pattern = _words(names)
    rule_pattern = _words(sorted((r.id for r in kb.rules), key=len, reverse=True))
    out = []
    for where, what, text in officer_texts(kb):
        for found in dict.fromkeys(name_pattern.findall(text)) if name_pattern else ():
            out.append(problem("KB901", where, f'{what} holds the internal name "{found}": '
                                               "say it in words or print its value"))
        for found in dict.fromkeys(rule_pattern.findall(text)) if rule_pattern else ():
            out.append(problem("KB902", where, f'{what} holds the rule id "{found}": say what '
                                               "the rule found instead"))
        for found in dict.fromkeys(ENGINEER_WORDS.findall(text)):
            out.append(problem("KB903", where, f'{what} holds "{found}", a working note for '
                                               "knowledge engineers: move it to the rule's "
                                               "description or a rationale", "warning"))
    return out


def _words(items: list) -> re.Pattern | None:
    """A pattern matching any of ``items`` as a whole word (letters, digits, ``_`` and ``-``
    around it do not count as a boundary)."""
    if not items:
        return None
    return re.compile(r"(?<![\w-])(" + "|".join(re.escape(i) for i in items) + r")(?![\w-])")
