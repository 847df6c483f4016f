"""Automatic differentiation on whichever backend Keras runs: one helper for tests and notebooks.

The from-scratch derivatives of `iris_keras.scratch` are checked against
the backend's own automatic differentiation: TensorFlow's `GradientTape`,
`jax.vjp` and `jax.value_and_grad`, PyTorch's `torch.autograd.grad`. Each
backend's way sits in its module of `iris_keras.backend`; callers never ask
which backend runs.

Example:
>>> import keras
>>> import numpy as np
>>> value, slope = value_and_gradient(keras.ops.square, np.array([3.0], dtype="float32"))
>>> value.tolist(), slope.tolist()
([9.0], [6.0])
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

import numpy as np
from numpy.typing import ArrayLike

from iris_keras import backend

if TYPE_CHECKING:
    import keras


def value_and_gradient(
    function: Callable[[Any], Any], x: ArrayLike, upstream: ArrayLike | None = None
) -> tuple[np.ndarray, np.ndarray]:
    """`function(x)` and the vector-Jacobian product `upstream · d function / dx`.

    For a scalar `function` and the default `upstream`, that is the gradient.

    Args:
        function: maps a backend tensor to a tensor with Keras ops, e.g.
            `keras.activations.sigmoid` or a loss with `y_true` bound.
        x: a float32 NumPy array.
        upstream: the gradient arriving at `function`'s output, of its
            shape; `None` for ones. Defaults to `None`.

    Returns:
        `(value, gradient)`: NumPy arrays of the shapes of `function(x)` and `x`.
    """
    import keras

    x = np.asarray(x)
    if upstream is not None:
        upstream = keras.ops.convert_to_tensor(np.asarray(upstream, dtype=x.dtype))
    value, gradient = backend.vjp(function, keras.ops.convert_to_tensor(x), upstream)
    return keras.ops.convert_to_numpy(value), keras.ops.convert_to_numpy(gradient)


def loss_and_gradients(
    model: keras.Model, x: np.ndarray, y: np.ndarray
) -> tuple[float, list[np.ndarray]]:
    """The loss `fit` minimizes on the batch `(x, y)`, and its gradient for each trainable weight.

    The loss is `model.compute_loss`, computed as the backend computes it in
    `fit` (on TensorFlow from the output layer's cached logits, elsewhere
    from its clipped probabilities).

    Args:
        model: a compiled `keras.Model`.
        x: features, a float32 NumPy array.
        y: labels for the model's loss.

    Returns:
        `(loss, gradients)`: a float and a list of NumPy arrays, one per
        `model.trainable_weights`, in that order.
    """
    import keras

    variables = model.trainable_weights

    def loss_of():
        return model.compute_loss(x=x, y=y, y_pred=model(x, training=True))

    value, gradients = backend.value_and_gradients(loss_of, variables)
    gradients = [keras.ops.convert_to_numpy(gradient) for gradient in gradients]
    return float(keras.ops.convert_to_numpy(value)), gradients
