"""Same seed, same numbers: two training processes give identical weights on the CPU."""

import json
import subprocess

import numpy as np

from iris_keras.seeding import set_seed

from .conftest import quiet_train_command


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
        quiet_train_command(output, epochs=5, seed=7),
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
    )


def test_two_processes_same_seed_identical_weights_and_metrics(tmp_path):
    import keras

    runs = [tmp_path / "first", tmp_path / "second"]
    processes = [_train(run) for run in runs]
    for process in processes:
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
