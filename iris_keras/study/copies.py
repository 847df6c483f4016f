"""What each copy of a stacked model starts from: its split, its standardization, its weights.

A stacked model (`stacked`) trains K runs at once. Copy k gets exactly what
its own run gets from `run_variant`:

- its data: `split_for(recipe)`, the training split cut into its own
  per-epoch shuffles (`batches.epoch_batches`, as `train.training_feed` cuts
  them);
- its standardization: the mean and variance of its own training split, as
  `build_model`'s `Normalization` layer computes them; a run on raw
  centimetres gets mean 0 and variance 1, the identity;
- its initial weights: the very weights `build_for` draws: each `Dense`
  layer's `glorot_uniform` initializer gets its seed from
  `seeding.initializer_seeds(seed, ...)`, in layer order, and draws from it
  when the layer is built. Here the same initializers are made and called,
  without building a model (a tenth of the time).

Runs that differ only in their positive class and standardization share
their initial weights (the same seed, the same shapes), and runs that differ
only in their standardization share their split: each is drawn once.
"""

import dataclasses

import numpy as np

from iris_keras.errors import invalid
from iris_keras.model import kernel_initializers
from iris_keras.recipes import split_for
from iris_keras.seeding import set_seed

# The fields copies of one stack may differ in: each copy has its own data and weights.
OWN_FIELDS = ("seed", "positive_class", "standardize")


@dataclasses.dataclass
class Copies:
    """The K copies' starting points, stacked along a leading copy axis.

    Attributes:
        recipes: the K `Recipe`s.
        fit: `(x, y)` of the training splits, shapes `(K, n, 4)`, `(K, n, classes)`.
        test: `(x, y)` of the test splits, shapes `(K, m, 4)`, `(K, m, classes)`.
        mean, variance: the standardization of each copy, shape `(K, 4)`.
        weights: per `Dense` layer, `(kernels (K, in, out), biases (K, out))`.
    """

    recipes: list
    fit: tuple
    test: tuple
    mean: np.ndarray
    variance: np.ndarray
    weights: list


def gather_copies(recipes):
    """Each recipe's split, standardization and initial weights, stacked.

    Args:
        recipes: K `Recipe`s that may differ only in `seed`,
            `positive_class` and `standardize`.

    Returns:
        A `Copies`.

    Raises:
        UsageError: recipes that differ in anything else, or none.
    """
    check_stackable(recipes)
    split_of: dict = {}
    drawn_for: dict = {}
    for recipe in recipes:
        if (key := _split_key(recipe)) not in split_of:
            split_of[key] = split_for(recipe)
        if recipe.seed not in drawn_for:
            drawn_for[recipe.seed] = initial_weights(recipe)
    splits = [split_of[_split_key(recipe)] for recipe in recipes]
    drawn = [drawn_for[recipe.seed] for recipe in recipes]
    fit = [split[0] for split in splits]
    statistics = [
        _standardization(recipe, x_fit) for recipe, (x_fit, _) in zip(recipes, fit, strict=True)
    ]
    return Copies(
        recipes=list(recipes),
        fit=_stack_pairs(fit),
        test=_stack_pairs([split[2] for split in splits]),
        mean=np.stack([mean for mean, _ in statistics]),
        variance=np.stack([variance for _, variance in statistics]),
        weights=[
            tuple(np.stack([weights[layer][part] for weights in drawn]) for part in (0, 1))
            for layer in range(len(drawn[0]))
        ],
    )


def check_stackable(recipes):
    """Raises unless `recipes` are at least one and differ only in `OWN_FIELDS`."""
    if not recipes:
        raise invalid("recipes", "at least one recipe", recipes)
    shared = [{**recipe.as_dict(), **dict.fromkeys(OWN_FIELDS)} for recipe in recipes]
    if any(fields != shared[0] for fields in shared):
        raise invalid(
            "recipes", f"recipes that differ only in {', '.join(OWN_FIELDS)}", recipes[:2]
        )


def initial_weights(recipe):
    """The initial `(kernel, bias)` of each `Dense` layer `build_model` makes for `recipe`.

    Returns:
        A list of `(kernel (in, out), bias (out,))` float32 arrays, one per
        `Dense` layer, the output layer last.
    """
    import keras

    set_seed(recipe.seed)
    widths = [*recipe.units, 1 if recipe.target == "binary" else 3]
    initializers = kernel_initializers(recipe.seed, len(widths))  # as `build_for` seeds them
    return [
        (
            keras.ops.convert_to_numpy(initializer(shape=(inputs, width))),
            np.zeros(width, dtype=np.float32),
        )
        for initializer, inputs, width in zip(initializers, [4, *widths[:-1]], widths, strict=True)
    ]


def _split_key(recipe):
    return recipe.seed, recipe.positive_class


def _standardization(recipe, x_fit):
    x_fit = np.asarray(x_fit, dtype=np.float32)
    if not recipe.standardize:
        return np.zeros(x_fit.shape[1], np.float32), np.ones(x_fit.shape[1], np.float32)
    return x_fit.mean(axis=0), x_fit.var(axis=0)  # as `model.build_model` computes them


def _stack_pairs(pairs):
    x = np.stack([np.asarray(x, dtype=np.float32) for x, _ in pairs])
    y = np.stack([np.asarray(y, dtype=np.float32) for _, y in pairs])
    return x, y.reshape(*y.shape[:2], -1)  # binary labels get their unit axis


def stacked_batches(copies, *, batch_size, epochs):
    """Every training batch of the K runs: `(x (batch, K, 4), y (batch, K, classes))`.

    Copy k's batch is the batch `train.training_feed` feeds its own run: its
    own training split in its own epoch order, cut the same way. Copies of a
    stack have as many training samples, so their batches stack.

    Args:
        copies: a `Copies`.
        batch_size: samples per step.
        epochs: the number of epochs.

    Returns:
        A list of `epochs * ceil(n / batch_size)` pairs of float32 arrays.
    """
    from iris_keras.batches import epoch_batches

    x, y = copies.fit
    count = x.shape[1]
    rows = np.arange(len(copies.recipes))[:, None]
    seeds = [recipe.seed for recipe in copies.recipes]
    batches = []
    for epoch in range(epochs):
        by_seed = {
            seed: epoch_batches(count, batch_size=batch_size, seed=seed, epoch=epoch)
            for seed in set(seeds)
        }
        for step in range(len(by_seed[seeds[0]])):
            index = np.stack([by_seed[seed][step] for seed in seeds])  # (K, batch)
            batches.append((x[rows, index].swapaxes(0, 1), y[rows, index].swapaxes(0, 1)))
    return batches
