"""Exercises of §3.3: one SGD step on a kernel, and a whole run of plain gradient descent.

Notebook `3.3-gradient-descent`. The checks use `scratch.sgd_step` and
`scratch.fit`, which train step for step as Keras does:

    velocity = momentum * velocity - learning_rate * g     # velocity starts at 0
    w = w + velocity
"""

from __future__ import annotations

from typing import Any

from iris_keras import scratch
from iris_keras.exercises.exercise import Exercise
from iris_keras.exercises.marking import Wrong, mark_array

NOTEBOOK = "3.3-gradient-descent"
LOSS = "binary_crossentropy"
PLAIN_EPOCHS = 10  # 3.3-b's run


def mark_kernel_step(my_output_kernel: Any, initial: Any, grads: Any, recipe: Any) -> None:
    """3.3-a: the output kernel after the recipe's first SGD step."""
    stepped, _ = scratch.sgd_step(
        initial, grads, learning_rate=recipe.learning_rate, momentum=recipe.momentum
    )
    kernel, gradient = initial[3]["W"], grads[3]["W"]
    mark_array(
        "my_output_kernel",
        my_output_kernel,
        stepped[3]["W"],
        mistakes=[
            (
                "went uphill: subtract learning_rate × gradient",
                kernel + recipe.learning_rate * gradient,
            ),
            (
                f"takes the whole gradient as the step: multiply it by the learning rate "
                f"{recipe.learning_rate:g}",
                kernel - gradient,
            ),
            (
                f"uses the momentum {recipe.momentum:g} as the step size: the learning rate is "
                f"{recipe.learning_rate:g}",
                kernel - recipe.momentum * gradient,
            ),
            ("is the step, the velocity: add it to the kernel", -recipe.learning_rate * gradient),
        ],
    )


def mark_plain_run(
    my_history: Any, initial: Any, params: Any, x_fit: Any, y_fit: Any, recipe: Any
) -> None:
    """3.3-b: the loss history of 10 epochs of plain gradient descent from `initial`."""

    def run(start: Any, **options: Any) -> list[float]:
        settings = {
            "loss": LOSS,
            "epochs": PLAIN_EPOCHS,
            "batch_size": recipe.batch_size,
            "learning_rate": recipe.learning_rate,
            "momentum": 0.0,
            "seed": recipe.seed,
        }
        return scratch.fit(start, x_fit, y_fit, **{**settings, **options})[1]["loss"]

    if not isinstance(my_history, dict) or "loss" not in my_history:
        raise Wrong("`my_history` should be the history scratch.fit returns, a dict with 'loss'")
    losses = my_history["loss"]
    if len(losses) != PLAIN_EPOCHS:
        raise Wrong(f"`my_history` has {len(losses)} epochs; train {PLAIN_EPOCHS}")
    mark_array(
        "my_history['loss']",
        losses,
        run(initial),
        mistakes=[
            (
                f"is the run with momentum {recipe.momentum:g}: plain descent has momentum 0",
                run(initial, momentum=recipe.momentum),
            ),
            ("starts from the trained weights `params`: start from `initial`", run(params)),
            (
                "shuffles with another seed: pass seed=recipe.seed, as fit_model does",
                run(initial, seed=0),
            ),
        ],
    )


EXERCISES = (
    Exercise(
        id="3.3-a",
        notebook=NOTEBOOK,
        answers=("my_output_kernel",),
        inputs=("initial", "grads", "recipe"),
        mark=mark_kernel_step,
        solution="""
# the velocity starts at zero: momentum × 0 − learning_rate × g
velocity = -recipe.learning_rate * grads[3]["W"]
my_output_kernel = initial[3]["W"] + velocity
""",
        right="right: on the first step the velocity is −learning_rate × gradient",
    ),
    Exercise(
        id="3.3-b",
        notebook=NOTEBOOK,
        answers=("my_history",),
        inputs=("initial", "params", "x_fit", "y_fit", "recipe"),
        mark=mark_plain_run,
        solution="""
_, my_history = scratch.fit(
    initial, x_fit, y_fit, loss="binary_crossentropy", epochs=10,
    batch_size=recipe.batch_size, learning_rate=recipe.learning_rate,
    momentum=0.0, seed=recipe.seed,
)
""",
        right="right: w = w − learning_rate × g at every step, for 10 epochs",
    ),
)
