"""kb lint's advice families: catalogue wiring (KB801-KB803) and do-no-harm pairs (KB811-KB813),
each defect planted in a copy of the tiny knowledge base and reported at its line; the shipped
knowledge base is clean of both."""
from engine.kbtools.lint import lint_folder
from engine.knowledge.loader import validate
from tests.conftest import SHIPPED_KB, replace_in

STAGED = "  STAGED:\n    label: Staged\n"
FINANCE = "  FINANCE:\n    label: Finance\n"


def found(kb, code):
    return [(p.where.path, p.where.line, p.severity) for p in lint_folder(kb) if p.code == code]


def tm1_line(kb) -> int:
    lines = (kb / "rules/time.yaml").read_text().splitlines()
    return lines.index("  - id: TM-1") + 1


def test_shipped_knowledge_base_is_clean_of_wiring_and_harm_problems():
    codes = {p.code for p in lint_folder(SHIPPED_KB)}
    assert not codes & {"KB801", "KB802", "KB803", "KB811", "KB812", "KB813"}


def test_barrier_rule_without_its_catalogue_intervention_is_reported(kb_copy):
    kb = kb_copy()
    replace_in(kb / "interventions.yaml", FINANCE, FINANCE + "    use_when: [TM-1]\n")
    assert found(kb, "KB801") == [(str(kb / "rules/time.yaml"), tm1_line(kb), "warning")]


def test_omits_with_a_reason_silences_it_and_a_stale_omits_is_reported(kb_copy):
    kb = kb_copy()
    replace_in(kb / "interventions.yaml", FINANCE, FINANCE + "    use_when: [TM-1]\n")
    replace_in(kb / "rules/time.yaml", "    sources: [VCW-2.8.4]\n    examples:\n"
                                       "      - given: {months_to_first_benefit: 27",
               "    omits: {FINANCE: no lender here offers a grace period}\n"
               "    sources: [VCW-2.8.4]\n    examples:\n"
               "      - given: {months_to_first_benefit: 27")
    assert found(kb, "KB801") == [] and found(kb, "KB802") == []
    replace_in(kb / "rules/time.yaml", "omits: {FINANCE:", "omits: {DEMO: stale, FINANCE:")
    assert found(kb, "KB802") == [(str(kb / "rules/time.yaml"), tm1_line(kb), "warning")]


def test_use_when_naming_no_barrier_rule_is_reported(kb_copy):
    kb = kb_copy()
    replace_in(kb / "interventions.yaml", STAGED, STAGED + "    use_when: [TM-5]\n")
    assert [line for _, line, _ in found(kb, "KB803")] == [
        (kb / "interventions.yaml").read_text().splitlines().index("  STAGED:") + 1]
    replace_in(kb / "interventions.yaml", "use_when: [TM-5]", "use_when: [TM-55]")
    assert any('use_when names no rule "TM-55"' in p.message for p in validate(kb))


def test_rule_advising_what_a_never_pair_always_forbids_is_an_error(kb_copy):
    kb = kb_copy()
    replace_in(kb / "interventions.yaml", STAGED, STAGED + """\
    never:
      - when: finding(wait_longer_than_horizon)
        reason: staging cannot shorten this wait
        instead: Do not start a trial until the wait is shorter.
        sources: [JUDGMENT]
""")
    assert found(kb, "KB811") == [(str(kb / "rules/time.yaml"), tm1_line(kb), "error")]


def test_never_pair_protecting_nothing_or_never_holding_is_reported(kb_copy):
    kb = kb_copy()
    replace_in(kb / "interventions.yaml", FINANCE, FINANCE + """\
    never:
      - when: months_to_first_benefit > 10 and months_to_first_benefit < 5
        reason: impossible
        instead: Do not borrow.
        sources: [JUDGMENT]
      - when: not buyer_identified
        reason: no buyer
        instead: Do not borrow until a buyer is found.
        sources: [JUDGMENT]
""")
    assert [p.severity for p in lint_folder(kb) if p.code == "KB813"] == ["error"]
    assert [p.severity for p in lint_folder(kb) if p.code == "KB812"] == ["warning"]


def test_never_pair_with_a_slip_is_refused_by_the_loader(kb_copy):
    kb = kb_copy()
    line = replace_in(kb / "interventions.yaml", FINANCE, FINANCE + """\
    never:
      - when: buyer_identifed == true
        reason: typo
        instead: x
        sources: [JUDGMENT]
""") + 3
    problems = [p for p in validate(kb) if p.severity == "error"]
    assert any('unknown fact or parameter "buyer_identifed"' in p.message
               and p.where.line == line for p in problems), [str(p) for p in problems]
