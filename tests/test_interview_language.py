"""An interview in the officer's language: Spanish questions, Spanish answers ("sí", "no",
"no sé", choice labels, "0,5", "por qué", "listo"), and the report in Spanish at the end."""
from __future__ import annotations

import yaml
from click.testing import CliRunner

from cli import main
from engine import api
from engine.consultation.dialogue import Dialogue
from engine.consultation.interview import Interview


def _spanish_answer(fact) -> str:
    """What an officer would type in Spanish for ``fact``: its words, never an English one."""
    labels = dict(fact.labels)
    if fact.type == "bool":
        return "sí"
    if fact.type == "enum":
        return labels[fact.values[-1]]
    if fact.type == "list[enum]":
        return ", ".join(labels[v] for v in fact.values[:2])
    if fact.type == "str":
        return "color"
    low = fact.min if fact.min is not None else 0
    return "0,5" if not fact.is_whole and low <= 0.5 else str(int(max(low, 1)))


def test_a_spanish_interview_is_completed_with_spanish_answers():
    advisor = api.load_advisor(lang="es")
    dialogue = Dialogue(Interview(advisor, {}))
    assert "por qué" in dialogue.opening or "¿" in dialogue.opening or "Enter" in dialogue.opening
    asked = {}
    while (turn := dialogue.next_turn()) is not None:
        if turn.question is None:
            assert "Ninguna otra pregunta" in turn.text
            break
        fact = turn.question.fact
        assert " ".join(fact.question.split()) in " ".join(turn.text.split())
        assert "Type" not in turn.text
        if not asked:  # the first question: why, in Spanish, then the answer
            why = dialogue.hear("por qué")
            assert why.event == "why" and "La respuesta puede cambiar" in why.text
        typed = _spanish_answer(fact)
        reply = dialogue.hear(typed)
        assert reply.event == "answered", (fact.name, typed, reply.text)
        asked[fact.name] = typed
    answers = dialogue.interview.answers
    assert len(asked) >= 5
    for name, typed in asked.items():
        fact = advisor.kb.facts[name]
        if fact.type == "bool":
            assert answers[name] is True
        if fact.type == "enum":
            assert answers[name] == fact.values[-1]
        if fact.type == "list[enum]":
            assert tuple(answers[name]) == tuple(fact.values[:2])


def test_interview_on_the_command_line_in_spanish(tmp_path):
    out = tmp_path / "caso.yaml"
    typed = "Tejidos Xela\n" + "\n" * 5 + "por qué\nno sé\nno sé\nlisto\n\n"  # registration first
    r = CliRunner().invoke(main, ["consult", "--interactive", "--lang", "es", "--no-save",
                                  "--save", str(out)], input=typed)
    assert r.exit_code == 0, r.output
    assert "Escriba" in r.stderr and "Type" not in r.stderr and "== El caso" in r.stderr
    assert f"El caso está guardado en {out}" in r.stderr
    assert "RESULTADO:" in r.stdout and "VERDICT" not in r.stdout
    assert "La respuesta puede cambiar el consejo" in r.stderr  # por qué
    saved = yaml.safe_load(out.read_text())
    assert saved["enterprise"] == "Tejidos Xela"
    assert len(saved["facts"]) == 2 and set(saved["facts"].values()) == {None}  # no sé
