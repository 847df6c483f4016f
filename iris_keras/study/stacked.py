"""The seed study, stacked: many runs trained at once, in one compiled Keras model.

`measures.run_variant` trains one `(variant, seed)` per Keras model: a
network of 39 to 243 weights, 400 gradient steps, and seconds of Keras
overhead around them. `run_stacked` trains K runs side by side in ONE model
(`stacked_layers`), on TensorFlow, JAX and PyTorch alike: every seed of a
variant, and every variant that shares its recipe and hidden widths (the
three species of the article's binary target, standardized or raw: raw
inputs are the identity standardization). Each copy starts from what its
own run starts from (`copies`) and follows its own gradients, so its
results equal its own run's within float32 rounding (7e-7 on the weights
after 100 epochs, `tests/study/test_stacked_equals_per_run.py`), not bit for
bit: a product batched over copies can round differently.

Per copy and per epoch, the model's metrics give the training accuracy as
Keras's `accuracy` accumulates it (`first_epoch_reaching` reads it) and the
training loss as Keras's loss tracker does. A copy whose loss becomes NaN or
infinite leaves the others untouched; its row gets the error
`train.fit_model`'s `DivergedError` gives its own run.
"""

import time

import numpy as np

from iris_keras import backend
from iris_keras.batches import steps_per_epoch
from iris_keras.study.copies import gather_copies, stacked_batches
from iris_keras.study.measures import ACCURACY_TARGET, first_epoch_reaching
from iris_keras.study.rows import MEASURED, run_row
from iris_keras.study.stacked_measures import backend_array, diverged_epoch, stack_figures


def build_stack(copies):
    """The compiled stacked model of `copies`, each copy's initial weights in place.

    Args:
        copies: a `copies.Copies`.

    Returns:
        A compiled `keras.Sequential` taking `(batch, K, 4)`.
    """
    import keras

    from iris_keras.study.stacked_layers import (
        CopyMetric,
        StackedCrossentropy,
        StackedDense,
        StackedNormalization,
    )

    count, recipe = len(copies.recipes), copies.recipes[0]
    layers = [keras.Input(shape=(count, 4), name="measurements_cm")]
    layers.append(StackedNormalization(copies.mean, copies.variance, name="standardize"))
    for index, (kernels, _) in enumerate(copies.weights, start=1):
        last = index == len(copies.weights)
        activation = ("sigmoid" if recipe.target == "binary" else "softmax") if last else "relu"
        name = "output" if last else f"hidden_{index}"
        layers.append(StackedDense(count, kernels.shape[-1], activation=activation, name=name))
    model = keras.Sequential(layers, name="stacked")
    dense = [layer for layer in model.layers if hasattr(layer, "kernel")]
    for layer, (kernels, biases) in zip(dense, copies.weights, strict=True):
        layer.kernel.assign(kernels)
        layer.bias.assign(biases)
    loss = StackedCrossentropy(recipe.target)
    backend.limit_cpu_threads()
    model.compile(
        optimizer=keras.optimizers.SGD(
            learning_rate=recipe.learning_rate, momentum=recipe.momentum
        ),
        loss=loss,
        metrics=[CopyMetric(count, loss, "accuracy"), CopyMetric(count, loss, "loss")],
        steps_per_execution=backend.steps_per_execution(_steps(copies)),
        jit_compile=backend.jit_compile(),
    )
    return model


def _steps(copies):
    return steps_per_epoch(copies.fit[0].shape[1], batch_size=copies.recipes[0].batch_size)


def _feed(batches):
    yield from batches  # a generator: `fit` would take a list for several inputs


def train_stack(model, copies, *, callbacks=()):
    """Trains the stacked model for the recipes' epochs; each copy's history per epoch.

    Returns:
        `{"accuracy": (epochs, K), "loss": (epochs, K)}`, float32 arrays.
    """
    recipe = copies.recipes[0]
    batches = stacked_batches(copies, batch_size=recipe.batch_size, epochs=recipe.epochs)
    history = model.fit(
        _feed(batches),
        epochs=recipe.epochs,
        steps_per_epoch=_steps(copies),
        shuffle=False,
        callbacks=list(callbacks),
        verbose=0,
    )
    return {
        key: np.stack([backend_array(value) for value in history.history[f"copy_{key}"]])
        for key in ("accuracy", "loss")
    }


def run_stacked(runs, *, epochs=None, callbacks=()):
    """`run_variant` for many `(variant, seed)` runs at once: one study row each.

    Args:
        runs: `(Variant, seed)` pairs whose recipes differ only in seed,
            positive class and standardization.
        epochs: the number of epochs; `None` keeps the recipes' 100.
            Defaults to `None`.
        callbacks: Keras callbacks for the stacked `fit`. Defaults to `()`.

    Returns:
        A list of rows (`rows.COLUMNS`), in the order of `runs`; `seconds` is
        the wall time divided by the number of runs.

    Raises:
        UsageError: runs that cannot share one stacked model.
    """
    return fit_stacked(runs, epochs=epochs, callbacks=callbacks)["rows"]


def fit_stacked(runs, *, epochs=None, callbacks=()):
    """`run_stacked`, keeping what it trained.

    Returns:
        A dict: `rows` (as `run_stacked`), `model` (the trained stacked
        model; `copy_weights` gives copy k's weights), `copies` and
        `history` (`train_stack`'s).
    """
    started = time.perf_counter()
    recipes = [variant.to_recipe(seed=seed, epochs=epochs) for variant, seed in runs]
    copies = gather_copies(recipes)
    model = build_stack(copies)
    history = train_stack(model, copies, callbacks=callbacks)
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
            values["error"] = (
                f"DivergedError: Training diverged at epoch {bad_epoch}: the loss became "
                f"{history['loss'][bad_epoch - 1, copy]}. Try a smaller learning rate "
                f"(received learning_rate={recipe.learning_rate:g})."
            )
        rows.append(run_row(variant, recipe, seconds=seconds, **values))
    return {"rows": rows, "model": model, "copies": copies, "history": history}


def copy_weights(model, copy):
    """Copy `copy`'s trained weights, `[kernel, bias]` per `Dense` layer, as `get_weights` lists."""
    dense = [layer for layer in model.layers if hasattr(layer, "kernel")]
    return [backend_array(weight)[copy] for layer in dense for weight in (layer.kernel, layer.bias)]
