"""Exercises of §2.1–2.3: count a network's parameters, compute a neuron and a layer by hand.

Notebook `2.1-2.3-network-neuron-layer`. The checks compute the right
values with `build_model` and `scratch`:

    parameters = sum(inputs * units + units)          # per Dense layer
    a = sigmoid(x @ w + b)                            # one neuron
    A1 = relu(((x - mean) / std) @ W1 + b1)           # the first hidden layer
"""

from __future__ import annotations

from typing import Any

import numpy as np

from iris_keras.exercises.exercise import Exercise
from iris_keras.exercises.marking import mark_array, mark_number
from iris_keras.scratch import activations, layers

NOTEBOOK = "2.1-2.3-network-neuron-layer"
# The corrected network of 2.1-a: 4 inputs, ReLU layers of 16 and 8, 3 softmax outputs.
WIDE_UNITS = (16, 8)
FLOWERS = 5  # the test flowers of 2.2-a and 2.3-a: x_test[:5]


def mark_parameter_count(my_parameter_count: Any) -> None:
    """2.1-a: the trainable parameters of the 4-16-8-3 network."""
    from iris_keras.model import build_model

    model = build_model(target="onehot", units=WIDE_UNITS, standardize=False)
    right = sum(int(np.prod(weight.shape)) for weight in model.trainable_weights)
    kernels = sum(int(np.prod(weight.shape)) for weight in model.trainable_weights[::2])
    binary = build_model(target="binary", units=WIDE_UNITS, standardize=False)
    mark_number(
        "my_parameter_count",
        my_parameter_count,
        right,
        mistakes=[
            (
                "counts the kernels only: each unit also has a bias, `inputs × units + units`",
                kernels,
            ),
            (
                "counts 5 inputs, the article's `input_dim=5` (erratum 2): iris has 4 measurements",
                right + WIDE_UNITS[0],
            ),
            (
                "counts one output unit, the article's binary head: three species need 3 softmax "
                "units (erratum 3)",
                binary.count_params(),
            ),
            ("counts the units, not the weights and biases between them", sum(WIDE_UNITS) + 3),
        ],
    )


def mark_neuron(my_activations: Any, w: Any, b: Any, x_test: Any) -> None:
    """2.2-a: the sigmoid neuron `(w, b)` on the first five test flowers."""
    x = np.asarray(x_test[:FLOWERS], dtype=np.float64)
    z = x @ np.asarray(w, dtype=np.float64) + np.float64(b)
    mark_array(
        "my_activations",
        my_activations,
        activations.sigmoid(z),
        mistakes=[
            ("is z = w · x + b, before the activation: pass it through the sigmoid", z),
            ("leaves out the bias b: a = sigmoid(w · x + b)", activations.sigmoid(z - b)),
            ("is ReLU(z): this neuron's activation is the sigmoid", activations.relu(z)),
            (
                "is sigmoid(−z) = 1 − sigmoid(z): the sigmoid is 1 / (1 + exp(−z))",
                1 / (1 + np.exp(z)),
            ),
            (
                "has one column: give one number per flower, shape (5,)",
                activations.sigmoid(z)[:, None],
            ),
        ],
    )


def mark_layer(my_hidden: Any, params: Any, x_test: Any) -> None:
    """2.3-a: the first hidden layer's output on the first five test flowers."""
    standardize, hidden = params[0], params[1]
    raw = np.asarray(x_test[:FLOWERS], dtype=np.float64)
    x = layers.standardize_forward(raw, standardize["mean"], standardize["std"])
    W, b = hidden["W"], hidden["b"]
    mark_array(
        "my_hidden",
        my_hidden,
        activations.relu(x @ W + b),
        mistakes=[
            (
                "is computed on raw centimetres: the model standardizes them first, "
                "(x − mean) / std with params[0] (erratum 7)",
                activations.relu(raw @ W + b),
            ),
            ("has negative values: that is Z, before the ReLU", x @ W + b),
            (
                "uses the rows of W: neuron i's weights are column i of the kernel, so x @ W",
                activations.relu(x @ W.T + b),
            ),
            (
                "only subtracts the mean: standardizing also divides by the std",
                activations.relu((raw - standardize["mean"]) @ W + b),
            ),
        ],
    )


EXERCISES = (
    Exercise(
        id="2.1-a",
        notebook=NOTEBOOK,
        answers=("my_parameter_count",),
        inputs=(),
        mark=mark_parameter_count,
        solution="""
# inputs × units + units, for each Dense layer: 4 → 16 → 8 → 3
my_parameter_count = (4 * 16 + 16) + (16 * 8 + 8) + (8 * 3 + 3)
""",
        right="right: inputs × units + units for each Dense layer, every one of them trained",
    ),
    Exercise(
        id="2.2-a",
        notebook=NOTEBOOK,
        answers=("my_activations",),
        inputs=("w", "b", "x_test"),
        mark=mark_neuron,
        solution="""
z = x_test[:5] @ w + b
my_activations = 1 / (1 + np.exp(-z))
""",
        right="right: a = sigmoid(w · x + b) for each of the five flowers",
    ),
    Exercise(
        id="2.3-a",
        notebook=NOTEBOOK,
        answers=("my_hidden",),
        inputs=("params", "x_test"),
        mark=mark_layer,
        solution="""
standardize, hidden_1 = params[0], params[1]
x = (x_test[:5] - standardize["mean"]) / standardize["std"]
my_hidden = np.maximum(x @ hidden_1["W"] + hidden_1["b"], 0)
""",
        right="right: A1 = relu(X̂ W1 + b1), one row per flower, one column per neuron",
    ),
)
