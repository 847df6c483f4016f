"""Nothing lost: a killed run resumes to the same weights; divergence saves nothing."""

import json
import signal
import subprocess
import time

import keras
import numpy as np
import pandas as pd
import pytest

from iris_keras.app.backup import EpochBackup, restore_backup
from iris_keras.app.outputs import ARTIFACTS
from iris_keras.app.run import BACKUP_DIR, train_recipe
from iris_keras.common import artifacts
from iris_keras.errors import DivergedError, IrisKerasError
from iris_keras.recipes import build_for, get_recipe, split_for
from tests.support.helpers import train_command

EPOCHS = 60
KILL_AFTER_EPOCH = 12


def _train_command(output, *extra):
    return train_command(output, *extra, epochs=EPOCHS, seed=5)


def _backup_epoch(output):
    try:
        return json.loads((output / BACKUP_DIR / "state.json").read_text())["epoch"]
    except (OSError, ValueError, KeyError):
        return 0


@pytest.mark.slow
def test_sigkill_then_rerun_ends_identical_to_an_uninterrupted_run(tmp_path):
    reference, killed = tmp_path / "reference", tmp_path / "killed"
    uninterrupted = subprocess.Popen(
        _train_command(reference), stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
    )
    victim = subprocess.Popen(
        _train_command(killed), stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
    )
    deadline = time.monotonic() + 240
    while _backup_epoch(killed) < KILL_AFTER_EPOCH and time.monotonic() < deadline:
        time.sleep(0.01)
    victim.send_signal(signal.SIGKILL)
    assert victim.wait(timeout=30) == -signal.SIGKILL
    killed_at = _backup_epoch(killed)
    assert KILL_AFTER_EPOCH <= killed_at < EPOCHS, "the run must be killed mid-training"
    assert not (killed / "model.keras").exists()

    resumed = subprocess.run(_train_command(killed), capture_output=True, text=True, timeout=240)
    assert resumed.returncode == 0, resumed.stderr
    assert uninterrupted.wait(timeout=240) == 0

    first = keras.models.load_model(reference / "model.keras").get_weights()
    second = keras.models.load_model(killed / "model.keras").get_weights()
    assert max(np.abs(a - b).max() for a, b in zip(first, second, strict=True)) <= 1e-6
    metrics = [json.loads((run / "metrics.json").read_text()) for run in (reference, killed)]
    assert metrics[1]["resumed_from_epoch"] == killed_at
    for key in ("test_accuracy", "test_loss", "confusion_matrix", "epochs_run"):
        assert metrics[0][key] == metrics[1][key]
    assert (reference / "history.csv").read_text() == (killed / "history.csv").read_text()
    assert sorted(p.name for p in killed.iterdir()) == sorted(ARTIFACTS)  # backup removed


@pytest.fixture
def recipe():
    return get_recipe("article", epochs=4)


def _half_run(recipe, output, *, epochs=2, fingerprint=None, callbacks=()):
    """Trains `epochs` of the recipe's epochs with a backup, as a run killed then leaves."""
    from iris_keras.seeding import set_seed
    from iris_keras.train import fit_model

    set_seed(recipe.seed)
    (x, y), validation, _ = split_for(recipe)
    fingerprint = fingerprint or {"stand-in": True}
    model = build_for(recipe, x)
    fit_model(
        model,
        x,
        y,
        validation_data=validation,
        epochs=epochs,
        seed=recipe.seed,
        verbose=0,
        callbacks=[EpochBackup(output / BACKUP_DIR, fingerprint), *callbacks],
    )
    return model, fingerprint


def test_backup_restores_weights_optimizer_and_history(recipe, tmp_path):
    model, fingerprint = _half_run(recipe, tmp_path)
    (x, _), _, _ = split_for(recipe)
    fresh_model = build_for(recipe, x)
    epoch, history = restore_backup(fresh_model, tmp_path / BACKUP_DIR, fingerprint)
    assert epoch == 2 and len(history["loss"]) == 2 and len(history["val_loss"]) == 2
    for saved, restored in zip(model.weights, fresh_model.weights, strict=True):
        np.testing.assert_array_equal(saved.numpy(), restored.numpy())
    for saved, restored in zip(
        model.optimizer.variables, fresh_model.optimizer.variables, strict=True
    ):
        np.testing.assert_array_equal(saved.numpy(), restored.numpy())


def test_backup_of_another_run_is_refused(recipe, tmp_path):
    _half_run(recipe, tmp_path)
    (x, _), _, _ = split_for(recipe)
    with pytest.raises(IrisKerasError) as error:
        restore_backup(build_for(recipe, x), tmp_path / BACKUP_DIR, {"other": 1})
    assert str(error.value) == (
        "The output folder holds an unfinished run with other settings "
        f"({tmp_path / BACKUP_DIR / 'state.json'}). Rerun it with its own settings, choose "
        "another --output, or pass --overwrite (or --fresh) to discard it."
    )


def test_overwrite_discards_a_backup_of_another_run_and_resumes_its_own(recipe, tmp_path):
    _half_run(recipe, tmp_path, fingerprint=recipe.as_dict())
    other = get_recipe("article", epochs=5)
    metrics = train_recipe(other, output_dir=tmp_path, verbose=0, overwrite=True)
    assert metrics["resumed_from_epoch"] == 0 and metrics["epochs_run"] == 5
    assert not (tmp_path / BACKUP_DIR).exists()

    _half_run(recipe, tmp_path, fingerprint=recipe.as_dict())  # this run's own backup
    metrics = train_recipe(recipe, output_dir=tmp_path, verbose=0, overwrite=True)
    assert metrics["resumed_from_epoch"] == 2 and metrics["epochs_run"] == 4


