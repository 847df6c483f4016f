"""Predict one flower's species from its four measurements, or one row of your own table.

A saved model knows what its output means from its name (`datasets.model_names`):
`build_model` names a binary iris model `iris_binary_<species>`
(`iris_binary_virginica` by default, `load_data`'s positive class), a
three-class one `iris_multiclass`, and a model of a learner's table after
its target, features and labels. A binary model of another name answers
"positive class".

Measurements come in the model's input order, or by name:

>>> from iris_keras.datasets.model_names import iris_names
>>> read_measurements(["petal_width=2.5", "sepal_length=6.3", "sepal_width=3.3",
...                    "petal_length=6"], iris_names("virginica"))
array([[6.3, 3.3, 6. , 2.5]], dtype=float32)
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence
from typing import TYPE_CHECKING

import numpy as np

from iris_keras.datasets.iris import FEATURE_NAMES
from iris_keras.datasets.model_names import ModelNames, names_of
from iris_keras.errors import UsageError, invalid

if TYPE_CHECKING:
    import keras

MIN_LENGTH_CM = 0.01
MAX_LENGTH_CM = 50.0


def check_measurements(measurements: Iterable[float | str]) -> np.ndarray:
    """Checks four flower measurements in centimetres.

    Accepted: exactly four finite numbers, each in [0.01, 50] cm. Iris
    organs measured in Fisher's data lie between 0.1 and 7.9 cm; zero or
    negative lengths are impossible, a length under 0.1 mm is below what a
    ruler measures on a flower (and would vanish in float32), and 50 cm
    (over six times the largest) leaves room for other irises while catching
    unit mistakes such as millimetres.

    Args:
        measurements: a sequence of four numbers or numeric strings, in the
            order sepal length, sepal width, petal length, petal width.

    Returns:
        float32 array of shape `(1, 4)`.

    Raises:
        UsageError: naming the bad value and what is accepted.
    """
    measurements = _check_count(list(measurements), FEATURE_NAMES, " (in cm)")
    values = []
    for name, raw in zip(FEATURE_NAMES, measurements, strict=True):
        try:
            value = float(raw)
        except (TypeError, ValueError):
            value = math.nan
        if not math.isfinite(value) or not MIN_LENGTH_CM <= value <= MAX_LENGTH_CM:
            raise UsageError(
                f"Received an invalid value for `{name}`, expected a number of "
                f"centimetres in [{MIN_LENGTH_CM:g}, {MAX_LENGTH_CM:g}]. Received: {name}={raw!r}"
            )
        values.append(value)
    return np.asarray([values], dtype=np.float32)


def read_measurements(measurements: Iterable[float | str], names: ModelNames) -> np.ndarray:
    """A model's input from what a user typed: values in input order, or each as `name=value`.

    Args:
        measurements: one value per feature, in the order of
            `names.feature_names` (the table's column order), or all of them
            as `"name=value"` strings in any order.
        names: the model's names (`datasets.model_names.names_of`). An iris model's
            measurements are checked as `check_measurements` does; a table's
            must be finite numbers.

    Returns:
        float32 array of shape `(1, features)`.

    Raises:
        UsageError: naming the bad value, the unknown or missing name, or
            the count received against the count expected.
    """
    measurements = list(measurements)
    named = [isinstance(value, str) and "=" in value for value in measurements]
    if any(named):
        measurements = _by_name(measurements, named, names.feature_names)
    if names.iris:
        return check_measurements(measurements)
    measurements = _check_count(measurements, names.feature_names, "")
    values = []
    for name, raw in zip(names.feature_names, measurements, strict=True):
        try:
            value = float(raw)
        except (TypeError, ValueError):
            value = math.nan
        if not math.isfinite(value):
            raise invalid(name, "a finite number", raw)
        values.append(value)
    return np.asarray([values], dtype=np.float32)


def class_names_of(model: keras.Model) -> tuple[str, ...]:
    """The name of each output label of a model built by `build_model`."""
    return names_of(model.name, model.output_shape[-1]).class_names


def predict_species(model: keras.Model, measurements: Iterable[float | str]) -> tuple[str, float]:
    """Predicts the class of one flower and the model's probability for it.

    Args:
        model: a trained model from `build_model`.
        measurements: four numbers in centimetres (see `check_measurements`).

    Returns:
        `(class_name, probability)`: the class the model gives the most
        probability, named as `class_names_of(model)` says, and that
        probability as a Python float. The README's model answers
        `predict_species(model, [6.3, 3.3, 6.0, 2.5])` with
        `('virginica', 0.99...)` (a doctest of the README checks it).
    """
    return _most_probable(model, check_measurements(measurements), class_names_of(model))


def predict_class(model: keras.Model, measurements: Iterable[float | str]) -> tuple[str, float]:
    """Predicts the class of one row, for any model `build_model` makes, iris's or a table's.

    Args:
        model: a trained model from `build_model`.
        measurements: one value per input, in order or as `name=value`
            (`read_measurements`).

    Returns:
        `(class_name, probability)`, as `predict_species` gives them.
    """
    names = names_of(model.name, model.output_shape[-1])
    return _most_probable(model, read_measurements(measurements, names), names.class_names)


def _most_probable(model: keras.Model, x: np.ndarray, names: tuple[str, ...]) -> tuple[str, float]:
    import keras

    output = keras.ops.convert_to_numpy(model(x, training=False))[0]
    if output.shape[-1] == 1:
        positive = float(output[0])
        return (names[1], positive) if positive >= 0.5 else (names[0], 1.0 - positive)
    index = int(output.argmax())
    return names[index], float(output[index])


def _check_count(measurements: list, expected: Sequence[str], unit: str) -> list:
    if len(measurements) != len(expected):
        raise UsageError(
            f"Received {len(measurements)} measurements, expected {len(expected)}: "
            f"{', '.join(expected)}{unit}. Received: {measurements!r}"
        )
    return measurements


def _by_name(measurements: list, named: list[bool], expected: Sequence[str]) -> list:
    """The values of `name=value` measurements, in the order of `expected`."""
    if not all(named):
        raise UsageError(
            "Received measurements both in order and as name=value, expected one way: "
            f"all in the order {' '.join(expected)}, or all as name=value. "
            f"Received: {measurements!r}"
        )
    pairs = [str(value).rsplit("=", 1) for value in measurements]
    given = {name.strip(): value for name, value in pairs}
    unknown = [name for name in given if name not in expected]
    if unknown or len(given) != len(pairs):
        raise invalid(
            "name", f"each of {', '.join(expected)} once", unknown[0] if unknown else measurements
        )
    missing = [name for name in expected if name not in given]
    if missing:
        raise UsageError(
            f"Received no value for {', '.join(missing)}, expected name=value for each of "
            f"{', '.join(expected)}. Received: {measurements!r}"
        )
    return [given[name] for name in expected]
