"""Exercises with checked answers, for every section notebook.

Each section notebook ends with a `## Exercises` section. An exercise asks
for a variable (`my_activations`, `my_model`, ...); the learner defines it
in the empty cell below the prompt and runs one line:

    check("2.2-a")      # ✔ 2.2-a: right ...   or   ✘ 2.2-a: `my_activations` is ...

`check` reads the answer from the notebook's variables and says, in one
line, that it is right or which mistake it looks like; an exercise not
answered yet says so without raising. `solution("2.2-a")` shows a solution
and proves it: it runs on a copy of the notebook's variables and must pass
the same check. The knowledge of each check (the right value and the
typical mistakes, computed with `scratch`, `model`, `recipes`, ...) lives
in one module per notebook; `EXERCISES` holds them all by id.

>>> verdict = check("2.5-a", {"y_true": [[1.0], [0.0]], "y_pred": [[0.5], [0.5]]})
>>> verdict
… 2.5-a: not answered yet: define `my_bce` in the empty cell above, then run this line again
>>> import math
>>> check("2.5-a", {"y_true": [[1.0], [0.0]], "y_pred": [[0.5], [0.5]], "my_bce": math.log(4)})
✘ 2.5-a: `my_bce` sums the losses of the 2 flowers: average them, the mean over the batch
"""

from __future__ import annotations

import dataclasses
import sys
from collections.abc import Mapping
from typing import Any

from iris_keras.errors import check_choice
from iris_keras.exercises import (
    activations,
    backward,
    build_and_compile,
    choices,
    data,
    descent,
    explainability,
    forward,
    losses,
    network,
    optimizers,
    seeds,
    train_and_evaluate,
)
from iris_keras.exercises.exercise import Exercise, judge, try_answer
from iris_keras.exercises.marking import Verdict

SECTIONS = (
    network,
    activations,
    losses,
    optimizers,
    choices,
    forward,
    backward,
    descent,
    data,
    build_and_compile,
    train_and_evaluate,
    explainability,
    seeds,
)
EXERCISES: dict[str, Exercise] = {
    exercise.id: exercise for section in SECTIONS for exercise in section.EXERCISES
}

__all__ = ["EXERCISES", "Exercise", "Verdict", "check", "get_exercise", "solution", "try_answer"]


def get_exercise(exercise: str) -> Exercise:
    """The `Exercise` with the id `exercise`, e.g. `"4.2-a"`; a one-line `UsageError` if none."""
    return EXERCISES[check_choice("exercise", exercise, tuple(EXERCISES))]


def check(exercise: str, namespace: Mapping[str, Any] | None = None) -> Verdict:
    """Checks the learner's answer to `exercise`: one line, `✔` or what is wrong.

    Args:
        exercise: the exercise's id, e.g. `"2.2-a"`.
        namespace: the variables holding the answer and the notebook's
            data; `None` reads the caller's, the notebook's own.
            Defaults to `None`.

    Returns:
        A `Verdict`, shown as its line; `verdict.passed` says whether the
        answer is right.

    Raises:
        UsageError: `exercise` is not an exercise's id.
    """
    found = get_exercise(exercise)
    return judge(found, sys._getframe(1).f_globals if namespace is None else namespace)


@dataclasses.dataclass(frozen=True)
class Solution:
    """A solution and the verdict of its check; a notebook shows the code, then the line."""

    exercise: str
    code: str
    verdict: Verdict

    def _repr_markdown_(self) -> str:
        # The verdict as the line `check` prints, untouched by Markdown (quotes, backticks).
        return f"```python\n{self.code}\n```\n\n```text\n{self.verdict}\n```"

    def __repr__(self) -> str:
        return f"{self.code}\n\n{self.verdict}"


def solution(exercise: str, namespace: Mapping[str, Any] | None = None) -> Solution:
    """A solution of `exercise`, run on a copy of the notebook's variables and checked.

    Args:
        exercise: the exercise's id, e.g. `"2.2-a"`.
        namespace: the notebook's variables; `None` reads the caller's.
            They are copied: the learner's own answer is left as it is.
            Where the exercise reads an earlier one's answer that the
            learner has not given yet, that one's solution runs first.
            Defaults to `None`.

    Returns:
        A `Solution`: a notebook shows its code, then its `✔` line.

    Raises:
        UsageError: `exercise` is not an exercise's id.
        AssertionError: the solution fails its own check (a bug of this
            package, which the notebook tests catch).
    """
    found = get_exercise(exercise)
    variables = dict(sys._getframe(1).f_globals if namespace is None else namespace)
    for earlier in map(get_exercise, found.after):  # their answers, where the learner has none
        if any(name not in variables for name in earlier.answers):
            exec(compile(earlier.solution, f"<solution of {earlier.id}>", "exec"), variables)
    verdict = try_answer(found, found.solution, variables)
    if not verdict.passed:
        raise AssertionError(f"The solution of {exercise} fails its check: {verdict}")
    return Solution(exercise, found.solution.strip(), verdict)
