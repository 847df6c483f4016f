"""Same seed, same numbers: a fresh process and this one give identical weights on the CPU."""

import json
import subprocess

import numpy as np
import pytest

from iris_keras.errors import UsageError
from iris_keras.seeding import initializer_seeds, set_seed
from tests.support.helpers import train_arguments, train_command


def test_set_seed_makes_numpy_and_keras_repeat():
    import keras

    set_seed(3)
    first = np.random.rand(3), keras.ops.convert_to_numpy(keras.random.uniform((3,)))
    set_seed(3)
    second = np.random.rand(3), keras.ops.convert_to_numpy(keras.random.uniform((3,)))
    np.testing.assert_array_equal(first[0], second[0])
    np.testing.assert_array_equal(first[1], second[1])


def _train(output):
    return subprocess.Popen(
        train_command(output, epochs=5, seed=7),
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
    )


def test_two_processes_same_seed_identical_weights_and_metrics(tmp_path):
    """`iris-keras train` in a fresh process, and the same command in this test process,
    which has run other tests before: whatever ran before, the seed decides every number."""
    import keras

    from iris_keras.app.cli import main

    runs = [tmp_path / "fresh", tmp_path / "here"]
    process = _train(runs[0])
    assert main(train_arguments(runs[1], epochs=5, seed=7)) == 0
    _, stderr = process.communicate(timeout=300)
    assert process.returncode == 0, stderr
    weights = [keras.models.load_model(run / "model.keras").get_weights() for run in runs]
    for first, second in zip(*weights, strict=True):
        np.testing.assert_array_equal(first, second)
    metrics = [json.loads((run / "metrics.json").read_text()) for run in runs]
    for entry in metrics:
        entry.pop("timings")
        entry.pop("output_dir")
        entry.pop("run_id")  # each run's own identity
        del entry["sha256"]["model.keras"]  # a .keras archive records when it was saved
    assert metrics[0] == metrics[1]
    histories = [(run / "history.csv").read_text() for run in runs]
    assert histories[0] == histories[1]


def _initial_weights(seed):
    from iris_keras.model import build_model

    set_seed(seed)
    return build_model(target="onehot", standardize=False).get_weights()


def test_the_seed_decides_the_initial_weights():
    same = _initial_weights(1), _initial_weights(1)
    other = _initial_weights(2)
    for first, second in zip(*same, strict=True):
        np.testing.assert_array_equal(first, second)
    kernels = range(0, len(other), 2)  # biases start at zero whatever the seed
    assert all(not np.array_equal(same[0][i], other[i]) for i in kernels)


def test_the_seed_decides_numpys_draws():
    set_seed(1)
    first = np.random.rand(3)
    set_seed(2)
    assert not np.array_equal(first, np.random.rand(3))
    assert set_seed(5) == 5 and type(set_seed(np.int64(5))) is int


@pytest.mark.parametrize("seed", [-1, 1.5, "42"])
def test_a_bad_seed_is_named(seed):
    with pytest.raises(
        UsageError, match=rf"`seed`, expected an integer >= 0. Received: seed={seed!r}"
    ):
        set_seed(seed)
    with pytest.raises(
        UsageError, match=rf"`seed`, expected an integer >= 0. Received: seed={seed!r}"
    ):
        initializer_seeds(seed, 2)


def test_tensorflows_ops_are_made_deterministic(monkeypatch):
    from iris_keras import backend

    if backend.name() != "tensorflow":
        return  # JAX and PyTorch on the CPU are deterministic without a switch
    import tensorflow as tf

    calls = []
    monkeypatch.setattr(tf.config.experimental, "enable_op_determinism", lambda: calls.append(1))
    backend.seed(3)
    assert calls == [1]


def _weights(model):
    return [np.asarray(weight) for weight in model.get_weights()]


def test_a_runs_initial_weights_are_set_seeds_and_no_other_thread_can_change_them():
    import random
    import threading

    from iris_keras.model import build_model

    set_seed(3)
    after_set_seed = _weights(build_model(target="onehot", units=(16, 8), standardize=False))
    set_seed(3)
    # Another thread uses Python's `random` meanwhile, as a Dask worker's retries do.
    other = threading.Thread(target=lambda: [random.random() for _ in range(5)])
    other.start()
    other.join()
    seeded = build_model(target="onehot", units=(16, 8), standardize=False, seed=3)
    for ours, keras_own in zip(_weights(seeded), after_set_seed, strict=True):
        np.testing.assert_array_equal(ours, keras_own)
    set_seed(3)
    other = threading.Thread(target=random.random)
    other.start()
    other.join()
    unseeded = build_model(target="onehot", units=(16, 8), standardize=False)
    assert not np.array_equal(_weights(unseeded)[0], after_set_seed[0])  # what `seed=` prevents
