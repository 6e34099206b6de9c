"""The adaptive interview: what it asks, in which order, and the terminal session around it.

Logic tests use the tiny knowledge base (plus a rule or two added to a copy); the CLI tests
drive ``mse-advisor consult`` through click's CliRunner with typed input; two tests drive the
real console script in a pseudo-terminal with pexpect (the issue's scripted session). The last
tests check the interview against every bundled case of the shipped knowledge base.
"""
import os
import shutil
import sys
from pathlib import Path

import pexpect
import pytest
import yaml
from click.testing import CliRunner

from cli import main
from engine.consultation.answers import command_of, parse_answer
from engine.consultation.casefile import save_case, unknown_marks
from engine.consultation.cases import load_case
from engine.consultation.interview import ASSESS, Interview
from engine.consultation.replay import simulate
from engine.consultation.openworld import OpenWorld
from engine.consultation.result import build_result
from engine.inference.runner import Advisor
from engine.errors import ValueProblem
from engine.files import write_atomically
from tests.conftest import SHIPPED_KB, TINY_KB, write

STAGED_PEERS_RULES = """\
factor: social.conformity
rules:
  - id: CF-T1
    description: Peers show a change that can be staged.
    when:
      - can_be_staged
      - demonstrated_locally == 'by_peers_here'
    then:
      - finding: {id: peers_show_it, kind: enabler, text: Peers here show it.}
    sources: [VCW-2.8]
    examples:
      - given: {can_be_staged: true, demonstrated_locally: by_peers_here}
        fires: true
      - given: {can_be_staged: false, demonstrated_locally: by_peers_here}
        fires: false
  - id: CF-T2
    description: A long wait that cannot be staged.
    when:
      - finding(wait_longer_than_horizon)
      - not needs_lump_sum or can_be_staged
    then:
      - finding: {id: wait_without_lump_sum, kind: note, text: No lump sum needed.}
    sources: [VCW-2.8]
    examples:
      - given: {months_to_first_benefit: 27, profit_horizon_months: 6, needs_lump_sum: false}
        fires: true
"""

MOBILITY_RULE = """\
factor: social.gender
rules:
  - id: GN-T
    description: Restricted mobility and training that does not fit.
    when:
      - owner_mobility_restricted
      - not training_time_place_compatible
    then:
      - finding: {id: training_out_of_reach, kind: barrier, severity: minor, text: Out of reach.}
    sources: [VCW-2.8]
    examples:
      - given: {owner_mobility_restricted: true, training_time_place_compatible: false}
        fires: true
"""


@pytest.fixture
def tiny():
    return Advisor.from_folder(TINY_KB)


@pytest.fixture
def peers_kb(kb_copy):
    root = kb_copy()
    write(root / "rules" / "peers.yaml", STAGED_PEERS_RULES)
    return root


@pytest.fixture
def runner():
    return CliRunner()


def shipped_cases():
    return sorted((SHIPPED_KB / "cases").glob("*.yaml"))


def saved(path: Path) -> dict:
    return yaml.safe_load(path.read_text())["facts"]


# ---------------------------------------------------------------- what to ask


def test_only_facts_that_pending_rules_read_are_asked(tiny):
    interview = Interview(tiny)
    assert set(interview.needs()) == {"profit_horizon_months", "months_to_first_benefit",
                                      "payback_months"}


def test_the_fact_that_decides_the_most_pending_rules_comes_first(tiny):
    interview = Interview(tiny)
    # profit_horizon_months: TM-2a, TM-2b, and TM-1 and TM-4 through horizon_months
    assert interview.decides("profit_horizon_months") == 4
    assert interview.decides("months_to_first_benefit") == 2
    assert interview.next_question().name == "profit_horizon_months"
    assert interview.needs()["payback_months"] == {"TM-4": None}
    assert interview.needs()["profit_horizon_months"]["TM-4"] == "horizon_months"


def test_a_question_is_skipped_once_no_rule_that_could_fire_needs_it(peers_kb):
    interview = Interview(Advisor.from_folder(peers_kb))
    first = interview.next_question()
    assert first.name == "can_be_staged" and first.group == "opportunity"
    assert "demonstrated_locally" in interview.needs()
    interview.answer("can_be_staged", False)  # CF-T1 can no longer fire
    assert "demonstrated_locally" not in interview.needs()


