"""The project's one error type and the checks that raise it.

Every user-facing check names the parameter, what is accepted and the value
received, in one line, in the style of Keras's own messages:

    Received an invalid value for `epochs`, expected a positive integer.
    Received: epochs=0

(on one line). The CLI prints the message and exits; it never shows a
traceback for an `IrisKerasError` unless `--debug` is given.
"""

import math
import numbers
from collections.abc import Sequence
from typing import Any


class IrisKerasError(ValueError):
    """A bad value from the user: the message is one line and says how to fix it."""


class UsageError(IrisKerasError):
    """A bad argument value; the CLI exits with status 2 for these."""


class DivergedError(IrisKerasError):
    """Training stopped because the loss stopped being a finite number."""


def invalid(name: str, expected: str, value: Any, hint: str = "") -> UsageError:
    """Builds the one-line message for a bad `name=value`.

    Args:
        name: the parameter's name, as the user wrote it.
        expected: what is accepted, e.g. `"a positive integer"`.
        value: the value received.
        hint: an optional sentence on how to fix it. Defaults to `""`.

    Returns:
        A `UsageError` to raise.
    """
    message = (
        f"Received an invalid value for `{name}`, expected {expected}. Received: {name}={value!r}"
    )
    if hint:
        message += f". {hint}"
    return UsageError(message)


def check_positive_int(name: str, value: Any) -> int:
    """Returns `value` as an `int` if it is a positive integer, else raises."""
    if isinstance(value, bool) or not isinstance(value, numbers.Integral) or value < 1:
        raise invalid(name, "a positive integer", value)
    return int(value)


def check_non_negative_int(name: str, value: Any) -> int:
    """Returns `value` as an `int` if it is an integer >= 0, else raises."""
    if isinstance(value, bool) or not isinstance(value, numbers.Integral) or value < 0:
        raise invalid(name, "an integer >= 0", value)
    return int(value)


def check_positive_float(name: str, value: Any) -> float:
    """Returns `value` as a `float` if it is a finite number > 0, else raises."""
    if not _is_real(value) or not math.isfinite(value) or value <= 0:
        raise invalid(name, "a positive finite number", value)
    return float(value)


def check_unit_interval(name: str, value: Any, *, closed_low: bool, closed_high: bool) -> float:
    """Returns `value` as a `float` if it lies in the interval, else raises.

    Args:
        name: the parameter's name.
        value: the value to check.
        closed_low: whether 0 is accepted.
        closed_high: whether 1 is accepted.
    """
    low, high = ("[" if closed_low else "("), ("]" if closed_high else ")")
    ok = _is_real(value) and math.isfinite(value)
    ok = ok and (value >= 0 if closed_low else value > 0)
    ok = ok and (value <= 1 if closed_high else value < 1)
    if not ok:
        raise invalid(name, f"a number in {low}0, 1{high}", value)
    return float(value)


def check_choice(name: str, value: Any, choices: Sequence[str]) -> str:
    """Returns `value` if it is one of `choices`, else raises."""
    if not isinstance(value, str) or value not in choices:
        accepted = ", ".join(repr(choice) for choice in choices)
        raise invalid(name, f"one of {accepted}", value)
    return value


def _is_real(value: Any) -> bool:
    return isinstance(value, numbers.Real) and not isinstance(value, bool)
