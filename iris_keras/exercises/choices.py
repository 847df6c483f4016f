"""Exercises of §2.6 and §4.3, the article's choices: read the atlas of 6,000 runs.

Notebook `2.6-4.3-the-articles-choices`. The checks read the notebook's own
`atlas` (the committed summary) with the package's lookups
(`iris_keras.study.atlas_lookup`), as the notebook does:

    the smallest learning rate whose median reaches the row's best median
    the collapsed share = seeds collapsed to one class by epoch E / 20 seeds
"""

from __future__ import annotations

from typing import Any

import numpy as np

from iris_keras.exercises.exercise import Exercise
from iris_keras.exercises.marking import mark_array, mark_number

NOTEBOOK = "2.6-4.3-the-articles-choices"
ARTICLE = {"recipe": "article", "learning_rate": 0.01, "momentum": 0.9, "batch_size": 32}
HOT = {**ARTICLE, "learning_rate": 0.3, "momentum": 0.99}


def smallest_best_rate(atlas: Any, *, momentum: float, epochs: int) -> float:
    """The smallest learning rate of the article's recipe, batch 32, with the row's best median."""
    from iris_keras.study.atlas_lookup import median_test_accuracy, point

    recipe, _, column, batch = point(atlas, **{**ARTICLE, "momentum": momentum})
    row = median_test_accuracy(atlas, epochs=epochs)[recipe, :, column, batch]
    return float(atlas["learning_rates"][np.flatnonzero(np.isclose(row, np.nanmax(row)))[0]])


def mark_learning_rate(my_learning_rate: Any, atlas: Any) -> None:
    """2.6-4.3-a: without momentum, the smallest learning rate on the plateau at 100 epochs."""
    right = smallest_best_rate(atlas, momentum=0.0, epochs=100)
    index = list(atlas["learning_rates"]).index(right)
    mark_array(
        "my_learning_rate",
        my_learning_rate,
        np.float64(right),
        otherwise="is not the smallest learning rate whose median is the row's best",
        mistakes=[
            (
                "is the answer with the article's momentum 0.9: ask about momentum 0",
                smallest_best_rate(atlas, momentum=0.9, epochs=100),
            ),
            ("is an index: give atlas['learning_rates'] at it", index),
            (
                "is the answer after 20 epochs: read the medians after 100",
                smallest_best_rate(atlas, momentum=0.0, epochs=20),
            ),
            (
                "is the answer after 200 epochs: read the medians after 100",
                smallest_best_rate(atlas, momentum=0.0, epochs=200),
            ),
        ],
    )


def mark_collapsed_share(my_collapsed_share: Any, atlas: Any) -> None:
    """2.6-4.3-b: the share of the hot corner's seeds collapsed by epoch 100."""
    from iris_keras.study.atlas_lookup import failure_shares, point

    hot = point(atlas, **HOT)
    shares = {epochs: failure_shares(atlas, epochs=epochs) for epochs in (20, 100, 200)}
    right = float(shares[100]["collapsed"][hot])
    seeds = len(atlas["seeds"])
    mark_number(
        "my_collapsed_share",
        my_collapsed_share,
        right,
        mistakes=[
            (f"is a count: divide it by the {seeds} seeds", right * seeds),
            ("is the share that did not collapse", 1 - right),
            ("is the share that diverged (none did): ask for the collapsed", 0.0),
            ("is the share after 20 epochs: ask about 100", shares[20]["collapsed"][hot]),
            ("is the share after 200 epochs: ask about 100", shares[200]["collapsed"][hot]),
        ],
    )


EXERCISES = (
    Exercise(
        id="2.6-4.3-a",
        notebook=NOTEBOOK,
        answers=("my_learning_rate",),
        inputs=("atlas",),
        mark=mark_learning_rate,
        solution="""
medians = median_test_accuracy(atlas, epochs=100)
recipe, _, momentum, batch = point(atlas, **{**article, "momentum": 0.0})
row = medians[recipe, :, momentum, batch]
my_learning_rate = atlas["learning_rates"][np.flatnonzero(np.isclose(row, np.nanmax(row)))[0]]
""",
        right="right: without momentum the step must be about ten times larger to learn as well",
    ),
    Exercise(
        id="2.6-4.3-b",
        notebook=NOTEBOOK,
        answers=("my_collapsed_share",),
        inputs=("atlas",),
        mark=mark_collapsed_share,
        solution="""
hot = point(atlas, **{**article, "learning_rate": 0.3, "momentum": 0.99})
my_collapsed_share = failure_shares(atlas, epochs=100)["collapsed"][hot]
""",
        right="right: a large step with heavy momentum kills the ReLU units of most seeds",
    ),
)
