import json
import platform

import keras
import numpy as np
import pandas as pd
import pytest

from iris_keras.app import outputs
from iris_keras.app.loading import load_test_split
from iris_keras.app.outputs import ARTIFACTS
from iris_keras.common.artifacts import sha256_of
from iris_keras.evaluate import evaluate_model
from iris_keras.recipes import build_for, split_for
from tests.support.helpers import FEW_EPOCHS


@pytest.mark.parametrize("run", ["article_run", "multiclass_run"])
def test_artifacts_are_written(run, request):
    metrics, output_dir = request.getfixturevalue(run)
    assert sorted(p.name for p in output_dir.iterdir()) == sorted(ARTIFACTS)
    history = pd.read_csv(output_dir / "history.csv")
    assert list(history.columns) == ["epoch", "accuracy", "loss", "val_accuracy", "val_loss"]
    assert len(history) == FEW_EPOCHS
    assert json.loads((output_dir / "metrics.json").read_text()) == metrics
    assert len(metrics["run_id"]) == 32
    assert metrics["sha256"] == {
        name: sha256_of(output_dir / name) for name in ARTIFACTS if name != "metrics.json"
    }
    for png in ("learning_curves.png", "confusion_matrix.png"):
        assert (output_dir / png).read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"


def test_metrics_content(article_run):
    metrics, output_dir = article_run
    assert metrics["reload_matches"] is True
    assert metrics["reloaded_test_accuracy"] == metrics["test_accuracy"]
    assert set(metrics["precision"]) == {"not virginica", "virginica"}
    assert np.sum(metrics["confusion_matrix"]) == 30
    assert metrics["load_data"] == {
        "target": "binary",
        "positive_class": "virginica",
        "test_size": 0.2,
        "seed": 42,
    }
    assert metrics["hyperparameters"]["learning_rate"] == 0.01
    assert metrics["versions"]["keras"].startswith("3.")
    assert metrics["versions"]["python"] == platform.python_version()
    assert {"keras", "numpy", "scikit-learn", "pandas", "matplotlib"} <= set(metrics["versions"])
    assert metrics["device"].startswith(("CPU", "GPU"))
    assert metrics["num_samples"] == {"fit": 120, "validation": 30, "test": 30}
    assert metrics["tensorboard_logs"] is None  # no --tensorboard
    assert (output_dir / "metrics.json").read_text().startswith('{\n  "')  # for people too
    timings = metrics["timings"]
    assert set(timings) == {"total_seconds", "imports_seconds", "fit_seconds"}
    for seconds in timings.values():  # milliseconds
        assert isinstance(seconds, float) and seconds >= 0 and seconds == round(seconds, 3)
    # The start-up and the fit are two spans within the whole.
    assert timings["total_seconds"] >= timings["imports_seconds"] + timings["fit_seconds"]


def test_multiclass_keeps_the_test_set_out_of_validation(multiclass_run):
    metrics, _ = multiclass_run
    assert metrics["num_samples"] == {"fit": 96, "validation": 24, "test": 30}
    assert len(metrics["confusion_matrix"]) == 3


def test_saved_model_reproduces_predictions(article_run):
    metrics, output_dir = article_run
    model = keras.models.load_model(output_dir / "model.keras")
    (x_test, y_test), names = load_test_split(output_dir / "model.keras", model)
    assert (
        evaluate_model(model, x_test, y_test, class_names=names)["test_accuracy"]
        == metrics["test_accuracy"]
    )


def test_saved_model_alone_in_a_program_without_iris_keras(article_run, tmp_path):
    """`keras.models.load_model` alone reproduces the predictions: preprocessing is inside."""
    from iris_keras.datasets import iris
    from tests.support.helpers import predict_in_plain_keras

    _, output_dir = article_run
    _, (x_test, _) = iris.load_data()
    predicted = predict_in_plain_keras(output_dir / "model.keras", x_test, tmp_path)
    expected = keras.models.load_model(output_dir / "model.keras").predict(x_test, verbose=0)
    np.testing.assert_array_equal(predicted, expected)


@pytest.mark.parametrize("run", ["article_run", "multiclass_run"])
def test_standardization_uses_the_training_split_only(run, request):
    """The saved model's Normalization statistics are those of the fit split, not of
    the validation or test flowers."""
    from iris_keras.recipes import get_recipe, split_for

    _, output_dir = request.getfixturevalue(run)
    recipe = get_recipe(run.removesuffix("_run"), epochs=FEW_EPOCHS)
    (x_fit, _), (x_val, _), (x_test, _) = split_for(recipe)
    layer = keras.models.load_model(output_dir / "model.keras").get_layer("standardize")
    mean = keras.ops.convert_to_numpy(layer.mean).reshape(-1)
    variance = keras.ops.convert_to_numpy(layer.variance).reshape(-1)
    np.testing.assert_allclose(mean, x_fit.mean(axis=0), rtol=1e-6)
    np.testing.assert_allclose(variance, x_fit.var(axis=0), rtol=1e-5)
    everything = np.concatenate([x_fit, x_val, x_test])
    assert not np.allclose(mean, everything.mean(axis=0), rtol=1e-4)


def test_a_worker_that_is_not_the_chief_writes_nothing_the_user_keeps(tmp_path, monkeypatch):
    import tempfile

    from iris_keras.app import run
    from iris_keras.recipes import get_recipe

    monkeypatch.setattr(run, "is_chief", lambda distribute: False)
    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path / "tmp"))
    (tmp_path / "tmp").mkdir()
    metrics = run.train_recipe(
        get_recipe("article", epochs=2), output_dir=tmp_path / "out", device="cpu", verbose=0
    )
    assert metrics["epochs_run"] == 2 and 0 <= metrics["test_accuracy"] <= 1
    assert not (tmp_path / "out").exists()  # the chief's folder
    assert [path for path in (tmp_path / "tmp").iterdir() if path.is_dir()] == []  # its own, gone


def test_a_recipes_model_runs_one_epoch_of_batches_per_call():
    from iris_keras.backend import steps_per_execution
    from iris_keras.recipes import get_recipe

    recipe = get_recipe("article")
    (x_fit, _), _, _ = split_for(recipe)
    model = build_for(recipe, x_fit)
    assert model.steps_per_execution == steps_per_execution(4)  # 120 flowers, batches of 32


def test_each_backends_runs_have_their_own_default_folder():
    from pathlib import Path

    from iris_keras import backend
    from iris_keras.recipes import get_recipe

    multiclass, article = get_recipe("multiclass"), get_recipe("article")
    assert outputs.default_output_dir(multiclass) == Path("runs", backend.name(), "multiclass")
    folders = {outputs.default_output_dir(article, name) for name in backend.BACKENDS}
    assert len(folders) == 3
