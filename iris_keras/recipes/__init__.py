"""The two recipes: the article's run, faithful, and a corrected one.

`article` is section 4 as printed, on today's Keras: a binary target (one
species against the rest), the article's 4-3 ReLU network with a sigmoid
head, SGD(0.01, momentum 0.9), 100 epochs of batch 32, and the test set
passed as `validation_data`, as the article does.

`multiclass` corrects the article where it is wrong: the three species with
a 3-unit softmax head and categorical cross-entropy, and a validation split
carved from the training data so the test set stays untouched until the
final evaluation. Its hidden layers are 16 and 8 ReLU units wide, not the
article's 4 and 3: in the seed study (`docs/study/`, rows
`multiclass-std-4x3` and `multiclass-std-16x8`, seeds 42 to 61) the 4-3
network fell below 0.9 test accuracy on 5 seeds of 20, most of them still
short of 0.95 training accuracy after 100 epochs, while 16-8 fell below it
on 1 seed of 20, the most the corrected recipe allows.

Both standardize the inputs inside the model (the article does not; its
erratum 7). Every field can be overridden:

>>> get_recipe("article", epochs=5).epochs
5

Each of the article's steps, applied to a recipe: `split_for` (§4.1),
`build_for` (§4.2–4.3) and `fit_recipe` (§4.4). Either recipe also trains on
a learner's own table, `get_recipe("article", data="wine.csv",
target_column="cultivar")`: the table decides the inputs and the head
(`recipes.own_data`).
"""

from __future__ import annotations

import contextlib
import dataclasses
from typing import TYPE_CHECKING, Any

import numpy as np

from iris_keras.batches import steps_per_epoch
from iris_keras.compile import compile_model
from iris_keras.datasets import iris, table
from iris_keras.datasets.iris import DEFAULT_POSITIVE_CLASS, SPECIES, class_names
from iris_keras.datasets.model_names import ModelNames
from iris_keras.errors import (
    check_choice,
    check_non_negative_int,
    check_positive_float,
    check_positive_int,
    check_unit_interval,
    invalid,
)
from iris_keras.model import HIDDEN_UNITS, build_model
from iris_keras.recipes.own_data import TABLE_FIELDS, check_table_fields, on_table
from iris_keras.seeding import DEFAULT_SEED
from iris_keras.train import fit_model

if TYPE_CHECKING:
    import keras

VALIDATIONS = ("test", "split")
# `(features, labels)`: the training, validation or test flowers.
Data = tuple[np.ndarray, np.ndarray]


