"""Copy a Keras model's weights into NumPy, for the from-scratch code to use.

`params_from_model` is the bridge the tests and notebooks cross to compare
the NumPy implementation with Keras on the very same weights.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import numpy as np

from iris_keras.errors import invalid
from iris_keras.scratch.activations import NAMES
from iris_keras.scratch.layers import Layer, Params

if TYPE_CHECKING:
    import keras

SUPPORTED = (
    "a built keras.Sequential of Dense layers with a bias and an activation in "
    f"{', '.join(NAMES)}, optionally after one Normalization layer"
)


def params_from_model(model: keras.Model) -> Params:
    """The weights, biases and activation names of a `Sequential` of `Dense` layers, as NumPy.

    A `Normalization` layer in first place (as `build_model` adds) becomes a
    fixed standardization step, `(x - mean) / std`, with `std` as Keras
    computes it: `max(sqrt(variance), 1e-7)`.

    Args:
        model: a built `keras.Sequential`.

    Returns:
        A list with one dict per layer, arrays in float64: `{"name", "W",
        "b", "activation"}` for a `Dense` layer (`W` of shape
        `(inputs, units)`, `b` of shape `(units,)`), `{"name", "mean",
        "std"}` for a `Normalization` layer (each of shape `(inputs,)`).

    Raises:
        UsageError: the model is not a built `Sequential`, or has a layer
            or activation the from-scratch code does not implement; the
            message names it.

    Example:
    >>> import keras
    >>> model = keras.Sequential([keras.Input(shape=(4,)), keras.layers.Dense(3, "relu")])
    >>> [(layer["W"].shape, layer["b"].shape, layer["activation"])
    ...  for layer in params_from_model(model)]
    [((4, 3), (3,), 'relu')]
    """
    import keras

    if not isinstance(model, keras.Sequential):
        raise invalid("model", SUPPORTED, f"a {type(model).__name__}")
    if not model.built:
        raise invalid(
            "model", SUPPORTED, "an unbuilt Sequential", "Start it with keras.Input(shape=...)"
        )
    params = []
    for index, layer in enumerate(model.layers):
        if isinstance(layer, keras.layers.Dense):
            params.append(_dense(layer))
        elif isinstance(layer, keras.layers.Normalization) and index == 0 and not layer.invert:
            variance = _float64(layer.variance).reshape(-1)
            params.append(
                {
                    "name": layer.name,
                    "mean": _float64(layer.mean).reshape(-1),
                    "std": np.maximum(np.sqrt(variance), keras.config.epsilon()),
                }
            )
        else:
            where = "in first place" if index == 0 else f"in place {index + 1}"
            raise invalid(
                "model", SUPPORTED, f"layer '{layer.name}' of type {type(layer).__name__} {where}"
            )
    if not params or "W" not in params[-1]:
        raise invalid("model", SUPPORTED, "a Sequential that does not end with a Dense layer")
    return params


def _dense(layer: keras.layers.Dense) -> Layer:
    activation = layer.activation.__name__
    if not layer.use_bias:
        raise invalid("model", SUPPORTED, f"Dense layer '{layer.name}' without a bias")
    if activation not in NAMES:
        raise invalid(
            "model", SUPPORTED, f"Dense layer '{layer.name}' with activation '{activation}'"
        )
    return {
        "name": layer.name,
        "W": _float64(layer.kernel),
        "b": _float64(layer.bias),
        "activation": activation,
    }


def _float64(weight: Any) -> np.ndarray:
    return np.array(weight, dtype=np.float64)
