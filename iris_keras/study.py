"""The seed study's variants, and one run of one variant with what it records.

One training run says little about a recipe: the article's 4-3 ReLU network
learns iris perfectly on some seeds and collapses to a constant answer on
others. The study trains every variant on many seeds and records, per run:

- `test_accuracy`, `test_loss`: `evaluate_model` on the test split;
- `epoch_to_0.95`: the first epoch (from 1) whose training accuracy reached
  0.95, or `None` when none did;
- `dead_units`: hidden ReLU units that output 0 for every training input
  at the end, over all hidden layers (such a unit gets no gradient and never
  comes back);
- `collapsed`: whether the model predicts one class for every test input.

A variant is a recipe with three fields pinned: the positive class (article
recipe), `standardize`, and the hidden `units`. The grid is the article
recipe for each of the three species and the multiclass recipe, with and
without standardization, with the article's (4, 3) hidden layers and a wider
(16, 8) network: 16 variants. (16, 8) keeps the article's depth and its
narrowing shape and only widens it, four times the first layer: one dead
unit can no longer cut the only path to the head, and the model stays tiny
(225 to 243 weights, against 39 to 47) and as fast to train.

A seed fixes everything random in a run: the train/test split, the initial
weights and each epoch's shuffle (`get_recipe(name, seed=seed)`).

>>> [variant.name for variant in study_variants()][-4:]
['multiclass-std-4x3', 'multiclass-std-16x8', 'multiclass-raw-4x3', 'multiclass-raw-16x8']
"""

import dataclasses
import time

import numpy as np

from iris_keras.datasets.iris import SPECIES
from iris_keras.errors import check_choice, check_non_negative_int, check_positive_int, invalid
from iris_keras.model import HIDDEN_UNITS
from iris_keras.recipes import RECIPES, get_recipe

ARTICLE_UNITS = HIDDEN_UNITS
WIDE_UNITS = (16, 8)
ACCURACY_TARGET = 0.95


@dataclasses.dataclass(frozen=True)
class Variant:
    """A recipe with its positive class, standardization and hidden widths pinned.

    Attributes:
        recipe: `"article"` or `"multiclass"`.
        positive_class: the species of the article's binary target; `None`
            for the multiclass recipe.
        standardize: whether the model standardizes its inputs.
        units: the hidden layer widths, e.g. `(4, 3)`.
    """

    recipe: str
    positive_class: str | None
    standardize: bool
    units: tuple

    def __post_init__(self):
        check_choice("recipe", self.recipe, tuple(RECIPES))
        if self.recipe == "article":
            check_choice("positive_class", self.positive_class, SPECIES)
        elif self.positive_class is not None:
            raise invalid("positive_class", "None for the multiclass recipe", self.positive_class)
        object.__setattr__(
            self, "units", tuple(check_positive_int("units", width) for width in self.units)
        )

    @property
    def name(self):
        """E.g. `"article-virginica-std-4x3"` or `"multiclass-raw-16x8"`."""
        parts = [self.recipe, self.positive_class, "std" if self.standardize else "raw"]
        parts.append("x".join(str(width) for width in self.units))
        return "-".join(part for part in parts if part)

    def to_recipe(self, *, seed, epochs=None):
        """The `Recipe` of this variant's run with `seed` (and `epochs`, if given)."""
        return get_recipe(
            self.recipe,
            positive_class=self.positive_class,
            standardize=self.standardize,
            units=self.units,
            seed=seed,
            epochs=epochs,
        )

    @property
    def is_shipped(self):
        """Whether this variant is the recipe exactly as `get_recipe(recipe)` ships it."""
        shipped = RECIPES[self.recipe]
        return (
            self.standardize == shipped.standardize
            and self.units == shipped.units
            and (self.positive_class or shipped.positive_class) == shipped.positive_class
        )


def study_variants(*, units=(ARTICLE_UNITS, WIDE_UNITS)):
    """The study's grid: each recipe and species, standardized or not, each width.

    Args:
        units: the hidden widths to compare. Defaults to `((4, 3), (16, 8))`.

    Returns:
        A list of `Variant`, 16 with the default `units`: the article recipe
        for setosa, versicolor, virginica, then multiclass; within each,
        standardized then raw inputs; within those, each width in turn.
    """
    targets = [("article", species) for species in SPECIES] + [("multiclass", None)]
    return [
        Variant(recipe, positive_class, standardize, widths)
        for recipe, positive_class in targets
        for standardize in (True, False)
        for widths in units
    ]


