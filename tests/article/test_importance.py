"""Permutation importance: a feature the model ignores costs nothing when shuffled."""

import numpy as np
import pandas as pd
import pytest

from iris_keras.datasets import iris
from iris_keras.errors import UsageError
from iris_keras.figures import plot_importance
from iris_keras.importance import (
    accuracy_score,
    importance_by_seed,
    neg_log_loss_score,
    permutation_importance,
    petal_over_sepal_margin,
)
from iris_keras.recipes import get_recipe, split_for
from tests.support.helpers import shared


def one_feature_model(feature, *, threshold=4.0, units=1):
    """A model whose output depends on the measurement `feature` alone.

    With one unit it says 1 above `threshold` cm; with several, a softmax
    over units whose logits grow with the measurement at different rates.
    """
    import keras

    activation = "sigmoid" if units == 1 else "softmax"
    model = keras.Sequential([keras.Input(shape=(4,)), keras.layers.Dense(units, activation)])
    slopes = 4.0 * np.arange(1, units + 1, dtype=np.float32)
    kernel = np.zeros((4, units), dtype=np.float32)
    kernel[feature] = slopes
    model.set_weights([kernel, -slopes * threshold])
    return model


@pytest.fixture(scope=shared("module"))
def flowers():
    (x_train, _), _ = iris.load_data(target="sparse")
    return x_train


