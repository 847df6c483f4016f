"""§3.3 made exact: the from-scratch training loop ends where Keras's `fit` ends."""

import subprocess
import sys

import keras
import numpy as np
import pytest

from iris_keras import scratch
from iris_keras.errors import UsageError
from iris_keras.recipes import build_for, get_recipe, split_for
from iris_keras.seeding import set_seed
from iris_keras.train import fit_model


def keras_weights(model):
    return [weight.numpy() for weight in model.trainable_weights]


@pytest.mark.slow
@pytest.mark.parametrize("recipe_name", ["article", "multiclass"])
def test_100_epochs_from_scratch_end_where_keras_ends(recipe_name):
    recipe = get_recipe(recipe_name)
    set_seed(recipe.seed)
    (x_fit, y_fit), validation_data, _ = split_for(recipe)
    model = build_for(recipe, x_fit)  # the article's network, Normalization first
    initial = scratch.params_from_model(model)
    history = fit_model(
        model, x_fit, y_fit, validation_data=validation_data, seed=recipe.seed, verbose=0
    )
    params, scratch_history = scratch.fit_as_recipe(initial, recipe, x_fit, y_fit)
    assert len(scratch_history["loss"]) == len(history.history["loss"]) == 100
    # Measured: max |difference| 7e-7 after 400 steps (docs/from-scratch.md).
    for ours, theirs in zip(scratch.flatten(params), keras_weights(model), strict=True):
        np.testing.assert_allclose(ours, theirs, rtol=0, atol=1e-4)
    np.testing.assert_allclose(scratch_history["loss"], history.history["loss"], rtol=1e-4)
    # The weights moved far more than the tolerance: the comparison means something.
    moved = max(
        np.abs(after - before).max()
        for after, before in zip(scratch.flatten(params), scratch.flatten(initial), strict=True)
    )
    assert moved > 0.1


def test_a_few_epochs_of_another_network_and_loss_equal_keras():
    rng = np.random.default_rng(2)
    x = rng.normal(size=(50, 3)).astype(np.float32)
    y = np.stack([np.sin(x[:, 0]), x[:, 1] * x[:, 2]], axis=1).astype(np.float32)
    keras.utils.set_random_seed(4)
    model = keras.Sequential(
        [keras.Input(shape=(3,)), keras.layers.Dense(8, "tanh"), keras.layers.Dense(2)]
    )
    model.compile(
        optimizer=keras.optimizers.SGD(learning_rate=0.05, momentum=0.5), loss="mean_squared_error"
    )
    initial = scratch.params_from_model(model)
    fit_model(model, x, y, epochs=3, batch_size=16, seed=5, verbose=0)  # 16, 16, 16, 2
    params, _ = scratch.fit(
        initial,
        x,
        y,
        loss="mean_squared_error",
        epochs=3,
        batch_size=16,
        learning_rate=0.05,
        momentum=0.5,
        seed=5,
    )
    for ours, theirs in zip(scratch.flatten(params), keras_weights(model), strict=True):
        np.testing.assert_allclose(ours, theirs, rtol=1e-5, atol=1e-6)
    # A different shuffle seed is a different run: the batches matter.
    other, _ = scratch.fit(
        initial,
        x,
        y,
        loss="mean_squared_error",
        epochs=3,
        batch_size=16,
        learning_rate=0.05,
        momentum=0.5,
        seed=6,
    )
    assert not np.allclose(scratch.flatten(other)[0], keras_weights(model)[0], atol=1e-6)


def test_importing_scratch_imports_neither_keras_nor_tensorflow():
    code = (
        "import sys, iris_keras.scratch; "
        "print(sorted(m for m in ('keras', 'tensorflow') if m in sys.modules))"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "[]"


@pytest.mark.parametrize(
    "kwargs, match",
    [
        pytest.param({"y": np.zeros(3)}, r"as many labels as rows of x \(4\)", id="label-count"),
        pytest.param({"epochs": 0}, "Received: epochs=0", id="epochs"),
        pytest.param({"batch_size": 1.5}, "Received: batch_size=1.5", id="batch-size"),
    ],
)
def test_bad_arguments_are_named(kwargs, match):
    params = [{"W": np.zeros((2, 1)), "b": np.zeros(1), "activation": "sigmoid"}]
    arguments = {"x": np.zeros((4, 2)), "y": np.zeros(4), **kwargs}
    with pytest.raises(UsageError, match=match):
        scratch.fit(params, loss="binary_crossentropy", **arguments)
