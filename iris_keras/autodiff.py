"""Automatic differentiation on whichever backend Keras runs: one helper for tests and notebooks.

The from-scratch derivatives of `iris_keras.scratch` are checked against
the backend's own automatic differentiation: TensorFlow's `GradientTape`,
`jax.vjp` and `jax.value_and_grad`, PyTorch's `torch.autograd.grad`. Each
backend's way sits in one small function; callers never ask which backend
runs.

Example:
>>> import keras
>>> import numpy as np
>>> value, slope = value_and_gradient(keras.ops.square, np.array([3.0], dtype="float32"))
>>> value.tolist(), slope.tolist()
([9.0], [6.0])
"""

import numpy as np

from iris_keras import backend


def value_and_gradient(function, x, upstream=None):
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
    value, gradient = _VJP[backend.name()](function, keras.ops.convert_to_tensor(x), upstream)
    return keras.ops.convert_to_numpy(value), keras.ops.convert_to_numpy(gradient)


def loss_and_gradients(model, x, y):
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

    value, gradients = _LOSS[backend.name()](loss_of, variables)
    gradients = [keras.ops.convert_to_numpy(gradient) for gradient in gradients]
    return float(keras.ops.convert_to_numpy(value)), gradients


def _tensorflow_vjp(function, x, upstream):
    import tensorflow as tf

    with tf.GradientTape() as tape:
        tape.watch(x)
        value = function(x)
    return value, tape.gradient(value, x, output_gradients=upstream)


def _jax_vjp(function, x, upstream):
    import jax
    import jax.numpy as jnp

    value, pullback = jax.vjp(function, x)
    return value, pullback(jnp.ones_like(value) if upstream is None else upstream)[0]


def _torch_vjp(function, x, upstream):
    import torch

    x = x.detach().requires_grad_(True)
    value = function(x)
    upstream = torch.ones_like(value) if upstream is None else upstream
    return value, torch.autograd.grad(value, x, grad_outputs=upstream)[0]


def _tensorflow_loss(loss_of, variables):
    import tensorflow as tf

    with tf.GradientTape() as tape:
        value = loss_of()
    return value, tape.gradient(value, variables)


def _jax_loss(loss_of, variables):
    import jax
    import keras

    def pure(values):  # the loss as a function of the weights' values
        with keras.StatelessScope(state_mapping=list(zip(variables, values, strict=True))):
            return loss_of()

    return jax.value_and_grad(pure)([variable.value for variable in variables])


def _torch_loss(loss_of, variables):
    import torch

    value = loss_of()
    return value, torch.autograd.grad(value, [variable.value for variable in variables])


_VJP = {"tensorflow": _tensorflow_vjp, "jax": _jax_vjp, "torch": _torch_vjp}
_LOSS = {"tensorflow": _tensorflow_loss, "jax": _jax_loss, "torch": _torch_loss}
