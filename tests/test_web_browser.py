"""The officer's pages in a real browser (the system's Chromium, driven by Playwright): a whole
visit, then a second visit of the same enterprise and the two compared.

Skipped only where /usr/bin/chromium is missing and MSE_REQUIRE_CHROMIUM is unset (.ci/run
sets it where it installs Chromium, so there a missing browser fails the test).
"""
from __future__ import annotations

import os

import pytest

from tests.web_visit import (
    CHROMIUM, MIN_CONTRAST, MIN_TARGET_PX, Walk, chromium, measure, served,
)

if not CHROMIUM.exists() and not os.environ.get("MSE_REQUIRE_CHROMIUM"):
    pytest.skip("no Chromium at /usr/bin/chromium (set MSE_REQUIRE_CHROMIUM to require it)",
                allow_module_level=True)

if os.environ.get("MSE_REQUIRE_CHROMIUM"):
    from playwright import sync_api  # required: a missing Playwright fails, as a missing browser does
else:
    sync_api = pytest.importorskip("playwright.sync_api")


@pytest.fixture
def browser_page(tmp_path, history_db):
    from web.app import create_app

    app = create_app(history_db, None, tmp_path / "cases")
    with served(app) as base, sync_api.sync_playwright() as playwright:
        browser = chromium(playwright)
        page = browser.new_page(viewport={"width": 360, "height": 740})
        page.set_default_timeout(15_000)
        try:
            yield page, base
        finally:
            browser.close()


def test_a_whole_visit_then_a_second_and_the_comparison(browser_page, tmp_path):
    page, base = browser_page
    walk = Walk(page, base)
    walk.register("Mama <b>Chai</b> & Sons", "chai-1", "A. Officer")
    expect = sync_api.expect
    expect(page.locator("legend")).to_contain_text("1.")
    first = walk.answer(0)
    second = walk.question()
    walk.answer(0)
    third = walk.question()
    assert third != second != first

    readable_and_touchable(page)
    walk.press("Why is this asked?")  # why: said above the same question, asked again
    expect(page.locator(".said.why")).to_contain_text("Why this is asked")
    assert walk.question() == third

    walk.press("Back")  # back to the second question, saying what was answered
    expect(page.locator(".said.note")).to_contain_text("Back to")
    assert walk.question() == second
    walk.answer(-1)  # a different answer this time
    assert walk.question() != second

    unknown = walk.question()
    walk.press("Don't know")  # left unknown: the next question comes
    expect(page.locator("legend")).not_to_have_text(unknown)
    for _ in range(3):
        walk.answer(0)
    walk.press("Done: give the advice now")

    expect(page.locator(".verdict-box h1")).to_be_visible()
    readable_and_touchable(page)
    expect(page.locator("body")).to_contain_text("The factors")
    expect(page.locator("body")).to_contain_text("Mama <b>Chai</b> & Sons")  # escaped, shown
    assert page.locator("b", has_text="Chai").count() == 0
    first_url = page.url
    assert list((tmp_path / "cases").glob("chai-1-*.yaml")), "the case file was not saved"

    page.get_by_role("link", name="Printable report").click()
    expect(page.locator("body")).to_contain_text("Mama")
    page.go_back()
    page.get_by_role("link", name="Handout for the owner").click()
    expect(page.locator("body")).to_contain_text("Mama")
    page.go_back()

    page.get_by_role("link", name="New visit").last.click()  # the same enterprise again
    expect(page.locator("input[name=id]")).to_have_value("chai-1")
    page.get_by_role("button", name="Start the questions").click()
    for _ in range(5):
        walk.answer(-1)
    walk.press("Done: give the advice now")
    assert page.url != first_url

    page.get_by_role("link", name="Compare with the visit before").click()
    expect(page.locator("h1")).to_contain_text("two visits")
    expect(page.locator("body")).to_contain_text("Answers that changed")
    assert page.locator("table tbody tr").count() >= 1  # the answers given differently

    readable_and_touchable(page)
    page.goto(base + "/")
    expect(page.locator(".card")).to_have_count(1)
    readable_and_touchable(page)
    expect(page.locator(".card")).to_contain_text("2 visits")
    page.goto(base + "/?lang=de")  # not installed: said, and the pages stay in English
    expect(page.locator(".notice")).to_contain_text('"de" is not installed')
    readable_and_touchable(page)


def test_a_visit_in_spanish(browser_page):
    page, base = browser_page
    expect = sync_api.expect
    page.goto(base + "/")
    page.get_by_role("link", name="Español").click()  # the switch, kept for the session
    expect(page.locator("html")).to_have_attribute("lang", "es")
    page.get_by_role("link", name="Empezar una nueva visita").click()
    page.locator("input[name=enterprise]").fill("Panadería Rosa")
    page.get_by_role("button", name="Empezar las preguntas").click()
    expect(page.locator("main")).to_contain_text("Pregunta 1 de unas")
    first = page.locator("legend").inner_text()
    page.locator("label.choice").first.click()  # a choice by its Spanish label
    page.get_by_role("button", name="Responder").click()
    expect(page.locator("legend")).not_to_have_text(first)
    second = page.locator("legend").inner_text()
    page.locator("label.choice").first.click()
    page.get_by_role("button", name="Responder").click()
    expect(page.locator("legend")).not_to_have_text(second)
    third = page.locator("legend").inner_text()
    page.get_by_role("button", name="¿Por qué se pregunta esto?").click()
    expect(page.locator(".said.why")).to_contain_text("Por qué se pregunta esto")
    assert page.locator("legend").inner_text() == third
    readable_and_touchable(page)
    page.get_by_role("button", name="No sé").click()
    expect(page.locator("legend")).not_to_have_text(third)
    expect(page.locator("main")).to_contain_text("Pregunta 4 de unas")
    page.get_by_role("button", name="Listo: dar los consejos ahora").click()

    expect(page.locator(".verdict-box h1")).to_be_visible()
    expect(page.locator("html")).to_have_attribute("lang", "es")
    body = page.locator("body")
    for spanish in ("Los factores", "Los detalles", "Informe para imprimir", "Confianza"):
        expect(body).to_contain_text(spanish)
    for english in ("The factors", "The details", "Printable report", "Confidence:"):
        expect(body).not_to_contain_text(english)
    readable_and_touchable(page)
    page.get_by_role("link", name="Informe para imprimir").click()
    expect(page.locator("html")).to_have_attribute("lang", "es")


def readable_and_touchable(page) -> None:
    """On a 360 px wide screen: no text below 4.5:1 contrast, no target below 44 px, nothing
    wider than the screen."""
    found = measure(page)
    assert found["targets"] and found["contrast"]
    faint = [(text, round(ratio, 2)) for text, ratio in found["contrast"] if ratio < MIN_CONTRAST]
    assert not faint, f"{page.url}: text below {MIN_CONTRAST}:1: {faint}"
    small = [(text, h) for text, h in found["targets"] if h < MIN_TARGET_PX]
    assert not small, f"{page.url}: targets below {MIN_TARGET_PX} px: {small}"
    assert page.evaluate("document.documentElement.scrollWidth") <= 360, page.url
