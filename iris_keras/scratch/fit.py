"""§3.3: the from-scratch training loop, batch for batch what Keras's `fit` does.

    for epoch in range(epochs):
        for batch in epoch_batches(n, batch_size=batch_size, seed=seed, epoch=epoch):
            loss, grads = loss_and_gradients(params, x[batch], y[batch], loss=loss)
            params, velocity = sgd_step(params, grads, velocity, learning_rate, momentum)

`iris_keras.train.fit_model` feeds Keras the same batches (a shuffle per
epoch that depends only on `seed` and the epoch), so from the same initial
weights the two loops can be compared step for step.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np
from numpy.typing import ArrayLike

from iris_keras.batches import epoch_batches
from iris_keras.compile import LOSSES
from iris_keras.errors import check_positive_int, invalid
from iris_keras.scratch.layers import Params
from iris_keras.scratch.network import loss_and_gradients
from iris_keras.scratch.optimizer import sgd_step

if TYPE_CHECKING:
    from iris_keras.recipes import Recipe


def fit(
    params: Params,
    x: ArrayLike,
    y: ArrayLike,
    *,
    loss: str,
    epochs: int = 100,
    batch_size: int = 32,
    learning_rate: float = 0.01,
    momentum: float = 0.9,
    seed: int = 0,
) -> tuple[Params, dict[str, list[float]]]:
    """Trains `params` by mini-batch SGD with momentum, as `fit_model` trains a Keras model.

    Args:
        params: the initial weights, e.g. `params_from_model(model)`
            before `model` is trained.
        x: training features, shape `(n, inputs)`.
        y: training labels, shape `(n, units)` or `(n,)` for one output unit.
        loss: `"binary_crossentropy"`, `"categorical_crossentropy"` or
            `"mean_squared_error"`.
        epochs: the number of passes over the data. Defaults to `100`.
        batch_size: rows per step. Defaults to `32`.
        learning_rate: SGD's step size. Defaults to `0.01`.
        momentum: SGD's momentum. Defaults to `0.9`.
        seed: the seed of the per-epoch shuffles, as in `fit_model`.
            Defaults to `0`.

    Returns:
        `(params, history)`: the trained weights, and `{"loss": [...]}` with
        each epoch's mean training loss, weighted by batch size and taken
        before each step, as Keras reports it.

    Example:
    >>> import numpy as np
    >>> x, y = np.array([[0.0], [1.0]]), np.array([0.0, 2.0])
    >>> params = [{"W": np.zeros((1, 1)), "b": np.zeros(1), "activation": "linear"}]
    >>> params, history = fit(params, x, y, loss="mean_squared_error", epochs=200,
    ...                       batch_size=2, learning_rate=0.1)
    >>> np.round(params[0]["W"], 3), history["loss"][-1] < 1e-6
    (array([[2.]]), True)
    """
    epochs = check_positive_int("epochs", epochs)
    batch_size = check_positive_int("batch_size", batch_size)
    x = np.asarray(x, dtype=np.float64)
    y = np.asarray(y, dtype=np.float64)
    if len(x) != len(y):
        raise invalid(
            "y", f"as many labels as rows of x ({len(x)})", f"{len(y)} labels of shape {y.shape}"
        )
    velocity: Params | None = None
    history: dict[str, list[float]] = {"loss": []}
    for epoch in range(epochs):
        total = 0.0
        for batch in epoch_batches(len(x), batch_size=batch_size, seed=seed, epoch=epoch):
            value, grads = loss_and_gradients(params, x[batch], y[batch], loss=loss)
            params, velocity = sgd_step(
                params, grads, velocity, learning_rate=learning_rate, momentum=momentum
            )
            total += value * len(batch)
        history["loss"].append(total / len(x))
    return params, history


def fit_as_recipe(
    params: Params, recipe: Recipe, x: ArrayLike, y: ArrayLike
) -> tuple[Params, dict[str, list[float]]]:
    """`fit` with a recipe's loss, epochs, batch size, optimizer and seed.

    From the same initial weights and data it trains as
    `iris_keras.recipes.fit_recipe` trains the recipe's Keras model.

    Args:
        params: the initial weights, e.g. `params_from_model(model)`.
        recipe: a `Recipe`, e.g. `get_recipe("article")`.
        x: training features.
        y: training labels, as the recipe's target encodes them.

    Returns:
        `(params, history)`, as `fit` returns them.
    """
    return fit(
        params,
        x,
        y,
        loss=LOSSES[recipe.target],
        epochs=recipe.epochs,
        batch_size=recipe.batch_size,
        learning_rate=recipe.learning_rate,
        momentum=recipe.momentum,
        seed=recipe.seed,
    )