@dataclasses.dataclass(frozen=True)
class Recipe:
    """Everything that defines a training run.

    Attributes:
        name: the recipe's name.
        target: the label encoding, `"binary"` or `"onehot"`.
        positive_class: the species labelled 1 for a binary target (on a
            table, the class labelled 1, or `None` for a one-hot target).
        validation: `"test"` validates on the test set (the article);
            `"split"` on a stratified split of the training data.
        validation_size: the fraction of the training data held out when
            `validation="split"`.
        units: the widths of the ReLU hidden layers.
        standardize: whether the model standardizes its inputs.
        epochs, batch_size, learning_rate, momentum: as in Keras.
        test_size: the test fraction passed to `iris.load_data`.
        seed: the one seed of the run: split, initial weights, shuffles.
        data: a learner's table (`datasets.table`), its absolute path;
            `None` for iris.
        target_column: the table's column to predict.
        feature_names, table_classes: the table's feature columns and its
            classes, as `table.read_table` found them (`recipes.own_data.on_table`).
    """

    name: str
    target: str
    positive_class: str | None = DEFAULT_POSITIVE_CLASS
    validation: str = "test"
    validation_size: float = 0.2
    units: tuple[int, ...] = HIDDEN_UNITS
    standardize: bool = True
    epochs: int = 100
    batch_size: int = 32
    learning_rate: float = 0.01
    momentum: float = 0.9
    test_size: float = 0.2
    seed: int = DEFAULT_SEED
    data: str | None = None
    target_column: str | None = None
    feature_names: tuple[str, ...] = ()
    table_classes: tuple[str, ...] = ()

    def __post_init__(self) -> None:
        check_choice("target", self.target, ("binary", "onehot"))
        if self.data is None:
            check_choice("positive_class", self.positive_class, SPECIES)
        for field in ("feature_names", "table_classes"):
            object.__setattr__(self, field, tuple(getattr(self, field)))
        check_table_fields(self)
        check_choice("validation", self.validation, VALIDATIONS)
        check_unit_interval(
            "validation_size", self.validation_size, closed_low=False, closed_high=False
        )
        if not self.units:
            raise invalid("units", "at least one hidden layer width", self.units)
        object.__setattr__(
            self, "units", tuple(check_positive_int("units", width) for width in self.units)
        )
        check_positive_int("epochs", self.epochs)
        check_positive_int("batch_size", self.batch_size)
        check_positive_float("learning_rate", self.learning_rate)
        check_unit_interval("momentum", self.momentum, closed_low=True, closed_high=False)
        check_unit_interval("test_size", self.test_size, closed_low=False, closed_high=False)
        check_non_negative_int("seed", self.seed)

    @property
    def class_names(self) -> tuple[str, ...]:
        """The name of each label index."""
        if self.data is not None:
            return table.label_names(self.table_classes, self.positive_class)
        return class_names(target=self.target, positive_class=self.positive_class or "")

    @property
    def model_names(self) -> ModelNames | None:
        """The names a table's model carries (`datasets.model_names`); `None` for iris."""
        if self.data is None or self.target_column is None:
            return None
        return ModelNames(self.target_column, self.feature_names, self.class_names)

    def as_dict(self) -> dict[str, Any]:
        """Every field as JSON-able values (tuples as lists), for metrics and fingerprints.

        A recipe on iris has no table fields here: its fingerprint is the
        one every recorded run of the seed study was made with.
        """
        fields = dataclasses.asdict(self)
        for field in ("units", *TABLE_FIELDS[2:]):
            fields[field] = list(fields[field])
        if self.data is None:
            for field in TABLE_FIELDS:
                del fields[field]
        return fields

    def load_data_kwargs(self) -> dict[str, Any]:
        """The keyword arguments of `iris.load_data` (or `table.load_data`) for this recipe."""
        kwargs: dict[str, Any] = {"target": self.target}
        if self.data is not None:
            kwargs = {"path": self.data, "target": self.target_column}
        return {
            **kwargs,
            "positive_class": self.positive_class,
            "test_size": self.test_size,
            "seed": self.seed,
        }


RECIPES = {
    "article": Recipe(name="article", target="binary", validation="test"),
    "multiclass": Recipe(name="multiclass", target="onehot", validation="split", units=(16, 8)),
}


def get_recipe(name: str, **overrides: Any) -> Recipe:
    """A recipe by name, with some fields replaced.

    Args:
        name: `"article"` or `"multiclass"`.
        **overrides: fields of `Recipe` to replace; `None` values are ignored,
            so CLI options that were not given keep the recipe's value.
            `data` and `target_column` put the recipe on a table
            (`recipes.own_data.on_table`, which sets the fields the table decides).

    Returns:
        A validated `Recipe`.

    Raises:
        UsageError: an unknown recipe or field, a bad value, or a table
            that `table.load_data` refuses.
    """
    recipe = RECIPES[check_choice("recipe", name, tuple(RECIPES))]
    fields = {field.name for field in dataclasses.fields(Recipe)} - {"name"}
    for key in overrides:
        if key not in fields:
            raise invalid("override", f"one of {', '.join(sorted(fields))}", key)
    given = {key: value for key, value in overrides.items() if value is not None}
    if "data" not in given:
        return dataclasses.replace(recipe, **given)
    data, target = given.pop("data"), given.pop("target_column", None)
    positive = given.pop("positive_class", None)
    return on_table(
        dataclasses.replace(recipe, **given), data, target=target, positive_class=positive
    )


