"""Words that fit the case (``words.yaml``): pronouns and nouns that depend on who owns the
business and who does the work, so a text says "her" only for a woman.

A word is a name a text template may use like a fact (``{owner_their} own name``); its value is
the ``say`` of the first of its choices whose ``when`` holds on the case's input facts (Kleene:
an unknown fact never makes a choice hold), and the last choice, without ``when``, is the
default. Words are for texts only: a condition may not read one (the rule builder refuses it).

    words:
      owner_their:
        - {when: "owner_gender == 'female'", say: her}
        - {when: "owner_gender == 'male'", say: his}
        - {say: "the owner's"}

Must not: read files (``loader`` hands over the document); render texts (``templates`` does,
with the values ``resolve`` gives). Entry points: ``load_words(data, path, facts, problems) ->
{name: WordSpec}``, ``resolve(words, values) -> {name: text}``.
"""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from engine import language as c
from engine.errors import Location, Problem
from engine.knowledge.reader import FieldReader, entries
from engine.knowledge.typecheck import Scope, condition_problems
from engine.knowledge.vocabulary import NAME_PATTERN
from engine.knowledge.located import YList
from engine.language import kleene

CHOICE_FIELDS = ("when", "say")


@dataclass(frozen=True)
class WordSpec:
    name: str
    choices: tuple  # ((condition node or None, text), ...): the first that holds is said
    loc: Location = Location("")


def load_words(data, path: Path, facts: dict, parameters: dict, problems: list) -> dict:
    """``{word name: WordSpec}`` from the document of words.yaml (None: no words)."""
    if data is None:
        return {}
    inputs = {n: f for n, f in facts.items() if not f.derived}
    scope = Scope(inputs, parameters, {}, frozenset())
    out: dict = {}
    for name, item, where in entries(data, "words", path, problems):
        name = str(name)
        if name in out or name in facts or name in parameters or not NAME_PATTERN.match(name):
            what = "a fact or parameter" if name in facts or name in parameters else \
                "another word" if name in out else "not lower_case_with_underscores"
            problems.append(Problem(where, f'word "{name}": the name is {what}'))
            continue
        if not isinstance(item, YList) or not item:
            problems.append(Problem(where, f'word "{name}" is a list of choices, each '
                                           '"when: <condition>, say: <text>", the last only say'))
            continue
        choices = []
        for i, raw in enumerate(item):
            r = FieldReader(raw, item.loc_of(i), f'a choice of word "{name}"', problems)
            r.unknown_keys(CHOICE_FIELDS)
            say = r.text("say", required=True)
            node = _condition(r, scope, problems) if "when" in r.data else None
            last = i == len(item) - 1
            if (node is None) != last:
                r.problem(None, f'word "{name}": every choice but the last needs "when", and '
                                "the last (the default) has none")
            choices.append((node, say))
        out[name] = WordSpec(name, tuple(choices), where)
    return out


def _condition(r: FieldReader, scope: Scope, problems: list):
    text = r.text("when")
    try:
        node = c.parse(text)
    except c.ParseError as exc:
        problems.append(Problem(r.loc("when").shifted(exc.pos), exc.message, "syntax"))
        return c.Bool(False)
    problems.extend(condition_problems(node, scope, r.loc("when")))
    return node


def resolve(words: dict, values) -> dict:
    """Each word's text on a case: ``values`` maps input facts to values (None: unknown)."""
    state = kleene.State(values)
    out = {}
    for name, spec in words.items():
        out[name] = next((say for node, say in spec.choices
                          if node is None or kleene.holds(node, state)), "")
    return out


def refuse_in_conditions(node, words: dict, where: Location, problems: list) -> None:
    """A problem for each word a condition reads: words are for texts only."""
    for name in sorted(c.names_in(node) & set(words)):
        problems.append(Problem(where, f'"{name}" is a word (words.yaml), for texts only: a '
                                       "condition reads the facts it is chosen by", "type"))
