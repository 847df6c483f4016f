"""§2.2–2.3 and §3.1–3.2 for one layer: a dense layer's forward pass beside its backward pass.

A batch of `n` rows goes through a `Dense(units, activation=f)` layer as

    z = x @ W + b          # (n, inputs) @ (inputs, units) + (units,)
    a = f(z)

and back-propagation turns the gradient of the loss at the output,
`dL/da`, into the gradients of the layer's weights and of its input:

    dL/dz = dL/da * f'(z)  # activation_backward
    dL/dW = x.T @ dL/dz    # (inputs, units): summed over the batch
    dL/db = sum(dL/dz, axis=0)
    dL/dx = dL/dz @ W.T    # handed to the layer before

`standardize_forward` is Keras's `Normalization` layer: a fixed affine step
with no trainable weights.
"""

from typing import Any

import numpy as np

from iris_keras.scratch.activations import activate, activation_backward

# One layer of a network, as `params_from_model` gives it (see `network`), and a network.
Layer = dict[str, Any]
Params = list[Layer]


def dense_forward(
    x: np.ndarray, W: np.ndarray, b: np.ndarray, activation: str
) -> tuple[np.ndarray, np.ndarray]:
    """One dense layer: `z = x @ W + b`, `a = f(z)`.

    Args:
        x: the layer's input, shape `(n, inputs)`.
        W: the kernel, shape `(inputs, units)`.
        b: the bias, shape `(units,)`.
        activation: the name of `f`, e.g. `"relu"`.

    Returns:
        `(z, a)`, both of shape `(n, units)`; backward needs `z`.

    Example:
    >>> import numpy as np
    >>> x, W, b = np.array([[1.0, 2.0]]), np.array([[1.0], [-1.0]]), np.array([0.5])
    >>> dense_forward(x, W, b, "relu")
    (array([[-0.5]]), array([[0.]]))
    """
    z = x @ W + b
    return z, activate(activation, z)


def dense_backward(
    x: np.ndarray,
    W: np.ndarray,
    z: np.ndarray,
    upstream: np.ndarray,
    activation: str,
    *,
    from_z: bool = False,
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """The chain rule through one dense layer.

    Args:
        x: the input the forward pass saw, shape `(n, inputs)`.
        W: the kernel, shape `(inputs, units)`.
        z: the pre-activations the forward pass computed, shape `(n, units)`.
        upstream: `dL/da`, shape `(n, units)`; or `dL/dz` when `from_z`.
        activation: the name of the layer's activation.
        from_z: `upstream` is already `dL/dz` (a loss computed from the
            logits). Defaults to `False`.

    Returns:
        `(dW, db, dx)`: `dL/dW` of shape `(inputs, units)`, `dL/db` of shape
        `(units,)`, `dL/dx` of shape `(n, inputs)`.
    """
    dz = upstream if from_z else activation_backward(activation, z, upstream)
    return x.T @ dz, dz.sum(axis=0), dz @ W.T


def standardize_forward(x: np.ndarray, mean: np.ndarray, std: np.ndarray) -> np.ndarray:
    """`(x - mean) / std`, per feature: Keras's `Normalization` layer.

    Keras divides by `max(sqrt(variance), 1e-7)`; `params_from_model` stores
    that divisor as `std`.
    """
    return (x - mean) / std


def standardize_backward(upstream: np.ndarray, std: np.ndarray) -> np.ndarray:
    """`dL/dx = dL/dy / std`: the input gradient of `standardize_forward`."""
    return upstream / std
