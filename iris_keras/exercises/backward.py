"""Exercises of §3.2: back-propagation by hand, at the output layer and one layer below.

Notebook `3.2-back-propagation`. The right gradients are
`scratch.backward`'s, which equal the backend's automatic differentiation;
the typical slips are the same formulas with one thing wrong:

    delta3 = (A3 - y) / n;            dL/dW3 = A2.T @ delta3
    delta2 = (delta3 @ W3.T) * relu'(Z2);   dL/db2 = sum(delta2, axis=0)
"""

from __future__ import annotations

from typing import Any

import numpy as np

from iris_keras import scratch
from iris_keras.exercises.exercise import Exercise
from iris_keras.exercises.marking import mark_array

NOTEBOOK = "3.2-back-propagation"
LOSS = "binary_crossentropy"


def _forward(params: Any, x: Any, y: Any) -> tuple[np.ndarray, ...]:
    """`(A1, A2, A3, delta3)` of the batch, with labels `y` as a column."""
    x = np.asarray(x, dtype=np.float64)
    a1, a2, a3 = (scratch.forward(params[:end], x) for end in (2, 3, 4))
    delta3 = (a3 - np.asarray(y, dtype=np.float64).reshape(-1, 1)) / len(x)
    return a1, a2, a3, delta3


def mark_output_kernel_gradient(
    my_output_kernel_gradient: Any, params: Any, x: Any, y: Any
) -> None:
    """3.2-a: dL/dW3, the gradient of the output layer's kernel."""
    right = scratch.backward(params, x, y, loss=LOSS)[3]["W"]
    _, a2, a3, delta3 = _forward(params, x, y)
    n = len(delta3)
    mark_array(
        "my_output_kernel_gradient",
        my_output_kernel_gradient,
        right,
        mistakes=[
            (
                "has the wrong sign: delta3 = (A3 − y) / n, positive where A3 is too high",
                -right,
            ),
            (
                f"is {n} times too large: the loss is a mean over {n} flowers, so delta3 has 1/n",
                right * n,
            ),
            (
                "multiplies by the sigmoid's slope A3 (1 − A3): cross-entropy cancels it (§2.5)",
                a2.T @ (delta3 * a3 * (1 - a3)),
            ),
            (
                "is transposed: dL/dW3 has the kernel's shape (3, 1), A2.T @ delta3",
                (a2.T @ delta3).T,
            ),
            (
                f"has shape (3, {n}): y has shape ({n},), so A3 − y broadcast to ({n}, {n}); "
                "use y[:, None]",
                a2.T @ (a3 - np.asarray(y, dtype=np.float64)) / n,
            ),
        ],
        rtol=1e-4,
        atol=1e-7,
    )


def mark_hidden_bias_gradient(my_hidden_2_bias_gradient: Any, params: Any, x: Any, y: Any) -> None:
    """3.2-b: dL/db2, the gradient of the second hidden layer's bias."""
    right = scratch.backward(params, x, y, loss=LOSS)[2]["b"]
    a1, _, _, delta3 = _forward(params, x, y)
    z2 = a1 @ params[2]["W"] + params[2]["b"]
    upstream = delta3 @ params[3]["W"].T
    n = len(delta3)
    mark_array(
        "my_hidden_2_bias_gradient",
        my_hidden_2_bias_gradient,
        right,
        mistakes=[
            (
                f"averages over the flowers: delta already carries the 1/n, so sum its {n} rows",
                right / n,
            ),
            (
                "leaves out the ReLU's slope: multiply by relu'(Z2), 0 where a unit was off",
                upstream.sum(axis=0),
            ),
            ("has the wrong sign: delta3 = (A3 − y) / n", -right),
            (
                f"sums each flower's row (axis=1), shape ({n},): sum over the flowers, axis=0",
                (upstream * (z2 > 0)).sum(axis=1),
            ),
        ],
        rtol=1e-4,
        atol=1e-7,
    )


EXERCISES = (
    Exercise(
        id="3.2-a",
        notebook=NOTEBOOK,
        answers=("my_output_kernel_gradient",),
        inputs=("params", "x", "y"),
        mark=mark_output_kernel_gradient,
        solution="""
a2 = scratch.forward(params[:3], x)  # A2, what the output layer reads
a3 = scratch.forward(params, x)  # A3, the probabilities
delta3 = (a3 - y[:, None]) / len(x)
my_output_kernel_gradient = a2.T @ delta3
""",
        right="right: dL/dW3 = A2ᵀ δ3, as the backend's automatic differentiation computes it",
    ),
    Exercise(
        id="3.2-b",
        notebook=NOTEBOOK,
        answers=("my_hidden_2_bias_gradient",),
        inputs=("params", "x", "y"),
        mark=mark_hidden_bias_gradient,
        solution="""
a1 = scratch.forward(params[:2], x)
z2 = a1 @ params[2]["W"] + params[2]["b"]
delta3 = (scratch.forward(params, x) - y[:, None]) / len(x)
delta2 = (delta3 @ params[3]["W"].T) * (z2 > 0)
my_hidden_2_bias_gradient = delta2.sum(axis=0)
""",
        right="right: δ2 = (δ3 W3ᵀ) ⊙ relu'(Z2), summed over the flowers",
    ),
)
