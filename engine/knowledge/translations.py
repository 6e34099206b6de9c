"""The knowledge base's texts in another language: ``translations/<code>.yaml`` beside it.

The English in the knowledge-base files is the source. A translation file holds, keyed by the
same ids, what an officer reads: each fact's ``question``, ``help``, ``meaning``, ``unit`` and
choice labels (``choices: {value: label}``), each factor's ``label`` and ``description``, each
intervention's ``label``, ``does`` and its ``never`` entries (``reason``, ``instead``, by number),
each rule's ``why``, ``explanation``, ``verdict``, ``findings: {id: text}``, ``recommend:
{intervention: text}`` and ``mitigates: {finding: {text, advice}}``, each remedy's ``text`` and
``advice`` and those of its ``fits`` by barrier, and each word's choices (``say``) as a list
in the same order (docs/knowledge-base.md "Translations"). A text keeps the ``{placeholders}``
of its source (their formats may say the unit in the language: ``{n:mes|meses}``).

``source_texts(kb)`` lists every translatable text as ``{key: English}`` (a key is a path such
as ``("rules", "PR-1", "findings", "no_net_gain")``); ``read_translation(path, problems)`` reads
a file as ``{key: (text, location)}``; ``translated(kb, texts, language)`` is the knowledge base
speaking that language (a text without a translation stays English and is listed in
``kb.untranslated``). The checks of a translation (placeholders, stray keys, what is missing)
are ``kbtools.lint.translations``.

Must not: check a translation (lint does), print, write files, or change what rules match:
only texts are replaced. Entry points: the three functions above and ``for_language``.
"""
from __future__ import annotations

import re
from dataclasses import replace
from pathlib import Path

from engine.errors import Location, Problem
from engine.knowledge.located import YList, YMap
from engine.knowledge.reader import parse_template_at, read_yaml
from engine.knowledge.remedies import SEPARATOR
from engine.knowledge.spec import (
    FindingAction, KnowledgeBase, MitigateAction, RecommendAction, Template, VerdictAction,
)
from engine.language.formatting import format_value
from engine.translation.catalogue import Language

FOLDER = "translations"
FACT_FIELDS = ("question", "help", "meaning", "unit")
_PLACEHOLDER = re.compile(r"(?<!\{)\{(?!\{)([^}:]*)")


def translation_path(root: str | Path, code: str) -> Path:
    return Path(root) / FOLDER / f"{code}.yaml"


def placeholders(text: str) -> list[str]:
    """The expressions of ``text``'s placeholders, spaces removed, sorted: ``"{a} {b:.0f}"`` ->
    ``["a", "b"]`` (formats left out: a translation says its units in its own words)."""
    return sorted(re.sub(r"\s+", "", m) for m in _PLACEHOLDER.findall(text))


def choice_label(value) -> str:
    """An enum value as English says it when the knowledge base gives no label."""
    return str(value).replace("_", " ")


def fact_texts(f) -> dict:
    """``{field: English}`` of a fact's texts: those it has (a unit only when it has words:
    "%" is said the same everywhere)."""
    return {fld: getattr(f, fld) for fld in FACT_FIELDS
            if getattr(f, fld) and (fld != "unit" or any(ch.isalpha() for ch in f.unit))}


def source_texts(kb: KnowledgeBase) -> dict:
    """``{key: English text}`` of every officer-facing text of ``kb``, in file order."""
    out: dict = {}
    for name, f in kb.facts.items():
        for fld, text in fact_texts(f).items():
            out[("facts", name, fld)] = text
        for value in f.values:
            out[("facts", name, "choices", str(value))] = dict(f.labels).get(value) \
                or choice_label(value)
    for fid, spec in kb.factors.items():
        out[("factors", fid, "label")] = spec.label
        if spec.description:
            out[("factors", fid, "description")] = spec.description
    for iid, spec in kb.interventions.items():
        out[("interventions", iid, "label")] = spec.label
        out[("interventions", iid, "does")] = spec.does
        for never in spec.never:
            number = never.id.rpartition("-")[2]
            out[("interventions", iid, "never", number, "reason")] = never.reason
            out[("interventions", iid, "never", number, "instead")] = never.instead.source
    for rule in kb.rules:
        out.update(_rule_texts(rule))
    for name, word in kb.words.items():
        for i, (_, say) in enumerate(word.choices, 1):
            out[("words", name, str(i))] = say
    return out


