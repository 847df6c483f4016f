"""Exercises of §4.1: labels for another binary task, and standardization by hand.

Notebook `4.1-data-preparation`. The checks load the labels with
`iris.load_data` and standardize with the training statistics:

    x_standardized = (x_train - x_train.mean(axis=0)) / x_train.std(axis=0)
"""

from __future__ import annotations

from typing import Any

import numpy as np

from iris_keras.datasets import iris
from iris_keras.exercises.exercise import Exercise
from iris_keras.exercises.marking import mark_array

NOTEBOOK = "4.1-data-preparation"
POSITIVE_CLASS = "versicolor"  # 4.1-a's task: versicolor or not


def mark_versicolor_labels(my_y_train: Any) -> None:
    """4.1-a: the training labels of the task "versicolor or not"."""

    def labels(**options: Any) -> np.ndarray:
        return iris.load_data(**options)[0][1]

    right = labels(positive_class=POSITIVE_CLASS)
    mark_array(
        "my_y_train",
        my_y_train,
        right,
        mistakes=[
            ("labels virginica, the default: pass positive_class='versicolor'", labels()),
            (
                "holds the species indices 0, 1, 2: a binary task has labels 0 and 1 "
                "(the article's erratum 3)",
                labels(target="sparse"),
            ),
            (
                "is one-hot, 3 columns: the binary task has one label per flower",
                labels(target="onehot"),
            ),
            ("labels versicolor 0 and the other species 1: the other way round", 1 - right),
        ],
    )


def mark_standardized(my_x_standardized: Any, x_train: Any) -> None:
    """4.1-b: the training features standardized with the training statistics."""
    x = np.asarray(x_train, dtype=np.float64)
    mean, std = x.mean(axis=0), x.std(axis=0)
    mark_array(
        "my_x_standardized",
        my_x_standardized,
        (x - mean) / std,
        mistakes=[
            ("is still in centimetres: subtract each measurement's mean, divide by its std", x),
            (
                "standardizes each flower (axis=1): standardize each measurement over the "
                "flowers, axis=0",
                (x - x.mean(axis=1, keepdims=True)) / x.std(axis=1, keepdims=True),
            ),
            (
                "divides by the variance: divide by the standard deviation, its square root",
                (x - mean) / std**2,
            ),
            (
                "is centred but not scaled: divide by each measurement's standard deviation",
                x - mean,
            ),
        ],
        rtol=1e-4,
        atol=1e-5,
    )


EXERCISES = (
    Exercise(
        id="4.1-a",
        notebook=NOTEBOOK,
        answers=("my_y_train",),
        inputs=(),
        mark=mark_versicolor_labels,
        solution="""
(_, my_y_train), _ = iris.load_data(positive_class="versicolor")
""",
        right="right: 1 for versicolor, 0 for the two other species",
    ),
    Exercise(
        id="4.1-b",
        notebook=NOTEBOOK,
        answers=("my_x_standardized",),
        inputs=("x_train",),
        mark=mark_standardized,
        solution="""
mean, std = x_train.mean(axis=0), x_train.std(axis=0)
my_x_standardized = (x_train - mean) / std
""",
        right="right: each measurement now has mean 0 and standard deviation 1",
    ),
)
