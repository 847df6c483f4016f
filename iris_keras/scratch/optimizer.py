"""§2.6 and §3.3: stochastic gradient descent with momentum, exactly as `keras.optimizers.SGD`.

The article's optimizer is `SGD(learning_rate=0.01, momentum=0.9)`. For
every weight `w` with gradient `g`, Keras keeps a velocity (zero at first)
and updates

    velocity = momentum * velocity - learning_rate * g
    w = w + velocity

With `momentum=0` this is plain gradient descent, `w = w - learning_rate * g`.
The velocity is a running sum of past steps: along a direction where the
gradient keeps its sign, steps grow up to `1 / (1 - momentum)` times (10
times for 0.9); where it flips sign, they cancel.
"""

import numpy as np

from iris_keras.errors import check_positive_float, check_unit_interval, invalid
from iris_keras.scratch.layers import Params


def sgd_step(
    params: Params,
    grads: Params,
    velocity: Params | None = None,
    *,
    learning_rate: float = 0.01,
    momentum: float = 0.9,
) -> tuple[Params, Params]:
    """One SGD step on every trainable array of `params`.

    Args:
        params: one entry per layer (see `params_from_model`).
        grads: one entry per layer, as `backward` returns them.
        velocity: the previous step's velocity, in the shape of `grads`, or
            `None` to start from zero. Defaults to `None`.
        learning_rate: the step size, a positive number. Defaults to `0.01`.
        momentum: the momentum, in [0, 1). Defaults to `0.9`.

    Returns:
        `(new_params, new_velocity)`; the arguments are not modified.

    Example:
    >>> import numpy as np
    >>> params = [{"W": np.array([1.0])}]
    >>> params, velocity = sgd_step(params, [{"W": np.array([2.0])}], learning_rate=0.1)
    >>> params[0]["W"], velocity[0]["W"]
    (array([0.8]), array([-0.2]))
    >>> params, velocity = sgd_step(params, [{"W": np.array([2.0])}], velocity, learning_rate=0.1)
    >>> params[0]["W"]  # 0.8 + (0.9 * -0.2 - 0.1 * 2)
    array([0.42])
    """
    learning_rate = check_positive_float("learning_rate", learning_rate)
    momentum = check_unit_interval("momentum", momentum, closed_low=True, closed_high=False)
    if velocity is None:
        velocity = [{key: np.zeros_like(g) for key, g in grad.items()} for grad in grads]
    _check_structure(params, grads, velocity)
    new_params, new_velocity = [], []
    for layer, grad, previous in zip(params, grads, velocity, strict=True):
        step = {key: momentum * previous[key] - learning_rate * g for key, g in grad.items()}
        new_params.append({**layer, **{key: layer[key] + v for key, v in step.items()}})
        new_velocity.append(step)
    return new_params, new_velocity


def _check_structure(params: Params, grads: Params, velocity: Params) -> None:
    if len(grads) != len(params) or len(velocity) != len(params):
        raise invalid(
            "grads",
            f"one entry per layer of params ({len(params)}), and as many in velocity",
            f"{len(grads)} gradient and {len(velocity)} velocity entries",
        )
    for layer, grad, previous in zip(params, grads, velocity, strict=True):
        for key, g in grad.items():
            shapes = (_shape(layer, key), np.shape(g), _shape(previous, key))
            if key not in layer or key not in previous or len(set(shapes)) != 1:
                raise invalid(
                    "grads",
                    "arrays of the shapes of params and velocity",
                    f"'{key}' of shape {np.shape(g)} for params of shape {shapes[0]} "
                    f"and velocity of shape {shapes[2]}",
                )


def _shape(entry: dict, key: str) -> tuple[int, ...]:
    """The shape of `entry[key]`, `()` when `entry` has no `key`."""
    return np.shape(entry[key]) if key in entry else ()