def _rule_texts(rule) -> dict:
    out: dict = {}
    rid, _, barrier = rule.id.partition(SEPARATOR)
    base = ("remedies", rid, "fits", barrier) if barrier else ("rules", rule.id)
    if rule.why and not barrier:
        out[base + ("why",)] = rule.why
    if rule.explanation is not None and not barrier:
        out[base + ("explanation",)] = rule.explanation.source
    for a in rule.actions:
        if isinstance(a, FindingAction):
            out[base + ("findings", a.id)] = a.text.source
        elif isinstance(a, RecommendAction):
            out.setdefault(base + ("recommend", a.intervention), a.text.source)
        elif isinstance(a, VerdictAction):
            out[base + ("verdict",)] = a.text.source
        elif isinstance(a, MitigateAction):
            where = base if barrier else base + ("mitigates", a.finding)
            out[where + ("text",)] = a.text.source
            if a.advice is not None:
                out[where + ("advice",)] = a.advice.source
    return out


def remedy_defaults(kb: KnowledgeBase) -> dict:
    """``{(remedy id, field): English}``: the ``text`` and ``advice`` a remedy gives the fits
    that do not say their own, read from remedies.yaml (a fit's own text is keyed by its
    barrier, a remedy's by the remedy, so a shared text is translated once)."""
    problems: list = []
    path = Path(kb.root) / "remedies.yaml"
    data = read_yaml(path, problems) if path.is_file() else None
    out: dict = {}
    for item in (data or {}).get("remedies", []) if isinstance(data, dict) else []:
        if isinstance(item, dict) and item.get("id"):
            for fld in ("text", "advice"):
                if isinstance(item.get(fld), str):
                    out[(str(item["id"]), fld)] = item[fld]
    return out


def keyed_sources(kb: KnowledgeBase) -> dict:
    """``source_texts`` with a remedy's shared texts under the remedy's own key
    (``("remedies", id, "text")``) rather than once per fit."""
    defaults = remedy_defaults(kb)
    out: dict = {}
    for key, text in source_texts(kb).items():
        if key[0] == "remedies" and defaults.get((key[1], key[-1])) == text:
            out[("remedies", key[1], key[-1])] = text
        else:
            out[key] = text
    return out


def read_translation(path: Path, problems: list) -> dict:
    """``{key: (text, location)}`` of the translation file ``path`` (problems added when it
    cannot be read or a text is not text)."""
    data = read_yaml(path, problems)
    if data is None:
        return {}
    out: dict = {}
    if not isinstance(data, YMap):
        problems.append(Problem(Location(str(path), 1, 1), "a translation file is a map: "
                                "language, then facts, factors, interventions, rules, remedies, "
                                "words", "invalid"))
        return out
    for section, value in data.items():
        if section != "language":
            _walk(value, (str(section),), data.loc_of(section), out, problems)
    return out


def _walk(value, key: tuple, where: Location, out: dict, problems: list) -> None:
    if isinstance(value, str):
        out[key] = (value, where)
    elif isinstance(value, YMap):
        for k, v in value.items():
            _walk(v, key + (str(k),), value.loc_of(k), out, problems)
    elif isinstance(value, YList):
        for i, v in enumerate(value, 1):
            _walk(v, key + (str(i),), value.loc_of(i - 1), out, problems)
    elif value is not None:
        problems.append(Problem(where, f'{".".join(key)}: a translation is text (quote it)',
                                "invalid"))


def said_value(kb: KnowledgeBase, spec, value) -> str:
    """An input fact's value in the knowledge base's language: a choice by its label, yes and
    no by the interface's words, a number with the language's decimal mark; in English as
    ``language.formatting.format_value`` says it (a list's items joined by commas)."""
    if isinstance(value, list):
        value = tuple(value)
    lang = kb.language
    if lang.is_source or spec is None:
        return format_value(value)
    labels = dict(spec.labels)
    if value is None:
        return lang.gettext("unknown")
    if isinstance(value, bool):
        return lang.gettext("yes") if value else lang.gettext("no")
    if isinstance(value, tuple):
        return ", ".join(labels.get(v, format_value(v)) for v in value) or lang.gettext("none")
    if isinstance(value, str) and value in labels:
        return labels[value]
    return lang.number(value) if isinstance(value, (int, float)) else format_value(value)


