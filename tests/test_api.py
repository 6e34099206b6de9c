"""The facade (``engine.api``) and the interview's conversation (``consultation.dialogue``),
driven without a terminal, as a web page would drive them."""
import os

import pytest

from engine import api
from engine.consultation.dialogue import Dialogue, Reply
from engine.consultation.interview import Interview
from engine.errors import OutputError, UnknownId
from engine.files import write_atomically
from engine.inference import runner
from engine.knowledge import loader
from tests.conftest import TINY_KB, replace_in, write

SLOW = "id: slow\nfacts:\n  months_to_first_benefit: 27\n  profit_horizon_months: 6\n"


@pytest.fixture
def dialogue():
    return Dialogue(Interview(api.load_advisor(TINY_KB)))


# ---------------------------------------------------------------- the conversation


def test_the_dialogue_checks_answers_explains_and_moves_on(dialogue):
    turn = dialogue.next_turn()
    assert turn.question.name == "profit_horizon_months"
    assert turn.text.startswith("\n== ") and "1. How long the owner says they can wait" in turn.text
    refused = dialogue.hear("six")
    assert refused.event == "refused" and refused.text.startswith("Not accepted: ")
    assert dialogue.waiting
    why = dialogue.hear("why")
    # plain words (issue 14): what the answer can change, then the question again; no names
    assert why.event == "why" and why.text.startswith("The answer can change the advice on ")
    assert why.text.rstrip().count("\n") >= 2 and "1. How long the owner says they can wait" \
        in why.text.split("\n\n", 1)[1]
    assert "profit_horizon_months" not in why.text and "TM-" not in why.text
    assert len([s for s in why.text.split("\n\n")[0].split(". ") if s]) in (2, 3)
    assert dialogue.hear("6") == Reply("answered") and not dialogue.waiting
    assert dialogue.interview.answers == {"profit_horizon_months": 6}
    assert dialogue.next_turn().question.name == "months_to_first_benefit"


def test_the_technical_dialogue_shows_the_rules_behind_why():
    technical = Dialogue(Interview(api.load_advisor(TINY_KB)), technical=True)
    technical.next_turn()
    assert "profit_horizon_months is asked because" in technical.hear("why").text


def test_back_returns_to_the_previous_question_and_done_ends_the_conversation(dialogue):
    dialogue.next_turn()
    assert dialogue.hear("back") == Reply("refused", "Nothing to go back to in this session.")
    dialogue.hear("6")
    dialogue.next_turn()
    assert dialogue.hear("back") == Reply(  # the question, not the fact's name (issue 14)
        "back", 'Back to "How long the owner says they can wait for a return?" (you answered 6).')
    assert dialogue.next_turn().question.name == "profit_horizon_months"
    assert dialogue.hear("done") == Reply("done")
    assert dialogue.over and not dialogue.waiting and dialogue.next_turn() is None


def test_when_no_question_is_left_the_last_turn_says_so(dialogue):
    dialogue.next_turn()
    dialogue.hear("6")
    dialogue.next_turn()
    skipped = dialogue.hear("skip")
    assert skipped.event == "skip" and skipped.text.startswith("Skipped 4 questions")
    last = dialogue.next_turn()
    assert last.question is None and "No other question can change the advice" in last.text
    assert dialogue.over and dialogue.next_turn() is None


def test_hearing_with_no_question_waiting_is_a_mistake_of_the_caller(dialogue):
    with pytest.raises(ValueError, match="next_turn"):
        dialogue.hear("6")


# ---------------------------------------------------------------- the facade


def test_consult_gives_the_advisor_the_case_and_the_result(tmp_path):
    done = api.consult(write(tmp_path / "slow.yaml", SLOW), TINY_KB)
    assert done.case.id == "slow" and done.kb is done.advisor.kb
    assert done.result["verdict"]["value"] == "unlikely"
    assert "VERDICT: UNLIKELY" in api.render(done.result, done.kb, "text")
    assert api.render(done.result, done.kb, "json") == api.to_json(done.result)


def test_kb_validate_reads_the_folder_once(monkeypatch):
    calls = []
    real = loader._load
    monkeypatch.setattr(loader, "_load", lambda root: calls.append(root) or real(root))
    checked = api.validate(TINY_KB)
    assert checked.kb is not None and checked.errors == [] and len(calls) == 1


def test_kb_test_names_failed_rules_and_cases_in_fields(kb_copy):
    kb = kb_copy()
    write(kb / "cases/slow.yaml", SLOW + "expected:\n  verdict: likely\n")
    replace_in(kb / "parameters.yaml", "payback_horizon_multiple:\n    value: 2",
               "payback_horizon_multiple:\n    value: 10")
    report = api.run_kb_tests(kb)
    assert report.failed_rules == ["TM-4"] and report.failed_cases == ["slow"]
    (example,) = [o for o in report.failures if o.rule]
    assert (example.rule, example.example, example.what) == ("TM-4", 1, "example TM-4 #1")


def test_the_clips_export_does_not_compile_an_experta_engine(monkeypatch):
    def refuse(*args, **kwargs):
        raise AssertionError("compiled")

    monkeypatch.setattr(runner, "compile_knowledge_base", refuse)
    export = api.export_clips(TINY_KB)
    assert export.rules == 8 and "(deftemplate case" in export.text


def test_why_not_an_unknown_id_is_an_unknown_id(tmp_path):
    with pytest.raises(UnknownId, match='did you mean "STAGED"') as caught:
        api.why_not(write(tmp_path / "slow.yaml", SLOW), "STAGD", TINY_KB)
    assert caught.value.exit_code == 2


def test_a_file_that_cannot_be_written_is_an_output_error_naming_it(tmp_path):
    target = tmp_path / "missing" / "report.md"
    with pytest.raises(OutputError) as caught:
        write_atomically(target, "text")
    assert str(caught.value) == f"cannot write {target}: No such file or directory"
    assert caught.value.exit_code == 1 and isinstance(caught.value, OSError)
    assert write_atomically(target, "text", create_folder=True).read_text() == "text"
    assert oct(os.stat(target).st_mode & 0o777) == "0o600"


def test_the_facade_loads_the_engine_only_when_first_used():
    import subprocess
    import sys

    loaded = "print(sorted(m for m in sys.modules if m.startswith(('engine', 'experta'))))"
    code = "import sys, cli; " + loaded
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         check=True, cwd=str(TINY_KB.parent.parent.parent)).stdout
    assert out.strip() == "['engine']"
    code = ("import sys, cli\ntry:\n    cli.main(['--help'])\nexcept SystemExit:\n    pass\n"
            + loaded)
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         check=True, cwd=str(TINY_KB.parent.parent.parent)).stdout
    assert out.strip().splitlines()[-1] == "['engine', 'engine.api', 'engine.reports']"