def test_fresh_discards_the_backup(recipe, tmp_path):
    _half_run(recipe, tmp_path)
    metrics = train_recipe(recipe, output_dir=tmp_path, verbose=0, fresh=True)
    assert metrics["resumed_from_epoch"] == 0 and metrics["epochs_run"] == 4
    assert not (tmp_path / BACKUP_DIR).exists()


def test_corrupt_backup_gives_one_line_error(recipe, tmp_path):
    (tmp_path / BACKUP_DIR).mkdir()
    (tmp_path / BACKUP_DIR / "state.json").write_text("{not json")
    with pytest.raises(IrisKerasError, match=r"Cannot resume from the backup.*--fresh"):
        train_recipe(recipe, output_dir=tmp_path, verbose=0)


# A step so large that the weights overflow float32 within two epochs on every backend.
# (A rate of 1e30 is enough on TensorFlow, whose cross-entropy from logits becomes NaN;
# on JAX and PyTorch Keras clips the probabilities, and the loss stays finite until the
# weights overflow.)
DIVERGING_LEARNING_RATE = "3e38"


def test_divergence_stops_saves_nothing_and_keeps_the_old_model(tmp_path):
    good = train_recipe(get_recipe("article", epochs=2), output_dir=tmp_path, verbose=0)
    before = (tmp_path / "model.keras").read_bytes()
    diverging = get_recipe(
        "article", epochs=5, learning_rate=float(DIVERGING_LEARNING_RATE), standardize=False
    )
    with pytest.raises(
        DivergedError, match=r"diverged at epoch [12]:.*smaller learning rate.*3e\+38"
    ):
        train_recipe(diverging, output_dir=tmp_path, verbose=0, overwrite=True)
    assert (tmp_path / "model.keras").read_bytes() == before
    assert json.loads((tmp_path / "metrics.json").read_text()) == good
    assert not (tmp_path / BACKUP_DIR).exists()


def test_divergence_in_the_cli_exits_1_with_one_line(tmp_path):
    from iris_keras.app.cli import main

    status = main(
        [
            "train",
            "--epochs",
            "3",
            "--learning-rate",
            DIVERGING_LEARNING_RATE,
            "--no-standardize",
            "--output",
            str(tmp_path),
            "--quiet",
        ]
    )
    assert status == 1
    assert not (tmp_path / "model.keras").exists()


def test_stale_temporary_files_are_cleaned(tmp_path):
    (tmp_path / ".tmp-abc-model.keras").write_bytes(b"half a model")
    train_recipe(get_recipe("article", epochs=1), output_dir=tmp_path, verbose=0)
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted(ARTIFACTS)


def test_backup_that_holds_every_epoch_resumes_to_the_artifacts(recipe, tmp_path):
    """A run killed after its last epoch but before its artifacts: rerunning trains
    nothing more and writes the artifacts of the backed-up model."""
    model, _ = _half_run(recipe, tmp_path, epochs=recipe.epochs, fingerprint=recipe.as_dict())
    state = json.loads((tmp_path / BACKUP_DIR / "state.json").read_text())
    metrics = train_recipe(recipe, output_dir=tmp_path, verbose=0)
    assert metrics["resumed_from_epoch"] == recipe.epochs == metrics["epochs_run"]
    history = pd.read_csv(tmp_path / "history.csv")
    assert history["epoch"].tolist() == list(range(1, recipe.epochs + 1))
    np.testing.assert_allclose(history["loss"], state["history"]["loss"], rtol=1e-6)
    saved = keras.models.load_model(tmp_path / "model.keras").get_weights()
    for expected, actual in zip(model.get_weights(), saved, strict=True):
        np.testing.assert_array_equal(expected, actual)
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted(ARTIFACTS)


class _Killed(Exception):
    """Stands in for SIGKILL at one point of the backup's writes."""


class _Snapshots(keras.callbacks.Callback):
    """The model's and optimizer's variables after each finished epoch."""

    def __init__(self):
        super().__init__()
        self.by_epoch = {}

    def on_epoch_end(self, epoch, logs=None):
        variables = [*self.model.weights, *self.model.optimizer.variables]
        self.by_epoch[epoch + 1] = [keras.ops.convert_to_numpy(v) for v in variables]


def _kill_on_call(function, call):
    calls = []

    def killer(*args, **kwargs):
        calls.append(1)
        if len(calls) == call:
            raise _Killed(function.__name__)
        return function(*args, **kwargs)

    return killer


@pytest.mark.parametrize(
    "module, name",
    [
        pytest.param(np, "savez", id="while-writing-the-weights"),
        pytest.param(artifacts, "write_json", id="before-state-names-them"),
    ],
)
def test_backup_of_a_killed_run_is_never_half_old_half_new(
    recipe, tmp_path, monkeypatch, module, name
):
    """Killed while writing epoch 3's backup, the backup is still epoch 2's, whole:
    its weights, optimizer state and history are those of the end of epoch 2."""
    monkeypatch.setattr(module, name, _kill_on_call(getattr(module, name), call=3))
    snapshots = _Snapshots()
    with pytest.raises(_Killed):
        _half_run(recipe, tmp_path, epochs=4, callbacks=[snapshots])
    monkeypatch.undo()
    (x, _), _, _ = split_for(recipe)
    fresh_model = build_for(recipe, x)
    epoch, history = restore_backup(fresh_model, tmp_path / BACKUP_DIR, {"stand-in": True})
    assert epoch == 2 and all(len(values) == 2 for values in history.values())
    restored = [*fresh_model.weights, *fresh_model.optimizer.variables]
    for expected, actual in zip(snapshots.by_epoch[2], restored, strict=True):
        np.testing.assert_array_equal(expected, keras.ops.convert_to_numpy(actual))
