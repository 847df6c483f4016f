"""What each copy of a stacked model starts from: its data, its standardization, its weights.

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

Runs that share a seed share their initial weights (the same shapes), and
runs that share a seed and a positive class share their data: the split and
every shuffle. Such runs read one *source*: the data is gathered once per
source, fed once per source, and each copy reads its source's columns
(`Copies.sources`). A sweep's 600 copies of a batch size (30 learning rates
and momenta x 20 seeds) read 20 sources.

On a learner's table (`recipes.own_data`) the copies are the same network
with the table's widths: one input per measurement, and the head the table
decides (`model.layer_widths`); their recipes carry the table, and each
source is its split.
"""

import dataclasses

import numpy as np

from iris_keras.errors import invalid
from iris_keras.model import kernel_initializers, layer_widths
from iris_keras.recipes import split_for
from iris_keras.seeding import set_seed

# The fields copies of one stack may differ in: each copy has its own data, weights,
# standardization, learning rate and momentum (`copy_sgd`).
OWN_FIELDS = ("seed", "positive_class", "standardize", "learning_rate", "momentum")


@dataclasses.dataclass
class Copies:
    """The K copies' starting points, stacked along a leading copy axis, and their S sources.

    Attributes:
        recipes: the K `Recipe`s.
        sources: the source each copy reads, int array of shape `(K,)`.
        seeds: the seed of each source (its shuffles), a list of S ints.
        fit: `(x, y)` of the sources' training splits, shapes `(S, n, features)`,
            `(S, n, classes)` (iris: 4 features; a table: its measurements).
        validation: `(x, y)` of their validation data, `(S, v, features)`,
            `(S, v, classes)`.
        test: `(x, y)` of their test splits, `(S, m, features)`, `(S, m, classes)`.
        mean, variance: the standardization of each copy, shape `(K, features)`.
        weights: per `Dense` layer, `(kernels (K, in, out), biases (K, out))`.
    """

    recipes: list
    sources: np.ndarray
    seeds: list
    fit: tuple
    validation: tuple
    test: tuple
    mean: np.ndarray
    variance: np.ndarray
    weights: list


def gather_copies(recipes):
    """Each recipe's data source, standardization and initial weights, stacked.

    Args:
        recipes: K `Recipe`s that may differ only in `OWN_FIELDS`.

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
    index = {key: source for source, key in enumerate(split_of)}
    sources = np.array([index[_split_key(recipe)] for recipe in recipes])
    splits = list(split_of.values())
    drawn = [drawn_for[recipe.seed] for recipe in recipes]
    statistics = [
        _standardization(recipe, splits[source][0][0])
        for recipe, source in zip(recipes, sources, strict=True)
    ]
    return Copies(
        recipes=list(recipes),
        sources=sources,
        seeds=[seed for seed, _ in index],
        fit=_stack_pairs([split[0] for split in splits]),
        validation=_stack_pairs([split[1] for split in splits]),
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
    widths = layer_widths(  # iris's 4 inputs, or the table's; its head, 1 unit or one per class
        target=recipe.target,
        units=recipe.units,
        positive_class=recipe.positive_class,
        names=recipe.model_names,
    )
    initializers = kernel_initializers(recipe.seed, len(widths) - 1)  # as `build_for` seeds them
    return [
        (
            keras.ops.convert_to_numpy(initializer(shape=(inputs, width))),
            np.zeros(width, dtype=np.float32),
        )
        for initializer, inputs, width in zip(initializers, widths[:-1], widths[1:], strict=True)
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


def epoch_data(copies, *, epochs):
    """Every epoch's training flowers of each source, in that epoch's order.

    Source s's epoch e is its training split in the order
    `batches.epoch_permutation(n, seed=seeds[s], epoch=e)`, the order
    `train.training_feed` feeds its own run: cut into batches, rows
    `[j * batch_size, (j + 1) * batch_size)` of epoch e are step j's batch
    of every copy that reads source s.

    Args:
        copies: a `Copies`.
        epochs: the number of epochs.

    Returns:
        `(x, y)`, float32 arrays of shapes `(epochs, n, S, features)` and
        `(epochs, n, S, classes)`: the sample axis before the source axis,
        as the stacked model takes them.
    """
    from iris_keras.batches import epoch_permutation

    x, y = copies.fit
    count = x.shape[1]
    orders = np.stack(
        [
            [epoch_permutation(count, seed=seed, epoch=epoch) for seed in copies.seeds]
            for epoch in range(epochs)
        ]
    )  # (epochs, S, n)
    rows = np.arange(len(copies.seeds))[None, :, None]
    return tuple(values[rows, orders].swapaxes(1, 2) for values in (x, y))
