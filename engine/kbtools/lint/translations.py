"""Translations: each ``translations/<code>.yaml`` beside the knowledge base against the English
texts it translates (``engine.knowledge.translations``; docs/knowledge-base.md
"Translations").

KB951 (error)
    A translation's placeholders differ from its source's (``{cash_reserve_months}`` dropped,
    misspelt or added): the engine would print a wrong value or none, so it says the English
    instead. Keep every ``{expression}`` of the English; the format after ``:`` may say the
    unit in the language (``{n:mes|meses}``).
KB952 (warning)
    A key that matches nothing in the knowledge base: a misspelt id, or a text whose rule,
    fact or field was renamed or removed. Fix the key or delete the entry
    (``scripts/kb_translations.py update <code>`` drops it).
KB953 (warning)
    How many texts a language still lacks (shown in English): after adding or changing rules,
    ``scripts/kb_translations.py update <code>`` adds them to the file as English comments to
    translate. ``kb lint -v`` (and ``--format json``) lists each one as KB954 at its source.
KB954 (warning, listed with -v or JSON)
    One text without a translation, at the English it should translate.
KB955 (error)
    A translation file that cannot be read, or a text that is not text.

Must not: change a translation; read files other than through ``knowledge.translations``.
Entry point: ``check(ctx)``.
"""
from __future__ import annotations

from pathlib import Path

from engine.errors import Location
from engine.knowledge.translations import (
    FOLDER, SEPARATOR, keyed_sources, placeholders, read_translation,
)

from .context import Context, problem

ID = "translations"
LISTED_ONLY_IF_ASKED = "KB954"  # kb lint shows these with -v; JSON always


def check(ctx: Context) -> list:
    kb = ctx.kb
    folder = Path(kb.root) / FOLDER
    if not folder.is_dir():
        return []
    sources = keyed_sources(kb)
    out = []
    for path in sorted(folder.glob("*.yaml")):
        code = path.stem
        read: list = []
        found = read_translation(path, read)
        out += [problem("KB955", p.where, f"{code}: {p.message}") for p in read]
        for key, (text, where) in found.items():
            english = sources.get(key)
            if english is None:
                out.append(problem("KB952", where, f'{code}: "{".".join(key)}" matches no text '
                                   "of the knowledge base: fix the key or remove the entry",
                                   "warning"))
            elif placeholders(text) != placeholders(english):
                out.append(problem("KB951", where, f'{code}: "{".".join(key)}" has the '
                                   f"placeholders {_said(placeholders(text))} but the English "
                                   f"has {_said(placeholders(english))}: keep every "
                                   "{expression} of the source", "error"))
        missing = [key for key in sources  # a mismatched text is said in English too
                   if not found.get(key, ("",))[0]
                   or placeholders(found[key][0]) != placeholders(sources[key])]
        if missing:
            out.append(problem("KB953", Location(str(path), 1, 1),
                               f"{code}: {len(missing)} of {len(sources)} texts have no "
                               "translation and are shown in English (list them: kb lint -v; "
                               f"add them: python scripts/kb_translations.py update {code})",
                               "warning"))
        out += [problem(LISTED_ONLY_IF_ASKED, _source_loc(kb, key),
                        f'{code}: no translation of "{".".join(key)}": {sources[key][:60]}',
                        "warning") for key in missing]
    return out


def _said(names: list) -> str:
    return ", ".join("{" + n + "}" for n in names) or "none"


def _source_loc(kb, key: tuple) -> Location:
    """Where the English of ``key`` stands (its entry: the fact, rule, remedy ...)."""
    section, ident = key[0], key[1]
    if section == "facts" and ident in kb.facts:
        return kb.facts[ident].loc
    if section == "factors" and ident in kb.factors:
        return kb.factors[ident].loc
    if section == "interventions" and ident in kb.interventions:
        return kb.interventions[ident].loc
    if section == "words" and ident in kb.words:
        return kb.words[ident].loc
    for rule in kb.rules:
        if rule.id == ident or (section == "remedies" and rule.id.startswith(ident + SEPARATOR)):
            return rule.loc
    return Location(kb.root)
