"""Two runs, one folder, real processes: one wins, one is refused, nothing is mixed."""

import json
import os
import shutil
import signal
import subprocess
import time

import keras

from iris_keras.app.cli import main
from iris_keras.app.loading import load_test_split
from iris_keras.app.outputs import ARTIFACTS
from iris_keras.common.artifacts import sha256_of
from iris_keras.common.folder_lock import LOCK_NAME, holder
from iris_keras.evaluate import evaluate_model
from tests.support.helpers import FEW_EPOCHS, train_arguments, train_command

TIMEOUT = 240


def _train(output, seed):
    return subprocess.Popen(
        train_command(output, epochs=FEW_EPOCHS, seed=seed),
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


def _wait_for_holder(folder, pids):
    """The PID among `pids` that holds `folder`'s lock, once its record is there."""
    deadline = time.monotonic() + TIMEOUT  # stops a hung test; no duration is asserted
    while time.monotonic() < deadline:
        record = holder(folder)
        if record is not None and record["pid"] in pids:
            return record["pid"]
        time.sleep(0.005)
    raise AssertionError(f"no process of {pids} took the lock of {folder}")


def _assert_one_consistent_run(folder, seed):
    """The folder holds one run: its own model, hashes and scores, and no lock file."""
    metrics = json.loads((folder / "metrics.json").read_text())
    assert sorted(path.name for path in folder.iterdir()) == sorted(ARTIFACTS)
    assert metrics["seed"] == seed and len(metrics["run_id"]) == 32
    for name, digest in metrics["sha256"].items():
        assert sha256_of(folder / name) == digest, name
    model = keras.models.load_model(folder / "model.keras")
    (x_test, y_test), names = load_test_split(folder / "model.keras", model)
    scores = evaluate_model(model, x_test, y_test, class_names=names)
    assert scores["test_accuracy"] == metrics["test_accuracy"]


def test_two_trains_started_together_one_wins_one_is_refused(tmp_path):
    folder = tmp_path / "x"
    runs = {seed: _train(folder, seed) for seed in (1, 2)}
    by_pid = {run.pid: seed for seed, run in runs.items()}
    winner = _wait_for_holder(folder, set(by_pid))
    # The barrier: the holder is frozen while the other one tries, so the
    # other cannot arrive after it finished.
    os.kill(winner, signal.SIGSTOP)
    try:
        loser = next(run for run in runs.values() if run.pid != winner)
        _, refusal = loser.communicate(timeout=TIMEOUT)
    finally:
        os.kill(winner, signal.SIGCONT)
    winner_out, winner_err = runs[by_pid[winner]].communicate(timeout=TIMEOUT)

    assert runs[by_pid[winner]].returncode == 0, winner_err
    assert loser.returncode == 1
    assert refusal.count("\n") == 1 and refusal.startswith("iris-keras: error: ")
    assert f"output='{folder}'" in refusal and f"PID {winner} (iris-keras train " in refusal
    assert f"artifacts       {folder}/" in winner_out
    _assert_one_consistent_run(folder, seed=by_pid[winner])


def test_sigkill_while_holding_the_lock_then_an_immediate_rerun_succeeds(tmp_path):
    folder = tmp_path / "x"
    victim = _train(folder, seed=3)
    _wait_for_holder(folder, {victim.pid})
    victim.send_signal(signal.SIGKILL)
    victim.communicate(timeout=TIMEOUT)
    assert victim.returncode == -signal.SIGKILL
    assert (folder / LOCK_NAME).exists()  # the file stays; the kernel released the lock

    # The rerun, at once (in this process: a fresh one would only add its imports).
    assert main(train_arguments(folder, epochs=FEW_EPOCHS, seed=3)) == 0
    _assert_one_consistent_run(folder, seed=3)


def test_evaluate_refuses_a_model_swapped_under_metrics(
    article_run, multiclass_run, tmp_path, capsys
):
    for name in ARTIFACTS:
        shutil.copy(article_run[1] / name, tmp_path / name)
    assert main(["evaluate", str(tmp_path / "model.keras")]) == 0  # its own model: accepted
    capsys.readouterr()

    shutil.copy(multiclass_run[1] / "model.keras", tmp_path / "model.keras")
    assert main(["evaluate", str(tmp_path / "model.keras")]) == 1
    captured = capsys.readouterr()
    assert captured.out == "" and captured.err.count("\n") == 1
    assert f"Received model='{tmp_path / 'model.keras'}', which is not the model " in captured.err
    assert f"{tmp_path / 'metrics.json'} describes (SHA-256 " in captured.err
    assert "come from different runs" in captured.err
