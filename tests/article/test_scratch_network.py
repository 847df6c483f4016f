"""Forward and back-propagation from scratch against `model(x)` and the backend's autodiff."""

import keras
import numpy as np
import pytest

from iris_keras import scratch
from iris_keras.autodiff import loss_and_gradients
from iris_keras.datasets import iris
from iris_keras.errors import UsageError
from iris_keras.model import build_model
from tests.support.helpers import shared

RNG = np.random.default_rng(7)


def sequential(inputs, layers):
    """A `Sequential` of `Dense(units, activation)` layers with seeded random weights."""
    keras.utils.set_random_seed(3)
    dense = [keras.layers.Dense(units, activation=name) for units, name in layers]
    return keras.Sequential([keras.Input(shape=(inputs,)), *dense])


def random_case(inputs, layers, labels):
    model = sequential(inputs, layers)
    x = RNG.normal(size=(10, inputs)).astype(np.float32)
    return model, x, labels(model.output_shape[-1]).astype(np.float32)


def iris_case(target):
    (x_train, y_train), _ = iris.load_data(target=target)
    keras.utils.set_random_seed(3)
    return build_model(x_train, target=target), x_train, y_train


def bits(units):
    return RNG.integers(0, 2, size=(10, units))


def one_hot(units):
    return np.eye(units)[RNG.integers(0, units, size=10)]


def reals(units):
    return RNG.normal(size=(10, units))


NETWORKS = [
    pytest.param(
        lambda: iris_case("binary"), "binary_crossentropy", id="article-binary-with-standardization"
    ),
    pytest.param(
        lambda: iris_case("onehot"),
        "categorical_crossentropy",
        id="article-multiclass-with-standardization",
    ),
    pytest.param(
        lambda: random_case(5, [(16, "tanh"), (2, "linear")], reals),
        "mean_squared_error",
        id="wide-tanh-regression",
    ),
    pytest.param(
        lambda: random_case(3, [(8, "sigmoid"), (8, "relu"), (6, "tanh"), (3, "sigmoid")], bits),
        "binary_crossentropy",
        id="deep-multilabel",
    ),
    pytest.param(
        lambda: random_case(2, [(1, "sigmoid")], bits),
        "mean_squared_error",
        id="one-sigmoid-neuron-mse",
    ),
    pytest.param(
        lambda: random_case(4, [(6, "relu"), (2, "relu")], bits),
        "binary_crossentropy",
        id="relu-head-bce-from-clipped-probabilities",
    ),
    pytest.param(
        lambda: random_case(4, [(5, "relu"), (3, "softmax")], bits),
        "binary_crossentropy",
        id="softmax-head-bce-logits-on-tensorflow-only",
    ),
    pytest.param(
        lambda: random_case(4, [(5, "tanh"), (3, "sigmoid")], one_hot),
        "categorical_crossentropy",
        id="sigmoid-head-cce-logits-on-tensorflow-only",
    ),
]


def keras_loss_and_gradients(model, x, y, loss):
    """The loss `fit` would minimize on this batch, and its gradients by the backend's autodiff."""
    model.compile(optimizer="sgd", loss=loss)
    return loss_and_gradients(model, x, y)


@pytest.mark.parametrize("make, loss", NETWORKS)
def test_forward_and_backward_equal_keras(make, loss):
    model, x, y = make()
    params = scratch.params_from_model(model)
    # float32 rounds at ~1e-7 relative: rtol 1e-5, and atol for values near 0.
    np.testing.assert_allclose(
        scratch.forward(params, x), keras.ops.convert_to_numpy(model(x)), rtol=1e-5, atol=1e-6
    )

    value, grads = scratch.loss_and_gradients(params, x, y, loss=loss)
    expected_value, expected_grads = keras_loss_and_gradients(model, x, y, loss)
    assert value == pytest.approx(expected_value, rel=1e-5)
    assert (
        len(scratch.flatten(grads))
        == len(expected_grads)
        == 2 * sum("W" in layer for layer in params)
    )
    for ours, theirs in zip(scratch.flatten(grads), expected_grads, strict=True):
        # atol for entries that are sums of terms cancelling to ~0.
        np.testing.assert_allclose(ours, theirs, rtol=1e-4, atol=1e-6)
    assert all(not grad for layer, grad in zip(params, grads, strict=True) if "W" not in layer)