def test_an_unknown_answer_settles_the_rules_that_test_its_value(peers_kb):
    interview = Interview(Advisor.from_folder(peers_kb))
    assert "CF-T1" in interview.needs()["can_be_staged"]
    interview.answer("demonstrated_locally", None)  # "?": the comparison can never hold
    assert interview.truths()["CF-T1"] is False
    assert interview.needs()["can_be_staged"]["CF-T1"] == ASSESS  # no longer to decide it


def test_a_fact_beside_a_finding_not_yet_concluded_is_still_asked(peers_kb):
    # CF-T2 needs finding(wait_longer_than_horizon), which TM-1 may still assert: a reading of
    # the current run alone would call CF-T2 settled and never ask needs_lump_sum.
    interview = Interview(Advisor.from_folder(peers_kb))
    assert interview.truths()["TM-1"] is None
    assert "CF-T2" in interview.needs()["needs_lump_sum"]
    (need,) = interview.why("needs_lump_sum")
    assert need.when == ("finding(wait_longer_than_horizon)",
                         "(not needs_lump_sum or can_be_staged)")
    interview.answer("months_to_first_benefit", 2)
    interview.answer("profit_horizon_months", 6)  # TM-1 cannot fire: 2 > 6 is false
    assert interview.truths()["CF-T2"] is False
    assert "needs_lump_sum" not in interview.needs()


def test_a_fact_that_only_tells_whether_a_factor_can_be_assessed_is_asked_last(kb_copy):
    root = kb_copy()
    write(root / "rules" / "mobility.yaml", MOBILITY_RULE)
    advisor = Advisor.from_folder(root)
    interview = Interview(advisor)
    interview.answer("training_time_place_compatible", None)  # GN-T can no longer fire ...
    assert interview.truths()["GN-T"] is False
    # ... but "no" to mobility makes it false rather than unknown: gender is then assessed
    assert interview.needs()["owner_mobility_restricted"] == {"GN-T": ASSESS}
    assert interview.decides("owner_mobility_restricted") == 0
    assert interview.next_question().name != "owner_mobility_restricted"

    def gender_status(facts):
        case = load_case(write(root / "c.yaml", "id: c\nfacts: {}\n"), advisor.kb)
        case = case.__class__(case.id, facts, {})
        return build_result(advisor.kb, case, advisor.run(facts))["factors"]["social.gender"]

    assert gender_status({})["status"] == "unknown"
    assert gender_status({"owner_mobility_restricted": False})["status"] == "neutral"
    interview.answer("owner_mobility_restricted", False)
    assert "owner_mobility_restricted" not in interview.needs()


def test_why_names_the_pending_rules_and_what_they_conclude(tiny):
    needs = Interview(tiny).why("months_to_first_benefit")
    assert [n.rule for n in needs] == ["TM-1", "TM-5"]
    assert "barrier wait_longer_than_horizon (time, significant)" in needs[0].concludes
    assert "recommends STAGED" in needs[0].concludes
    assert needs[0].when == ("months_to_first_benefit > horizon_months",)


def test_back_undoes_the_last_answer_and_asks_that_question_again(tiny):
    interview = Interview(tiny)
    interview.answer("profit_horizon_months", 27)
    assert interview.last_answer() == ("profit_horizon_months", 27)
    again = interview.back()
    assert again.name == "profit_horizon_months"
    assert "profit_horizon_months" not in interview.answers
    assert interview.back() is None


def test_skip_leaves_the_rest_of_the_group_unknown(tiny):
    interview = Interview(tiny)
    interview.answer("profit_horizon_months", 6)
    skipped = interview.skip_group("time")
    assert {"months_to_first_benefit", "payback_months"} <= set(skipped)
    assert interview.next_question() is None
    assert interview.known_facts() == {"profit_horizon_months": 6}
    interview.back()  # a skip can be undone too
    assert interview.next_question().name == "months_to_first_benefit"


