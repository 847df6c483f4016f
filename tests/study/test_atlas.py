"""The atlas on disk: curves per task, gathered over the grid's axes, summarized for a page.

The files are written as a sweep writes them (`CurvesWriter`, `write_rows`)
from made-up curves, so these tests check the bookkeeping without Keras.
"""

import numpy as np
import pytest

from iris_keras.common import artifacts
from iris_keras.errors import IrisKerasError
from iris_keras.study.atlas import (
    UNSCORED,
    CurvesWriter,
    load_atlas,
    read_summary,
    summarize_atlas,
    write_summary,
)
from iris_keras.study.grid import sweep_grid
from iris_keras.study.rows import diverged_error, run_row, write_rows
from iris_keras.study.run_curves import CURVES, masked

EPOCHS = 4
GRID = sweep_grid(
    recipes=["article"],
    learning_rates=[0.01, 0.3],
    momenta=[0.9],
    batch_sizes=[32],
    seeds=2,
    epochs=EPOCHS,
)


def _curves(accuracy, collapsed=0.0, bad_epoch=None):
    """Made-up curves: every score `accuracy`, its loss `1 - accuracy`."""
    found = {name: [1.0 - accuracy if "loss" in name else accuracy] * EPOCHS for name in CURVES}
    found["collapsed"] = [collapsed] * EPOCHS
    return masked(found, bad_epoch, EPOCHS)


def _row(variant, seed, accuracy=None, error=None):
    recipe = variant.to_recipe(seed=seed, epochs=EPOCHS)
    return run_row(variant, recipe, seconds=0.1, error=error, test_accuracy=accuracy)


@pytest.fixture
def folder(tmp_path):
    """A sweep of 2 points x 2 seeds: one run diverged at epoch 3, one failed, one retried."""
    small, large = GRID.variants
    artifacts.write_json(
        tmp_path / "sweep.json", {**GRID.describe(), "sessions": [{"backend": "tensorflow"}]}
    )
    first = CurvesWriter(tmp_path / "curves", "2026-12-07T10:00:00+00:00")
    rows = [
        _row(small, 42, 0.9),
        _row(small, 43, 0.8),
        _row(large, 42, error=diverged_error(3, "nan", 0.3)),
    ]
    first.write(rows, [_curves(0.9), _curves(0.8), _curves(0.7, bad_epoch=3)])
    failed = _row(large, 43, error="WorkerDied: the worker process exited (-9)")
    retried = CurvesWriter(tmp_path / "curves", "2026-12-07T11:00:00+00:00")
    retried.write([_row(small, 43, 1.0)], [_curves(1.0, collapsed=1.0)])  # a later session wins
    write_rows(tmp_path / "sweep.csv", [*rows[:1], _row(small, 43, 1.0), rows[2], failed])
    return tmp_path


def test_the_atlas_holds_each_run_at_its_place_on_the_axes(folder):
    atlas = load_atlas(folder)
    assert atlas.axes["learning_rates"] == [0.01, 0.3] and atlas.axes["epochs"] == EPOCHS
    accuracy = atlas.curves["test_accuracy"]  # (recipe, rate, momentum, batch, seed, epoch)
    assert accuracy.shape == (1, 2, 1, 1, 2, EPOCHS)
    np.testing.assert_allclose(accuracy[0, 0, 0, 0, :, -1], [0.9, 1.0])  # seed 43's retry
    assert atlas.recorded[0, :, 0, 0].tolist() == [[True, True], [True, False]]  # failed: no
    assert atlas.diverged[0, :, 0, 0].tolist() == [[0, 0], [3, 0]]
    assert (
        np.isnan(accuracy[0, 1, 0, 0, 0, 2:]).all()
        and not np.isnan(accuracy[0, 1, 0, 0, 0, :2]).any()
    )
    assert np.isnan(accuracy[0, 1, 0, 0, 1]).all()  # the failed run has no curves


def test_the_summary_gives_each_point_its_median_band_and_counts_per_epoch(folder):
    summary = summarize_atlas(load_atlas(folder))
    assert summary["test_accuracy_median"].dtype == np.float16
    np.testing.assert_allclose(
        summary["test_accuracy_median"][0, 0, 0, 0], [0.95] * EPOCHS, atol=1e-3
    )
    np.testing.assert_allclose(summary["test_accuracy_low"][0, 0, 0, 0], [0.9] * EPOCHS, atol=1e-3)
    np.testing.assert_allclose(summary["test_loss_high"][0, 0, 0, 0], [0.1] * EPOCHS, atol=1e-3)
    assert summary["test_correct"][0, 0, 0, 0].tolist() == [[27] * EPOCHS, [30] * EPOCHS]
    assert summary["test_correct"][0, 1, 0, 0, 0].tolist() == [21, 21, UNSCORED, UNSCORED]
    assert summary["runs"][0, :, 0, 0].tolist() == [2, 1]
    assert summary["diverged"][0, 1, 0, 0].tolist() == [0, 0, 1, 1]
    assert summary["collapsed"][0, 0, 0, 0].tolist() == [1] * EPOCHS
    assert summary["epochs"].tolist() == [1, 2, 3, 4] and summary["recipes"].tolist() == ["article"]


def test_the_summary_file_keeps_every_array_and_where_it_came_from(folder, tmp_path):
    summary = summarize_atlas(load_atlas(folder))
    path = tmp_path / "docs" / "atlas" / "summary.npz"
    write_summary(path, summary, {"backend": "tensorflow"})
    arrays, metadata = read_summary(path)
    assert metadata == {"backend": "tensorflow"} and arrays.keys() == summary.keys()
    for name, values in summary.items():
        np.testing.assert_array_equal(arrays[name], values, err_msg=name)


def test_a_folder_without_a_sweep_is_refused_in_one_line(tmp_path):
    with pytest.raises(IrisKerasError, match=r"expected the folder of a sweep \(its sweep\.json\)"):
        load_atlas(tmp_path)


def test_a_task_without_curves_writes_no_file(tmp_path):
    writer = CurvesWriter(tmp_path, "2026-12-07T10:00:00+00:00")
    writer.write([_row(GRID.variants[0], 42, error="TimeoutError: the task passed")], [None])
    assert list(tmp_path.iterdir()) == []
