"""Exercises of §6, seeds: the same seed, the same weights; and how often raw runs collapse.

Notebook `6-seeds`. The checks build the seeded models themselves
(`build_model(seed=...)`, the weights `set_seed(seed)` then `build_model()`
gives) and count the notebook's own study rows:

    collapse rate = collapsed runs of the variant / runs of the variant
"""

from __future__ import annotations

from typing import Any

import numpy as np

from iris_keras.exercises.exercise import Exercise
from iris_keras.exercises.marking import Wrong, as_array, mark_array, mark_number

NOTEBOOK = "6-seeds"
SEED, OTHER_SEED = 7, 8


def first_kernel(seed: int) -> np.ndarray:
    """The first hidden kernel of `build_model(standardize=False)` after `set_seed(seed)`."""
    from iris_keras.model import build_model

    return np.asarray(build_model(standardize=False, seed=seed).get_weights()[0], dtype=np.float64)


def mark_same_seed(my_first: Any, my_second: Any, my_other: Any) -> None:
    """6-seeds-a: two builds after set_seed(7) agree, one after set_seed(8) does not."""
    right, other = first_kernel(SEED), first_kernel(OTHER_SEED)
    mark_array(
        "my_first",
        my_first,
        right,
        mistakes=[("is seed 8's kernel: build `my_first` after set_seed(7)", other)],
        otherwise="is not seed 7's kernel: call set_seed(7) right before build_model(...)",
    )
    second = as_array("my_second", my_second)
    if second.shape == right.shape and not np.allclose(second, right):
        raise Wrong(
            "`my_second` differs from `my_first`: each build draws new weights, so call "
            "set_seed(7) again right before it"
        )
    mark_array("my_second", second, right)
    other_answer = as_array("my_other", my_other)
    if other_answer.shape == right.shape and np.allclose(other_answer, right):
        raise Wrong("`my_other` equals `my_first`: build it after set_seed(8)")
    mark_array(
        "my_other", other_answer, other, otherwise="is not seed 8's kernel: set_seed(8), then build"
    )


def mark_collapse_rate(my_collapse_rate: Any, rows: Any, raw: Any, shipped: Any) -> None:
    """6-seeds-b: the share of the raw-centimetre runs that collapsed."""

    def collapsed(variant: Any) -> list[bool]:
        return [bool(row["collapsed"]) for row in rows if row["variant"] == variant.name]

    raw_runs = collapsed(raw)
    right = float(np.mean(raw_runs))
    mark_number(
        "my_collapse_rate",
        my_collapse_rate,
        right,
        mistakes=[
            (
                f"divides by all {len(rows)} runs: count the {len(raw_runs)} raw runs only",
                sum(raw_runs) / len(rows),
            ),
            (f"is a count: divide it by the {len(raw_runs)} raw runs", sum(raw_runs)),
            (
                "is the standardized recipe's rate: ask about `raw`",
                float(np.mean(collapsed(shipped))),
            ),
            ("is the share that did not collapse", 1 - right),
        ],
    )


EXERCISES = (
    Exercise(
        id="6-seeds-a",
        notebook=NOTEBOOK,
        answers=("my_first", "my_second", "my_other"),
        inputs=(),
        mark=mark_same_seed,
        solution="""
set_seed(7)
my_first = build_model(standardize=False).get_weights()[0]
set_seed(7)
my_second = build_model(standardize=False).get_weights()[0]
set_seed(8)
my_other = build_model(standardize=False).get_weights()[0]
""",
        right="right: the seed fixes the initial weights, build after build",
    ),
    Exercise(
        id="6-seeds-b",
        notebook=NOTEBOOK,
        answers=("my_collapse_rate",),
        inputs=("rows", "raw", "shipped"),
        mark=mark_collapse_rate,
        solution="""
raw_runs = [row for row in rows if row["variant"] == raw.name]
n_collapsed = sum(row["collapsed"] for row in raw_runs)
my_collapse_rate = n_collapsed / len(raw_runs)
""",
        right="right: the share of raw-centimetre runs that collapsed to a single answer",
    ),
)
