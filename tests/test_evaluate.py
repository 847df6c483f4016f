"""The test split a saved model is evaluated on: from its metrics.json, or from its head."""

import shutil

import numpy as np

from iris_keras.datasets import iris
from iris_keras.evaluate import load_test_split


def _model_alone(run, folder, metrics=None):
    """The run's model.keras copied into `folder`, with `metrics` as metrics.json if given."""
    import keras

    _, output = run
    shutil.copy(output / "model.keras", folder / "model.keras")
    if metrics is not None:
        (folder / "metrics.json").write_text(metrics)
    return folder / "model.keras", keras.models.load_model(folder / "model.keras")


def test_a_multiclass_model_without_metrics_is_tested_on_one_hot_species(multiclass_run, tmp_path):
    path, model = _model_alone(multiclass_run, tmp_path)
    (x_test, y_test), names = load_test_split(path, model)
    _, (x_expected, y_expected) = iris.load_data(target="onehot")
    np.testing.assert_array_equal(x_test, x_expected)
    np.testing.assert_array_equal(y_test, y_expected)
    assert tuple(names) == iris.SPECIES


def test_unreadable_metrics_fall_back_to_the_models_head(article_run, tmp_path):
    path, model = _model_alone(article_run, tmp_path, metrics="{not json")
    (_, y_test), names = load_test_split(path, model)
    _, (_, y_expected) = iris.load_data(target="binary", positive_class="virginica")
    np.testing.assert_array_equal(y_test, y_expected)
    assert tuple(names) == ("not virginica", "virginica")
