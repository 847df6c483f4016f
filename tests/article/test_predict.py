import math

import keras
import numpy as np
import pytest

from iris_keras.app.loading import load_trained_model
from iris_keras.errors import UsageError
from iris_keras.predict import check_measurements, class_names_of, predict_species


def test_measurements_accept_numbers_and_strings():
    np.testing.assert_array_equal(
        check_measurements(["5.1", 3.5, "1.4", 0.2]), np.asarray([[5.1, 3.5, 1.4, 0.2]], np.float32)
    )


@pytest.mark.parametrize(
    "measurements, match",
    [
        pytest.param([5.1, 3.5, 1.4], "Received 3 measurements, expected 4", id="three"),
        pytest.param([5.1, 3.5, 1.4, 0.2, 1], "Received 5 measurements", id="five"),
        pytest.param([], "Received 0 measurements", id="none"),
        pytest.param(["abc", 3.5, 1.4, 0.2], "sepal_length='abc'", id="word"),
        pytest.param([5.1, "nan", 1.4, 0.2], "sepal_width='nan'", id="nan"),
        pytest.param([5.1, 3.5, "inf", 0.2], "petal_length='inf'", id="inf"),
        pytest.param(
            [5.1, 3.5, 1.4, -0.2], r"in \[0.01, 50\]. Received: petal_width=-0.2", id="negative"
        ),
        pytest.param([0, 3.5, 1.4, 0.2], "sepal_length=0", id="zero"),
        pytest.param([1e-124, 3.5, 1.4, 0.2], "sepal_length=1e-124", id="underflows-float32"),
        pytest.param([51, 3.5, 1.4, 0.2], "sepal_length=51", id="absurd"),
        pytest.param([None, 3.5, 1.4, 0.2], "sepal_length=None", id="none-value"),
    ],
)
def test_bad_measurements(measurements, match):
    with pytest.raises(UsageError, match=match):
        check_measurements(measurements)


def test_binary_prediction_names_the_positive_class(article_run):
    _, output_dir = article_run
    model = load_trained_model(output_dir / "model.keras")
    assert class_names_of(model) == ("not virginica", "virginica")
    name, probability = predict_species(model, [6.3, 3.3, 6.0, 2.5])
    assert name in class_names_of(model) and 0.5 <= probability <= 1


def test_multiclass_prediction_names_a_species(multiclass_run):
    _, output_dir = multiclass_run
    model = load_trained_model(output_dir / "model.keras")
    name, probability = predict_species(model, [5.1, 3.5, 1.4, 0.2])
    assert name in ("setosa", "versicolor", "virginica")
    assert 1 / 3 <= probability <= 1


@pytest.mark.parametrize(
    "measurements",
    [
        pytest.param([0.01, 0.01, 0.01, 0.01], id="smallest"),
        pytest.param([50, 50.0, "50", 50], id="largest"),
    ],
)
def test_the_limits_are_accepted(measurements):
    assert check_measurements(measurements).shape == (1, 4)


@pytest.mark.parametrize(
    "measurements, message",
    [
        pytest.param(
            [5.1, 3.5, 1.4],
            "Received 3 measurements, expected 4: sepal_length, sepal_width, petal_length, "
            "petal_width (in cm). Received: [5.1, 3.5, 1.4]",
            id="three",
        ),
        pytest.param(
            [5.1, 3.5, 1.4, 50.01],
            "Received an invalid value for `petal_width`, expected a number of centimetres "
            "in [0.01, 50]. Received: petal_width=50.01",
            id="just-over",
        ),
        pytest.param(
            ["0.0099", 3.5, 1.4, 0.2],
            "Received an invalid value for `sepal_length`, expected a number of centimetres "
            "in [0.01, 50]. Received: sepal_length='0.0099'",
            id="just-under",
        ),
    ],
)
def test_the_whole_message(measurements, message):
    with pytest.raises(UsageError) as error:
        check_measurements(measurements)
    assert str(error.value) == message


def _constant_model(name, logits, activation):
    """A model that gives the same output for any flower: `activation(logits)`."""
    dense = keras.layers.Dense(
        len(logits),
        activation=activation,
        kernel_initializer="zeros",
        bias_initializer=keras.initializers.Constant(logits),
    )
    return keras.Sequential([keras.Input(shape=(4,)), dense], name=name)


@pytest.mark.parametrize(
    "name, logits, activation, names, expected",
    [
        pytest.param(
            "iris_binary_virginica",
            [0.0],
            "sigmoid",
            ("not virginica", "virginica"),
            ("virginica", 0.5),
            id="half-is-positive",
        ),
        pytest.param(
            "iris_binary_setosa",
            [math.log(0.25 / 0.75)],
            "sigmoid",
            ("not setosa", "setosa"),
            ("not setosa", 0.75),
            id="negative",
        ),
        pytest.param(
            "someone_elses_model",
            [math.log(3.0)],
            "sigmoid",
            ("not positive class", "positive class"),
            ("positive class", 0.75),
            id="unknown-name",
        ),
        pytest.param(
            "iris_binary_tulip",
            [0.0],
            "sigmoid",
            ("not positive class", "positive class"),
            ("positive class", 0.5),
            id="unknown-species",
        ),
        pytest.param(
            "iris_multiclass",
            [0.0, math.log(2.0), 0.0],
            "softmax",
            ("setosa", "versicolor", "virginica"),
            ("versicolor", 0.5),
            id="multiclass",
        ),
    ],
)
def test_prediction_of_a_model_with_a_known_output(name, logits, activation, names, expected):
    model = _constant_model(name, logits, activation)
    assert tuple(class_names_of(model)) == names
    species, probability = predict_species(model, [6.3, 3.3, 6.0, 2.5])
    assert species == expected[0]
    assert probability == pytest.approx(expected[1], abs=1e-6)
    assert type(probability) is float


def test_prediction_runs_the_model_in_inference_mode():
    """Dropout (here, a layer that zeroes its input while training) is off when predicting."""
    zeroed_in_training = keras.layers.Dropout(0.999999, seed=0)
    model = keras.Sequential(
        [keras.Input(shape=(4,)), zeroed_in_training, keras.layers.Dense(1, "sigmoid")],
        name="iris_binary_virginica",
    )
    model.set_weights([np.ones((4, 1), "float32"), np.full(1, -18.0, "float32")])
    # Inference: sigmoid(6.3 + 3.3 + 6.0 + 2.5 - 18) = sigmoid(0.1); training: sigmoid(-18).
    species, probability = predict_species(model, [6.3, 3.3, 6.0, 2.5])
    assert species == "virginica"
    assert probability == pytest.approx(1 / (1 + math.exp(-0.1)), abs=1e-5)
