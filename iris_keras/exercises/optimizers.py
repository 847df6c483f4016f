"""Exercises of §2.6: two momentum steps by hand, and the article's optimizer in Keras 3.

Notebook `2.6-optimizers`. The checks use `scratch.descent`, whose steps
equal `keras.optimizers.SGD`'s:

    velocity = momentum * velocity - learning_rate * g
    w = w + velocity
"""

from __future__ import annotations

from typing import Any

import numpy as np

from iris_keras.exercises.exercise import Exercise
from iris_keras.exercises.marking import Wrong, mark_array
from iris_keras.scratch import descent

NOTEBOOK = "2.6-optimizers"
# The article's optimizer: SGD(learning_rate=0.01, momentum=0.9).
LEARNING_RATE, MOMENTUM = 0.01, 0.9
STEPS = 2  # 2.6-a's steps on the valley


def mark_two_steps(my_point: Any, start: Any) -> None:
    """2.6-a: the point after two SGD steps with momentum from `start` on the valley."""

    def path(**options: Any) -> np.ndarray:
        settings = {"steps": STEPS, "learning_rate": LEARNING_RATE, "momentum": MOMENTUM}
        return descent.descent_path(start, **{**settings, **options})

    mark_array(
        "my_point",
        my_point,
        path()[-1],
        mistakes=[
            (
                "is plain gradient descent: the second step adds momentum × the first step",
                path(momentum=0.0)[-1],
            ),
            ("is the point after one step: take two", path()[1]),
            (
                "went uphill: the velocity subtracts learning_rate × gradient",
                path(gradient=lambda w: -descent.bowl_gradient(w))[-1],
            ),
            (
                "swaps the learning rate and the momentum: step 0.01, momentum 0.9",
                path(learning_rate=MOMENTUM, momentum=LEARNING_RATE)[-1],
            ),
        ],
    )


def mark_optimizer(my_optimizer: Any) -> None:
    """2.6-b: `SGD(learning_rate=0.01, momentum=0.9)` as a Keras 3 object."""
    import keras

    if isinstance(my_optimizer, str):
        raise Wrong(
            f"`my_optimizer` is the text {my_optimizer!r}: make the optimizer itself, "
            "keras.optimizers.SGD(...), to set its learning rate and momentum"
        )
    if not isinstance(my_optimizer, keras.optimizers.Optimizer):
        raise Wrong(f"`my_optimizer` is a {type(my_optimizer).__name__}, not a Keras optimizer")
    if not isinstance(my_optimizer, keras.optimizers.SGD):
        raise Wrong(
            f"`my_optimizer` is {type(my_optimizer).__name__}: the article's optimizer is SGD"
        )
    learning_rate = float(keras.ops.convert_to_numpy(my_optimizer.learning_rate))
    if not np.isclose(learning_rate, LEARNING_RATE):
        raise Wrong(f"`my_optimizer` has learning rate {learning_rate:g}; the article's is 0.01")
    if not np.isclose(my_optimizer.momentum, MOMENTUM):
        raise Wrong(
            f"`my_optimizer` has momentum {my_optimizer.momentum:g}; the article's is 0.9 "
            "(SGD's default is 0)"
        )
    if my_optimizer.nesterov:
        raise Wrong("`my_optimizer` uses Nesterov momentum: the article's SGD does not")


EXERCISES = (
    Exercise(
        id="2.6-a",
        notebook=NOTEBOOK,
        answers=("my_point",),
        inputs=("start",),
        mark=mark_two_steps,
        solution="""
point, velocity = start.copy(), np.zeros_like(start)
for step in range(2):
    velocity = 0.9 * velocity - 0.01 * descent.bowl_gradient(point)
    point = point + velocity
my_point = point
""",
        right="right: the second step is momentum × the first, plus a new gradient step",
    ),
    Exercise(
        id="2.6-b",
        notebook=NOTEBOOK,
        answers=("my_optimizer",),
        inputs=(),
        mark=mark_optimizer,
        solution="""
my_optimizer = keras.optimizers.SGD(learning_rate=0.01, momentum=0.9)
""",
        right="right: Keras 3 calls the article's `lr` `learning_rate` (erratum 4)",
    ),
)
