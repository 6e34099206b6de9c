"""Kind 7 of issue 17: processes and limits.

Killing the parent of ``batch --jobs N`` ends its workers (they held the output open forever);
a parameter or a fact bound of ``.nan``, ``.inf`` or ``1e400`` is refused at ``kb validate``
instead of silently disabling the rule that uses it, and so is a parameter written as text that
a rule stores as a number. (Batch memory at scale is issue 18's.)
"""
from __future__ import annotations

import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from engine.consultation.batch.screening import PARENT_CHECK_S
from engine.knowledge.loader import validate
from tests.conftest import ROOT, TINY_KB, replace_in

BATCH = "import sys; sys.argv[0] = 'mse-advisor'; from cli import main; main()"


def children(pid: int) -> set[int]:
    """The pids of a process's children (Linux's /proc)."""
    found = set()
    for task in Path(f"/proc/{pid}/task").glob("*"):
        text = (task / "children").read_text() if (task / "children").exists() else ""
        found |= {int(x) for x in text.split()}
    return found


def alive(pid: int) -> bool:
    try:
        status = Path(f"/proc/{pid}/status").read_text()
    except FileNotFoundError:
        return False
    return "\nState:\tZ" not in status  # a zombie has ended; only its exit status is left


@pytest.mark.skipif(not Path("/proc/self/task").exists(), reason="needs Linux's /proc")
def test_killing_the_parent_of_batch_jobs_ends_its_workers(tmp_path):
    rows = "".join(f"c{i},{i % 30},{6 + i % 7},{i % 50}\n" for i in range(20_000))
    source = tmp_path / "s.csv"
    source.write_text("id,months_to_first_benefit,profit_horizon_months,payback_months\n" + rows)
    parent = subprocess.Popen([sys.executable, "-c", BATCH, "batch", str(source), "--out",
                               str(tmp_path / "out.jsonl"), "--jobs", "2", "--kb", str(TINY_KB)],
                              cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        deadline = time.monotonic() + 60
        workers: set[int] = set()
        while time.monotonic() < deadline and len(workers) < 2:  # both workers screening
            time.sleep(0.2)
            workers = children(parent.pid)
        assert len(workers) >= 2, "the batch started no worker processes"
        parent.send_signal(signal.SIGKILL)
        parent.wait(timeout=10)
        deadline = time.monotonic() + 10 * PARENT_CHECK_S + 5
        while time.monotonic() < deadline and any(alive(w) for w in workers):
            time.sleep(0.1)
        assert not [w for w in workers if alive(w)], "workers outlived the batch"
    finally:
        if parent.poll() is None:
            parent.kill()


@pytest.mark.parametrize("written, shown", [(".nan", "nan"), (".inf", "inf"), ("-.inf", "-inf"),
                                            ("1e400", "inf"), (".NaN", "nan")])
def test_a_parameter_that_is_not_a_finite_number_is_refused(kb_copy, written, shown):
    kb = kb_copy()
    line = replace_in(kb / "parameters.yaml", "value: 6", f"value: {written}")
    problems = [str(p) for p in validate(kb) if p.severity == "error"]
    assert problems == [f"{kb / 'parameters.yaml'}:{line}:12: a parameter's value must be a "
                        f"finite number, not {shown} (a rule comparing with it could never fire)"]


@pytest.mark.parametrize("written", ['"1e400"', '"six"', "true"])
def test_a_parameter_a_rule_stores_as_a_number_must_be_a_number(kb_copy, written):
    kb = kb_copy()
    replace_in(kb / "parameters.yaml", "value: 6", f"value: {written}")
    problems = [str(p) for p in validate(kb) if p.severity == "error"]
    assert len(problems) == 1
    assert 'in value: "default_horizon_months" is' in problems[0]
    assert "but horizon_months holds number" in problems[0]


def test_a_fact_bound_that_is_not_finite_is_refused(kb_copy):
    kb = kb_copy()
    line = replace_in(kb / "facts.yaml", "  min: -100\n", "  min: -.inf\n")
    problems = [str(p) for p in validate(kb) if p.severity == "error"]
    assert problems == [f'{kb / "facts.yaml"}:{line}:8: "min" must be a finite number, not -inf']
