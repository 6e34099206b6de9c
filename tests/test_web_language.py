"""The officer's pages in Spanish and French (Flask's test client): the language switch, kept
for the session; the browser's Accept-Language as the default; a language not installed named;
a visit asked, understood and advised in Spanish, its printed report and handout too.
"""
from __future__ import annotations

import html
import re

import pytest

from tests.test_web import csrf, register, text_of
from web.app import create_app


@pytest.fixture
def client(tmp_path, history_db):
    return create_app(history_db, None, tmp_path / "cases").test_client()


def test_the_language_switch_offers_the_languages_installed_and_is_kept(client):
    page = text_of(client.get("/"))
    assert "Español" in page and "Français" in page and '<html lang="en">' in page
    spanish = text_of(client.get("/?lang=es"))
    assert '<html lang="es">' in spanish and "Casos" in spanish and ">Cases<" not in spanish
    assert '<html lang="es">' in text_of(client.get("/"))  # kept for the session
    assert '<html lang="fr">' in text_of(client.get("/visit/new?lang=fr"))
    assert "Nouvelle visite" in text_of(client.get("/visit/new"))


def test_a_language_not_installed_is_named_and_the_page_stays_in_one_installed(client):
    page = html.unescape(text_of(client.get("/?lang=de")))
    assert '<html lang="en">' in page and 'The language "de" is not installed' in page
    missing = html.unescape(text_of(client.get("/visit/not-a-visit?lang=es")))
    assert "Ninguna visita en curso tiene esta dirección" in missing


def test_the_browser_language_is_the_default_when_installed(client):
    asked = {"Accept-Language": "fr-SN,fr;q=0.9,en;q=0.5"}
    assert '<html lang="fr">' in text_of(client.get("/", headers=asked))
    regional = {"Accept-Language": "fr-SN,en;q=0.5"}  # a region's French before English
    assert '<html lang="fr">' in text_of(client.get("/", headers=regional))
    german = {"Accept-Language": "de-DE,de;q=0.9"}
    assert '<html lang="en">' in text_of(client.get("/", headers=german))
    client.get("/?lang=es")  # the switch wins over the browser, for the session
    assert '<html lang="es">' in text_of(client.get("/", headers=asked))


def test_a_visit_in_spanish_asks_and_understands_spanish(client):
    client.get("/?lang=es")
    visit = register(client, enterprise="Panadería Rosa", id="rosa-1")
    token = csrf(client)
    page = html.unescape(text_of(client.get(visit)))
    assert "Pregunta 1 de unas" in page and "¿Por qué se pregunta esto?" in page
    assert "Don't know" not in page and "Why is this asked?" not in page

    def say(typed: str = "", action: str = "answer") -> str:
        client.post(visit, data={"csrf_token": token, "action": action, "value": typed})
        return html.unescape(text_of(client.get(visit)))

    first = re.search(r"<legend>(.*?)</legend>", page, re.S).group(1)
    label = re.search(r'name="value" value="[^"]+"> ([^<]+)</label>', page).group(1).strip()
    page = say(label)  # a choice typed as its Spanish label
    assert "Pregunta 2 de unas" in page and first not in page
    label = re.search(r'name="value" value="[^"]+"> ([^<]+)</label>', page).group(1).strip()
    page = say(label)
    assert "Pregunta 3 de unas" in page
    page = say(action="why")
    assert "Por qué se pregunta esto" in page and "Pregunta 3 de unas" in page
    page = say("no sé")  # typed in Spanish: left unknown, the next question comes
    assert "Pregunta 4 de unas" in page and "No se aceptó" not in page
    done = client.post(visit, data={"csrf_token": token, "action": "done"})
    result = html.unescape(text_of(client.get(done.headers["Location"])))
    assert '<html lang="es">' in result and "Los factores" in result
    assert "Informe para imprimir" in result and "Confianza" in result
    for english in ("The factors", "The details", "Printable report", "Confidence"):
        assert english not in result
    row = done.headers["Location"].rsplit("/", 1)[1]
    for kind in ("report", "handout"):
        assert '<html lang="es">' in text_of(client.get(f"/consultation/{row}/{kind}"))
    assert '<html lang="fr">' in text_of(client.get(f"/consultation/{row}/report?lang=fr"))


def test_a_visit_keeps_its_language_and_the_advice_takes_the_one_chosen_since(client):
    client.get("/?lang=es")
    visit = register(client, enterprise="Panadería Rosa", id="rosa-2")
    page = html.unescape(text_of(client.get(visit + "?lang=fr")))
    assert '<html lang="es">' in page and "Pregunta 1 de unas" in page
    assert "siguen en Español" in page and "estarán en Français" in page
    done = client.post(visit, data={"csrf_token": csrf(client), "action": "done"})
    result = text_of(client.get(done.headers["Location"]))
    assert '<html lang="fr">' in result and "Les facteurs" in result



def test_the_case_list_says_not_enough_known_where_the_advice_does(tmp_path):
    # a visit concluded with nothing known is at low confidence: the list must not show the
    # leaning verdict as if it were the advice (an officer's trial found it did)
    from engine import api
    from web.app import create_app

    db = tmp_path / "h.sqlite3"
    empty = tmp_path / "empty.yaml"
    empty.write_text("id: nothing-known\nfacts: {}\n")
    done = api.consult(empty)
    assert done.result["verdict"]["confidence"] == "low"
    api.store_consultation(done.result, db, None)
    page = create_app(db, None, tmp_path / "cases").test_client().get("/?lang=en")
    text = page.get_data(as_text=True)
    assert page.status_code == 200 and "NOT ENOUGH KNOWN YET" in text
