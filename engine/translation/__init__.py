"""The officer's language: interface strings from gettext catalogues, numbers and dates by locale.

    catalogue   Language: one language's interface strings (``gettext``/``ngettext``), the
                count of strings that fell back to English, and Babel's number, money and date
                formatting for its locale; ``language(code)``; ``LANGUAGES`` shipped
    choosing    choose_language(requested, environ): --lang, else LC_ALL / LC_MESSAGES / LANG,
                else English

The catalogues live in ``locales/<code>/LC_MESSAGES/mse_advisor.po`` (compiled ``.mo`` beside
them), made with Babel from the strings the code marks with ``_()``/``N_()`` (``babel.cfg``;
docs/translating.md). The knowledge base's own texts are translated per language beside it
(``knowledge_base/translations/<code>.yaml``, ``engine.knowledge.translations``).

Must not: read the environment itself (``choose_language`` is handed it), print, or hold a
language in module state: a ``Language`` is passed explicitly, so two consultations in two
languages can run side by side.
"""
