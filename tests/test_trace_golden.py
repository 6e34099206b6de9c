"""Guard: the engine still fires the golden traces, rule by rule, in the same order.

``tests/golden/traces-seed*.json.gz`` holds, for the generated cases of ``tests/generated_cases.py``
(1,000 on the shipped knowledge base, 200 on the tiny one), the facts, every firing's rule id with
what it asserted, and the verdict, as ``scripts/golden_traces.py --write`` recorded them. These
tests replay the stored facts and compare; a difference prints the first differing cases. When a
knowledge base itself changed, the traces are not comparable: the test fails and says to
regenerate the file once the differences are known to be intended.
"""
from __future__ import annotations

import importlib.util

import pytest

from engine.knowledge.loader import load_knowledge_base
from tests.conftest import ROOT
from tests.generated_cases import generated_cases, known_facts

_spec = importlib.util.spec_from_file_location("golden_traces",
                                               ROOT / "scripts" / "golden_traces.py")
golden = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(golden)

STORED = golden.load()
WHICH = sorted(golden.KNOWLEDGE_BASES)


def _stored(which: str) -> dict:
    assert which in STORED["knowledge_bases"], f"no traces stored for the {which} knowledge base"
    return STORED["knowledge_bases"][which]


def _same_knowledge_base(which: str, diff: str = "") -> None:
    """Fail (never skip) when the knowledge base is not the one the traces were made on."""
    kb = load_knowledge_base(golden.KNOWLEDGE_BASES[which][0])
    if kb.digest != _stored(which)["digest"]:
        pytest.fail(golden.KB_CHANGED + f" (the {which} knowledge base is {kb.digest}, the traces "
                    f"were made on {_stored(which)['digest']})"
                    + (f"\n{diff}" if diff else ""), pytrace=False)


@pytest.mark.parametrize("which", WHICH)
def test_the_traces_were_made_on_todays_knowledge_base(which):
    _same_knowledge_base(which)


@pytest.mark.parametrize("which", WHICH)
def test_the_engine_fires_the_golden_traces_on_the_stored_facts(which):
    stored = _stored(which)
    assert len(stored["cases"]) >= golden.KNOWLEDGE_BASES[which][1]
    diff = golden.differences(which, stored["cases"], golden.replay(which, stored))
    _same_knowledge_base(which, diff or "(the traces are the same)")
    if diff:
        pytest.fail("the traces differ from tests/golden (if intended, regenerate with python "
                    "scripts/golden_traces.py --write):\n" + diff, pytrace=False)


@pytest.mark.parametrize("which", WHICH)
def test_the_stored_facts_are_the_generated_cases_in_any_process(which):
    # pytest runs under a random PYTHONHASHSEED: the same facts here mean the generator does not
    # depend on it (nor on anything else of the process).
    _same_knowledge_base(which)  # the cases depend on the thresholds the rules compare with
    root, count = golden.KNOWLEDGE_BASES[which]
    kb = load_knowledge_base(root)
    generated = [golden._plain(known_facts(a)) for a in generated_cases(kb, count)]
    stored = [case["facts"] for case in _stored(which)["cases"]]
    assert generated == stored, "tests/generated_cases.py now makes other cases: regenerate " \
        "with python scripts/golden_traces.py --write"


def test_the_golden_traces_are_varied():
    cases = _stored("shipped")["cases"]
    verdicts = {c["verdict"] for c in cases}
    rules = {rule for c in cases for rule, _ in c["firings"]}
    assert verdicts == {"likely", "possible_with_support", "unlikely"}
    assert len(rules) >= 0.95 * len(load_knowledge_base(golden.KNOWLEDGE_BASES["shipped"][0]).rules)
