"""The project's copy of the contracts it implements (docs/contract/) is the shared one.

The contracts (case facts, interventions, the JSON result) are owned beside the project, in
``../shared/contract/``, which exists only on the project's own machines; the tests read the
project's copy so that a fresh clone with nothing beside it runs them all. This one test compares
the two, and is skipped, with the reason, where ``../shared`` is absent.
"""
from __future__ import annotations

import pytest

from tests.conftest import CONTRACT, SHARED

SHARED_CONTRACT = SHARED / "contract"


def test_the_project_carries_every_contract_it_implements():
    assert sorted(p.name for p in CONTRACT.iterdir()) == [
        "case-facts.yaml", "interventions.yaml", "result.md"]


@pytest.mark.skipif(not SHARED_CONTRACT.is_dir(),
                    reason="../shared/contract is absent (a clone on its own): nothing to compare")
@pytest.mark.parametrize("name", ["case-facts.yaml", "interventions.yaml", "result.md"])
def test_contract_copy_is_identical_to_the_shared_contract(name):
    ours = (CONTRACT / name).read_text(encoding="utf-8")
    theirs = (SHARED_CONTRACT / name).read_text(encoding="utf-8")
    assert ours == theirs, (f"docs/contract/{name} differs from ../shared/contract/{name}: copy "
                            "the shared one over and implement what changed")
