"""The from-scratch losses and their gradients against `keras.losses` and the backend's autodiff."""

import keras
import numpy as np
import pytest

from iris_keras.autodiff import value_and_gradient
from iris_keras.errors import UsageError
from iris_keras.scratch import losses

RNG = np.random.default_rng(0)
ONE_HOT = np.eye(3, dtype=np.float32)[[0, 2, 1, 2]]
BITS = np.array([[0, 1], [1, 0], [1, 0], [0, 1], [1, 1]], dtype=np.float32)
# Probabilities on both sides of Keras's clip [1e-7, 1 - 1e-7]: exactly 0 and
# 1, far inside, and 1e-9 (clipped, so its gradient is 0 in both).
PROBABILITIES = np.array([[0.0, 0.3], [1.0, 0.9], [1e-9, 0.5], [0.2, 1.0], [0.7, 0.6]], np.float32)
# Non-negative rows that do not sum to 1 (a ReLU output): rescaled, one entry clipped.
UNNORMALIZED = np.array([[0.5, 1.5, 0.0], [2.0, 0.1, 0.4], [0.3, 0.3, 0.3], [0.0, 0.0, 4.0]])
LOGITS = RNG.normal(scale=3.0, size=(4, 3)).astype(np.float32)

CASES = [
    pytest.param(
        "mean_squared_error",
        keras.losses.MeanSquaredError(),
        ONE_HOT,
        RNG.normal(size=(4, 3)).astype(np.float32),
        id="mean-squared-error",
    ),
    pytest.param(
        "binary_crossentropy",
        keras.losses.BinaryCrossentropy(),
        BITS,
        PROBABILITIES,
        id="binary-crossentropy-clipped",
    ),
    pytest.param(
        "binary_crossentropy",
        keras.losses.BinaryCrossentropy(),
        1.0 - BITS,
        PROBABILITIES,
        id="binary-crossentropy-clipped-certain-and-wrong",
    ),
    pytest.param(
        "categorical_crossentropy",
        keras.losses.CategoricalCrossentropy(),
        ONE_HOT,
        UNNORMALIZED.astype(np.float32),
        id="categorical-crossentropy-rescaled-and-clipped",
    ),
    pytest.param(
        "binary_crossentropy_from_logits",
        keras.losses.BinaryCrossentropy(from_logits=True),
        (LOGITS > 0).astype(np.float32),
        LOGITS,
        id="binary-crossentropy-from-logits",
    ),
    pytest.param(
        "categorical_crossentropy_from_logits",
        keras.losses.CategoricalCrossentropy(from_logits=True),
        ONE_HOT,
        LOGITS,
        id="categorical-crossentropy-from-logits",
    ),
]


@pytest.mark.parametrize("name, keras_loss, y_true, y_pred", CASES)
def test_loss_and_gradient_equal_keras(name, keras_loss, y_true, y_pred):
    target = keras.ops.convert_to_tensor(y_true)
    expected, expected_gradient = value_and_gradient(
        lambda prediction: keras_loss(target, prediction), y_pred
    )
    value = getattr(losses, name)(y_true, y_pred)
    gradient = getattr(losses, f"{name}_gradient")(y_true, y_pred)
    np.testing.assert_allclose(value, expected, rtol=1e-5)
    # atol for gradient entries that are 0 in one and ~1e-8 in the other.
    np.testing.assert_allclose(gradient, expected_gradient, rtol=1e-5, atol=1e-7)


def test_clipped_probabilities_get_no_gradient():
    gradient = losses.binary_crossentropy_gradient(BITS, PROBABILITIES)
    clipped = (PROBABILITIES < losses.EPSILON) | (PROBABILITIES > losses.ONE_MINUS_EPSILON)
    assert clipped.sum() == 4
    np.testing.assert_array_equal(gradient[clipped], 0.0)
    assert np.all(gradient[~clipped] != 0.0)


def test_batch_mean_divides_by_the_batch_size():
    # Twice the same rows: the same mean loss, half the gradient per row.
    y, p = ONE_HOT, UNNORMALIZED
    twice = np.concatenate([y, y]), np.concatenate([p, p])
    assert losses.categorical_crossentropy(*twice) == pytest.approx(
        losses.categorical_crossentropy(y, p), rel=1e-12
    )
    np.testing.assert_allclose(
        losses.categorical_crossentropy_gradient(*twice)[:4],
        losses.categorical_crossentropy_gradient(y, p) / 2,
        rtol=1e-12,
    )


@pytest.mark.parametrize(
    "loss, activation, backend, expected",
    [
        pytest.param("binary_crossentropy", "sigmoid", "tensorflow", True, id="tf-bce-sigmoid"),
        pytest.param(
            "categorical_crossentropy", "softmax", "tensorflow", True, id="tf-cce-softmax"
        ),
        pytest.param("binary_crossentropy", "softmax", "tensorflow", True, id="tf-bce-softmax"),
        pytest.param("binary_crossentropy", "relu", "tensorflow", False, id="tf-bce-relu"),
        pytest.param("mean_squared_error", "sigmoid", "tensorflow", False, id="tf-mse-sigmoid"),
        pytest.param("binary_crossentropy", "sigmoid", "jax", False, id="jax-bce-sigmoid"),
        pytest.param("categorical_crossentropy", "softmax", "jax", False, id="jax-cce-softmax"),
        pytest.param("binary_crossentropy", "sigmoid", "torch", False, id="torch-bce-sigmoid"),
        pytest.param("categorical_crossentropy", "softmax", "torch", False, id="torch-cce-softmax"),
    ],
)
def test_uses_logits_where_keras_has_cached_them(loss, activation, backend, expected):
    assert losses.uses_logits(loss, activation, backend=backend) is expected


def test_uses_logits_follows_the_backend_keras_runs_on():
    rule = losses.uses_logits("binary_crossentropy", "sigmoid")
    assert rule is (keras.backend.backend() == "tensorflow")


def test_unknown_backend_is_named():
    with pytest.raises(UsageError, match=r"expected one of 'tensorflow', .*backend='theano'"):
        losses.uses_logits("binary_crossentropy", "sigmoid", backend="theano")


def test_unknown_loss_is_named():
    with pytest.raises(
        UsageError,
        match=r"`loss`, expected one of 'mean_squared_error', 'binary_crossentropy', "
        r"'categorical_crossentropy'. Received: loss='hinge'",
    ):
        losses.check_loss("hinge")


def test_mismatched_shapes_are_named():
    with pytest.raises(
        UsageError, match=r"Received: y_true='shape \(4,\) against y_pred of shape \(4, 3\)'"
    ):
        losses.mean_squared_error(np.zeros(4), np.zeros((4, 3)))
