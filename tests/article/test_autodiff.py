"""The backend's automatic differentiation, as the scratch tests and notebooks call it."""

import keras
import numpy as np

from iris_keras.autodiff import loss_and_gradients, value_and_gradient


def test_upstream_given_as_a_list_pulls_back_in_the_inputs_dtype():
    x = np.array([1.0, 2.0, -3.0], dtype="float32")
    value, gradient = value_and_gradient(keras.ops.square, x, upstream=[1.0, 0.5, 2.0])
    np.testing.assert_array_equal(value, [1.0, 4.0, 9.0])
    np.testing.assert_array_equal(gradient, [2.0, 2.0, -12.0])
    assert gradient.dtype == np.float32


def test_the_default_upstream_is_ones():
    x = np.array([[1.0, -2.0]], dtype="float32")
    _, gradient = value_and_gradient(lambda t: 3.0 * t, x)
    np.testing.assert_array_equal(gradient, [[3.0, 3.0]])


class Doubled(keras.layers.Layer):
    """Doubles its input in training, passes it through otherwise (as dropout switches)."""

    def call(self, inputs, training=None):
        return inputs * 2.0 if training else inputs


def test_the_loss_is_fits_with_layers_in_training_mode():
    model = keras.Sequential([keras.Input(shape=(1,)), Doubled(), keras.layers.Dense(1)])
    model.compile(loss="mean_squared_error")
    model.set_weights([np.ones((1, 1), "float32"), np.zeros(1, "float32")])
    x, y = np.array([[1.0], [2.0]], dtype="float32"), np.zeros((2, 1), dtype="float32")
    loss, (kernel, bias) = loss_and_gradients(model, x, y)
    assert loss == 10.0  # mean((2x)^2), not mean(x^2) = 2.5
    # d/dw mean((2xw)^2) = mean(8 x^2 w) = 20 at w = 1; d/db = mean(2 * 2x) = 6.
    np.testing.assert_allclose(kernel, [[20.0]])
    np.testing.assert_allclose(bias, [6.0])
