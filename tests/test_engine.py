"""The compiled engine: conclusions, the ordered trace, chaining and unknowns."""
from engine.consultation.cases import Case
from engine.knowledge.loader import load_knowledge_base
from engine.consultation.result import build_result
from engine.inference.runner import Advisor
from tests.conftest import write


def run(kb_path, **facts):
    advisor = Advisor(load_knowledge_base(kb_path))
    r = advisor.run(facts)
    return advisor, r, build_result(advisor.kb, Case("t", facts), r)


def test_long_wait_fires_barrier_then_verdict_in_order(tiny_kb):
    _, run_, result = run(tiny_kb, months_to_first_benefit=27, profit_horizon_months=6)
    rules = [f.rule for f in run_.firings]
    assert rules == ["TM-2a", "TM-1", "ASSESS", "V-1"]
    # the tiny knowledge base has no mitigation for the barrier: no fact still unknown (payback)
    # can change the verdict, so it is the only possible one
    assert result["verdict"] == {"value": "unlikely", "rule": "V-1",
                                 "because": ["wait_longer_than_horizon"],
                                 "text": "A serious barrier has no remedy in this case.",
                                 "possible_values": ["unlikely"], "confidence": "high",
                                 "confidence_because": []}
    finding = result["findings"][0]
    assert finding["text"] == ("Benefits would start after 27 months, but the owner can wait "
                               "about 6.")


def test_chain_is_three_levels_deep_and_leads_to_input_facts(tiny_kb):
    _, _, result = run(tiny_kb, months_to_first_benefit=27, profit_horizon_months=6)
    by_seq = {t["seq"]: t for t in result["trace"]}
    verdict = next(t for t in result["trace"] if t["asserted"][0].get("verdict"))
    finding_seq = verdict["matched"][0]["seq"]
    finding = by_seq[finding_seq]
    assert {"fact": "months_to_first_benefit", "value": 27} in finding["matched"]
    derived = next(m for m in finding["matched"] if "derived" in m)
    assert by_seq[derived["seq"]]["matched"] == [{"fact": "profit_horizon_months", "value": 6}]


def test_unknown_fact_never_fires_a_barrier(tiny_kb):
    _, run_, result = run(tiny_kb, profit_horizon_months=6)
    assert "TM-1" not in {f.rule for f in run_.firings}
    # nothing found, but TM-1 or TM-5 could still fire once the wait is known: not assessed yet
    # (issue 12: "neutral" only when no rule of the factor could fire whatever the unknowns are)
    assert result["factors"]["time"]["status"] == "unknown"
    assert result["factors"]["time"]["settled"] is False
    unknown = {u["fact"]: u["matters_for"] for u in result["unknowns"]}
    assert unknown["months_to_first_benefit"] == ["TM-1", "TM-5"]


def test_default_horizon_is_derived_and_explained_when_missing(tiny_kb):
    _, run_, result = run(tiny_kb, months_to_first_benefit=9)
    assert run_.derived["horizon_months"][0] == 6
    assert "default_horizon_used" in {f["id"] for f in result["findings"]}
    assert "wait_longer_than_horizon" in {f["id"] for f in result["findings"]}


def test_mitigable_barrier_does_not_count_as_unmitigated(tiny_kb):
    _, run_, result = run(tiny_kb, payback_months=30, profit_horizon_months=6)
    assert result["factors"]["time"] == {"status": "barrier", "settled": True,
                                         "severity": "significant", "mitigable": True,
                                         "findings": ["payback_beyond_horizon"]}
    assert result["verdict"]["value"] == "possible_with_support"


def test_enabler_without_barrier_concludes_likely(tiny_kb):
    _, _, result = run(tiny_kb, months_to_first_benefit=3, profit_horizon_months=12)
    assert result["verdict"]["value"] == "likely"
    assert result["factors"]["time"]["status"] == "enabler"


def test_engine_is_reused_across_cases_without_leaking_state(tiny_kb):
    advisor = Advisor(load_knowledge_base(tiny_kb))
    first = advisor.run({"months_to_first_benefit": 27, "profit_horizon_months": 6})
    second = advisor.run({"months_to_first_benefit": 3, "profit_horizon_months": 6})
    assert first.verdict[0] == "unlikely" and second.verdict[0] == "likely"
    assert "wait_longer_than_horizon" not in second.findings


def test_or_across_findings_fires_once_and_negation_waits_for_producers(kb_copy):
    kb = kb_copy()
    write(kb / "rules/combo.yaml", """\
factor: time
rules:
  - id: K-1
    description: either barrier
    when: ["finding(wait_longer_than_horizon) or finding(payback_beyond_horizon)"]
    then: [{finding: {id: some_time_barrier, kind: note, text: "time trouble"}}]
    sources: [JUDGMENT]
    examples: [{given: {}, fires: false}]
  - id: K-2
    description: no quick benefit at all
    when: ["months_to_first_benefit is known", "not finding(quick_benefit)"]
    then: [{finding: {id: no_quick_benefit, kind: note, text: "slow"}}]
    sources: [JUDGMENT]
    examples: [{given: {}, fires: false}]
""")
    _, run_, _ = run(kb, months_to_first_benefit=27, payback_months=60, profit_horizon_months=6)
    rules = [f.rule for f in run_.firings]
    assert rules.count("K-1") == 1
    assert "K-2" in rules
    _, run_, _ = run(kb, months_to_first_benefit=2, profit_horizon_months=6)
    assert "K-2" not in [f.rule for f in run_.firings]


