"""§4.2: the article's network, on today's Keras.

The article builds

    model.add(Dense(4, input_dim=5, activation='relu'))
    model.add(Dense(3, activation='relu'))
    model.add(Dense(1, activation='sigmoid'))

Iris has 4 features, not 5, and Keras 3 starts a model with `keras.Input`.
The head is one sigmoid unit for the article's binary target and a 3-unit
softmax for the three species. Standardization travels inside the model as a
`Normalization` layer whose mean and variance come from the training split
only, so the saved model takes raw centimetres.

On a learner's own table (`datasets.table`) the network follows the data:
one input per feature column, one sigmoid unit for two classes (or one
class against the rest), a softmax for more; the model's name carries the
names of its target, features and labels (`datasets.model_names`).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

import numpy as np
from numpy.typing import ArrayLike

from iris_keras.datasets.iris import DEFAULT_POSITIVE_CLASS, SPECIES, TARGETS
from iris_keras.datasets.model_names import (
    IRIS_BINARY_PREFIX,
    IRIS_MULTICLASS,
    ModelNames,
    model_name,
)
from iris_keras.errors import check_choice, check_positive_int, invalid
from iris_keras.seeding import initializer_seeds

if TYPE_CHECKING:
    import keras

HIDDEN_UNITS = (4, 3)
NUM_FEATURES = 4


def build_model(
    x_train: ArrayLike | None = None,
    *,
    target: str = "binary",
    units: Sequence[int] = HIDDEN_UNITS,
    standardize: bool = True,
    positive_class: str | None = DEFAULT_POSITIVE_CLASS,
    seed: int | None = None,
    names: ModelNames | None = None,
) -> keras.Sequential:
    """Builds the article's `Sequential` network.

    Args:
        x_train: the training features, shape `(n, 4)`, in centimetres (a
            table's: `(n, len(names.feature_names))`); their per-feature
            mean and variance set the `Normalization` layer.
            Required when `standardize=True`. Defaults to `None`.
        target: `"binary"` gives a `Dense(1, sigmoid)` head; `"onehot"` and
            `"sparse"` give `Dense(3, softmax)`. Defaults to `"binary"`.
        units: the widths of the ReLU hidden layers. Defaults to `(4, 3)`,
            the article's.
        standardize: whether the first layer standardizes the inputs.
            Defaults to `True`.
        positive_class: the species a binary target labels 1, one of
            `"setosa"`, `"versicolor"`, `"virginica"`; kept in the model's
            name (`iris_binary_virginica`), so that `predict_species` and a
            saved model can say what the output means. Ignored for the other
            targets. Defaults to `"virginica"`, as in `iris.load_data`.
        seed: the run's seed, for initial weights that no other thread can
            change: the very weights `set_seed(seed)` then `build_model()`
            gives, their seeds drawn apart from Python's global `random`
            (`seeding.initializer_seeds`). `None` lets Keras draw them from
            `random`, as after your own `set_seed`. Defaults to `None`.
        names: a learner's table's names (`datasets.model_names.ModelNames`): one
            input per feature name, one output per label name (one sigmoid
            unit for a `"binary"` target, which needs two label names), and
            the model named after them; `positive_class` is then unused.
            `None` builds iris's network. Defaults to `None`.

    Returns:
        An uncompiled `keras.Sequential`.

    Raises:
        UsageError: a bad `target`, `units` or `positive_class`, no
            `x_train` to standardize with, or `x_train` of another width.

    Example:
    >>> model = build_model(target="onehot", standardize=False)
    >>> [layer.units for layer in model.layers]
    [4, 3, 3]
    >>> build_model(standardize=False).name
    'iris_binary_virginica'
    """
    import keras

    target = check_choice("target", target, TARGETS)
    units = tuple(check_positive_int("units", width) for width in units)
    width, head, name, input_name = _shape(target, positive_class, names)
    layers = [keras.Input(shape=(width,), name=input_name)]
    if standardize:
        layers.append(_normalization(x_train, width))
    activation = "sigmoid" if target == "binary" else "softmax"
    kernels = kernel_initializers(seed, len(units) + 1)
    for index, hidden in enumerate(units, start=1):
        layers.append(
            keras.layers.Dense(
                hidden, "relu", kernel_initializer=kernels[index - 1], name=f"hidden_{index}"
            )
        )
    layers.append(
        keras.layers.Dense(head, activation, kernel_initializer=kernels[-1], name="output")
    )
    return keras.Sequential(layers, name=name)


def layer_widths(
    *,
    target: str = "binary",
    units: Sequence[int] = HIDDEN_UNITS,
    positive_class: str | None = DEFAULT_POSITIVE_CLASS,
    names: ModelNames | None = None,
) -> tuple[int, ...]:
    """The widths `build_model` gives its layers: the inputs, each hidden layer, the head.

    Args:
        target, units, positive_class, names: as for `build_model`.

    Returns:
        A tuple of ints: the input width first, the output units last.

    Example:
    >>> layer_widths(), layer_widths(target="onehot", units=(16, 8))
    ((4, 4, 3, 1), (4, 16, 8, 3))
    """
    width, head, _, _ = _shape(check_choice("target", target, TARGETS), positive_class, names)
    return (width, *(check_positive_int("units", hidden) for hidden in units), head)


def _shape(
    target: str, positive_class: str | None, names: ModelNames | None
) -> tuple[int, int, str, str]:
    """`(input width, output units, model name, input name)` for iris or a table's names."""
    if names is None:
        if target != "binary":
            return NUM_FEATURES, len(SPECIES), IRIS_MULTICLASS, "measurements_cm"
        species = check_choice("positive_class", positive_class, SPECIES)
        return NUM_FEATURES, 1, f"{IRIS_BINARY_PREFIX}{species}", "measurements_cm"
    labels = len(names.class_names)
    if labels < 2 or (target == "binary") != (labels == 2):
        raise invalid(
            "names",
            f"two label names for a binary target, three or more for {target!r}",
            names.class_names,
        )
    return len(names.feature_names), 1 if labels == 2 else labels, model_name(names), "features"


def kernel_initializers(seed: int | None, count: int) -> list[Any]:
    """The kernel initializers of `count` `Dense` layers, in order: `glorot_uniform`, as Keras's.

    With `seed`, each is seeded by `seeding.initializer_seeds(seed, count)`:
    the weights `set_seed(seed)` gives, whatever other threads do. With
    `None`, Keras seeds them from Python's `random` as each layer is made.
    """
    import keras

    if seed is None:
        return ["glorot_uniform"] * count
    return [
        keras.initializers.GlorotUniform(seed=drawn) for drawn in initializer_seeds(seed, count)
    ]


def _normalization(x_train: ArrayLike | None, width: int) -> keras.layers.Normalization:
    import keras

    if x_train is None:
        raise invalid("x_train", "the training features when standardize=True", None)
    x_train = np.asarray(x_train, dtype=np.float32)
    if x_train.ndim != 2 or x_train.shape[1] != width:
        raise invalid("x_train", f"an array of shape (n, {width})", x_train.shape)
    return keras.layers.Normalization(
        mean=x_train.mean(axis=0), variance=x_train.var(axis=0), name="standardize"
    )
