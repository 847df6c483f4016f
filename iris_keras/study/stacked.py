"""The grids' engine: many runs trained at once, in one compiled Keras model.

`measures.run_variant` trains one `(variant, seed)` per Keras model: a
network of 39 to 243 weights, hundreds of gradient steps, and seconds of
Keras overhead around them. `run_stacked` trains K runs side by side in ONE
model (`stacked_layers`), on TensorFlow, JAX and PyTorch alike: every seed
of a variant, and every variant that shares its recipe, hidden widths and
batch size (the three species of the article's binary target, standardized
or raw: raw inputs are the identity standardization; every learning rate
and momentum of the sweep: `copy_sgd`). Each copy starts from what its own
run starts from (`copies`) and follows its own gradients, so its results
equal its own run's within float32 rounding (7e-7 on the weights after 100
epochs, `tests/study/test_stacked_equals_per_run.py`), not bit for bit: a
product batched over copies can round differently.

Per copy and per epoch (`stacked_epochs`), the model's metrics give the
training accuracy as Keras's `accuracy` accumulates it (`first_epoch_reaching`
reads it) and the training loss as Keras's loss tracker does; with
`curves=True`, also the validation and test scores after every epoch. A
copy whose loss becomes NaN or infinite leaves the others untouched; its row
gets the error `train.fit_model`'s `DivergedError` gives its own run, and its
curves end at the epoch before.
"""

import time

import numpy as np

from iris_keras import backend
from iris_keras.batches import steps_per_epoch
from iris_keras.study.copies import epoch_data, gather_copies
from iris_keras.study.measures import ACCURACY_TARGET, first_epoch_reaching
from iris_keras.study.rows import MEASURED, diverged_error, run_row
from iris_keras.study.run_curves import masked
from iris_keras.study.stacked_epochs import EpochRecorder, score_probe
from iris_keras.study.stacked_measures import backend_array, diverged_epoch, stack_figures


def build_stack(copies):
    """The compiled stacked model of `copies`, each copy's initial weights in place.

    Args:
        copies: a `copies.Copies`.

    Returns:
        A compiled `keras.Sequential` taking `(batch, S, features)`, the
        flowers (or a table's rows) of the S sources, and giving `(batch, K,
        classes)`.
    """
    import keras

    from iris_keras.study.copy_metrics import CopyMetric
    from iris_keras.study.copy_sgd import CopySGD
    from iris_keras.study.stacked_layers import (
        StackedCrossentropy,
        StackedDense,
        StackedNormalization,
    )

    count, recipe = len(copies.recipes), copies.recipes[0]
    features = copies.fit[0].shape[-1]  # iris's 4 measurements, or a table's
    layers = [keras.Input(shape=(len(copies.seeds), features), name="measurements")]
    layers.append(
        StackedNormalization(copies.mean, copies.variance, copies.sources, name="standardize")
    )
    for index, (kernels, _) in enumerate(copies.weights, start=1):
        last = index == len(copies.weights)
        activation = ("sigmoid" if recipe.target == "binary" else "softmax") if last else "relu"
        name = "output" if last else f"hidden_{index}"
        layers.append(
            StackedDense(count, kernels.shape[-1], activation, samples_first=last, name=name)
        )
    model = keras.Sequential(layers, name="stacked")
    dense = [layer for layer in model.layers if hasattr(layer, "kernel")]
    for layer, (kernels, biases) in zip(dense, copies.weights, strict=True):
        layer.kernel.assign(kernels)
        layer.bias.assign(biases)
    loss = StackedCrossentropy(recipe.target, copies.sources)
    steps = _steps(copies)
    backend.limit_cpu_threads()
    model.compile(
        optimizer=CopySGD(
            [recipe.learning_rate for recipe in copies.recipes],
            [recipe.momentum for recipe in copies.recipes],
        ),
        loss=loss,
        metrics=[CopyMetric(count, loss, kind, steps) for kind in ("accuracy", "loss")],
        steps_per_execution=backend.steps_per_execution(steps),
        jit_compile=backend.jit_compile(),
    )
    return model


def _steps(copies):
    return steps_per_epoch(copies.fit[0].shape[1], batch_size=copies.recipes[0].batch_size)


