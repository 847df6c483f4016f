"""The stacked model's parts: each copy's start, its own loss, a diverged copy alone.

The proof that every copy trains as its own run does is
`test_stacked_equals_per_run.py`; these tests check the parts on a few
epochs.
"""

import keras
import numpy as np
import pytest

from iris_keras import backend
from iris_keras.errors import UsageError
from iris_keras.model import build_model
from iris_keras.recipes import get_recipe, split_for
from iris_keras.seeding import set_seed
from iris_keras.study.copies import check_stackable, gather_copies, initial_weights
from iris_keras.study.stacked import copy_weights, fit_stacked
from iris_keras.study.stacked_layers import StackedNormalization
from iris_keras.study.variants import Variant

ARTICLE = Variant("article", "virginica", True, (4, 3))
RAW = Variant("article", "versicolor", False, (4, 3))


@pytest.mark.parametrize(
    "recipe",
    [
        pytest.param(get_recipe("article", seed=7), id="article-4x3"),
        pytest.param(get_recipe("multiclass", seed=8, standardize=False), id="multiclass-16x8"),
    ],
)
def test_initial_weights_are_the_ones_build_model_draws(recipe):
    x_fit = split_for(recipe)[0][0]
    set_seed(recipe.seed)
    model = build_model(
        x_fit, target=recipe.target, units=recipe.units, standardize=recipe.standardize
    )
    drawn = [array for pair in initial_weights(recipe) for array in pair]
    for mine, theirs in zip(drawn, model.get_weights()[-len(drawn) :], strict=True):
        np.testing.assert_array_equal(mine, theirs)


def test_raw_inputs_go_through_the_stacked_normalization_unchanged_copies_first():
    x = np.random.default_rng(0).uniform(0, 8, size=(30, 2, 4)).astype(np.float32)
    identity = (np.zeros((3, 4), np.float32), np.ones((3, 4), np.float32))
    layer = StackedNormalization(*identity, sources=[1, 0, 1])  # 3 copies read 2 sources
    found = keras.ops.convert_to_numpy(layer(x))
    np.testing.assert_array_equal(found, x[:, [1, 0, 1]].swapaxes(0, 1))


def test_copies_share_draws_but_keep_their_own_data():
    recipes = [v.to_recipe(seed=s, epochs=2) for v, s in ((ARTICLE, 42), (RAW, 42), (ARTICLE, 43))]
    copies = gather_copies(recipes)
    kernels = copies.weights[0][0]
    np.testing.assert_array_equal(kernels[0], kernels[1])  # one seed, the same draw
    assert not np.array_equal(kernels[0], kernels[2])
    assert not np.array_equal(copies.fit[1][0], copies.fit[1][1])  # virginica vs versicolor
    np.testing.assert_array_equal(copies.mean[1], np.zeros(4))  # raw: the identity
    assert copies.fit[0].shape == (3, 120, 4) and copies.test[1].shape == (3, 30, 1)


@pytest.mark.parametrize(
    "recipes, match",
    [
        pytest.param([], "at least one recipe", id="none"),
        pytest.param(
            [get_recipe("article"), get_recipe("article", units=(16, 8))],
            "differ only in seed, positive_class, standardize",
            id="units",
        ),
        pytest.param(
            [get_recipe("article"), get_recipe("multiclass", units=(4, 3))],
            "differ only in seed",
            id="recipe",
        ),
    ],
)
def test_recipes_that_cannot_share_a_model_are_refused(recipes, match):
    with pytest.raises(UsageError, match=match):
        check_stackable(recipes)


class PoisonCopy(keras.callbacks.Callback):
    """Sets copy 0 of the first hidden layer's kernel to NaN as batch `batch` begins.

    A stacked fit runs its epochs as one epoch of Keras's `fit`: its batches
    are numbered across epochs (4 per epoch of 120 flowers in batches of 32).
    """

    def __init__(self, batch):
        super().__init__()
        self.batch = batch

    def on_train_batch_begin(self, batch, logs=None):
        if batch == self.batch:
            backend.sync_training_state(self.model)  # on JAX, then the poison is trained
            kernel = self.model.get_layer("hidden_1").kernel
            values = keras.ops.convert_to_numpy(kernel).copy()
            values[0] = np.nan
            kernel.assign(values)


def test_a_diverged_copy_fails_alone_and_leaves_the_others_untouched():
    runs = [(ARTICLE, 42), (RAW, 43), (ARTICLE, 44)]
    clean = fit_stacked(runs, epochs=6)
    poisoned = fit_stacked(runs, epochs=6, callbacks=[PoisonCopy(3 * 4)])  # epoch 4's first
    failed = poisoned["rows"][0]
    assert failed["error"].startswith(
        "DivergedError: Training diverged at epoch 4: the loss became nan. "
        "Try a smaller learning rate (received learning_rate=0.01)."
    )
    assert failed["test_accuracy"] is None and failed["collapsed"] is None
    for copy in (1, 2):
        for mine, clean_weight in zip(
            copy_weights(poisoned["model"], copy), copy_weights(clean["model"], copy), strict=True
        ):
            np.testing.assert_array_equal(mine, clean_weight)
        assert poisoned["rows"][copy] | {"seconds": 0} == clean["rows"][copy] | {"seconds": 0}


def test_nan_as_loss_makes_a_nan_row_nan_and_leaves_the_others():
    y_true = np.array([[[1.0], [0.0]], [[0.0], [1.0]]], dtype=np.float32)  # (batch, K, 1)
    y_pred = np.array([[[0.8], [np.nan]], [[0.3], [0.6]]], dtype=np.float32)
    values = keras.ops.convert_to_numpy(
        backend.nan_as_loss(keras.losses.binary_crossentropy, y_true, y_pred)
    )
    plain = keras.ops.convert_to_numpy(
        keras.losses.binary_crossentropy(y_true[:, :1], y_pred[:, :1])
    )
    assert np.isnan(values[0, 1]) and np.isfinite(values[1, 1])
    np.testing.assert_allclose(values[:, 0], plain[:, 0], rtol=1e-6)
