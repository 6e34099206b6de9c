"""The interface catalogues (Babel/gettext): complete, compiled, and spoken where asked.

A catalogue that lacks a string the code marks, or a compiled ``.mo`` older than its ``.po``,
fails here; so does a language that does not reach the report.
"""
from __future__ import annotations


from pathlib import Path

import pytest
from babel.messages.extract import extract_from_dir
from babel.messages.mofile import read_mo
from babel.messages.pofile import read_po

from engine.errors import UsageError
from engine.translation.catalogue import LANGUAGES, LOCALES, Language
from engine.translation.choosing import choose_language

ROOT = Path(__file__).resolve().parents[1]
KEYWORDS = {"_": None, "gettext": None, "ngettext": (1, 2), "N_": None}


def marked_msgids() -> set[str]:
    """Every string the code marks for translation, extracted now as ``pybabel extract``
    does with babel.cfg: the Python and the web pages' templates."""
    found = set()
    methods = [("**.py", "python"), ("**/templates/**.html", "jinja2")]
    for folder in ("engine", "commands", "web"):
        for _, _, message, _, _ in extract_from_dir(
                ROOT / folder, method_map=methods, keywords=KEYWORDS):
            found.update([message] if isinstance(message, str) else message)
    return {m for m in found if m}


def catalogue(code: str):
    with open(LOCALES / code / "LC_MESSAGES" / "mse_advisor.po", "rb") as f:
        return read_po(f)


@pytest.mark.parametrize("code", [c for c in LANGUAGES if c != "en"])
def test_catalogue_holds_every_marked_string(code):
    ids = {m.id if isinstance(m.id, str) else m.id[0] for m in catalogue(code) if m.id}
    missing = marked_msgids() - ids
    assert not missing, (f"{code}: {len(missing)} marked strings are not in the catalogue; run "
                         f"pybabel extract and update (docs/translating.md): {sorted(missing)[:5]}")


@pytest.mark.parametrize("code", [c for c in LANGUAGES if c != "en"])
def test_compiled_catalogue_matches_its_source(code):
    po = catalogue(code)
    with open(LOCALES / code / "LC_MESSAGES" / "mse_advisor.mo", "rb") as f:
        mo = read_mo(f)
    said = {m.id: m.string for m in po if m.id and m.string and not m.fuzzy}
    compiled = {m.id: m.string for m in mo if m.id and m.string}
    assert said == compiled, f"{code}: the .mo is out of date; run pybabel compile"


def test_template_lists_every_marked_string():
    with open(LOCALES / "mse_advisor.pot", "rb") as f:
        ids = {m.id if isinstance(m.id, str) else m.id[0] for m in read_po(f) if m.id}
    assert marked_msgids() <= ids


def test_language_choice_order():
    assert choose_language("es", {"LANG": "fr_FR.UTF-8"}) == "es"
    assert choose_language(None, {"LC_ALL": "fr_SN.UTF-8", "LANG": "es_GT"}) == "fr"
    assert choose_language(None, {"LC_MESSAGES": "es_BO.UTF-8", "LANG": "fr"}) == "es"
    assert choose_language(None, {"LANG": "de_DE.UTF-8"}) == "en"
    assert choose_language(None, {}) == "en"
    with pytest.raises(UsageError, match="de"):
        choose_language("de", {})


def test_locale_formats():
    assert Language("es").number(1234.5) == "1.234,5"
    assert Language("en").number(1234.5) == "1,234.5"
    assert Language("fr").money(1500000).replace("\u202f", " ") == "1 500 000"
    assert Language("es").date("2026-03-12") == "12 de marzo de 2026"
    assert Language("fr").date("2026-03-12") == "12 mars 2026"


def test_untranslated_string_falls_back_to_english_and_is_counted():
    lang = Language("es")
    assert lang.gettext("A sentence no catalogue holds.") == "A sentence no catalogue holds."
    assert lang.fallbacks == {"A sentence no catalogue holds."}
    assert not Language("en").fallbacks


def test_unknown_language_is_refused():
    with pytest.raises(UsageError):
        Language("xx")


