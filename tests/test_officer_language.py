"""The consultation in the officer's language: ``consult CASE --lang es`` (and ``fr``) on every
bundled case says no sentence of the English report in English, and the HTML reports declare
their language. Proper names, numbers and ids may repeat; so may what the case itself says
(its enterprise, opportunity and notes are the officer's own words, not the advisor's)."""
from __future__ import annotations

import re

import pytest
from click.testing import CliRunner

from cli import main
from engine import api
from tests.conftest import SHIPPED_KB

CASES = sorted((SHIPPED_KB / "cases").glob("*.yaml"))
LANGS = ("es", "fr")


def _flat(text: str) -> str:
    return " ".join(text.split())


def sentences(text: str) -> list[str]:
    """The sentences and clauses of a report with at least three words of letters."""
    parts = re.split(r"(?<=[.!?:;])\s+|\n\s*\n|\s+-\s+|\(|\)", _flat(text))
    return [p.strip(" .:;,-") for p in parts
            if len(re.findall(r"[A-Za-z]{2,}", p)) >= 3]


def _case_words(done) -> set:
    """The words of what the case itself says (its metadata: names, places, the opportunity)."""
    meta = done.result.get("case", {}).get("metadata", {})
    return set(re.findall(r"\w+", " ".join(str(v) for v in meta.values())))


def _advisors_own(sentence: str, case_words: set) -> bool:
    """A sentence the advisor says, not a command-line option nor the case's own words."""
    return "--" not in sentence and not set(re.findall(r"\w+", sentence)) <= case_words


def _report(case, lang=None, fmt="text"):
    r = CliRunner().invoke(main, ["consult", str(case), "--no-save", "--format", fmt]
                           + (["--lang", lang] if lang else []))
    assert r.exit_code == 0, r.output
    return r.output


@pytest.mark.parametrize("lang", LANGS)
@pytest.mark.parametrize("case", CASES, ids=lambda p: p.stem)
def test_no_english_sentence_in_the_translated_report(case, lang):
    english = _report(case)
    said = _flat(_report(case, lang))
    own = _case_words(api.consult(case))
    left = [s for s in sentences(english) if s in said and _advisors_own(s, own)]
    assert not left, f"{lang}: English sentences left in {case.name}: {left[:5]}"


def test_the_check_sees_an_english_sentence():
    english = "VERDICT: The owner is likely to take up the upgrade. Keep the old outlets open."
    translated = "RESULTADO: Es probable que haga el cambio. Keep the old outlets open."
    left = [s for s in sentences(english) if s in _flat(translated) and _advisors_own(s, set())]
    assert left == ["Keep the old outlets open"]
    assert not _advisors_own("Tejidos San Juan", {"Tejidos", "San", "Juan"})


@pytest.mark.parametrize("lang", LANGS + ("en",))
def test_html_reports_declare_their_language(lang):
    case = CASES[0]
    for fmt in ("html", "handout"):
        assert f'<html lang="{lang}">' in _report(case, lang, fmt)


def test_json_keeps_english_keys_and_ids(tmp_path):
    english = api.consult(CASES[0]).result
    spanish = api.consult(CASES[0], lang="es").result
    assert spanish.keys() == english.keys()
    assert [f["id"] for f in spanish["findings"]] == [f["id"] for f in english["findings"]]
    assert spanish["verdict"]["value"] == english["verdict"]["value"]
    assert [r["intervention"] for r in spanish["recommendations"]] == \
        [r["intervention"] for r in english["recommendations"]]


def test_the_environment_locale_chooses_the_language_and_lang_overrides_it(monkeypatch):
    monkeypatch.setenv("LANG", "es_GT.UTF-8")
    said = _report(CASES[0])
    assert "RESULTADO:" in said and "VERDICT:" not in said
    assert "VERDICT:" in _report(CASES[0], "en")
    monkeypatch.setenv("LANG", "de_DE.UTF-8")  # a language the advisor does not have: English
    assert "VERDICT:" in _report(CASES[0])