def test_first_matching_verdict_rule_wins_by_salience(tiny_kb):
    _, run_, _ = run(tiny_kb, months_to_first_benefit=27, profit_horizon_months=6)
    assert [f.rule for f in run_.firings if f.rule.startswith("V-")] == ["V-1"]


def test_trace_records_sources_and_rule_location(tiny_kb):
    _, _, result = run(tiny_kb, months_to_first_benefit=27, profit_horizon_months=6)
    tm1 = next(t for t in result["trace"] if t["rule"] == "TM-1")
    assert tm1["sources"] == ["VCW-2.8.4"]
    assert tm1["location"].endswith("rules/time.yaml:3:5")


def test_verdict_waits_for_mitigation_assessment_whatever_its_salience(kb_copy):
    # Reported by the knowledge engineer: a higher-salience verdict rule that does not ask
    # mitigated= fired before barriers were assessed and beat the "no remedy" rule.
    kb = kb_copy()
    write(kb / "rules/verdict.yaml", """\
rules:
  - id: V-1
    description: unmitigated barrier
    salience: 10
    when: ["barrier(severity='significant', mitigated=false)"]
    then: [{verdict: {value: unlikely, text: no remedy}}]
    sources: [JUDGMENT]
    examples: [{given: {}, fires: false}]
  - id: V-2
    description: any barrier, higher salience but lower in the brief's order
    salience: 20
    when: ["barrier(mitigated=true)"]
    then: [{verdict: {value: possible_with_support, text: remedy}}]
    sources: [JUDGMENT]
    examples: [{given: {}, fires: false}]
""")
    _, run_, _ = run(kb, months_to_first_benefit=27, payback_months=60, profit_horizon_months=6)
    assessed = [f.seq for f in run_.firings if f.rule == "ASSESS"]
    verdict = next(f for f in run_.firings if f.rule.startswith("V-"))
    assert assessed and max(assessed) < verdict.seq


def test_counting_verdict_rule_fires_once_after_the_verdict_is_set(kb_copy):
    # Reported by the knowledge engineer: with several patterns matching the same findings,
    # experta's agenda kept stale activations and a counting verdict rule fired ~100 times.
    kb = kb_copy()
    write(kb / "rules/verdict.yaml", """\
rules:
  - id: V-1
    description: at least two barriers, and at least two about time
    when: ["count(barrier()) >= 2", "count(barrier(factor='time')) >= 2"]
    then: [{verdict: {value: unlikely, text: two barriers}}]
    sources: [JUDGMENT]
    examples: [{given: {}, fires: false}]
""")
    write(kb / "rules/more.yaml", """\
factor: time
rules:
""" + "".join(f"""\
  - id: M-{i}
    description: extra barrier {i}
    when: ["months_to_first_benefit > {i}"]
    then: [{{finding: {{id: extra_{i}, kind: barrier, severity: minor, text: x}}}}]
    sources: [JUDGMENT]
    examples: [{{given: {{}}, fires: false}}]
""" for i in range(1, 7)))
    _, run_, result = run(kb, months_to_first_benefit=27, profit_horizon_months=6)
    assert [f.rule for f in run_.firings].count("V-1") == 1
    assert len(result["verdict"]["because"]) >= 2


def test_rule_can_test_the_verdict_value(kb_copy):
    # Reported by the performance engineer: "verdict == 'unlikely'" could never hold, because
    # the TEST bound the verdict's value but the evaluator read it from elsewhere.
    kb = kb_copy()
    write(kb / "rules/after.yaml", """\
factor: time
rules:
  - id: A-1
    description: once the upgrade is unlikely, propose another
    when: ["verdict == 'unlikely'"]
    then: [{recommend: {intervention: ALTERNATIVE, text: "Look for a quicker step."}}]
    sources: [JUDGMENT]
    examples: [{given: {}, fires: false}]
  - id: A-2
    description: never for a likely one
    when: ["verdict != 'unlikely'"]
    then: [{recommend: {intervention: DEMO, text: "Show it."}}]
    sources: [JUDGMENT]
    examples: [{given: {}, fires: false}]
""")
    _, run_, result = run(kb, months_to_first_benefit=27, profit_horizon_months=6)
    fired = [f.rule for f in run_.firings]
    assert "A-1" in fired and "A-2" not in fired
    assert fired.index("A-1") > fired.index("V-1")
    _, run_, _ = run(kb, months_to_first_benefit=3, profit_horizon_months=6)
    assert "A-2" in [f.rule for f in run_.firings]