def train_stack(model, copies, *, callbacks=(), curves=False):
    """Trains the stacked model for the recipes' epochs; each copy's curves per epoch.

    All epochs run as one epoch of Keras's `fit` (`stacked_epochs`), fed
    every source's batches in its own epoch order (`copies.epoch_data`,
    through `backend.training_feed`).

    Args:
        model: `build_stack(copies)`.
        copies: a `copies.Copies`.
        callbacks: more Keras callbacks for `fit`; its epoch is the whole
            training, its batches are numbered across epochs. Defaults to `()`.
        curves: also score every copy on its validation and test data after
            every epoch. Defaults to `False`.

    Returns:
        `{name: float32 array (epochs, K)}`: `loss` and `accuracy`, and with
        `curves` also `val_loss`, `val_accuracy`, `test_loss`,
        `test_accuracy` and `collapsed` (`run_curves.CURVES`).
    """
    recipe = copies.recipes[0]
    x, y = epoch_data(copies, epochs=recipe.epochs)  # (epochs, n, S, ...)
    flowers = x.shape[0] * x.shape[1]
    feed = backend.training_feed(
        x.reshape(flowers, *x.shape[2:]),
        y.reshape(flowers, *y.shape[2:]),
        np.arange(flowers).reshape(x.shape[:2]),  # already in each epoch's order
        batch_size=recipe.batch_size,
    )
    recorder = EpochRecorder(_steps(copies), score_probe(model, copies) if curves else None)
    model.fit(
        feed,
        epochs=1,
        steps_per_epoch=_steps(copies) * recipe.epochs,
        shuffle=False,
        callbacks=[recorder, *callbacks],
        verbose=0,
    )
    return recorder.curves()


def run_stacked(runs, *, epochs=None, callbacks=(), curves=False):
    """`run_variant` for many `(variant, seed)` runs at once: one row each.

    Args:
        runs: `(Variant, seed)` pairs whose recipes differ only in
            `copies.OWN_FIELDS` (seed, positive class, standardization,
            learning rate, momentum).
        epochs: the number of epochs; `None` keeps the recipes' 100.
            Defaults to `None`.
        callbacks: Keras callbacks for the stacked `fit`. Defaults to `()`.
        curves: record every epoch's curves too: each row then holds
            `curves`, `{name: float32 array (epochs,)}` of
            `run_curves.CURVES`, NaN from the epoch the run diverged at.
            Defaults to `False`.

    Returns:
        A list of rows (`rows.COLUMNS`), in the order of `runs`; `seconds` is
        the wall time divided by the number of runs.

    Raises:
        UsageError: runs that cannot share one stacked model.
    """
    return fit_stacked(runs, epochs=epochs, callbacks=callbacks, curves=curves)["rows"]


def fit_stacked(runs, *, epochs=None, callbacks=(), curves=False):
    """`run_stacked`, keeping what it trained.

    Returns:
        A dict: `rows` (as `run_stacked`), `model` (the trained stacked
        model; `copy_weights` gives copy k's weights), `copies` and
        `history` (`train_stack`'s curves).
    """
    started = time.perf_counter()
    recipes = [variant.to_recipe(seed=seed, epochs=epochs) for variant, seed in runs]
    copies = gather_copies(recipes)
    model = build_stack(copies)
    history = train_stack(model, copies, callbacks=callbacks, curves=curves)
    figures = stack_figures(model, copies)
    seconds = round((time.perf_counter() - started) / len(runs), 3)
    rows = []
    for copy, ((variant, _), recipe) in enumerate(zip(runs, recipes, strict=True)):
        values = {key: figures[key][copy] for key in figures}
        values["epoch_to_0.95"] = first_epoch_reaching(
            history["accuracy"][:, copy], ACCURACY_TARGET
        )
        bad_epoch = diverged_epoch(history["loss"][:, copy])
        if bad_epoch is not None:
            values = dict.fromkeys(MEASURED)
            values["error"] = diverged_error(
                bad_epoch, history["loss"][bad_epoch - 1, copy], recipe.learning_rate
            )
        row = run_row(variant, recipe, seconds=seconds, **values)
        if curves:
            row["curves"] = masked(
                {name: found[:, copy] for name, found in history.items()}, bad_epoch
            )
        rows.append(row)
    return {"rows": rows, "model": model, "copies": copies, "history": history}


def copy_weights(model, copy):
    """Copy `copy`'s trained weights, `[kernel, bias]` per `Dense` layer, as `get_weights` lists."""
    dense = [layer for layer in model.layers if hasattr(layer, "kernel")]
    return [backend_array(weight)[copy] for layer in dense for weight in (layer.kernel, layer.bias)]
