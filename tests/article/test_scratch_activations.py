"""The from-scratch activations and their derivatives against Keras and the backend's autodiff."""

import keras
import numpy as np
import pytest

from iris_keras.autodiff import value_and_gradient
from iris_keras.errors import UsageError
from iris_keras.scratch import activations

# Pre-activations from -30 to 30: saturated tails, the kink of ReLU at 0, and
# the steep middle; float32 as Keras computes in.
Z = np.concatenate([np.linspace(-30, 30, 61), np.linspace(-2, 2, 41)]).astype(np.float32)
# Rows for softmax, one with a large spread to exercise the max shift.
Z_ROWS = np.array([[0.5, -1.0, 2.0], [30.0, -30.0, 0.0], [0.0, 0.0, 0.0]], dtype=np.float32)


def keras_value_and_vjp(name, z, upstream):
    """Keras's activation at `z`, and `upstream` pulled back through it by the backend autodiff."""
    return value_and_gradient(keras.activations.get(name), z, upstream)


@pytest.mark.parametrize("name", ["sigmoid", "tanh", "relu", "linear"])
def test_elementwise_activation_and_derivative_equal_keras(name):
    function, derivative = activations.ELEMENTWISE[name]
    value, gradient = keras_value_and_vjp(name, Z, np.ones_like(Z))
    z = Z.astype(np.float64)
    # float32 carries ~7 significant digits: rtol 1e-6, and atol 1e-7 for
    # values that underflow to 0 in float32 (sigmoid(-30) = 9.4e-14).
    np.testing.assert_allclose(function(z), value, rtol=1e-6, atol=1e-7)
    # In float32, tanh(z) rounds to exactly ±1 beyond |z| ≈ 7.9 and sigmoid(z)
    # to 1 beyond z ≈ 16.6, so the backend's derivative there is exactly 0 where
    # the true one is still up to 4.5e-7 (1 - tanh(8) ** 2): hence atol 1e-6.
    np.testing.assert_allclose(derivative(z), gradient, rtol=1e-6, atol=1e-6)
    # The chain rule scales the upstream gradient by the derivative checked above.
    np.testing.assert_array_equal(
        activations.activation_backward(name, z, np.full_like(z, 3.0)), 3.0 * derivative(z)
    )


def test_softmax_and_its_vector_jacobian_product_equal_keras():
    upstream = np.array([[1.0, -2.0, 0.5], [0.3, 0.3, -1.0], [2.0, 0.0, 1.0]], dtype=np.float32)
    value, gradient = keras_value_and_vjp("softmax", Z_ROWS, upstream)
    z = Z_ROWS.astype(np.float64)
    np.testing.assert_allclose(activations.softmax(z), value, rtol=1e-6, atol=1e-7)
    np.testing.assert_allclose(activations.softmax(z).sum(axis=-1), 1.0, rtol=1e-12)
    np.testing.assert_allclose(
        activations.activation_backward("softmax", z, upstream.astype(np.float64)),
        gradient,
        rtol=1e-5,
        atol=1e-7,
    )


def test_relu_derivative_at_zero_is_zero_as_in_keras():
    _, gradient = keras_value_and_vjp("relu", np.zeros(1, dtype=np.float32), np.ones(1, np.float32))
    assert gradient[0] == activations.relu_derivative(np.zeros(1))[0] == 0.0


def test_sigmoid_does_not_overflow_far_out():
    z = np.array([-1000.0, 1000.0])
    np.testing.assert_array_equal(activations.sigmoid(z), [0.0, 1.0])  # warnings are errors


@pytest.mark.parametrize("function", [activations.activate, activations.activation_backward])
def test_unknown_activation_is_named(function):
    arguments = (np.zeros(2),) * (2 if function is activations.activate else 3)
    with pytest.raises(
        UsageError, match=r"expected one of 'sigmoid', .*Received: activation='elu'"
    ):
        function("elu", *arguments[1:])
