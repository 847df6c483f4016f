"""One run of one variant, and what the study records of it.

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
"""

import time

import numpy as np

from iris_keras.errors import DivergedError, check_non_negative_int
from iris_keras.evaluate import evaluate_model, predict_classes
from iris_keras.recipes import build_for, fit_recipe, split_for
from iris_keras.seeding import set_seed
from iris_keras.study.rows import error_line, run_row

ACCURACY_TARGET = 0.95


def run_variant(variant, seed, *, epochs=None, callbacks=(), curves=False):
    """Trains one variant with one seed and measures it; no file is written.

    Runs what `train_recipe` runs (`set_seed`, `split_for`, `build_for`,
    `fit_model`, `evaluate_model`) in this process, silently, after clearing
    Keras's session, so a run's result does not depend on the runs before it.

    Args:
        variant: a `Variant`.
        seed: the run's seed, an integer >= 0.
        epochs: the number of epochs; `None` keeps the recipe's 100.
            Defaults to `None`.
        callbacks: Keras callbacks for `fit`. Defaults to `()`.
        curves: also record every epoch's scores (`run_curves`), as
            `row["curves"]`; a run that diverges then gives a row with its
            error and its curves up to the epoch before. Defaults to `False`.

    Returns:
        A dict: `variant`, `recipe`, `positive_class`, `standardize`,
        `units` (e.g. `"4x3"`), `seed`, `epochs`, `config` (see
        `recipe_config`), `test_accuracy`,
        `test_loss`, `epoch_to_0.95` (int or `None`), `dead_units` (int),
        `collapsed` (bool), `seconds` (wall time of the run) and `error`
        (`None`); see `rows.run_row`.
    """
    return train_variant(variant, seed, epochs=epochs, callbacks=callbacks, curves=curves)[1]


def train_variant(variant, seed, *, epochs=None, callbacks=(), curves=False):
    """`run_variant`, keeping the trained model: `(model, row)`.

    The per-run path, and the oracle the stacked study is tested against
    (`tests/study/test_stacked_equals_per_run.py`).
    """
    import keras

    from iris_keras.study.run_curves import RunCurves

    started = time.perf_counter()
    seed = check_non_negative_int("seed", seed)
    recipe = variant.to_recipe(seed=seed, epochs=epochs)
    keras.backend.clear_session()
    set_seed(recipe.seed)
    (x_fit, y_fit), validation_data, (x_test, y_test) = split_for(recipe)
    model = build_for(recipe, x_fit)
    recorder = [RunCurves(x_test, y_test)] if curves else []
    try:
        history = fit_recipe(
            model,
            recipe,
            (x_fit, y_fit),
            validation_data,
            callbacks=[*callbacks, *(found.callback for found in recorder)],
            verbose=0,
        )
    except DivergedError as error:
        if not recorder:
            raise
        seconds = round(time.perf_counter() - started, 3)
        row = run_row(variant, recipe, seconds=seconds, error=error_line(error))
        return model, {**row, "curves": recorder[0].curves(recipe.epochs)}
    scores = evaluate_model(model, x_test, y_test, class_names=recipe.class_names)
    row = run_row(
        variant,
        recipe,
        test_accuracy=scores["test_accuracy"],
        test_loss=scores["test_loss"],
        **{"epoch_to_0.95": first_epoch_reaching(history.history["accuracy"], ACCURACY_TARGET)},
        dead_units=dead_relu_units(model, x_fit),
        collapsed=predicts_single_class(model, x_test),
        seconds=round(time.perf_counter() - started, 3),
    )
    return model, {**row, "curves": recorder[0].curves(recipe.epochs)} if recorder else row


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
    return len(np.unique(predict_classes(model, x))) == 1
