"""Answers typed in the officer's language, read as the interview reads them.

An officer interviewing in Spanish types "sí", "no", "no sé", "por qué", a choice's Spanish
label or "0,5"; in French "oui", "non", "je ne sais pas", "pourquoi", "0,5". ``understood``
turns such a line into what ``answers`` reads (``yes``, ``no``, ``?``, ``why``, the choice's
value, ``0.5``), so the checks stay in one place. Words are matched without regard to case
or accents ("si" is "sí", "atras" is "atrás"). English lines pass through unchanged, and so do
choice numbers, in every language.

Must not: check a value (``answers.parse_answer`` does), print or prompt.
Entry points: ``understood(typed, fact, code) -> str``; ``WORDS`` (per language).
"""
from __future__ import annotations

import re
import unicodedata

from engine.knowledge.spec import FactSpec

# what the officer may type, per language: the English word it stands for -> the words
WORDS = {
    "es": {"yes": ("sí", "si", "s"), "no": ("no", "n"), "none": ("ninguno", "ninguna", "nada"),
           "?": ("no sé", "no se", "nose", "no lo sé", "ns", "desconocido"),
           "why": ("por qué", "porque", "por que"), "back": ("atrás", "volver"),
           "skip": ("saltar", "omitir"), "done": ("listo", "terminar", "fin")},
    "fr": {"yes": ("oui", "o"), "no": ("non", "n"), "none": ("aucun", "aucune", "rien"),
           "?": ("je ne sais pas", "sais pas", "je sais pas", "nsp", "inconnu"),
           "why": ("pourquoi",), "back": ("retour", "précédent"),
           "skip": ("passer", "sauter"), "done": ("fini", "terminé", "terminer")},
}
_DECIMAL_COMMA = re.compile(r"^[+-]?\d+,\d+$")  # "0,5": a decimal comma, not a list


def fold(text: str) -> str:
    """``text`` without case, accents or surrounding space: "Atrás " -> "atras"."""
    decomposed = unicodedata.normalize("NFKD", text.strip().casefold())
    return " ".join("".join(c for c in decomposed if not unicodedata.combining(c)).split())


def understood(typed: str, fact: FactSpec | None, code: str) -> str:
    """``typed`` (a line the officer typed at the question of ``fact``, in the language
    ``code``) as English commands, words and values; unchanged when nothing in it is the
    language's own."""
    words = WORDS.get(code)
    if not words:
        return typed
    said = {fold(w): english for english, ws in words.items() for w in ws}
    whole = said.get(fold(typed))
    if whole in ("?", "why", "back", "skip", "done"):
        return whole
    if fact is None:
        return typed
    if fact.type == "bool" and whole in ("yes", "no"):
        return whole
    if fact.type in ("enum", "list[enum]"):
        return _choices(typed, fact, said)
    if fact.is_numeric and _DECIMAL_COMMA.match(typed.strip()):
        return typed.strip().replace(",", ".")
    return typed


def _choices(typed: str, fact: FactSpec, said: dict) -> str:
    """Each choice given by its label in the language (or "ninguno"/"aucun") as its value; a
    whole line that is one label is taken whole (labels may hold commas and spaces)."""
    labels = {fold(label): str(value) for value, label in fact.labels}
    if fold(typed) in labels:
        return labels[fold(typed)]
    if said.get(fold(typed)) == "none":
        return "none"
    if fact.type == "enum":
        return typed
    items = [i.strip() for i in typed.replace(";", ",").split(",") if i.strip()]
    return ",".join(labels.get(fold(i), i) for i in items)
