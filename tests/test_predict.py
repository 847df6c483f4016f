import numpy as np
import pytest

from iris_keras.errors import UsageError
from iris_keras.loading import load_trained_model
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