def for_language(kb: KnowledgeBase, lang: Language) -> KnowledgeBase:
    """``kb`` speaking ``lang``: its translation file read (none: every text English) and
    applied. A file that cannot be read leaves the texts English; ``kb lint`` says why."""
    if lang.is_source:
        return replace(kb, language=lang)
    path = translation_path(kb.root, lang.code)
    problems: list = []
    found = read_translation(path, problems) if path.is_file() else {}
    return translated(kb, {k: t for k, (t, _) in found.items()}, lang)


def translated(kb: KnowledgeBase, texts: dict, lang: Language) -> KnowledgeBase:
    """``kb`` with each text replaced by ``texts[key]`` (``{key: text}``, keys as in
    ``keyed_sources``); a text missing, or whose placeholders differ from its source, stays
    English and goes to ``kb.untranslated`` (``{key: English}``). Rules and conditions are
    untouched."""
    sources = keyed_sources(kb)
    missing: dict = {}

    def say(key: tuple, english: str) -> str:
        text = texts.get(key)
        if not text or placeholders(text) != placeholders(english):
            missing[key] = english
            return english
        return text

    def template(key: tuple, tpl: Template) -> Template:
        text = say(key, tpl.source)
        parsed = tpl if text is tpl.source else parse_template_at(text, Location(""), [])
        return replace(parsed, labels=labels)

    def remedy_key(rid: str, barrier: str, fld: str) -> tuple:
        own = ("remedies", rid, "fits", barrier, fld)
        return own if own in sources else ("remedies", rid, fld)

    labels: dict = {"": {True: lang.gettext("yes"), False: lang.gettext("no"),
                         None: lang.gettext("unknown"), (): lang.gettext("none"),
                         "decimal": lang.decimal_mark, "number": lang.number}}
    for name, f in kb.facts.items():
        if f.values:
            labels[name] = {v: texts.get(("facts", name, "choices", str(v))) or choice_label(v)
                            for v in f.values}
    facts = {}
    for name, f in kb.facts.items():
        changes = {fld: say(("facts", name, fld), text) for fld, text in fact_texts(f).items()}
        said = tuple((v, say(("facts", name, "choices", str(v)),
                         dict(f.labels).get(v) or choice_label(v))) for v in f.values)
        facts[name] = replace(f, labels=said, **changes)
    factors = {fid: replace(s, label=say(("factors", fid, "label"), s.label),
                            description=say(("factors", fid, "description"), s.description)
                            if s.description else "")
               for fid, s in kb.factors.items()}
    interventions = {}
    for iid, s in kb.interventions.items():
        nevers = tuple(replace(n, reason=say(_never(iid, n, "reason"), n.reason),
                               instead=template(_never(iid, n, "instead"), n.instead))
                       for n in s.never)
        interventions[iid] = replace(s, label=say(("interventions", iid, "label"), s.label),
                                     does=say(("interventions", iid, "does"), s.does),
                                     never=nevers)
    rules = []
    for rule in kb.rules:
        rid, _, barrier = rule.id.partition(SEPARATOR)
        base = ("rules", rule.id)
        actions = []
        for a in rule.actions:
            if isinstance(a, FindingAction):
                key = (("remedies", rid, "fits", barrier) if barrier else base) + \
                    ("findings", a.id)
                a = replace(a, text=template(key, a.text))
            elif isinstance(a, RecommendAction):
                a = replace(a, text=template(base + ("recommend", a.intervention), a.text))
            elif isinstance(a, VerdictAction):
                a = replace(a, text=template(base + ("verdict",), a.text))
            elif isinstance(a, MitigateAction):
                keys = [remedy_key(rid, barrier, f) if barrier else
                        base + ("mitigates", a.finding, f) for f in ("text", "advice")]
                a = replace(a, text=template(keys[0], a.text),
                            advice=template(keys[1], a.advice) if a.advice else None)
            actions.append(a)
        changes = {"actions": tuple(actions)}
        if rule.why and not barrier:
            changes["why"] = say(base + ("why",), rule.why)
        if rule.explanation is not None and not barrier:
            changes["explanation"] = template(base + ("explanation",), rule.explanation)
        rules.append(replace(rule, **changes))
    words = {name: replace(w, choices=tuple((node, say(("words", name, str(i)), text))
                                            for i, (node, text) in enumerate(w.choices, 1)))
             for name, w in kb.words.items()}
    return replace(kb, facts=facts, factors=factors, interventions=interventions,
                   rules=tuple(rules), words=words, language=lang,
                   untranslated=missing)


def _never(iid: str, never, fld: str) -> tuple:
    return ("interventions", iid, "never", never.id.rpartition("-")[2], fld)
