"""The study on a Dask cluster: a scheduler and two workers on 127.0.0.1, one of them killed.

Started with Dask's own commands (`dask scheduler`, `dask worker`), as a user
would; the study (`iris-keras study --scheduler ADDRESS`) must write the
same `study.csv` as the local run, every run once, although a worker is
killed while it trains a task (Dask runs that task again on the other
worker). A small sweep on the same kind of cluster records the curves its
stacks record in this process. Every process the test starts, it stops.
"""

import contextlib
import os
import socket
import subprocess
import sys
import time

import numpy as np
import pytest

from iris_keras.study.rows import COLUMNS, read_rows
from tests.support.helpers import cli_command

distributed = pytest.importorskip("distributed")

VARIANTS = ("article-virginica-std-4x3", "article-setosa-raw-4x3", "multiclass-std-16x8")
# 3 tasks of 2 runs: the two article variants' 4 runs in 2 blocks, multiclass's 2 in one.
STUDY = ["--seeds", "2", "--epochs", "20", "--block", "2", "--quiet"]
STUDY += [argument for name in VARIANTS for argument in ("--variant", name)]


def _free_port():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _dask(*arguments):
    """`dask ARGUMENTS` (Dask's own command line) in a process of its own, output discarded."""
    return subprocess.Popen(
        [sys.executable, "-m", "dask", *arguments],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        env={**os.environ, "TF_CPP_MIN_LOG_LEVEL": "3"},
    )


@contextlib.contextmanager
def local_cluster():
    """A `dask scheduler` and two `dask worker`s on 127.0.0.1: `(address, client, workers)`."""
    address = f"tcp://127.0.0.1:{_free_port()}"
    port = address.rsplit(":", 1)[1]
    processes = [_dask("scheduler", "--host", "127.0.0.1", "--port", port, "--no-dashboard")]
    worker = ["worker", address, "--nthreads", "1", "--no-nanny", "--no-dashboard"]
    workers = [_dask(*worker, "--host", "127.0.0.1") for _ in range(2)]
    processes += workers
    try:
        with distributed.Client(address, timeout=60, set_as_default=False) as client:
            client.wait_for_workers(2, timeout=120)
            yield address, client, workers
    finally:
        for process in processes:
            process.kill()
            process.wait(timeout=60)


def _kill_a_busy_worker(client, workers, study):
    """Kills the worker process that is training a task, once one is; returns its address."""
    deadline = time.monotonic() + 300
    while time.monotonic() < deadline and study.poll() is None:
        busy = [address for address, keys in client.processing().items() if keys]
        if busy:
            pid = client.run(os.getpid, workers=[busy[0]])[busy[0]]
            # At once: a worker's first task imports Keras before it trains, seconds of it.
            next(worker for worker in workers if worker.pid == pid).kill()
            return busy[0]
        time.sleep(0.2)
    raise AssertionError("no worker ever trained a task")


def _without_seconds(rows):
    return [{key: row[key] for key in COLUMNS if key != "seconds"} for row in rows]


@pytest.mark.slow
def test_a_study_on_dask_survives_a_killed_worker_and_matches_the_local_run(tmp_path):
    local = subprocess.run(
        cli_command("study", *STUDY, "--workers", "1", "--output", tmp_path / "local"),
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert local.returncode == 0, local.stderr
    with local_cluster() as (address, client, workers):
        study = subprocess.Popen(
            cli_command("study", *STUDY, "--scheduler", address, "--output", tmp_path / "dask"),
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        try:
            killed = _kill_a_busy_worker(client, workers, study)
            _, err = study.communicate(timeout=600)
        finally:
            study.kill()
        assert study.returncode == 0, err
        assert killed not in client.scheduler_info()["workers"]  # the cluster lost it
    rows = read_rows(tmp_path / "dask" / "study.csv")
    assert len(rows) == 6 == len({(row["variant"], row["seed"]) for row in rows})
    assert all(row["error"] is None for row in rows)
    assert _without_seconds(rows) == _without_seconds(read_rows(tmp_path / "local" / "study.csv"))


def test_a_study_on_a_scheduler_that_is_not_there_fails_in_one_line(tmp_path, monkeypatch):
    from iris_keras.errors import IrisKerasError
    from iris_keras.study import on_dask

    monkeypatch.setattr(on_dask, "CONNECT_SECONDS", 2)
    address = f"tcp://127.0.0.1:{_free_port()}"
    with pytest.raises(IrisKerasError, match=rf"^Received --scheduler {address}, but no Dask"):
        on_dask.connect(distributed, address)


SWEEP = ["--recipe", "multiclass", "--learning-rate", "0.01", "0.1", "--momentum", "0.9"]
SWEEP += ["--batch-size", "32", "64", "--seeds", "2", "--epochs", "4", "--quiet"]


@pytest.mark.slow
def test_a_sweep_on_dask_records_the_curves_a_local_stack_records(tmp_path):
    from iris_keras.study.atlas import load_atlas
    from iris_keras.study.stacked import run_stacked
    from iris_keras.study.variants import sweep_variants

    with local_cluster() as (address, _, _):
        sweep = subprocess.run(
            cli_command("sweep", *SWEEP, "--scheduler", address, "--output", tmp_path),
            capture_output=True,
            text=True,
            timeout=600,
        )
    assert sweep.returncode == 0, sweep.stderr
    atlas = load_atlas(tmp_path)
    assert atlas.recorded.all()
    for variant in sweep_variants(
        recipes=["multiclass"], learning_rates=[0.01, 0.1], momenta=[0.9], batch_sizes=[32, 64]
    ):
        where = (0, [0.01, 0.1].index(variant.learning_rate), 0, [32, 64].index(variant.batch_size))
        rows = run_stacked([(variant, 42), (variant, 43)], epochs=4, curves=True)
        for seed, row in enumerate(rows):
            found = atlas.curves["test_accuracy"][(*where, seed)]
            np.testing.assert_array_equal(found, row["curves"]["test_accuracy"])
