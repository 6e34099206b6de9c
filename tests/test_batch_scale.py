"""Batch at scale: ids kept on disk, and screening on a Dask cluster giving the local rows.

The Dask tests need the optional ``[dask]`` extra (``dask[distributed]``, in the ``test`` extra so
CI has it); where it is absent they are skipped, saying so.
"""
from __future__ import annotations

import pytest

from engine.consultation import batch
from engine.consultation.batch.ids import IdIndex
from engine.errors import UsageError
from engine.knowledge.loader import load_knowledge_base
from tests.conftest import TINY_KB, write

HEADER = "id,months_to_first_benefit,profit_horizon_months,payback_months,upgrade_type\n"
ROWS = "".join(f"c{i},{i % 30},{6 + i % 7},{i % 50},{'process' if i % 3 else ''}\n"
               for i in range(150))


def test_id_index_says_where_an_id_was_first_met_and_what_it_holds():
    with IdIndex() as ids:
        assert ids.add("a1", 2) is None and ids.add("a2", 3) is None
        assert ids.add("a1", 9) == 2  # the first row is kept
        assert "a1" in ids and "a2" in ids and "a3" not in ids
        for n in range(20_000):  # enough rows to leave SQLite's page cache
            assert ids.add(f"case-{n}", n + 10) is None
        assert ids.add("case-7", 1) == 17
        assert len(ids) == 20_002


def test_an_empty_index_holds_nothing():
    with IdIndex() as ids:
        assert "" not in ids and "x" not in ids and len(ids) == 0


def test_read_done_gives_an_index_of_the_ids_and_the_good_length(tmp_path):
    out = write(tmp_path / "out.jsonl", '{"case_id": "a1", "verdict": {}}\n'
                '{"verdict": {}, "case_id": "a2"}\n{"case_id": "a3", "ver')
    done, good, columns = batch.read_done(out)
    try:
        assert columns is None  # a JSON-lines output has no header
        assert "a1" in done and "a2" in done and "a3" not in done  # a3's line was torn
        assert good == len(out.read_bytes().rsplit(b"\n", 1)[0]) + 1
    finally:
        done.close()


def test_classify_finds_a_repeated_id_far_apart(tmp_path):
    src = write(tmp_path / "s.csv", HEADER + ROWS + "c3,1,6,1,\n")
    kb = load_knowledge_base(TINY_KB)
    kinds = [(kind, item) for kind, item in batch.classify(batch.read_items(src, kb), {"c5"})]
    assert [k for k, _ in kinds].count("skip") == 1
    kind, last = kinds[-1]
    assert kind == "invalid" and 'id "c3" was already used by row 5' in last.problems[0]


# ---------------------------------------------------------------- on a Dask cluster

@pytest.fixture(scope="module")
def dask_cluster():
    distributed = pytest.importorskip(
        "distributed", reason="the optional [dask] extra (dask[distributed]) is not installed")
    cluster = distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=True,
                                       dashboard_address=":0", silence_logs=40)
    yield cluster.scheduler_address
    cluster.close()


def _run(tmp_path, name: str, fmt: str = "jsonl", **how):
    src = tmp_path / "survey.csv"
    if not src.exists():
        write(src, HEADER + ROWS + "c4,1,6,1,\nbad,soon,6,,\n")  # a repeated id, a bad value
    out = tmp_path / f"{name}.{fmt}"
    counts = batch.run_batch(src, out, load_knowledge_base(TINY_KB), TINY_KB, fmt, **how)
    return out, counts


@pytest.mark.parametrize("fmt", ["jsonl", "csv"])
def test_a_dask_cluster_of_two_workers_writes_the_local_batch_row_for_row(
        dask_cluster, tmp_path, fmt):
    local, local_counts = _run(tmp_path, "local", fmt, jobs=2)
    dask, dask_counts = _run(tmp_path, "dask", fmt, cluster=dask_cluster)
    assert dask.read_bytes() == local.read_bytes()
    assert (dask_counts.done, dask_counts.invalid) == (local_counts.done, 2) == (150, 2)


def test_a_dask_run_resumes_as_the_local_batch_does(dask_cluster, tmp_path):
    local, _ = _run(tmp_path, "local", jobs=1)
    lines = local.read_text().splitlines(keepends=True)
    dask = tmp_path / "dask.jsonl"
    dask.write_text("".join(lines[:40]) + lines[40][:55])  # stopped while writing row 41
    _, counts = _run(tmp_path, "dask", cluster=dask_cluster)
    assert (counts.skip, counts.done) == (40, 110)
    assert dask.read_bytes() == local.read_bytes()


def _cli(*args):
    from click.testing import CliRunner

    from cli import main

    return CliRunner().invoke(main, ["batch", *map(str, args), "--kb", str(TINY_KB)])


def test_batch_dask_local_starts_its_own_cluster_of_jobs_workers(dask_cluster, tmp_path):
    local, _ = _run(tmp_path, "local", jobs=1)
    dask = tmp_path / "dask.jsonl"
    r = _cli(tmp_path / "survey.csv", "--out", dask, "--dask", "local", "--jobs", 2)
    assert r.exit_code == 2, r.output  # the two invalid rows, reported as without --dask
    assert r.stdout == (f"150 done, 0 skipped (already in {dask}), 2 invalid; "
                        "152 rows read of 153 lines (1 header)\n")
    assert dask.read_bytes() == local.read_bytes()


def test_a_scheduler_that_cannot_be_reached_is_a_usage_error(dask_cluster, tmp_path,
                                                              monkeypatch):
    from engine.consultation.batch import cluster

    monkeypatch.setattr(cluster, "CONNECT_TIMEOUT_S", 1)
    with pytest.raises(UsageError, match="cannot reach the Dask scheduler at tcp://127.0.0.1:9"):
        _run(tmp_path, "nowhere", cluster="tcp://127.0.0.1:9")
    r = _cli(tmp_path / "survey.csv", "--out", tmp_path / "o.jsonl", "--dask",
             "tcp://127.0.0.1:9")
    assert r.exit_code == 2
    assert "Error: cannot reach the Dask scheduler at tcp://127.0.0.1:9" in r.stderr
