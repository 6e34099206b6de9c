"""Answers in the officer's language (``engine.consultation.spoken``), read by the interview's
own checks (``answers.parse_answer``)."""
from __future__ import annotations

import pytest

from engine import api
from engine.consultation.answers import command_of, parse_answer
from engine.consultation.spoken import understood

ES = api.load_kb(lang="es")
FR = api.load_kb(lang="fr")


def read(kb, fact, typed, code):
    spec = kb.facts[fact]
    return parse_answer(spec, understood(typed, spec, code))


@pytest.mark.parametrize("typed,value", [("sí", True), ("Si", True), ("no", False)])
def test_spanish_yes_and_no(typed, value):
    assert read(ES, "can_be_staged", typed, "es") is value


@pytest.mark.parametrize("typed,value", [("oui", True), ("Non", False)])
def test_french_yes_and_no(typed, value):
    assert read(FR, "can_be_staged", typed, "fr") is value


@pytest.mark.parametrize("typed,code", [("no sé", "es"), ("No se", "es"),
                                        ("je ne sais pas", "fr")])
def test_dont_know_is_unknown(typed, code):
    assert command_of(understood(typed, ES.facts["can_be_staged"], code)) == "unknown"


@pytest.mark.parametrize("typed,command,code", [("por qué", "why", "es"), ("atrás", "back", "es"),
                                                ("listo", "done", "es"), ("pourquoi", "why", "fr"),
                                                ("retour", "back", "fr"), ("fini", "done", "fr")])
def test_commands_in_the_language(typed, command, code):
    assert command_of(understood(typed, None, code)) == command


def test_spanish_choice_labels_numbers_and_lists():
    assert read(ES, "household_attitude", "se opone", "es") == "opposed"
    assert read(ES, "household_attitude", "3", "es") == "opposed"
    assert read(ES, "upgrade_uses_shared_household_resources", "tierra, ahorros", "es") == \
        ("land", "savings")
    assert read(ES, "upgrade_uses_shared_household_resources", "ninguno", "es") == ()


def test_decimal_comma_for_numbers():
    assert read(ES, "upfront_cost_ratio", "0,5", "es") == 0.5


def test_english_passes_unchanged():
    assert understood("yes", ES.facts["can_be_staged"], "en") == "yes"
    assert read(ES, "household_attitude", "opposed", "es") == "opposed"