def test_params_copy_the_standardization_and_every_dense_layer():
    model, x_train, _ = iris_case("binary")
    params = scratch.params_from_model(model)
    assert [layer["name"] for layer in params] == ["standardize", "hidden_1", "hidden_2", "output"]
    np.testing.assert_allclose(params[0]["mean"], x_train.mean(axis=0), rtol=1e-6)
    np.testing.assert_allclose(params[0]["std"], x_train.std(axis=0), rtol=1e-5)
    assert [layer["activation"] for layer in params[1:]] == ["relu", "relu", "sigmoid"]
    assert [layer["W"].shape for layer in params[1:]] == [(4, 4), (4, 3), (3, 1)]


@pytest.mark.parametrize(
    "layers, match",
    [
        pytest.param(
            [keras.layers.Dense(3), keras.layers.Dropout(0.5, name="drop"), keras.layers.Dense(1)],
            r"Received: model=\"layer 'drop' of type Dropout in place 2\"",
            id="dropout",
        ),
        pytest.param(
            [keras.layers.Dense(3, activation="elu", name="hidden")],
            r"Received: model=\"Dense layer 'hidden' with activation 'elu'\"",
            id="elu-activation",
        ),
        pytest.param(
            [keras.layers.Dense(3, use_bias=False, name="hidden")],
            r"Received: model=\"Dense layer 'hidden' without a bias\"",
            id="no-bias",
        ),
        pytest.param(
            [keras.layers.Dense(3), keras.layers.Normalization(mean=0, variance=1, name="norm")],
            r"Received: model=\"layer 'norm' of type Normalization in place 2\"",
            id="normalization-not-first",
        ),
    ],
)
def test_unsupported_layers_are_named(layers, match):
    model = keras.Sequential([keras.Input(shape=(4,)), *layers])
    with pytest.raises(UsageError, match=r"expected a built keras.Sequential of Dense layers"):
        scratch.params_from_model(model)
    with pytest.raises(UsageError, match=match):
        scratch.params_from_model(model)


def functional():
    inputs = keras.Input(shape=(4,))
    return keras.Model(inputs, keras.layers.Dense(1)(inputs))


@pytest.mark.parametrize(
    "model, match",
    [
        pytest.param(
            keras.Sequential([keras.layers.Dense(3)]),
            r"Received: model='an unbuilt Sequential'. Start it with keras.Input",
            id="unbuilt",
        ),
        pytest.param(
            functional(),
            r"Received: model='a Functional'",
            id="functional",
        ),
    ],
)
def test_models_that_are_not_built_sequentials_are_named(model, match):
    with pytest.raises(UsageError, match=match):
        scratch.params_from_model(model)


@pytest.fixture(scope=shared("module"))
def article_params():
    return scratch.params_from_model(iris_case("binary")[0])


@pytest.mark.parametrize(
    "call, match",
    [
        pytest.param(
            lambda params: scratch.forward(params, np.zeros((5, 3))),
            r"`x`, expected an array of shape \(n, 4\) with n > 0. Received: x='shape \(5, 3\)'",
            id="forward-x-width",
        ),
        pytest.param(
            lambda params: scratch.backward(
                params, np.zeros((5, 4)), np.zeros((5, 2)), loss="binary_crossentropy"
            ),
            r"`y`, expected labels of shape \(5, 1\) .*Received: y='shape \(5, 2\)'",
            id="backward-y-shape",
        ),
        pytest.param(
            lambda params: scratch.backward(params, np.zeros((5, 4)), np.zeros(5), loss="hinge"),
            r"`loss`, expected one of .*Received: loss='hinge'",
            id="unknown-loss",
        ),
        pytest.param(
            lambda params: scratch.forward(params[:1], np.zeros((5, 4))),
            r"`params`, expected a non-empty list of layer entries ending with a dense layer",
            id="params-ending-with-standardization",
        ),
    ],
)
def test_bad_inputs_are_named(article_params, call, match):
    with pytest.raises(UsageError, match=match):
        call(article_params)
