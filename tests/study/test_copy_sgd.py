"""The per-copy SGD: each copy Keras's SGD with its own learning rate and momentum.

First the rule itself, step by step, against `keras.optimizers.SGD`
applied to each copy alone: the same float32 numbers (bit for bit on
TensorFlow and JAX; on PyTorch, Keras's SGD fuses `velocity - rate * g`
into one rounding, `torch._foreach_add_(..., alpha=-rate)`, a few float32
ulps apart after five steps). Then
whole runs: copies of one stacked model, each with its own grid point,
against the same runs trained alone with `fit_model` and a plain SGD
(`measures.train_variant`, the per-run path): the article's (0.01, 0.9),
the grid's extremes, and a setting that diverges at once. The default tier
runs a few copies for two epochs on the suite's backend; the fuller sample
(both recipes, every batch size, 100 epochs) is `slow`. CI runs both on
TensorFlow, JAX and PyTorch.
"""

import keras
import numpy as np
import pytest

from iris_keras.errors import UsageError
from iris_keras.study.copy_sgd import CopySGD
from iris_keras.study.measures import train_variant
from iris_keras.study.stacked import copy_weights, fit_stacked
from iris_keras.study.variants import sweep_variants

TOLERANCE = 1e-5
DIVERGING = 1e20  # a learning rate whose first epoch overflows the weights, on every backend


@pytest.mark.parametrize("momenta", [(0.0, 0.5, 0.99), (0.9, 0.9, 0.9)], ids=["mixed", "shared"])
def test_each_copy_steps_as_keras_sgd_alone(momenta):
    rates = (0.001, 0.3, 0.01)
    rng = np.random.default_rng(0)
    start = rng.normal(size=(3, 4, 2)).astype(np.float32)
    drawn = [rng.normal(size=start.shape).astype(np.float32) for _ in range(5)]
    gradients = [keras.ops.convert_to_tensor(gradient) for gradient in drawn]
    stacked = keras.Variable(start)
    optimizer = CopySGD(rates, momenta)
    for gradient in gradients:
        optimizer.apply([gradient], [stacked])
    for copy, (rate, momentum) in enumerate(zip(rates, momenta, strict=True)):
        alone = keras.Variable(start[copy])
        sgd = keras.optimizers.SGD(learning_rate=rate, momentum=momentum)
        for gradient in drawn:
            sgd.apply([keras.ops.convert_to_tensor(gradient[copy])], [alone])
        np.testing.assert_allclose(
            keras.ops.convert_to_numpy(stacked)[copy],
            keras.ops.convert_to_numpy(alone),
            rtol=0,
            atol=1e-6,  # PyTorch's fused step: 9e-8 measured; a wrong rate or momentum: > 1e-3
        )


@pytest.mark.parametrize(
    "arguments, match",
    [
        pytest.param(([0.01, 0.0], [0.9, 0.9]), "learning_rates=0.0", id="zero-rate"),
        pytest.param(([0.01], [1.0]), "momenta=1.0", id="momentum-one"),
        pytest.param(([0.01, 0.1], [0.9]), "as many momenta as learning rates", id="lengths"),
        pytest.param(([], []), "at least one", id="none"),
    ],
)
def test_bad_rates_and_momenta_are_refused(arguments, match):
    with pytest.raises(UsageError, match=match):
        CopySGD(*arguments)


def test_a_weight_without_the_copy_axis_is_refused():
    optimizer = CopySGD([0.01, 0.1], [0.9, 0.9])
    with pytest.raises(UsageError, match=r"a leading axis of 2 copies.*shape \(3, 2\)"):
        optimizer.build([keras.Variable(np.zeros((3, 2), np.float32))])


def compare(runs, epochs):
    """Each run stacked and alone: `{name: (weights, error stacked, error alone)}`.

    `weights` is the largest absolute difference of the Dense weights, or
    `None` for a run that diverged; the errors are the rows' `error`.
    """
    stacked = fit_stacked(runs, epochs=epochs)
    found = {}
    for copy, (variant, seed) in enumerate(runs):
        model, alone = train_variant(variant, seed, epochs=epochs, curves=True)
        row = stacked["rows"][copy]
        difference = None
        if row["error"] is None:
            mine = copy_weights(stacked["model"], copy)
            theirs = model.get_weights()[-len(mine) :]
            difference = max(float(np.abs(a - b).max()) for a, b in zip(mine, theirs, strict=True))
        found[f"{variant.name}-seed{seed}"] = (difference, row["error"], alone["error"])
    return found


def assert_equal_runs(found):
    """Every run within `TOLERANCE` of its own, or diverged at the same epoch, same error."""
    for name, (difference, stacked_error, alone_error) in found.items():
        assert stacked_error == alone_error, name
        if stacked_error is None:
            assert difference <= TOLERANCE, (name, difference)


def _points(recipe, points, batch_sizes):
    return [
        variant
        for variant in sweep_variants(
            recipes=[recipe],
            learning_rates=sorted({rate for rate, _ in points}),
            momenta=sorted({momentum for _, momentum in points}),
            batch_sizes=batch_sizes,
        )
        if (variant.learning_rate, variant.momentum) in points
    ]


def test_copies_with_their_own_rates_equal_their_runs_alone_and_one_diverges_alone():
    points = {(0.01, 0.9), (0.001, 0.0), (0.3, 0.99), (DIVERGING, 0.9)}
    runs = [(variant, 42) for variant in _points("article", points, [32])]
    found = compare(runs, epochs=2)
    assert_equal_runs(found)
    diverged = [name for name, (_, error, _) in found.items() if error]
    assert diverged == ["article-virginica-std-4x3-lr1e+20-m0.9-b32-seed42"]
    assert found[diverged[0]][1].startswith("DivergedError: Training diverged at epoch ")


# The fuller sample: both recipes, every batch size, 100 epochs (the study's proof's). A
# point whose float32 rounding grows with every step, a large learning rate with a large
# momentum, is chaotic (docs/study.md): its runs part after tens of steps, stacked or not,
# so the corner is checked over one epoch. Over 200 epochs of batches of 8 (3,000 steps),
# even (0.03, 0.5) drifts to 1.6e-5.
STABLE = {(0.01, 0.9), (0.001, 0.0), (0.3, 0.0), (0.001, 0.99), (0.03, 0.5)}
CHAOTIC = {(0.3, 0.99), (0.1, 0.95)}


@pytest.mark.slow
@pytest.mark.parametrize("recipe", ["article", "multiclass"])
@pytest.mark.parametrize("batch_size", [8, 16, 32, 64, 120])
def test_the_grid_sample_equals_its_runs_alone(recipe, batch_size):
    runs = [(variant, 42) for variant in _points(recipe, STABLE, [batch_size])]
    assert_equal_runs(compare(runs, epochs=100))
    runs = [(variant, 43) for variant in _points(recipe, CHAOTIC, [batch_size])]
    assert_equal_runs(compare(runs, epochs=1))