def test_typed_answers_are_choice_numbers_names_or_checked_values(peers_kb):
    kb = Advisor.from_folder(peers_kb).kb
    demo, kinds = kb.facts["demonstrated_locally"], kb.facts["upgrade_type"]
    assert parse_answer(demo, "1") == "by_peers_here"
    assert parse_answer(demo, "demo nearby") == "demo_nearby"
    assert parse_answer(kinds, "1, 3") == ("process", "functional")
    assert parse_answer(kinds, "none") == ()
    assert parse_answer(kb.facts["can_be_staged"], "yes") is True
    with pytest.raises(ValueProblem, match="type a number from 1 to 4"):
        parse_answer(demo, "9")
    with pytest.raises(ValueProblem, match="whole number"):
        parse_answer(kb.facts["payback_months"], "2.5")
    assert [command_of(t) for t in ("", " ? ", "WHY", "back", "skip", "done", "12")] == \
        ["unknown", "unknown", "why", "back", "skip", "done", None]


# ---------------------------------------------------------------- saving a case


def test_a_saved_case_loads_back_with_its_unknown_answers(tiny, tmp_path):
    path = save_case(tmp_path / "c.yaml", "c-1", {"upgrade_type": ("product",),
                                                   "payback_months": None},
                     {"enterprise": "Moyo farm"})
    case = load_case(path, tiny.kb)
    assert case.facts == {"upgrade_type": ("product",)}
    assert case.metadata["enterprise"] == "Moyo farm"
    assert unknown_marks(path) == ["payback_months"]


def test_a_failed_write_keeps_the_old_file_and_leaves_no_temporary(tmp_path, monkeypatch):
    target = write(tmp_path / "c.yaml", "id: old\nfacts: {}\n")

    def refuse(src, dst):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(os, "replace", refuse)
    with pytest.raises(OSError):
        write_atomically(target, "id: new\nfacts: {}\n")
    assert target.read_text() == "id: old\nfacts: {}\n"
    assert os.listdir(tmp_path) == ["c.yaml"]


# ---------------------------------------------------------------- the terminal session


REGISTER = "\n" * 6  # the registration lines, left empty (issue 13: asked first)


def consult(runner, args, typed):
    """``consult`` typing ``typed`` after the registration lines (none when resuming)."""
    typed = typed if "--resume" in args else REGISTER + typed
    return runner.invoke(main, ["consult", "--kb", str(TINY_KB), "--no-save"] + args,
                         input=typed)


def interview_to_end(runner, tmp_path, typed, *args):
    """An interview that ends with advice: the result and the facts of the saved case."""
    out = tmp_path / "c.yaml"
    r = consult(runner, [*args, "--save", str(out)], typed)
    assert r.exit_code == 0, r.output
    assert f"The case is saved in {out}" in r.stderr
    return r, saved(out)


def test_answers_give_a_verdict_and_the_case_is_saved(runner, tmp_path):
    r, facts = interview_to_end(runner, tmp_path, "27\n6\n40\n")  # issue 13: the wait first
    assert "VERDICT: UNLIKELY" in r.stdout
    assert "How long the owner says they can wait" in r.stderr
    assert "How long the owner" not in r.stdout  # the dialogue stays on stderr
    assert facts == {"profit_horizon_months": 6, "months_to_first_benefit": 27,
                     "payback_months": 40}


def test_why_shows_rule_ids_and_what_they_conclude(runner, tmp_path):
    r, _ = interview_to_end(runner, tmp_path, "why\ndone\n", "--technical")
    assert "TM-1: Benefits arrive later than the owner can wait." in r.stderr
    assert "then barrier wait_longer_than_horizon (time, significant); recommends STAGED" \
        in r.stderr
    assert "VERDICT:" in r.stdout


def test_a_bad_answer_is_explained_and_the_question_asked_again(runner, tmp_path):
    r, facts = interview_to_end(runner, tmp_path, "six\n6\ndone\n")
    assert "Not accepted: the answer takes a whole number of at least 0, not 'six'" \
        in r.stderr
    assert facts == {"months_to_first_benefit": 6}


def test_back_changes_the_previous_answer(runner, tmp_path):
    r, facts = interview_to_end(runner, tmp_path, "6\nback\n12\ndone\n")
    assert 'Back to "Months from investment to the first extra income?" (you answered 6).' \
        in r.stderr  # the question, not the fact's name (issue 14)
    assert facts == {"months_to_first_benefit": 12}


def test_skip_leaves_the_group_unknown_and_done_concludes(runner, tmp_path):
    r, facts = interview_to_end(runner, tmp_path, "6\nskip\n")
    assert "No other question can change the advice" in r.stderr
    assert facts["months_to_first_benefit"] == 6
    assert facts["profit_horizon_months"] is None and facts["payback_months"] is None


