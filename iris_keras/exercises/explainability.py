"""Exercises of §6, explainability: one permutation importance by hand, and a ranking.

Notebook `6-explainability`. The checks score the notebook's trained
model with `importance.accuracy_score`:

    importance = accuracy(x) - accuracy(x with one column shuffled)
"""

from __future__ import annotations

import itertools
from typing import Any

import numpy as np

from iris_keras.datasets.iris import FEATURE_NAMES
from iris_keras.exercises.exercise import Exercise
from iris_keras.exercises.marking import Wrong, mark_number

NOTEBOOK = "6-explainability"
SEED = 42  # the model both exercises ask about: models[42]
PETAL_LENGTH = FEATURE_NAMES.index("petal_length")


def mark_importance(my_importance: Any, models: Any, x_train: Any, y_train: Any) -> None:
    """6-explainability-a: the accuracy seed 42's model loses when petal length is shuffled."""
    from iris_keras.importance import accuracy_score

    model, x = models[SEED], np.asarray(x_train)
    order = np.random.default_rng(0).permutation(len(x))

    def shuffled(column: int) -> np.ndarray:
        copy = x.copy()
        copy[:, column] = x[order, column]
        return copy

    baseline = accuracy_score(model, x, y_train)
    after = accuracy_score(model, shuffled(PETAL_LENGTH), y_train)
    mark_number(
        "my_importance",
        my_importance,
        baseline - after,
        mistakes=[
            ("is the accuracy after shuffling: the importance is the accuracy lost", after),
            (
                "is negative: the importance is the accuracy before minus the accuracy after",
                after - baseline,
            ),
            (
                "shuffles column 0, sepal length: petal length is column 2",
                baseline - accuracy_score(model, shuffled(0), y_train),
            ),
            (
                "shuffles whole flowers, every measurement at once: shuffle column 2 only",
                baseline - accuracy_score(model, x[order], y_train),
            ),
        ],
    )


def mark_ranking(my_ranking: Any, frame: Any) -> None:
    """6-explainability-b: the four measurements of seed 42's model, most important first."""
    if isinstance(my_ranking, str) or not hasattr(my_ranking, "__iter__"):
        raise Wrong("`my_ranking` should be a list of the 4 measurements' names")
    names = list(my_ranking)
    unknown = [name for name in names if name not in FEATURE_NAMES]
    if unknown:
        raise Wrong(f"`my_ranking` holds {unknown[0]!r}, not a name of iris.FEATURE_NAMES")
    if sorted(names) != sorted(FEATURE_NAMES):
        raise Wrong(f"`my_ranking` has {len(names)} names: give each of the 4 measurements once")
    seed = frame[frame["seed"] == SEED].set_index("feature")["importance_mean"]
    values = [float(seed[name]) for name in names]
    falls = [later <= earlier for earlier, later in itertools.pairwise(values)]
    if all(falls):
        return
    if all(later >= earlier for earlier, later in itertools.pairwise(values)):
        raise Wrong("`my_ranking` goes from the least important to the most: put the most first")
    at = falls.index(False)
    raise Wrong(
        f"`my_ranking` puts {names[at]} ({values[at]:.3f}) before {names[at + 1]} "
        f"({values[at + 1]:.3f}): sort by importance_mean, largest first"
    )


EXERCISES = (
    Exercise(
        id="6-explainability-a",
        notebook=NOTEBOOK,
        answers=("my_importance",),
        inputs=("models", "x_train", "y_train"),
        mark=mark_importance,
        solution="""
order = np.random.default_rng(0).permutation(len(x_train))
shuffled = x_train.copy()
shuffled[:, 2] = x_train[order, 2]  # petal length, the third column
model = models[42]
before = accuracy_score(model, x_train, y_train)
my_importance = before - accuracy_score(model, shuffled, y_train)
""",
        right="right: the accuracy the model loses when petal length says nothing any more",
    ),
    Exercise(
        id="6-explainability-b",
        notebook=NOTEBOOK,
        answers=("my_ranking",),
        inputs=("frame",),
        mark=mark_ranking,
        solution="""
seed_42 = frame[frame["seed"] == 42]
ranked = seed_42.sort_values("importance_mean", ascending=False)
my_ranking = list(ranked["feature"])
""",
        right="right: the model leans on the petals first",
    ),
)