def split_for(recipe: Recipe) -> tuple[Data, Data, Data]:
    """Loads the data a recipe trains, validates and tests on.

    Returns:
        `(x_fit, y_fit), (x_val, y_val), (x_test, y_test)`; for the article
        recipe the validation data is the test set, as in the article.
    """
    if recipe.data is None:
        (x_train, y_train), (x_test, y_test) = iris.load_data(**recipe.load_data_kwargs())
    else:
        (x_train, y_train), (x_test, y_test) = table.load_data(**recipe.load_data_kwargs())
    if recipe.validation == "test":
        return (x_train, y_train), (x_test, y_test), (x_test, y_test)
    if recipe.data is not None:
        strata = y_train.argmax(axis=1) if y_train.ndim == 2 else y_train.astype(np.int64)
        table.check_split(
            recipe.data,
            strata,
            recipe.class_names,
            test_size=recipe.validation_size,
            split="validation",
        )
    (x_fit, y_fit), (x_val, y_val) = iris.train_validation_split(
        x_train, y_train, validation_size=recipe.validation_size, seed=recipe.seed
    )
    return (x_fit, y_fit), (x_val, y_val), (x_test, y_test)


def build_for(recipe: Recipe, x_fit: np.ndarray, *, strategy: Any = None) -> keras.Model:
    """Builds and compiles the recipe's model, adapted to the training features.

    The model runs one epoch's batches per compiled call
    (`steps_per_execution`): the same steps, less Python between them (on
    PyTorch, which allows one batch per call, `compile_model` keeps 1). Under
    a `tf.distribute` strategy (`iris_keras.app.distribute.make_strategy`) it
    is built and compiled in the strategy's scope, one batch per call: Keras
    3.15's multi-step loop fails under a `MirroredStrategy`.

    Args:
        recipe: the `Recipe`.
        x_fit: the training features, `split_for(recipe)[0][0]`: their mean
            and variance set the model's standardization.
        strategy: a `tf.distribute.Strategy`, or `None` for one device.
            Defaults to `None`.

    Returns:
        The compiled `keras.Sequential`.
    """
    with contextlib.nullcontext() if strategy is None else strategy.scope():
        model = build_model(
            x_fit,
            target=recipe.target,
            units=recipe.units,
            standardize=recipe.standardize,
            positive_class=recipe.positive_class,  # used by a binary target on iris only
            seed=recipe.seed,
            names=recipe.model_names,  # a table's; None for iris
        )
        return compile_model(
            model,
            target=recipe.target,
            learning_rate=recipe.learning_rate,
            momentum=recipe.momentum,
            steps_per_execution=1
            if strategy is not None
            else steps_per_epoch(len(x_fit), batch_size=recipe.batch_size),
        )


def fit_recipe(
    model: keras.Model, recipe: Recipe, fit_data: Data, validation_data: Data, **fit_kwargs: Any
) -> keras.callbacks.History:
    """Runs `fit_model` with the recipe's epochs, batch size and seed.

    Args:
        model: the model from `build_for(recipe, ...)`.
        recipe: the `Recipe`.
        fit_data: `(x_fit, y_fit)` from `split_for(recipe)`.
        validation_data: `(x_val, y_val)` from `split_for(recipe)`.
        **fit_kwargs: more `fit_model` arguments (`callbacks`, `verbose`, ...).

    Returns:
        The `History` of the epochs run.
    """
    x_fit, y_fit = fit_data
    return fit_model(
        model,
        x_fit,
        y_fit,
        validation_data=validation_data,
        epochs=recipe.epochs,
        batch_size=recipe.batch_size,
        seed=recipe.seed,
        **fit_kwargs,
    )