def test_unknown_and_done_keep_only_what_was_given(runner, tmp_path):
    r, facts = interview_to_end(runner, tmp_path, "?\n\ndone\n")
    assert facts == {"profit_horizon_months": None, "months_to_first_benefit": None}
    assert "VERDICT:" in r.stdout


def test_end_of_input_saves_the_answers_and_resume_continues(runner, tmp_path):
    out = tmp_path / "c.yaml"
    r = consult(runner, ["--save", str(out)], "27\n6\n")
    assert r.exit_code == 130
    assert f"Your answers are saved in {out}" in r.stderr
    assert f"mse-advisor consult --resume {out}" in r.stderr
    assert r.stdout == ""
    assert saved(out) == {"profit_horizon_months": 6, "months_to_first_benefit": 27}

    again = consult(runner, ["--resume", str(out)], "40\n")
    assert again.exit_code == 0, again.output
    assert "Question 3 of about 3" in again.stderr  # numbering goes on (issue 13)
    assert "How long the owner" not in again.stderr.split("== time")[1]
    assert "VERDICT: UNLIKELY" in again.stdout
    assert saved(out)["payback_months"] == 40


def test_without_save_the_case_goes_to_a_timestamped_file_here(runner, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    r = consult(runner, [], "6\n")
    assert r.exit_code == 130
    files = list(Path(".").glob("interview-*.yaml"))
    assert len(files) == 1 and f"saved in {files[0]}" in r.stderr
    assert saved(files[0]) == {"months_to_first_benefit": 6}


def test_interactive_starts_from_a_partial_case(runner, tmp_path):
    case = write(tmp_path / "partial.yaml", "id: p\nfacts:\n  profit_horizon_months: 6\n")
    r, facts = interview_to_end(runner, tmp_path, "3\n\n", str(case), "--interactive")
    assert "How long the owner" not in r.stderr
    assert "VERDICT: LIKELY" in r.stdout
    assert facts == {"profit_horizon_months": 6, "months_to_first_benefit": 3,
                          "payback_months": None}
    assert case.read_text() == "id: p\nfacts:\n  profit_horizon_months: 6\n"


def test_enum_questions_show_numbered_choices(runner, peers_kb, tmp_path):
    out = tmp_path / "c.yaml"
    r = runner.invoke(main, ["consult", "--kb", str(peers_kb), "--no-save", "--save", str(out)],
                      input=REGISTER + "skip\nyes\n7\n1\ndone\n")  # skip: the time group
    assert r.exit_code == 0, r.output
    assert "     1) by peers here" in r.stderr and "     4) not demonstrated" in r.stderr
    assert "7 is not one of the choices: type a number from 1 to 4" in r.stderr
    facts = saved(out)
    assert {k: v for k, v in facts.items() if v is not None} == \
        {"can_be_staged": True, "demonstrated_locally": "by_peers_here"}


def test_interview_options_that_do_not_fit_are_usage_errors(runner, tmp_path):
    case = write(tmp_path / "c.yaml", "id: c\nfacts: {}\n")
    r = runner.invoke(main, ["consult", str(case), "--resume", str(case), "--kb", str(TINY_KB)])
    assert r.exit_code == 2 and "not both" in r.stderr
    r = runner.invoke(main, ["consult", str(case), "--save", "x.yaml", "--kb", str(TINY_KB)])
    assert r.exit_code == 2 and "--interactive" in r.stderr


# ---------------------------------------------------------------- a real terminal (pexpect)


def console_script() -> str:
    found = shutil.which("mse-advisor", path=os.path.dirname(sys.executable)) or \
        shutil.which("mse-advisor")
    assert found, "the mse-advisor console script is not installed (pip install -e .)"
    return found


def spawn(*args: str, cwd: Path) -> pexpect.spawn:
    return pexpect.spawn(console_script(), ["consult", "--kb", str(TINY_KB), "--no-save",
                                            *args], cwd=str(cwd), encoding="utf-8",
                         timeout=30, dimensions=(40, 200))


def type_then(child, typed: str, expected: str) -> None:
    """Type a line, then wait for ``expected`` and the next prompt."""
    child.sendline(typed)
    child.expect(expected)
    child.expect("> ")


def register(child, *lines: str) -> None:
    """Answer the registration lines (issue 13): ``lines`` in order, the rest left empty."""
    child.expect(r"== The case")
    for i in range(6):
        child.expect("> ")
        child.sendline(lines[i] if i < len(lines) else "")


def test_terminal_session_why_then_done_gives_a_verdict(tmp_path):
    child = spawn("--save", "visit.yaml", cwd=tmp_path)
    register(child)
    child.expect(r"Question 1 of about 3\s+Months from investment to the first extra income")
    child.expect("> ")
    child.sendline("27")
    child.expect(r"Question 2 of about 3\s+How long the owner says they can wait")
    child.expect("> ")
    child.sendline("why")  # plain words, then the question again (issue 14)
    child.expect(r"The answer can change the advice on time\.")
    child.expect(r"Question 2 of about 3\s+How long the owner says they can wait")
    child.expect("> ")
    child.sendline("6")
    child.expect(r"Question 3 of about 3\s+Months until cumulative extra income covers")
    child.expect("> ")
    child.sendline("done")
    child.expect("VERDICT: UNLIKELY")
    child.expect("Printable report")
    child.sendline("")
    child.expect(pexpect.EOF)
    child.close()
    assert child.exitstatus == 0
    assert saved(tmp_path / "visit.yaml") == {"profit_horizon_months": 6,
                                              "months_to_first_benefit": 27}


def test_terminal_session_interrupted_by_ctrl_c_keeps_both_answers(tmp_path):
    child = spawn("--save", "visit.yaml", cwd=tmp_path)
    register(child)
    child.expect("> ")
    type_then(child, "27", r"Question 2 of about 3")
    type_then(child, "6", r"Question 3 of about 3")
    child.sendintr()
    child.expect("Your answers are saved in visit.yaml")
    child.expect(pexpect.EOF)
    child.close()
    assert child.exitstatus == 130
    assert saved(tmp_path / "visit.yaml") == {"profit_horizon_months": 6,
                                              "months_to_first_benefit": 27}

    child = spawn("--resume", "visit.yaml", cwd=tmp_path)  # no registration: it is stored
    child.expect(r"Question 3 of about 3\s+Months until cumulative extra income covers")
    child.expect("> ")
    child.sendline("40")
    child.expect("VERDICT: UNLIKELY")
    child.expect("Printable report")
    child.sendline("")
    child.expect(pexpect.EOF)
    child.close()
    assert child.exitstatus == 0
    assert saved(tmp_path / "visit.yaml")["payback_months"] == 40


def test_terminal_first_visit_registers_stops_by_itself_and_says_where_it_is_stored(tmp_path):
    """Issue 13's "done when": registration, a why, a back, two "don't know" answers, a stop
    by itself (no "done" typed), the stored-visit message, the verdict as the last lines."""
    child = pexpect.spawn(console_script(), ["consult", "--kb", str(TINY_KB), "--db",
                                             "history.db", "--save", "visit.yaml"],
                          cwd=str(tmp_path), encoding="utf-8", timeout=30, dimensions=(40, 80))
    register(child, "Amina Wanjiru dairy", "Nyeri", "dairy", "a place at the cooling centre",
             "J. Otieno")
    child.expect(r"Question 1 of about 3\s+Months from investment")
    child.expect("> ")
    child.sendline("why")
    child.expect(r"The answer can change the advice on time\.")
    child.expect(r"Question 1 of about 3")
    child.expect("> ")
    type_then(child, "27", r"Question 2 of about 3")
    type_then(child, "6", r"Question 3 of about 3")
    child.sendline("back")
    child.expect(r'Back to "How long the owner says they can wait for a return\?" '
                 r"\(you answered 6\)\.")
    child.expect(r"Question 2 of about 3")
    child.expect("> ")
    child.sendline("?")  # don't know
    child.expect(r"Question 3 of about 3\s+Months until cumulative")
    child.expect("> ")
    child.sendline("")  # don't know (Enter)
    child.expect("No other question can change the advice for this case.")  # by itself
    child.expect("VERDICT:")
    child.expect(r"Stored as visit 1 of case amina-wanjiru-dairy\.")
    child.expect(r"Confidence: \w+")
    child.expect("Printable report")
    child.sendline("")
    child.expect(pexpect.EOF)
    child.close()
    assert child.exitstatus == 0
    data = yaml.safe_load((tmp_path / "visit.yaml").read_text())
    assert data["id"] == "amina-wanjiru-dairy" and data["country"] == "Nyeri"
    assert data["opportunity"] == "a place at the cooling centre"
    assert data["facts"] == {"months_to_first_benefit": 27, "profit_horizon_months": None,
                             "payback_months": None}


# ---------------------------------------------------------------- the shipped knowledge base


@pytest.mark.parametrize("path", shipped_cases(), ids=lambda p: p.stem)
def test_open_world_evaluation_fires_what_the_engine_fires_once_all_is_asked(path):
    advisor = Advisor.from_folder(SHIPPED_KB)
    case = load_case(path, advisor.kb)
    truth = OpenWorld(advisor.kb).truths({n: case.facts.get(n) for n in advisor.kb.input_facts})
    run = advisor.run(case.facts)
    first_verdict = next((f.rule for f in run.firings
                          if f.rule in {r.id for r in advisor.kb.rules if r.concludes_verdict}),
                         None)
    fired = {f.rule for f in run.firings} - {"ASSESS"}
    assert None not in truth.values()
    verdict_rules = {r.id for r in advisor.kb.rules if r.concludes_verdict}
    assert {r for r, t in truth.items() if t} - verdict_rules == fired - verdict_rules
    assert {r for r, t in truth.items() if t} & verdict_rules == {first_verdict} - {None}


@pytest.mark.parametrize("path", shipped_cases(), ids=lambda p: p.stem)
def test_the_interview_gives_the_advice_of_the_whole_case_file(path):
    advisor = Advisor.from_folder(SHIPPED_KB)
    case = load_case(path, advisor.kb)
    interview = simulate(advisor, case.facts)
    assert len(interview.events) < len(advisor.kb.input_facts)
    full = build_result(advisor.kb, case, advisor.run(case.facts))
    short = build_result(advisor.kb, case.__class__(case.id, interview.known_facts(),
                                                    case.metadata), interview.run())
    for key in ("verdict", "factors", "findings", "recommendations"):
        if key == "verdict":  # what could still change it: the short case leaves more open
            assert set(full[key].pop("confidence_because")) <= \
                set(short[key].pop("confidence_because"))
        assert short[key] == full[key], key


def test_stopping_before_any_answer_writes_no_file(runner, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    r = consult(runner, [], "")
    assert r.exit_code == 130
    assert "Stopped before any answer: nothing to save." in r.stderr
    assert list(tmp_path.iterdir()) == []


def test_save_into_a_missing_folder_is_refused_before_any_question(runner, tmp_path):
    r = consult(runner, ["--save", str(tmp_path / "nowhere" / "c.yaml")], "6\n")
    assert r.exit_code == 2
    assert "--save" in r.stderr and "does not exist" in r.stderr
    assert "How long" not in r.stderr


def refuse_to_write(monkeypatch, refused):
    """Make saving a case fail with "disk full" for paths ``refused`` says yes to."""
    from engine.consultation import casefile

    real = casefile.save_case

    def save_case(path, *args, **kwargs):
        if refused(Path(path)):
            raise OSError(28, "No space left on device")
        return real(path, *args, **kwargs)

    monkeypatch.setattr(casefile, "save_case", save_case)


def test_when_the_save_file_cannot_be_written_the_answers_go_elsewhere(runner, tmp_path,
                                                                        monkeypatch):
    monkeypatch.chdir(tmp_path)
    target = tmp_path / "c.yaml"
    refuse_to_write(monkeypatch, lambda path: path == target)
    r = consult(runner, ["--save", str(target)], "6\n")
    assert r.exit_code == 130
    (elsewhere,) = tmp_path.glob("interview-*.yaml")
    assert f"Could not write {target}: No space left on device" in r.stderr
    assert f"Your answers are saved in {elsewhere.name}" in r.stderr
    assert saved(elsewhere) == {"months_to_first_benefit": 6}


def test_when_nothing_can_be_written_the_answers_are_shown(runner, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    refuse_to_write(monkeypatch, lambda path: True)
    r = consult(runner, ["--save", str(tmp_path / "c.yaml")], "6\n")
    assert r.exit_code == 1
    assert "months_to_first_benefit: 6" in r.stderr
    assert "the answers are above: copy them into a file" in r.stderr
