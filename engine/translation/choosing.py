"""Which language to speak: the one asked for, else the environment's locale, else English.

Must not: read ``os.environ`` itself (the caller hands the environment over) or raise for an
environment locale it does not ship (that is English, silently: a laptop set to German still
gets the advisor in English).
Entry point: ``choose_language(requested, environ) -> code``.
"""
from __future__ import annotations

from engine.errors import UsageError
from engine.translation.catalogue import LANGUAGES, SOURCE

LOCALE_VARIABLES = ("LC_ALL", "LC_MESSAGES", "LANG")  # POSIX order of precedence


def language_code(locale_name: str) -> str:
    """``"es_GT.UTF-8"`` -> ``"es"``; ``"fr-SN"`` -> ``"fr"``; ``"C"`` -> ``"c"``."""
    return locale_name.split(".")[0].split("@")[0].replace("-", "_").split("_")[0].lower()


def choose_language(requested: str | None, environ: dict | None = None) -> str:
    """The language code to use: ``requested`` (``--lang``; "es", "es_GT", "fr-SN" all name a
    shipped language by its first part), else the first set of LC_ALL, LC_MESSAGES, LANG in
    ``environ`` when it is a shipped language, else English. Raises ``UsageError`` when
    ``requested`` names a language not shipped."""
    if requested:
        code = language_code(requested)
        if code not in LANGUAGES:
            raise UsageError(f'--lang {requested}: no such language; choose one of '
                             f'{", ".join(sorted(LANGUAGES))}')
        return code
    for name in LOCALE_VARIABLES:
        value = (environ or {}).get(name)
        if value:
            code = language_code(value)
            return code if code in LANGUAGES else SOURCE
    return SOURCE
