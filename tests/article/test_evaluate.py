"""The test split a saved model is evaluated on: from its metrics.json, or from its head."""

import shutil

import numpy as np

from iris_keras.app.loading import load_test_split
from iris_keras.datasets import iris


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


def test_classes_are_int64_indices_of_the_head():
    from iris_keras.evaluate import classes_from_probabilities

    sigmoid = classes_from_probabilities([[0.2], [0.5], [0.9]])
    softmax = classes_from_probabilities([[0.2, 0.7, 0.1], [0.5, 0.2, 0.3]])
    assert sigmoid.tolist() == [0, 1, 1] and softmax.tolist() == [1, 0]
    assert sigmoid.dtype == softmax.dtype == np.int64  # as the docstring promises


def test_classes_are_predicted_in_inference_mode():
    """Dropout (here, a layer that zeroes its input while training) is off when evaluating."""
    import keras

    from iris_keras.evaluate import predict_classes

    model = keras.Sequential(
        [keras.Input(shape=(1,)), keras.layers.Dropout(0.999999, seed=0), keras.layers.Dense(1)]
    )
    model.set_weights([np.ones((1, 1), "float32"), np.zeros(1, "float32")])  # sigmoid-free: x
    assert predict_classes(model, [[1.0], [2.0], [-1.0]]).tolist() == [1, 1, 0]
