"""How an answer is marked: one line, `✔` or what is wrong with it.

An exercise's check is a function that raises `Wrong` with a hint, or
returns when the answer is right. Most answers are arrays or numbers, and
`mark_array` does what a patient teacher does with one: it computes the
right value and the values of the typical mistakes (from the package's own
functions, never typed-in numbers), and names the mistake the answer
matches:

    if allclose(answer, right): ✔
    elif allclose(answer, mistake): the hint of that mistake
    elif answer.shape != right.shape: the shape it has, and the one expected
    elif answer == k * right: off by a factor of k (or the wrong sign, k = -1)
    else: how far it is from the right values

>>> import numpy as np
>>> right = np.array([0.5, 1.5])
>>> mark_array("my_loss", [0.5, 1.5], right)
>>> try:
...     mark_array("my_loss", [1.0, 3.0], right, mistakes=[("sums, not averages", 2 * right)])
... except Wrong as wrong:
...     print(wrong)
`my_loss` sums, not averages
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterable
from typing import Any

import numpy as np
from numpy.typing import ArrayLike

RIGHT, WRONG, UNANSWERED = "right", "wrong", "unanswered"
SYMBOLS = {RIGHT: "✔", WRONG: "✘", UNANSWERED: "…"}
# float32 Keras against float64 NumPy: a millionth apart, relative.
RTOL, ATOL = 1e-5, 1e-8
# One mistake: the hint that names it, and the value it gives.
Mistake = tuple[str, Any]


class Wrong(Exception):  # a verdict on an answer, not an error of the program
    """A wrong answer; the message is the one-line hint the learner reads."""


@dataclasses.dataclass(frozen=True)
class Verdict:
    """What `check` says of an answer: one line, and whether it passed.

    Attributes:
        exercise: the exercise's id, e.g. `"2.5-a"`.
        status: `"right"`, `"wrong"` or `"unanswered"`.
        message: the rest of the line: why it is right, or what is wrong.
    """

    exercise: str
    status: str
    message: str

    @property
    def passed(self) -> bool:
        """Whether the answer is right."""
        return self.status == RIGHT

    def __str__(self) -> str:
        return f"{SYMBOLS[self.status]} {self.exercise}: {self.message}"

    def __repr__(self) -> str:
        return str(self)


def as_array(name: str, value: Any) -> np.ndarray:
    """`value` as a float64 NumPy array (a Keras tensor of any backend too), else `Wrong`."""
    if isinstance(value, bool | str | bytes | dict) or value is None or callable(value):
        raise Wrong(f"`{name}` should hold numbers; it is {_kind(value)}")
    if hasattr(value, "detach"):  # a PyTorch tensor that requires a gradient
        value = value.detach().cpu()
    try:
        array = np.asarray(value, dtype=np.float64)
    except (TypeError, ValueError):
        raise Wrong(f"`{name}` should hold numbers; it is {_kind(value)}") from None
    return array


def mark_array(
    name: str,
    value: Any,
    right: ArrayLike,
    *,
    mistakes: Iterable[Mistake] = (),
    rtol: float = RTOL,
    atol: float = ATOL,
    otherwise: str | None = None,
) -> None:
    """Returns if `value` equals `right`; else raises `Wrong` naming the mistake.

    Args:
        name: the learner's variable, e.g. `"my_loss"`.
        value: what the learner computed.
        right: the right value.
        mistakes: `(hint, value)` pairs, the typical mistakes in the order
            they are tried; a hint continues the sentence "`name` …".
            Defaults to `()`.
        rtol: relative tolerance. Defaults to `1e-5`.
        atol: absolute tolerance. Defaults to `1e-8`.
        otherwise: the hint for an answer of the right shape that matches
            no mistake; `None` says how far it is from `right`.
            Defaults to `None`.

    Raises:
        Wrong: `value` is not `right`; the message says how.
    """
    array, right = as_array(name, value), np.asarray(right, dtype=np.float64)
    if _close(array, right, rtol, atol):
        return
    for hint, mistaken in mistakes:
        if _close(array, np.asarray(mistaken, dtype=np.float64), rtol, atol):
            raise Wrong(f"`{name}` {hint}")
    if array.shape != right.shape:
        raise Wrong(f"`{name}` has shape {array.shape}; expected {_shape_text(right.shape)}")
    if not np.all(np.isfinite(array)):
        raise Wrong(f"`{name}` holds NaN or infinite values")
    raise Wrong(f"`{name}` {otherwise or _how_far(array, right, rtol)}")


def mark_number(name: str, value: Any, right: float, *, mistakes: Iterable[Mistake] = ()) -> None:
    """`mark_array` for a single number (a float, a NumPy scalar or a 0-d tensor)."""
    mark_array(name, value, np.float64(right), mistakes=mistakes)


def _close(array: np.ndarray, other: np.ndarray, rtol: float, atol: float) -> bool:
    return array.shape == other.shape and bool(np.allclose(array, other, rtol=rtol, atol=atol))


def _how_far(array: np.ndarray, right: np.ndarray, rtol: float) -> str:
    """The sign, a constant factor, or the largest difference from `right`."""
    nonzero = np.abs(right) > 1e-12
    if nonzero.any() and np.allclose(array[~nonzero], 0.0):
        ratios = array[nonzero] / right[nonzero]
        factor = float(ratios.flat[0])
        # One number is always some factor of another: name it only when it is a round one.
        telling = factor != 0 and (array.size > 1 or _is_round(factor))
        if telling and np.allclose(ratios, factor, rtol=rtol):
            if np.isclose(factor, -1.0, rtol=rtol):
                return "has the wrong sign: every value is minus the right one"
            return f"is off by a factor of {factor:.4g}: each value is {factor:.4g} × the right one"
    gap = float(np.max(np.abs(array - right)))
    return f"is not right yet: it differs from the right values by up to {gap:.3g}"


def _is_round(factor: float) -> bool:
    """Whether `factor` or its inverse is a whole number (to a thousandth): 2, -1, 1/5."""
    return any(abs(k - round(k)) < 1e-3 * abs(k) for k in (factor, 1 / factor))


def _shape_text(shape: tuple[int, ...]) -> str:
    return "a single number" if shape == () else f"shape {shape}"


def _kind(value: Any) -> str:
    if value is None:
        return "None"
    if isinstance(value, str):
        return f"the text {value!r}"
    return f"a {type(value).__name__}"