@pytest.mark.parametrize("scoring", ["accuracy", "neg_log_loss"])
@pytest.mark.parametrize("feature", [0, 2, 3], ids=["sepal_length", "petal_length", "petal_width"])
def test_only_the_feature_the_model_reads_matters(flowers, feature, scoring):
    values = np.unique(flowers[:, feature])  # a threshold halfway between two measurements
    threshold = float(values[len(values) // 2 - 1] + values[len(values) // 2]) / 2
    model = one_feature_model(feature, threshold=threshold)
    labels = (flowers[:, feature] > threshold).astype(int)
    frame = permutation_importance(model, flowers, labels, n_repeats=3, scoring=scoring)
    assert list(frame.index) == list(iris.FEATURE_NAMES)
    others = frame.drop(index=iris.FEATURE_NAMES[feature])
    assert others["importance_mean"].tolist() == [0.0, 0.0, 0.0]
    assert others["importance_std"].tolist() == [0.0, 0.0, 0.0]
    assert frame.loc[iris.FEATURE_NAMES[feature], "importance_mean"] > 0.05
    if scoring == "accuracy":
        assert accuracy_score(model, flowers, labels) == 1.0
        assert frame["baseline"].unique().tolist() == [1.0]


def test_the_defaults_are_ten_shuffles_seeded_0_scored_by_accuracy(flowers):
    model = one_feature_model(3, threshold=1.3)
    labels = (flowers[:, 3] > 1.3).astype(int) ^ (np.arange(len(flowers)) % 7 == 0)  # noisy
    explicit = permutation_importance(
        model, flowers, labels, n_repeats=10, seed=0, scoring="accuracy"
    )
    pd.testing.assert_frame_equal(permutation_importance(model, flowers, labels), explicit)
    for changed in ({"n_repeats": 11}, {"seed": 1}):
        other = permutation_importance(model, flowers, labels, **changed)
        assert not other.equals(explicit), changed


def test_the_same_seed_gives_the_same_numbers_and_another_seed_other_ones(flowers):
    model = one_feature_model(3, threshold=1.3)
    labels = (flowers[:, 3] > 1.3).astype(int)
    first, again, other = (
        permutation_importance(
            model, flowers, labels, n_repeats=4, seed=seed, scoring="neg_log_loss"
        )
        for seed in (1, 1, 2)
    )
    pd.testing.assert_frame_equal(first, again)
    assert (
        first.loc["petal_width", "importance_mean"] != other.loc["petal_width", "importance_mean"]
    )


@pytest.mark.parametrize("units", [1, 3], ids=["sigmoid", "softmax"])
def test_neg_log_loss_is_minus_keras_cross_entropy(flowers, units):
    import keras

    model = one_feature_model(2, units=units)
    # As NumPy, the probabilities carry no cached logits: Keras clips them at 1e-7, as we do.
    probabilities = keras.ops.convert_to_numpy(model(flowers))
    labels = np.random.default_rng(0).integers(0, max(units, 2), size=len(flowers))
    if units == 1:
        keras_loss = keras.losses.BinaryCrossentropy()(labels.reshape(-1, 1), probabilities)
    else:
        keras_loss = keras.losses.CategoricalCrossentropy()(np.eye(3)[labels], probabilities)
    np.testing.assert_allclose(
        neg_log_loss_score(model, flowers, labels), -float(keras_loss), rtol=1e-5
    )


BAD_ARGUMENTS = [
    ({"n_repeats": 0}, r"`n_repeats`, expected a positive integer. Received: n_repeats=0"),
    ({"seed": -1}, r"`seed`, expected an integer >= 0. Received: seed=-1"),
    ({"scoring": "r2"}, r"`scoring`, expected one of 'accuracy', 'neg_log_loss'. .*scoring='r2'"),
    ({"x": np.zeros((5, 3))}, r"`x.shape`, expected an array of shape \(n, 4\).*x.shape=\(5, 3\)"),
    ({"x": np.zeros((0, 4))}, r"`x.shape`, .*n >= 1.*Received: x.shape=\(0, 4\)"),
    ({"y": np.zeros(4)}, r"`len\(y\)`, expected 5, one label per row of x. Received: len\(y\)=4"),
]


@pytest.mark.parametrize(
    ("overrides", "message"),
    BAD_ARGUMENTS,
    ids=["n_repeats", "seed", "scoring", "three-columns", "no-rows", "labels-short"],
)
def test_bad_arguments_name_the_value(overrides, message):
    arguments = {"x": np.ones((5, 4)), "y": np.zeros(5), **overrides}
    with pytest.raises(UsageError, match=message):
        permutation_importance(one_feature_model(0), **arguments)


def test_importance_by_seed_trains_one_model_per_seed():
    frame, models = importance_by_seed(get_recipe("article", epochs=2), [3, 4], n_repeats=2)
    assert sorted(models) == [3, 4]
    assert frame.shape == (8, 6)
    assert frame.groupby("seed")["feature"].apply(list).tolist() == [list(iris.FEATURE_NAMES)] * 2
    assert frame["test_accuracy"].between(0.0, 1.0).all()
    assert frame["baseline"].between(0.0, 1.0).all()
    assert frame.index.tolist() == list(range(8))
    for seed in (3, 4):  # each seed's own model, on its own training flowers, shuffled by it
        fit_data, _, _ = split_for(get_recipe("article", epochs=2, seed=seed))
        expected = permutation_importance(models[seed], *fit_data, n_repeats=2, seed=seed)
        rows = frame[frame["seed"] == seed].set_index("feature")
        np.testing.assert_array_equal(rows["importance_mean"], expected["importance_mean"])


def test_petal_over_sepal_margin_is_the_smallest_gap_per_seed():
    frame = pd.DataFrame(
        {
            "seed": [1] * 4 + [2] * 4,
            "feature": list(iris.FEATURE_NAMES) * 2,
            "importance_mean": [0.1, 0.0, 0.3, 0.5, 0.2, 0.4, 0.3, 0.1],
        }
    )
    margin = petal_over_sepal_margin(frame)
    np.testing.assert_allclose(margin.loc[[1, 2]], [0.3 - 0.1, 0.1 - 0.4])


def test_plot_importance_draws_a_bar_per_seed_and_feature():
    frame = pd.DataFrame(
        {
            "seed": [1] * 4 + [2] * 4,
            "feature": list(iris.FEATURE_NAMES) * 2,
            "importance_mean": np.linspace(0, 0.7, 8),
        }
    )
    axes = plot_importance(frame).axes[0]
    assert [label.get_text() for label in axes.get_xticklabels()] == list(iris.FEATURE_NAMES)
    assert len(axes.patches) == 8
    assert tuple(axes.figure.get_size_inches()) == (7.0, 3.5)  # the book's column width
    (zero,) = axes.get_lines()
    assert zero.get_ydata() == [0.0, 0.0] and zero.get_color() == "0.5"  # a grey baseline


def test_a_certain_wrong_answer_costs_a_clipped_finite_log_loss(flowers):
    from iris_keras.importance import EPSILON, neg_log_loss_score

    model = one_feature_model(3, threshold=-100.0)  # says 1 with probability 1.0 in float32
    score = neg_log_loss_score(model, flowers, np.zeros(len(flowers)))  # every answer is 0
    assert score == pytest.approx(np.log(EPSILON), rel=1e-6)  # clipped as Keras clips, not -inf
