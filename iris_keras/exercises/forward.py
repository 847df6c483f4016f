"""Exercises of §3.1: forward propagation by hand, to the output and to a hidden layer.

Notebook `3.1-forward-propagation`. The checks run `scratch.forward` on
the notebook's `params` (the model's weights), and on the same `params`
with each typical slip made:

    A0 = (X - mean) / std;  A_l = f_l(A_{l-1} @ W_l + b_l)
"""

from __future__ import annotations

from typing import Any

import numpy as np

from iris_keras import scratch
from iris_keras.exercises.exercise import Exercise
from iris_keras.exercises.marking import mark_array

NOTEBOOK = "3.1-forward-propagation"
FLOWERS = 5  # 3.1-a's test flowers: x_test[:5]


def _with(params: list, *, hidden: str | None = None, output: str | None = None) -> list:
    """`params` with the hidden layers' or the output layer's activation replaced."""
    changed = []
    for index, layer in enumerate(params):
        name = output if index == len(params) - 1 else hidden
        changed.append({**layer, "activation": name} if "W" in layer and name else layer)
    return changed


def mark_probabilities(my_probabilities: Any, params: Any, x_test: Any) -> None:
    """3.1-a: the network's output for the first five test flowers."""
    x = np.asarray(x_test[:FLOWERS], dtype=np.float64)
    right = scratch.forward(params, x)
    mark_array(
        "my_probabilities",
        my_probabilities,
        right,
        mistakes=[
            (
                "is computed on raw centimetres: standardize first, (x − mean) / std "
                "with params[0] (erratum 7)",
                scratch.forward(params[1:], x),
            ),
            (
                "is not a probability: the output layer's activation is the sigmoid",
                scratch.forward(_with(params, output="relu"), x),
            ),
            (
                "leaves the ReLU out of the hidden layers",
                scratch.forward(_with(params, hidden="linear"), x),
            ),
            (
                "has shape (5,): keep the output's column, shape (5, 1), as model(x) gives it",
                right[:, 0],
            ),
        ],
    )


def mark_hidden_2(my_hidden_2: Any, params: Any, x_test: Any) -> None:
    """3.1-b: the second hidden layer's output for the 30 test flowers."""
    x = np.asarray(x_test, dtype=np.float64)
    mark_array(
        "my_hidden_2",
        my_hidden_2,
        scratch.forward(params[:3], x),
        mistakes=[
            (
                "is the first hidden layer's output: go one layer further",
                scratch.forward(params[:2], x),
            ),
            (
                "has negative values: that is Z2, before the ReLU",
                scratch.forward(_with(params[:3], output="linear"), x),
            ),
            (
                "is computed on raw centimetres: standardize first, with params[0] (erratum 7)",
                scratch.forward(params[1:3], x),
            ),
            (
                "is the network's output: stop after the second hidden layer",
                scratch.forward(params, x),
            ),
        ],
    )


EXERCISES = (
    Exercise(
        id="3.1-a",
        notebook=NOTEBOOK,
        answers=("my_probabilities",),
        inputs=("params", "x_test"),
        mark=mark_probabilities,
        solution="""
a = (x_test[:5] - params[0]["mean"]) / params[0]["std"]
for layer in params[1:]:
    z = a @ layer["W"] + layer["b"]
    a = scratch.activations.activate(layer["activation"], z)
my_probabilities = a
""",
        right="right: standardize, then z = a @ W + b and a = f(z) for each layer",
    ),
    Exercise(
        id="3.1-b",
        notebook=NOTEBOOK,
        answers=("my_hidden_2",),
        inputs=("params", "x_test"),
        mark=mark_hidden_2,
        solution="""
a = (x_test - params[0]["mean"]) / params[0]["std"]
for layer in params[1:3]:
    a = np.maximum(a @ layer["W"] + layer["b"], 0)
my_hidden_2 = a
""",
        right="right: three numbers per flower, what the output neuron reads",
    ),
)
