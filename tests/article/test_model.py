import keras
import numpy as np
import pytest

from iris_keras.datasets import iris
from iris_keras.errors import UsageError
from iris_keras.model import build_model
from tests.support.helpers import shared


@pytest.fixture(scope=shared("module"))
def x_train():
    (x_train, _), _ = iris.load_data()
    return x_train


@pytest.mark.parametrize(
    "target, head_units, head_activation, params",
    [
        # Dense(4): 4*4+4, Dense(3): 4*3+3, head: 3*1+1 or 3*3+3.
        pytest.param("binary", 1, "sigmoid", 20 + 15 + 4, id="binary"),
        pytest.param("onehot", 3, "softmax", 20 + 15 + 12, id="onehot"),
        pytest.param("sparse", 3, "softmax", 20 + 15 + 12, id="sparse"),
    ],
)
def test_article_network(x_train, target, head_units, head_activation, params):
    model = build_model(x_train, target=target)
    dense = [layer for layer in model.layers if hasattr(layer, "units")]
    assert [layer.units for layer in dense] == [4, 3, head_units]
    assert [layer.activation.__name__ for layer in dense] == ["relu", "relu", head_activation]
    assert model.input_shape == (None, 4)
    assert sum(int(np.prod(w.shape)) for w in model.trainable_weights) == params


def test_standardization_uses_training_statistics(x_train):
    model = build_model(x_train)
    standardized = keras.ops.convert_to_numpy(model.get_layer("standardize")(x_train))
    np.testing.assert_allclose(np.mean(standardized, axis=0), 0, atol=1e-5)
    np.testing.assert_allclose(np.std(standardized, axis=0), 1, atol=1e-4)
    assert not model.get_layer("standardize").trainable_weights


def test_without_standardization_there_is_no_normalization_layer():
    model = build_model(standardize=False)
    assert [layer.name for layer in model.layers] == ["hidden_1", "hidden_2", "output"]


def test_name_carries_the_positive_class(x_train):
    assert build_model(x_train, positive_class="setosa").name == "iris_binary_setosa"
    assert build_model(x_train, target="onehot").name == "iris_multiclass"
    # Binary without a named class: load_data's default positive class, virginica.
    assert build_model(x_train).name == "iris_binary_virginica"


def test_a_binary_model_of_no_species_is_refused(x_train):
    with pytest.raises(UsageError, match="positive_class='tulip'"):
        build_model(x_train, positive_class="tulip")
    with pytest.raises(UsageError, match="positive_class=None"):
        build_model(x_train, positive_class=None)
    assert build_model(x_train, target="onehot", positive_class=None).name == "iris_multiclass"


def test_the_input_says_it_takes_centimetres(x_train):
    """Whoever loads the model sees the unit of its input in `model.summary()`."""
    assert [tensor.name for tensor in build_model(x_train).inputs] == ["measurements_cm"]


def test_wider_network(x_train):
    model = build_model(x_train, units=(16, 8, 4))
    assert [layer.units for layer in model.layers if hasattr(layer, "units")] == [16, 8, 4, 1]


@pytest.mark.parametrize(
    "kwargs, match",
    [
        pytest.param({"target": "ternary"}, "target='ternary'", id="target"),
        pytest.param({"units": (4, 0)}, "units=0", id="zero-width"),
        pytest.param(
            {"x_train": None},
            r"`x_train`, expected the training features when standardize=True",
            id="missing-x",
        ),
        pytest.param(
            {"x_train": np.ones((10, 5))},
            r"shape \(n, 4\). Received: x_train=\(10, 5\)",
            id="five-features",
        ),
    ],
)
def test_bad_arguments(kwargs, match):
    with pytest.raises(UsageError, match=match):
        build_model(**kwargs)


@pytest.mark.parametrize(
    "convert",
    [
        pytest.param(lambda x: x.astype(np.float64), id="float64"),
        pytest.param(lambda x: x.tolist(), id="nested-lists"),
    ],
)
def test_standardization_is_the_same_for_any_array_of_the_same_flowers(x_train, convert):
    """The statistics are computed in float32 whatever the caller passes, so the
    same flowers give the same model, bit for bit."""
    expected = build_model(x_train).get_layer("standardize")
    actual = build_model(convert(x_train)).get_layer("standardize")
    for name in ("mean", "variance"):
        np.testing.assert_array_equal(
            np.asarray(getattr(actual, name)), np.asarray(getattr(expected, name))
        )
