"""Kind 6 of issue 17: the interview loses no answer.

Any typed answer is a value or a clear refusal (``ValueProblem``) whose message a terminal can
show, never another exception; SIGTERM and SIGHUP stop the asking as Ctrl-C does, and no stop
signal can cut the save in half (``engine.stop_signals``).
"""
from __future__ import annotations

import signal
import subprocess
import sys

import pytest

from engine.consultation.answers import parse_answer
from engine.errors import ValueProblem
from engine.knowledge.loader import load_knowledge_base
from engine.safe_text import BIDI, CONTROLS
from tests.conftest import ROOT, SHIPPED_KB

KB = load_knowledge_base(SHIPPED_KB)
HOSTILE = ["²", "³", "٣", "１２", "9" * 5000, "-" + "9" * 5000, "1e400", "-1e400", "nan",
           "inf", "0x1F", "1_000", "1:20", "\x1b[2J", "\x1b]0;owned\x07", "a\u202eb", "\x00",
           "\ud800", "\udcff", "12\x85", "🙂", " ", "?", "1,2,3", "0", "-0", "+5", "5%",
           "25 %", "%", "yes please", "Tru", "٣٣", "1" * 41, "\t", "None", "[]", "none",
           "1 1", ",,,", ";", "ↂ", "Ⅻ", "½"]
TYPES = sorted({f.type for f in KB.input_facts.values()})
ONE_OF_EACH = [next(f for f in KB.input_facts.values() if f.type == t) for t in TYPES]


@pytest.mark.parametrize("fact", ONE_OF_EACH, ids=TYPES)
@pytest.mark.parametrize("typed", HOSTILE, ids=range(len(HOSTILE)))
def test_any_answer_is_a_value_or_a_refusal_a_terminal_can_show(fact, typed):
    try:
        parse_answer(fact, typed)
    except ValueProblem as exc:
        message = str(exc)
        assert message and len(message) < 600
        assert not any(ch in message for ch in CONTROLS + BIDI if ch not in "\t\n")
        message.encode("utf-8")  # no lone surrogate: printing it cannot fail


@pytest.mark.parametrize("typed", ["²", "9" * 5000, "٣"])
def test_a_choice_number_is_ascii_digits_only(typed):
    fact = KB.input_facts["finance_available"]
    with pytest.raises(ValueProblem, match="is not a value of finance_available"):
        parse_answer(fact, typed)
    assert parse_answer(fact, "3") == "savings_group"


def test_answers_by_name_synonym_or_number_agree():
    fact = KB.input_facts["finance_available"]
    assert {parse_answer(fact, t) for t in ("savings group", "Savings_Group", "VSLA", "3",
                                             " chama ")} == {"savings_group"}


STOPPED = """
import os, signal, sys, time
sys.path.insert(0, sys.argv[1])
from engine.stop_signals import stops_as_interrupt, stops_held
sig = getattr(signal, sys.argv[2])
try:
    with stops_as_interrupt():
        os.kill(os.getpid(), sig)
        time.sleep(5)
        print("not stopped")
except KeyboardInterrupt:
    print("stopped; saving")
try:
    with stops_held():
        os.kill(os.getpid(), sig)
        time.sleep(0.2)
        print("saved whole")
except KeyboardInterrupt:
    print("then ended")
"""


@pytest.mark.skipif(not hasattr(signal, "SIGHUP"), reason="needs Unix signals")
@pytest.mark.parametrize("name", ["SIGTERM", "SIGHUP", "SIGINT"])
def test_every_stop_signal_stops_the_asking_as_ctrl_c_and_waits_for_the_save(name):
    done = subprocess.run([sys.executable, "-c", STOPPED, str(ROOT), name],
                          capture_output=True, text=True, timeout=30)
    assert done.stdout.splitlines() == ["stopped; saving", "saved whole", "then ended"], \
        done.stderr
