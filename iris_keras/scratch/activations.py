"""§2.4: activation functions, each beside its derivative. NumPy only.

A layer computes `z = x @ W + b` and hands `a = f(z)` to the next layer.
Back-propagation needs `f'(z)`: for the element-wise functions the gradient
with respect to `z` is `upstream * f'(z)`; softmax mixes the units of a row,
so it has a vector-Jacobian product instead (`softmax_backward`).

The names are Keras's (`keras.activations.get(name)`), and every function
equals its Keras namesake to float32 precision (`tests/article/test_scratch_activations.py`).

>>> import numpy as np
>>> z = np.array([-2.0, 0.0, 2.0])
>>> relu(z), relu_derivative(z)
(array([0., 0., 2.]), array([0., 0., 1.]))
"""

import numpy as np

from iris_keras.errors import check_choice


def sigmoid(z: np.ndarray) -> np.ndarray:
    """`sigmoid(z) = 1 / (1 + exp(-z))`, written `exp(-log(1 + exp(-z)))` so it never overflows."""
    return np.exp(-np.logaddexp(0.0, -z))


def sigmoid_derivative(z: np.ndarray) -> np.ndarray:
    """`sigmoid'(z) = sigmoid(z) * (1 - sigmoid(z))`."""
    s = sigmoid(z)
    return s * (1.0 - s)


def tanh(z: np.ndarray) -> np.ndarray:
    """`tanh(z) = (exp(z) - exp(-z)) / (exp(z) + exp(-z))`."""
    return np.tanh(z)


def tanh_derivative(z: np.ndarray) -> np.ndarray:
    """`tanh'(z) = 1 - tanh(z) ** 2`."""
    return 1.0 - np.tanh(z) ** 2


def relu(z: np.ndarray) -> np.ndarray:
    """`relu(z) = max(z, 0)`."""
    return np.maximum(z, 0.0)


def relu_derivative(z: np.ndarray) -> np.ndarray:
    """`relu'(z) = 1 where z > 0, else 0` (TensorFlow also takes 0 at z = 0)."""
    return (z > 0).astype(np.result_type(z, np.float32))


def linear(z: np.ndarray) -> np.ndarray:
    """`linear(z) = z`: a `Dense` layer without activation."""
    return np.asarray(z)


def linear_derivative(z: np.ndarray) -> np.ndarray:
    """`linear'(z) = 1`."""
    return np.ones_like(z)


def softmax(z: np.ndarray) -> np.ndarray:
    """`softmax(z)_i = exp(z_i) / sum_j exp(z_j)` along the last axis.

    Shifting `z` by its row maximum changes nothing mathematically and keeps
    `exp` from overflowing.
    """
    e = np.exp(z - z.max(axis=-1, keepdims=True))
    return e / e.sum(axis=-1, keepdims=True)


def softmax_backward(z: np.ndarray, upstream: np.ndarray) -> np.ndarray:
    """The gradient with respect to `z` of a loss whose gradient at `softmax(z)` is `upstream`.

    With `s = softmax(z)`, `ds_i/dz_j = s_i * (δ_ij - s_j)`, so

        grad_z = s * (upstream - sum(upstream * s, axis=-1, keepdims=True))
    """
    s = softmax(z)
    return s * (upstream - (upstream * s).sum(axis=-1, keepdims=True))


ELEMENTWISE = {
    "sigmoid": (sigmoid, sigmoid_derivative),
    "tanh": (tanh, tanh_derivative),
    "relu": (relu, relu_derivative),
    "linear": (linear, linear_derivative),
}
NAMES = (*ELEMENTWISE, "softmax")


def activate(name: str, z: np.ndarray) -> np.ndarray:
    """Applies the activation called `name` to `z`.

    Args:
        name: one of `"sigmoid"`, `"tanh"`, `"relu"`, `"linear"`, `"softmax"`.
        z: pre-activations, any shape (softmax works on the last axis).

    Returns:
        An array of the shape of `z`.

    Raises:
        UsageError: `name` is not one of the supported activations.
    """
    name = check_choice("activation", name, NAMES)
    return softmax(z) if name == "softmax" else ELEMENTWISE[name][0](z)


def activation_backward(name: str, z: np.ndarray, upstream: np.ndarray) -> np.ndarray:
    """The chain rule through an activation: `dL/dz` from `dL/da`, with `a = f(z)`.

    Element-wise activations: `dL/dz = dL/da * f'(z)`; softmax: `softmax_backward`.

    Args:
        name: the activation's name, as in `activate`.
        z: the pre-activations the forward pass saw.
        upstream: `dL/da`, of the shape of `z`.

    Returns:
        `dL/dz`, of the shape of `z`.
    """
    name = check_choice("activation", name, NAMES)
    if name == "softmax":
        return softmax_backward(z, upstream)
    return upstream * ELEMENTWISE[name][1](z)