def run_variant(variant, seed, *, epochs=None):
    """Trains one variant with one seed and measures it; no file is written.

    Runs what `train_recipe` runs (`set_seed`, `split_for`, `build_for`,
    `fit_model`, `evaluate_model`) in this process, silently, after clearing
    Keras's session, so a run's result does not depend on the runs before it.

    Args:
        variant: a `Variant`.
        seed: the run's seed, an integer >= 0.
        epochs: the number of epochs; `None` keeps the recipe's 100.
            Defaults to `None`.

    Returns:
        A dict: `variant`, `recipe`, `positive_class`, `standardize`,
        `units` (e.g. `"4x3"`), `seed`, `epochs`, `config` (see
        `recipe_config`), `test_accuracy`,
        `test_loss`, `epoch_to_0.95` (int or `None`), `dead_units` (int),
        `collapsed` (bool) and `seconds` (wall time of the run).
    """
    import keras

    from iris_keras.evaluate import evaluate_model
    from iris_keras.run import build_for, fit_recipe, split_for
    from iris_keras.seeding import set_seed

    started = time.perf_counter()
    seed = check_non_negative_int("seed", seed)
    recipe = variant.to_recipe(seed=seed, epochs=epochs)
    keras.backend.clear_session()
    set_seed(recipe.seed)
    (x_fit, y_fit), validation_data, (x_test, y_test) = split_for(recipe)
    model = build_for(recipe, x_fit)
    history = fit_recipe(model, recipe, (x_fit, y_fit), validation_data, verbose=0)
    scores = evaluate_model(model, x_test, y_test, class_names=recipe.class_names)
    return {
        "variant": variant.name,
        "recipe": variant.recipe,
        "positive_class": variant.positive_class,
        "standardize": variant.standardize,
        "units": "x".join(str(width) for width in variant.units),
        "seed": seed,
        "epochs": recipe.epochs,
        "config": recipe_config(recipe),
        "test_accuracy": scores["test_accuracy"],
        "test_loss": scores["test_loss"],
        "epoch_to_0.95": first_epoch_reaching(history.history["accuracy"], ACCURACY_TARGET),
        "dead_units": dead_relu_units(model, x_fit),
        "collapsed": predicts_single_class(model, x_test),
        "seconds": round(time.perf_counter() - started, 3),
    }


def recipe_config(recipe):
    """A fingerprint of every field of `recipe` but its seed: 12 hex digits.

    A resumed study compares it with the recorded rows', so runs made with
    other hyperparameters (another learning rate, a recipe changed since)
    are never mixed with new ones.

    Example:
    >>> recipe_config(get_recipe("article", seed=1)) == recipe_config(get_recipe("article"))
    True
    """
    import hashlib
    import json

    fields = recipe.as_dict()
    fields.pop("seed")
    return hashlib.sha256(json.dumps(fields, sort_keys=True).encode()).hexdigest()[:12]


def first_epoch_reaching(accuracies, threshold=ACCURACY_TARGET):
    """The first epoch, counted from 1, whose accuracy is at least `threshold`.

    Keras computes accuracy in float32, where 114/120 is 0.94999999, below
    the float64 0.95; both sides are compared as float32 so that 114 right
    out of 120 counts as reaching 0.95.

    Args:
        accuracies: one accuracy per epoch, e.g. `history.history["accuracy"]`.
        threshold: the accuracy to reach. Defaults to `0.95`.

    Returns:
        An `int` from 1, or `None` when no epoch reached `threshold`.

    Example:
    >>> first_epoch_reaching([0.5, float(np.float32(114 / 120)), 1.0])
    2
    >>> first_epoch_reaching([0.5, 0.9]) is None
    True
    """
    reached = np.flatnonzero(np.asarray(accuracies, dtype=np.float32) >= np.float32(threshold))
    return int(reached[0]) + 1 if len(reached) else None


def dead_relu_units(model, x):
    """The number of hidden ReLU units that output 0 for every row of `x`.

    Feeds `x` through the model's layers in turn and, after each `Dense`
    layer with a ReLU activation, counts the units whose output is 0 on
    every input:

        dead += sum(all(relu(h @ W + b) == 0, axis=0))

    The output layer (sigmoid or softmax) is never counted.

    Args:
        model: a `keras.Sequential`, e.g. from `build_model`.
        x: the inputs, shape `(n, 4)`, e.g. the training features.

    Returns:
        An `int` from 0 to the total hidden width.
    """
    import keras

    outputs = np.asarray(x, dtype=np.float32)
    dead = 0
    for layer in model.layers:
        outputs = layer(outputs)
        is_relu = getattr(layer, "activation", None) is keras.activations.relu
        if isinstance(layer, keras.layers.Dense) and is_relu:
            dead += int(np.all(keras.ops.convert_to_numpy(outputs) == 0, axis=0).sum())
    return dead


def predicts_single_class(model, x):
    """Whether the model predicts the same class for every row of `x`: a collapse.

    Uses `predict_classes`: a sigmoid head predicts 1 where its probability
    is >= 0.5, a softmax head its arg-max.

    Returns:
        A `bool`.
    """
    from iris_keras.evaluate import predict_classes

    return len(np.unique(predict_classes(model, x))) == 1
