"""§4.1: the iris data set, with the call shape the article wanted.

The article's `from keras.datasets import iris` fails: Keras ships no iris
data set. This module gives the same call on scikit-learn's bundled copy of
Fisher's data (150 flowers, 4 measurements in centimetres, 3 species):

>>> from iris_keras.datasets import iris
>>> (x_train, y_train), (x_test, y_test) = iris.load_data()
>>> x_train.shape, y_train.shape, x_test.shape, y_test.shape
((120, 4), (120,), (30, 4), (30,))

The article calls its task "binary" while iris has three species, so the
`target` option says which task the labels are for.
"""

from __future__ import annotations

import math
from typing import TYPE_CHECKING

import numpy as np
from numpy.typing import ArrayLike

from iris_keras.errors import (
    check_choice,
    check_non_negative_int,
    check_unit_interval,
    invalid,
)
from iris_keras.seeding import DEFAULT_SEED

if TYPE_CHECKING:
    import pandas as pd

FEATURE_NAMES = ("sepal_length", "sepal_width", "petal_length", "petal_width")
SPECIES = ("setosa", "versicolor", "virginica")
TARGETS = ("binary", "onehot", "sparse")
DEFAULT_POSITIVE_CLASS = "virginica"
NUM_SAMPLES = 150


def load_data(
    *,
    target: str = "binary",
    positive_class: str = DEFAULT_POSITIVE_CLASS,
    test_size: float = 0.2,
    seed: int = DEFAULT_SEED,
) -> tuple[tuple[np.ndarray, np.ndarray], tuple[np.ndarray, np.ndarray]]:
    """Loads iris as `(x_train, y_train), (x_test, y_test)`.

    The split is stratified by species, so each split keeps the 1:1:1 ratio,
    and it is the same for the same `seed`.

    Args:
        target: the label encoding. `"binary"`: 1.0 for `positive_class`,
            0.0 for the other two species (the article's task), float32 of
            shape `(n,)`. `"onehot"`: float32 of shape `(n, 3)`. `"sparse"`:
            the species index 0, 1 or 2, int64 of shape `(n,)`.
            Defaults to `"binary"`.
        positive_class: the species labelled 1 when `target="binary"`, one of
            `"setosa"`, `"versicolor"`, `"virginica"`. Ignored for the other
            targets. Defaults to `"virginica"`.
        test_size: the fraction of flowers held out for testing, in (0, 1).
            Defaults to `0.2` (30 test flowers, 120 training flowers).
        seed: the seed of the stratified shuffle. Defaults to `42`.

    Returns:
        `(x_train, y_train), (x_test, y_test)`: features are float32 arrays of
        shape `(n, 4)` in centimetres, in the order of `FEATURE_NAMES`; labels
        as `target` says.

    Raises:
        UsageError: an option is not one of the accepted values.
    """
    from sklearn.model_selection import train_test_split

    target, positive_class, test_size, seed = _check_options(
        target, positive_class, test_size, seed
    )
    features, species = _load_arrays()
    x_train, x_test, s_train, s_test = train_test_split(
        features, species, test_size=test_size, random_state=seed, stratify=species
    )
    return (
        (x_train, encode_labels(s_train, target=target, positive_class=positive_class)),
        (x_test, encode_labels(s_test, target=target, positive_class=positive_class)),
    )


def encode_labels(
    species: ArrayLike, *, target: str = "binary", positive_class: str = DEFAULT_POSITIVE_CLASS
) -> np.ndarray:
    """Encodes species indices (0, 1, 2) for a `target`, as `load_data` does.

    Args:
        species: int array of species indices, shape `(n,)`.
        target: `"binary"`, `"onehot"` or `"sparse"`. Defaults to `"binary"`.
        positive_class: the species labelled 1 for `"binary"`.
            Defaults to `"virginica"`.

    Returns:
        The labels: float32 `(n,)`, float32 `(n, 3)` or int64 `(n,)`.
    """
    species = np.asarray(species, dtype=np.int64)
    if target == "binary":
        return (species == SPECIES.index(positive_class)).astype(np.float32)
    if target == "onehot":
        return np.eye(len(SPECIES), dtype=np.float32)[species]
    return species


def class_names(
    *, target: str = "binary", positive_class: str = DEFAULT_POSITIVE_CLASS
) -> tuple[str, ...]:
    """The names of the label values, in label order.

    Returns:
        `("not virginica", "virginica")` for a binary target on virginica;
        the three species for `"onehot"` and `"sparse"`.
    """
    if target == "binary":
        return (f"not {positive_class}", positive_class)
    return SPECIES


def load_frame() -> pd.DataFrame:
    """The whole data set as a pandas DataFrame, for tables and plots.

    Returns:
        A DataFrame of shape (150, 5): the four measurements in centimetres
        (float32 columns named as `FEATURE_NAMES`) and a categorical
        `species` column.
    """
    import pandas as pd

    features, species = _load_arrays()
    frame = pd.DataFrame(features, columns=list(FEATURE_NAMES))
    frame["species"] = pd.Categorical.from_codes(species, categories=list(SPECIES))
    return frame


def train_validation_split(
    x: np.ndarray, y: np.ndarray, *, validation_size: float = 0.2, seed: int = DEFAULT_SEED
) -> tuple[tuple[np.ndarray, np.ndarray], tuple[np.ndarray, np.ndarray]]:
    """Carves a stratified validation split out of the training data.

    The corrected recipe uses it so that the test set stays untouched until
    the final evaluation (the article validates on its test set).

    Args:
        x: features, shape `(n, 4)`.
        y: labels in any `target` encoding.
        validation_size: the fraction held out for validation, in (0, 1).
            Defaults to `0.2`.
        seed: the seed of the stratified shuffle. Defaults to `42`.

    Returns:
        `(x_fit, y_fit), (x_val, y_val)`.
    """
    from sklearn.model_selection import train_test_split

    validation_size = check_unit_interval(
        "validation_size", validation_size, closed_low=False, closed_high=False
    )
    strata = y.argmax(axis=1) if y.ndim == 2 else y
    x_fit, x_val, y_fit, y_val = train_test_split(
        x, y, test_size=validation_size, random_state=seed, stratify=strata
    )
    return (x_fit, y_fit), (x_val, y_val)


def _check_options(
    target: str, positive_class: str, test_size: float, seed: int
) -> tuple[str, str, float, int]:
    target = check_choice("target", target, TARGETS)
    positive_class = check_choice("positive_class", positive_class, SPECIES)
    test_size = check_unit_interval("test_size", test_size, closed_low=False, closed_high=False)
    seed = check_non_negative_int("seed", seed)
    n_test = math.ceil(test_size * NUM_SAMPLES)  # scikit-learn rounds the test side up
    if min(n_test, NUM_SAMPLES - n_test) < len(SPECIES):
        raise invalid(
            "test_size",
            "a fraction in (0, 1) that leaves at least one flower per species "
            "in each split, that is between 0.014 and 0.98",
            test_size,
        )
    return target, positive_class, test_size, seed


def _load_arrays() -> tuple[np.ndarray, np.ndarray]:
    from sklearn.datasets import load_iris

    bunch = load_iris()
    return bunch.data.astype(np.float32), bunch.target.astype(np.int64)
