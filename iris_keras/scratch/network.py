"""§3.1–3.2 for a whole network: forward propagation and back-propagation.

`params` is a list with one entry per layer, as `params_from_model` returns
it: a dense layer is `{"name", "W", "b", "activation"}`, a standardization
step is `{"name", "mean", "std"}`. Forward propagation, layer after layer:

    a_0 = x
    a_l = f_l(a_{l-1} @ W_l + b_l)        # l = 1 … L; the output is a_L

Back-propagation walks the same layers in reverse, carrying `dL/da`:

    dL/da_L = loss'(y, a_L)               # or dL/dz_L from the logits
    dL/dz_l = dL/da_l * f_l'(z_l)
    dL/dW_l = a_{l-1}.T @ dL/dz_l
    dL/db_l = sum(dL/dz_l, axis=0)
    dL/da_{l-1} = dL/dz_l @ W_l.T

Gradients come back in the shape of `params`: `{"W": dW, "b": db}` per
dense layer, `{}` for a standardization step (it has nothing to train).
"""

from collections.abc import Callable
from typing import Any

import numpy as np
from numpy.typing import ArrayLike

from iris_keras.errors import invalid
from iris_keras.scratch.layers import (
    Layer,
    Params,
    dense_backward,
    dense_forward,
    standardize_backward,
    standardize_forward,
)
from iris_keras.scratch.losses import FROM_LOGITS, LOSSES, check_loss, uses_logits

TRAINABLE = ("W", "b")


def forward(params: Params, x: ArrayLike) -> np.ndarray:
    """The network's output for a batch: `model(x)`, in NumPy.

    Args:
        params: one entry per layer, e.g. from `params_from_model(model)`.
        x: the inputs, shape `(n, inputs)`.

    Returns:
        float64 array of shape `(n, units of the last layer)`.

    Example:
    >>> import numpy as np
    >>> params = [{"name": "neuron", "W": np.array([[2.0], [1.0]]), "b": np.array([-1.0]),
    ...            "activation": "relu"}]
    >>> forward(params, np.array([[1.0, 1.0], [0.0, 0.5]]))
    array([[2.],
           [0.]])
    """
    return _trace(params, x)[-1]


def loss_and_gradients(
    params: Params, x: ArrayLike, y: ArrayLike, *, loss: str
) -> tuple[float, Params]:
    """The batch's loss and its gradient for every layer, by back-propagation.

    The loss is averaged over the batch as Keras averages it, and computed
    from the output layer's logits where Keras does so (`losses.uses_logits`).

    Args:
        params: one entry per layer.
        x: the inputs, shape `(n, inputs)`.
        y: the labels, shape `(n, units)`; `(n,)` is accepted for one output unit.
        loss: `"binary_crossentropy"`, `"categorical_crossentropy"` or
            `"mean_squared_error"`.

    Returns:
        `(loss_value, grads)`: a float, and one entry per layer of `params`
        (`{"W": dW, "b": db}` for a dense layer, `{}` otherwise).
    """
    loss = check_loss(loss)
    trace = _trace(params, x)
    output, last = trace[-1], params[-1]
    y = _check_labels(y, output)
    from_z = uses_logits(loss, last["activation"])
    value_of: Callable[[Any, Any], float]
    gradient_of: Callable[[Any, Any], np.ndarray]
    if from_z:
        value_of, gradient_of = FROM_LOGITS[loss]
        at = trace[-2][1]  # the last layer's z
    else:
        value_of, gradient_of = LOSSES[loss]
        at = output
    upstream = gradient_of(y, at)
    grads: Params = [{} for _ in params]
    for index in reversed(range(len(params))):
        layer, (layer_input, z) = params[index], trace[index]
        if "W" in layer:
            dW, db, upstream = dense_backward(
                layer_input, layer["W"], z, upstream, layer["activation"], from_z=from_z
            )
            grads[index] = {"W": dW, "b": db}
        else:
            upstream = standardize_backward(upstream, layer["std"])
        from_z = False
    return float(value_of(y, at)), grads


def backward(params: Params, x: ArrayLike, y: ArrayLike, *, loss: str) -> Params:
    """The gradients of the batch's loss for every layer (`loss_and_gradients` without the value).

    Returns:
        One entry per layer of `params`: `{"W": dW, "b": db}` for a dense
        layer, `{}` for a standardization step.
    """
    return loss_and_gradients(params, x, y, loss=loss)[1]


def flatten(entries: Params) -> list[np.ndarray]:
    """The trainable arrays of `params` (or of gradients) in Keras's order: W1, b1, W2, b2, …

    This is the order of `model.trainable_weights`, so the two lists can be
    compared element by element.
    """
    return [entry[key] for entry in entries for key in TRAINABLE if key in entry]


def _trace(params: Params, x: ArrayLike) -> list[Any]:
    """`[(input, z), …]` for each layer, then the output; z is `None` for standardization."""
    if not isinstance(params, list) or not params or "W" not in params[-1]:
        raise invalid(
            "params",
            "a non-empty list of layer entries ending with a dense layer, "
            "as params_from_model returns",
            params if not isinstance(params, list) else f"a list of {len(params)} entries",
        )
    x = np.asarray(x, dtype=np.float64)
    width = _input_width(params[0])
    if x.ndim != 2 or x.shape[1] != width or len(x) == 0:
        raise invalid("x", f"an array of shape (n, {width}) with n > 0", f"shape {x.shape}")
    trace: list[Any] = []
    for layer in params:
        if "W" in layer:
            z, a = dense_forward(x, layer["W"], layer["b"], layer["activation"])
        else:
            z, a = None, standardize_forward(x, layer["mean"], layer["std"])
        trace.append((x, z))
        x = a
    trace.append(x)
    return trace


def _input_width(layer: Layer) -> int:
    return layer["W"].shape[0] if "W" in layer else np.size(layer["mean"])


def _check_labels(y: ArrayLike, output: np.ndarray) -> np.ndarray:
    y = np.asarray(y, dtype=np.float64)
    if y.ndim == 1 and output.shape[1] == 1:
        y = y[:, None]  # Keras expands (n,) labels to the (n, 1) output too
    if y.shape != output.shape:
        raise invalid(
            "y",
            f"labels of shape {output.shape} to match the network's output",
            f"shape {y.shape}",
        )
    return y
