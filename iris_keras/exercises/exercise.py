"""One exercise: the names a learner defines, the check that marks them, a proven solution.

A notebook's exercise asks the learner to define a variable (`my_bce`,
`my_model`, ...) from what the notebook has already made (`y_true`,
`x_test`, ...). `judge` reads both from the notebook's namespace:

    missing answer            -> "… not answered yet", nothing raised
    missing input             -> "✘ `x_test` is not defined yet: run the cells above …"
    exercise.mark(**names)    -> "✔ …", or "✘ " + the hint it raised

`try_answer` runs a piece of code (the solution, or a wrong answer in the
tests) on a copy of a namespace and judges the result, so that the
learner's own variables are never touched.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Mapping
from typing import Any

from iris_keras.exercises.marking import RIGHT, UNANSWERED, WRONG, Verdict, Wrong


@dataclasses.dataclass(frozen=True)
class Exercise:
    """An exercise of a notebook's `## Exercises` section.

    Attributes:
        id: the exercise's id, the section and a letter, e.g. `"2.5-a"`.
        notebook: the notebook it belongs to, without `.ipynb`.
        answers: the variables the learner defines, e.g. `("my_bce",)`.
        inputs: the notebook's variables the check reads, e.g. `("y_true",)`.
        mark: called with every answer and input by name; returns if the
            answer is right, raises `Wrong` with a hint if not.
        solution: code that defines the answers from the inputs, as a
            learner would write it in the answer cell.
        right: what the `✔` line says.
        after: the exercises whose answers this one reads (4.5-a reads
            4.4-a's `my_model`). Defaults to `()`.
    """

    id: str
    notebook: str
    answers: tuple[str, ...]
    inputs: tuple[str, ...]
    mark: Callable[..., None]
    solution: str
    right: str
    after: tuple[str, ...] = ()


def judge(exercise: Exercise, namespace: Mapping[str, Any]) -> Verdict:
    """Marks the answers that `namespace` holds for `exercise`; never raises for a learner's answer.

    Args:
        exercise: the `Exercise`.
        namespace: the notebook's variables, e.g. its `globals()`.

    Returns:
        A `Verdict`: right, wrong with a one-line hint, or unanswered.
    """
    missing = [name for name in exercise.answers if name not in namespace]
    if missing:
        listed = " and ".join(f"`{name}`" for name in missing)
        return Verdict(
            exercise.id,
            UNANSWERED,
            f"not answered yet: define {listed} in the empty cell above, then run this line again",
        )
    absent = [name for name in exercise.inputs if name not in namespace]
    if absent:
        first = f", and answer {' and '.join(exercise.after)}" if exercise.after else ""
        return Verdict(
            exercise.id,
            WRONG,
            f"`{absent[0]}` is not defined yet: run the cells above this one first{first}",
        )
    names = {name: namespace[name] for name in (*exercise.answers, *exercise.inputs)}
    try:
        exercise.mark(**names)
    except Wrong as wrong:
        return Verdict(exercise.id, WRONG, str(wrong))
    return Verdict(exercise.id, RIGHT, exercise.right)


def try_answer(exercise: Exercise, code: str, namespace: Mapping[str, Any]) -> Verdict:
    """Runs `code` on a copy of `namespace` and judges what it defined.

    Args:
        exercise: the `Exercise`.
        code: Python code, as a learner types it in the answer cell.
        namespace: the notebook's variables; it is copied, never changed.

    Returns:
        The `Verdict` of `judge` on the copy after `code` ran.
    """
    trial = dict(namespace)
    exec(compile(code, f"<answer to {exercise.id}>", "exec"), trial)
    return judge(exercise, trial)
