"""The lean matcher (indexed alpha network, lean beta nodes) fires exactly what experta's does.

``LeanReteMatcher`` is a performance change only: on the shipped knowledge base and 300 seeded
generated cases it must give the same firings, in the same order, with the same matched and
asserted facts, as experta's stock ``ReteMatcher`` with the same agenda.
"""
from __future__ import annotations  # noqa: I001 - experta after compat

import logging

import pytest

from benchmarks.casegen import generate_cases
from engine.consultation.cases import load_case
from engine.compat import watchers  # compat first: it makes experta importable
from engine.knowledge.loader import load_knowledge_base
from engine.inference.runner import Advisor
from experta.matchers.rete import ReteMatcher
from tests.conftest import SHIPPED_KB, TINY_KB


class StockAdvisor(Advisor):
    """The same compiled knowledge base on experta's own matcher."""

    def __init__(self, kb):
        super().__init__(kb)
        self.engine_class = type("StockMatcherEngine", (self.engine_class,),
                                 {"__matcher__": ReteMatcher})
        self.engine = self.engine_class()


def _outcome(run) -> tuple:
    return (run.firings, run.verdict, sorted(run.findings),
            [(r.intervention, r.rule, r.seq, r.addresses) for r in run.recommendations])


@pytest.fixture(scope="module")
def shipped():
    kb = load_knowledge_base(SHIPPED_KB)
    return kb, Advisor(kb), StockAdvisor(kb)


def test_the_lean_matcher_is_the_one_consultations_use(shipped):
    _, lean, stock = shipped
    assert type(lean.engine.matcher).__name__ == "LeanReteMatcher"
    assert type(stock.engine.matcher) is ReteMatcher


def test_traces_equal_experta_matcher_on_300_generated_cases(shipped):
    kb, lean, stock = shipped
    cases = generate_cases(kb, 300, seed=61)
    assert _differing(lean, stock, cases) == []
    assert sum(len(lean.run(facts).firings) for facts in cases[:20]) > 100  # real work done


def test_traces_equal_experta_matcher_on_every_rule_example_and_worked_case(shipped):
    kb, lean, stock = shipped
    cases = _examples_and_worked_cases(kb)
    assert len(cases) > len(kb.rules)
    assert _differing(lean, stock, cases) == []


def test_traces_equal_experta_matcher_on_the_tiny_kb_and_its_worked_cases():
    kb = load_knowledge_base(TINY_KB)
    lean, stock = Advisor(kb), StockAdvisor(kb)
    cases = generate_cases(kb, 100, seed=62, known=0.8) + _examples_and_worked_cases(kb)
    assert _differing(lean, stock, cases) == []


def test_traces_equal_experta_matcher_on_a_knowledge_base_grown_four_times(tmp_path):
    """Many findings of each kind: the negation nodes' index (``negation.LeanNot``) and the count
    tallies do real work here."""
    from benchmarks.growkb import grow

    kb = load_knowledge_base(grow(SHIPPED_KB, tmp_path / "x4", 4))
    lean, stock = Advisor(kb), StockAdvisor(kb)
    cases = generate_cases(kb, 20, seed=65, known=0.7)
    assert _differing(lean, stock, cases) == []
    assert sum(len(lean.run(facts).findings) for facts in cases) > 20 * 40  # many findings


def test_match_logging_still_works_when_experta_watchers_are_on(shipped, caplog):
    kb, lean, _ = shipped
    facts = generate_cases(kb, 1, seed=63)[0]
    quiet = lean.run(facts)
    assert not [r for r in caplog.records if r.name == "experta.watchers.MATCH"]
    watchers.watch("MATCH", level=logging.DEBUG)
    try:
        with caplog.at_level(logging.DEBUG, logger="experta.watchers.MATCH"):
            logged = lean.run(facts)
    finally:
        watchers.unwatch()
    assert _outcome(logged) == _outcome(quiet)
    messages = [r.getMessage() for r in caplog.records if r.name == "experta.watchers.MATCH"]
    assert any("what=" in m for m in messages)  # experta's own feature-check messages
    assert any("TEST" in m for m in messages)


def _differing(lean, stock, cases: list) -> list:
    """Indexes of the cases whose firings, findings, recommendations or verdict differ."""
    return [i for i, facts in enumerate(cases)
            if _outcome(lean.run(facts)) != _outcome(stock.run(facts))]


def _examples_and_worked_cases(kb) -> list[dict]:
    examples = [example.given for rule in kb.rules for example in rule.examples]
    return examples + [load_case(path, kb).facts for path in kb.case_files]
