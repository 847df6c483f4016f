"""Predict one flower's species from its four measurements.

A saved model knows what its output means from its name: `build_model`
names a binary model `iris_binary_<species>` (`iris_binary_virginica` by
default, `load_data`'s positive class) and a three-class one
`iris_multiclass`. A binary model of another name answers "positive class".
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from typing import TYPE_CHECKING

import numpy as np

from iris_keras.datasets.iris import FEATURE_NAMES, SPECIES, class_names
from iris_keras.errors import UsageError

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
    measurements = list(measurements)
    if len(measurements) != len(FEATURE_NAMES):
        raise UsageError(
            f"Received {len(measurements)} measurements, expected 4: "
            f"{', '.join(FEATURE_NAMES)} (in cm). Received: {measurements!r}"
        )
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


def class_names_of(model: keras.Model) -> tuple[str, ...]:
    """The name of each output label of a model built by `build_model`."""
    units = model.output_shape[-1]
    if units == 1:
        prefix = "iris_binary_"
        positive = model.name[len(prefix) :] if model.name.startswith(prefix) else ""
        positive = positive if positive in SPECIES else "positive class"
        return class_names(target="binary", positive_class=positive)
    return SPECIES[:units]


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
    import keras

    x = check_measurements(measurements)
    names = class_names_of(model)
    output = keras.ops.convert_to_numpy(model(x, training=False))[0]
    if output.shape[-1] == 1:
        positive = float(output[0])
        return (names[1], positive) if positive >= 0.5 else (names[0], 1.0 - positive)
    index = int(output.argmax())
    return names[index], float(output[index])
