"""The condition language: parsing, errors with offsets, and three-valued evaluation."""
import pytest

from engine import language as c
from engine.language.kleene import FindingState, State, evaluate, holds
from engine.language.templates import render
from engine.knowledge.spec import Template


def ev(text, **values):
    return evaluate(c.parse(text), State(values))


def test_arithmetic_comparison_between_facts():
    assert ev("payback_months > 2 * profit_horizon_months", payback_months=27,
              profit_horizon_months=6) is True
    assert ev("payback_months > 2 * profit_horizon_months", payback_months=12,
              profit_horizon_months=6) is False


def test_unknown_is_never_false():
    assert ev("payback_months > 12") is None
    assert ev("not (payback_months > 12)") is None
    assert ev("not assets_pledged_or_sold") is None
    assert ev("not assets_pledged_or_sold", assets_pledged_or_sold=False) is True


def test_kleene_and_or():
    assert ev("a > 1 or b", b=True) is True
    assert ev("a > 1 and b", b=False) is False
    assert ev("a > 1 and b", b=True) is None


def test_membership_contains_and_emptiness():
    assert ev("buyer_commitment in ['written_one_season', 'written_multi_season']",
              buyer_commitment="verbal") is False
    assert ev("upgrade_type contains 'functional'", upgrade_type=("process", "functional"))
    assert ev("'functional' in upgrade_type", upgrade_type=("process",)) is False
    assert ev("embedded_services is empty", embedded_services=()) is True
    assert ev("embedded_services is not empty", embedded_services=("inputs_on_credit",))


def test_known_and_unknown():
    assert ev("payback_months is unknown") is True
    assert ev("payback_months is known", payback_months=0) is True


def test_findings_patterns_and_counts():
    findings = {
        "a": FindingState("a", "barrier", "time", "significant", False),
        "b": FindingState("b", "barrier", "risks", "significant", True),
        "e": FindingState("e", "enabler", "risks", None, False),
    }
    state = State({}, findings, frozenset({"RK-1"}))
    assert holds(c.parse("finding(a) and not finding(zz)"), state)
    assert holds(c.parse("barrier(factor=['time', 'risks'], mitigated=false)"), state)
    assert not holds(c.parse("barrier(factor='risks', mitigated=false)"), state)
    assert holds(c.parse("count(barrier(severity='significant')) >= 2"), state)
    assert not holds(c.parse("count(barrier()) > 2"), state)
    assert holds(c.parse("fired('RK-1') and enabler(factor='risks')"), state)


def test_division_by_zero_and_type_mismatch_are_unknown_not_errors():
    assert ev("a / b > 1", a=1, b=0) is None
    assert ev("a > 1", a="text") is None
    assert ev("a == 1", a=True) is None


@pytest.mark.parametrize("text, pos", [
    ("payback_months >", 16),
    ("a > 1 b", 6),
    ("unknown_function(x)", 0),
    ("x is maybe", 5),
    ("'unclosed", 0),
    ("count(barrier()) < 3", 17),
    ("__import__('os')", 0),
])
def test_parse_errors_carry_the_offset(text, pos):
    with pytest.raises(c.ParseError) as info:
        c.parse(text)
    assert info.value.pos == pos


def test_the_language_cannot_reach_attributes_calls_or_dunders():
    for text in ("a.__class__", "open('x')", "x[0]", "lambda: 1", "a; b"):
        with pytest.raises(c.ParseError):
            c.parse(text)


def test_round_trip_to_text():
    text = "payback_months > 2 * horizon_months and not finding(x)"
    assert c.parse(c.to_text(c.parse(text))) == c.parse(text)


def test_template_fills_values_and_formats():
    t = Template("s", tuple(c.parse_template(
        "Benefits after {months} months, owner waits {horizon}; {ratio:.1f}x {{ok}}")))
    assert render(t, State({"months": 27, "horizon": 6, "ratio": 4.5})) == \
        "Benefits after 27 months, owner waits 6; 4.5x {ok}"
    assert "unknown" in render(t, State({}))


def test_compiled_conditions_give_what_kleene_gives_on_every_rule_and_many_states():
    """``compiled.compile_evaluate`` (the result re-reads every rule with it) is a speed-up
    only: on every rule of the shipped knowledge base and the final states of generated
    consultations, with findings, firings and verdicts, it gives exactly ``kleene.evaluate``."""
    from collections import Counter

    from benchmarks.casegen import generate_cases
    from engine.inference.runner import Advisor
    from engine.knowledge.loader import load_knowledge_base
    from engine.language.compiled import compile_evaluate
    from tests.conftest import SHIPPED_KB

    kb = load_knowledge_base(SHIPPED_KB)
    advisor = Advisor(kb)
    nodes = [rule.condition for rule in kb.rules]
    compiled = [compile_evaluate(node) for node in nodes]
    seen, differ = Counter(), []
    for facts in generate_cases(kb, 60, seed=64, known=0.6):
        state = advisor.run(facts).state(kb.parameter_values)
        for node, fn in zip(nodes, compiled):
            want = evaluate(node, state)
            seen[want] += 1
            if fn(state) != want or type(fn(state)) is not type(want):
                differ.append((c.to_text(node), want, fn(state)))
    assert not differ, differ[:5]
    assert seen[True] and seen[False] and seen[None], seen  # every truth value was met
