"""§2.6: gradient descent on a surface you can draw, plain and with momentum.

A long, narrow valley is where plain gradient descent struggles and
momentum helps. The bowl

    loss(w) = 0.5 * sum(curvatures * w ** 2)       gradient(w) = curvatures * w

with curvatures `(1, 20)` is steep across and flat along: with the article's
`learning_rate=0.01`, plain descent shrinks the flat coordinate by only
`1 - 0.01 * 1 = 0.99` per step, while momentum 0.9 shrinks both by about
`sqrt(0.9) ≈ 0.95` per step (the modulus of its damped oscillation).
"""

from collections.abc import Callable

import numpy as np
from numpy.typing import ArrayLike

from iris_keras.scratch.optimizer import sgd_step

CURVATURES = (1.0, 20.0)


def bowl(w: ArrayLike, curvatures: tuple[float, ...] = CURVATURES) -> np.ndarray:
    """`0.5 * sum(curvatures * w ** 2)` over the last axis of `w` (any leading shape)."""
    return 0.5 * np.sum(np.asarray(curvatures) * np.asarray(w) ** 2, axis=-1)


def bowl_gradient(w: ArrayLike, curvatures: tuple[float, ...] = CURVATURES) -> np.ndarray:
    """`curvatures * w`, the gradient of `bowl`."""
    return np.asarray(curvatures) * np.asarray(w)


def descent_path(
    start: ArrayLike,
    *,
    steps: int,
    learning_rate: float = 0.01,
    momentum: float = 0.0,
    gradient: Callable[[np.ndarray], np.ndarray] = bowl_gradient,
) -> np.ndarray:
    """The points `sgd_step` visits from `start`.

    Args:
        start: the first point, shape `(dims,)`.
        steps: the number of steps.
        learning_rate: SGD's step size. Defaults to `0.01`.
        momentum: SGD's momentum; `0.0` is plain gradient descent.
            Defaults to `0.0`.
        gradient: the gradient function. Defaults to `bowl_gradient`.

    Returns:
        float64 array of shape `(steps + 1, dims)`, `start` first.

    Example:
    >>> descent_path([1.0, 1.0], steps=1, learning_rate=0.01)
    array([[1.  , 1.  ],
           [0.99, 0.8 ]])
    """
    params, velocity = [{"w": np.asarray(start, dtype=np.float64)}], None
    points = [params[0]["w"]]
    for _ in range(steps):
        grads = [{"w": gradient(params[0]["w"])}]
        params, velocity = sgd_step(
            params, grads, velocity, learning_rate=learning_rate, momentum=momentum
        )
        points.append(params[0]["w"])
    return np.stack(points)
