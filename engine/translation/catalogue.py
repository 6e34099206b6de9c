"""One language's interface strings and locale formatting, handed to whatever speaks to people.

A ``Language`` wraps the compiled gettext catalogue of one language (Babel's ``Translations``)
and Babel's locale data: ``gettext(msgid)`` (also ``_``), ``ngettext(one, many, n)``, and
``number``, ``money``, ``date`` formatted for the locale. A string the catalogue lacks is said
in English and counted (``fallbacks``), so a report can say how many texts it shows in English.
``N_(text)`` only marks a constant for extraction; it is translated where it is said.

Must not: read the environment, print, or keep a language in module state (the catalogues read
from disk are cached, the ``Language`` that counts fallbacks is made per use).
Entry points: ``language(code) -> Language``; ``LANGUAGES``; ``N_``.
"""
from __future__ import annotations

import datetime
from functools import lru_cache
from pathlib import Path

from babel import Locale, numbers, dates
from babel.support import NullTranslations, Translations

from engine.errors import UsageError

DOMAIN = "mse_advisor"
LOCALES = Path(__file__).parent / "locales"
SOURCE = "en"  # the language the code and the knowledge base are written in
LANGUAGES = {"en": "English", "es": "Español", "fr": "Français"}


def N_(text: str) -> str:
    """Mark ``text`` for extraction (``pybabel extract -k N_``); it is translated when said."""
    return text


@lru_cache(maxsize=None)
def _catalogue(code: str) -> NullTranslations:
    """The compiled catalogue of ``code`` (the empty one for English or when none is shipped)."""
    if code == SOURCE:
        return NullTranslations()
    return Translations.load(str(LOCALES), [code], DOMAIN)


class Language:
    """The interface in one language. ``code`` is "en", "es" or "fr"; ``fallbacks`` is the set
    of interface strings (msgids) said in English because the catalogue lacks them."""

    def __init__(self, code: str = SOURCE):
        if code not in LANGUAGES:
            raise UsageError(f'no language "{code}": choose one of {", ".join(LANGUAGES)}')
        self.code = code
        self.locale = Locale.parse(code)
        self._messages = _catalogue(code)
        self.fallbacks: set[str] = set()

    def __repr__(self) -> str:
        return f"Language({self.code!r})"

    @property
    def is_source(self) -> bool:
        return self.code == SOURCE

    def gettext(self, msgid: str) -> str:
        """``msgid`` in this language, or in English (counted) when it has no translation."""
        if self.is_source or not msgid:
            return msgid
        said = self._messages.gettext(msgid)
        if said == msgid and msgid not in getattr(self._messages, "_catalog", {}):
            self.fallbacks.add(msgid)
        return said

    _ = gettext

    def ngettext(self, one: str, many: str, n: int) -> str:
        """The form of ``one``/``many`` for ``n``: the catalogue's plural entry (the language's
        plural rules) when it has one, else ``one`` or ``many`` each translated as a message."""
        if self.is_source:
            return one if n == 1 else many
        if (one, 0) in getattr(self._messages, "_catalog", {}):
            return self._messages.ngettext(one, many, n)
        return self.gettext(one if n == 1 else many)  # the two forms as two plain messages

    @property
    def decimal_mark(self) -> str:
        """"." in English, "," in Spanish and French."""
        return numbers.get_decimal_symbol(self.locale)

    def number(self, value, digits: int | None = None) -> str:
        """``value`` (int or float) with the locale's grouping and decimal mark: "1,234.5" in
        English, "1.234,5" in Spanish, "1 234,5" in French; ``digits`` fixes the decimals."""
        if digits is not None:
            return numbers.format_decimal(value, format=f"#,##0.{'0' * digits}" if digits
                                          else "#,##0", locale=self.locale)
        return numbers.format_decimal(value, locale=self.locale)

    def money(self, value, currency: str | None = None) -> str:
        """An amount of money: with ``currency`` (ISO 4217, "GTQ") in the locale's currency
        format, else as a whole number with the locale's grouping (the knowledge base counts
        money in the case's local currency, unnamed)."""
        if currency:
            return numbers.format_currency(value, currency, locale=self.locale)
        return numbers.format_decimal(round(value), format="#,##0", locale=self.locale)

    def date(self, value: datetime.date | str, form: str = "long") -> str:
        """A date (or an ISO "YYYY-MM-DD" string) as the locale writes it: "12 March 2026",
        "12 de marzo de 2026", "12 mars 2026"; a string that is not a date is returned as is."""
        if isinstance(value, str):
            try:
                value = datetime.date.fromisoformat(value[:10])
            except ValueError:
                return value
        return dates.format_date(value, format=form, locale=self.locale)

    def list_of(self, items: list[str], style: str = "standard") -> str:
        """Words joined as the language does: "a, b and c", "a, b y c", "a, b et c";
        ``style="or"``: "a or b", "a o b", "a ou b"."""
        from babel.lists import format_list
        return format_list(list(items), style=style, locale=self.locale) if items else ""


def language(code: str | None = None) -> Language:
    """A fresh ``Language`` for ``code`` (None: English). Raises ``UsageError`` for a language
    not shipped, naming those that are."""
    return Language(code or SOURCE)
