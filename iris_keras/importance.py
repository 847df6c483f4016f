"""§6: which of the four measurements a trained model relies on (permutation importance).

The article's FAQ answers "how to solve deep learning's challenges" in part
with "使用可解释性分析和可视化技术" (interpretability analysis and
visualization). Permutation importance is the simplest such analysis that
treats the network as a black box: shuffle one measurement across the
flowers, so that it no longer carries information about the label, and see
how much the model's score drops. A measurement the model ignores costs
nothing when shuffled; one it relies on costs a lot.

The shuffling and repeats are scikit-learn's
`sklearn.inspection.permutation_importance`; this module gives it a scorer
around the Keras model (accuracy, or the negative cross-entropy, which
moves with every probability rather than only with a flipped answer):

    importance[feature] = score(x) - mean(score(x with feature shuffled))

`iris_keras.figures.plot_importance` draws the result, and
`iris_keras.figures.decision_regions` the other half of the answer: what the
model predicts across petal length and width.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import TYPE_CHECKING

import numpy as np
from numpy.typing import ArrayLike

from iris_keras.datasets.iris import FEATURE_NAMES
from iris_keras.errors import check_choice, check_non_negative_int, check_positive_int, invalid
from iris_keras.evaluate import label_indices, predict_classes
from iris_keras.recipes import Recipe, build_for, fit_recipe, split_for
from iris_keras.seeding import set_seed

if TYPE_CHECKING:
    import keras
    import pandas as pd

SCORINGS = ("accuracy", "neg_log_loss")
# Keras clips probabilities to [1e-7, 1 - 1e-7] before taking logs; so do we.
EPSILON = 1e-7


def accuracy_score(model: keras.Model, x: ArrayLike, y: ArrayLike) -> float:
    """The fraction of rows of `x` whose predicted class is their label.

    Args:
        model: a trained model with a sigmoid or softmax head.
        x: features, shape `(n, 4)`.
        y: labels: binary, one-hot or class indices.

    Returns:
        A float in [0, 1].
    """
    return float(np.mean(predict_classes(model, x) == label_indices(y)))


def neg_log_loss_score(model: keras.Model, x: ArrayLike, y: ArrayLike) -> float:
    """Minus the mean cross-entropy of the model's probabilities (higher is better).

    Binary cross-entropy for a one-unit sigmoid head, categorical
    cross-entropy for a softmax head, with Keras's clip at 1e-7:

        p = clip(model(x), 1e-7, 1 - 1e-7)
        score = mean(y * log(p) + (1 - y) * log(1 - p))      # sigmoid head
        score = mean(sum(y * log(p), axis=-1))               # softmax head

    Returns:
        A float <= 0.
    """
    import keras

    outputs = model(np.asarray(x, dtype=np.float32), training=False)
    probabilities = keras.ops.convert_to_numpy(outputs)
    probabilities = np.clip(probabilities.astype(np.float64), EPSILON, 1.0 - EPSILON)
    if probabilities.shape[-1] == 1:
        labels = np.asarray(y, dtype=np.float64).reshape(-1, 1)
        log_likelihood = labels * np.log(probabilities) + (1 - labels) * np.log1p(-probabilities)
        return float(np.mean(log_likelihood))
    one_hot = np.eye(probabilities.shape[-1])[label_indices(y)]
    return float(np.mean(np.sum(one_hot * np.log(probabilities), axis=-1)))


SCORERS = {"accuracy": accuracy_score, "neg_log_loss": neg_log_loss_score}
PETAL, SEPAL = ("petal_length", "petal_width"), ("sepal_length", "sepal_width")


def permutation_importance(
    model: keras.Model,
    x: ArrayLike,
    y: ArrayLike,
    *,
    n_repeats: int = 10,
    seed: int = 0,
    scoring: str = "accuracy",
    feature_names: Sequence[str] = FEATURE_NAMES,
) -> pd.DataFrame:
    """How much the model's score drops when each measurement is shuffled.

    Each feature column of `x` is shuffled `n_repeats` times (the other
    columns kept as they are) and the model scored again; the importance of
    a feature is the baseline score minus the shuffled score. The model is
    only called, never trained.

    Args:
        model: a trained Keras model taking the four measurements.
        x: features, shape `(n, 4)`, e.g. the training or the test flowers.
        y: their labels, in the model's encoding (binary, one-hot) or as
            class indices.
        n_repeats: shuffles per feature. Defaults to `10`.
        seed: the seed of the shuffles. Defaults to `0`.
        scoring: `"accuracy"` or `"neg_log_loss"`. Defaults to `"accuracy"`.
        feature_names: a name per column of `x`. Defaults to the iris
            measurements, `FEATURE_NAMES`.

    Returns:
        A `pandas.DataFrame` indexed by feature name, in the order of `x`'s
        columns, with columns `importance_mean` and `importance_std` (over
        the repeats), and `baseline`, the unshuffled score.

    Example:

    >>> import keras, numpy as np
    >>> model = keras.Sequential([keras.Input(shape=(4,)), keras.layers.Dense(1, "sigmoid")])
    >>> model.set_weights([np.array([[0.0], [0.0], [5.0], [0.0]]), np.array([-20.0])])
    >>> x = np.array([[5.0, 3.0, 1.5, 0.2], [6.5, 3.0, 5.5, 2.0]] * 10)
    >>> y = (x[:, 2] > 4).astype(int)
    >>> importance = permutation_importance(model, x, y, n_repeats=5)
    >>> importance["importance_mean"].idxmax(), float(importance["baseline"].iloc[0])
    ('petal_length', 1.0)
    >>> importance.loc[["sepal_length", "sepal_width", "petal_width"], "importance_mean"].tolist()
    [0.0, 0.0, 0.0]
    """
    import pandas as pd
    from sklearn.inspection import permutation_importance as sklearn_permutation_importance

    x, y = _check_data(x, y, feature_names)
    n_repeats = check_positive_int("n_repeats", n_repeats)
    seed = check_non_negative_int("seed", seed)
    scorer = SCORERS[check_choice("scoring", scoring, SCORINGS)]
    # A Keras model has `fit`, which is all scikit-learn asks of an estimator.
    result = sklearn_permutation_importance(
        model, x, y, scoring=scorer, n_repeats=n_repeats, random_state=seed
    )
    return pd.DataFrame(
        {
            "importance_mean": result.importances_mean,
            "importance_std": result.importances_std,
            "baseline": scorer(model, x, y),
        },
        index=pd.Index(list(feature_names), name="feature"),
    )


def importance_by_seed(
    recipe: Recipe, seeds: Iterable[int], *, n_repeats: int = 10, scoring: str = "accuracy"
) -> tuple[pd.DataFrame, dict[int, keras.Model]]:
    """Trains `recipe` once per seed and measures each model's permutation importance.

    Each model is trained as `iris-keras train` trains it (the seed fixes
    the split, the initial weights and the shuffles) and measured on its
    own training flowers, the larger sample (120 flowers for the article
    recipe, against 30 test flowers).

    Args:
        recipe: a `Recipe`, e.g. `get_recipe("article")`; its seed is
            replaced by each of `seeds`.
        seeds: the seeds to train, e.g. `range(42, 47)`.
        n_repeats: shuffles per feature. Defaults to `10`.
        scoring: `"accuracy"` or `"neg_log_loss"`. Defaults to `"accuracy"`.

    Returns:
        `(frame, models)`: a `pandas.DataFrame` with one row per seed and
        feature (columns `seed`, `feature`, `importance_mean`,
        `importance_std`, `baseline`, `test_accuracy`), and a dict of the
        trained models by seed.
    """
    import dataclasses

    import pandas as pd

    frames, models = [], {}
    for seed in seeds:
        seeded = dataclasses.replace(recipe, seed=check_non_negative_int("seed", seed))
        set_seed(seeded.seed)
        fit_data, validation_data, (x_test, y_test) = split_for(seeded)
        model = build_for(seeded, fit_data[0])
        fit_recipe(model, seeded, fit_data, validation_data, verbose=0)
        frame = permutation_importance(
            model, *fit_data, n_repeats=n_repeats, seed=seeded.seed, scoring=scoring
        )
        frames.append(
            frame.reset_index().assign(
                seed=seeded.seed, test_accuracy=accuracy_score(model, x_test, y_test)
            )
        )
        models[seeded.seed] = model
    columns = ["seed", "feature", "importance_mean", "importance_std", "baseline"]
    return pd.concat(frames, ignore_index=True)[[*columns, "test_accuracy"]], models


def petal_over_sepal_margin(frame: pd.DataFrame) -> pd.Series:
    """Per seed, the smaller petal importance minus the larger sepal importance.

    Positive on a seed means that shuffling either petal measurement costs
    the model more than shuffling either sepal measurement.

    Args:
        frame: the first result of `importance_by_seed`.

    Returns:
        A `pandas.Series` indexed by seed.
    """
    table = frame.pivot(index="seed", columns="feature", values="importance_mean")
    return table[list(PETAL)].min(axis=1) - table[list(SEPAL)].max(axis=1)


def _check_data(
    x: ArrayLike, y: ArrayLike, feature_names: Sequence[str]
) -> tuple[np.ndarray, np.ndarray]:
    x = np.asarray(x, dtype=np.float32)
    if x.ndim != 2 or x.shape[0] == 0 or x.shape[1] != len(feature_names):
        expected = f"an array of shape (n, {len(feature_names)}), n >= 1, one column per feature"
        raise invalid("x.shape", expected, x.shape)
    y = np.asarray(y)
    if y.ndim == 0 or len(y) != len(x):
        raise invalid(
            "len(y)", f"{len(x)}, one label per row of x", y.size if y.ndim == 0 else len(y)
        )
    return x, y
