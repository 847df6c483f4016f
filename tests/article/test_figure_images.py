"""Every figure a run, the study and the explainability notebook draw, pixel for pixel.

Each figure is drawn from fixed data and compared with the image recorded in
`tests/support/baseline/` (see `tests/support/baseline.py`): a change to a figure's data,
labels, colours or size fails here.
"""

import numpy as np
import pandas as pd
import pytest

from iris_keras.datasets import iris
from iris_keras.figures import plot_confusion_matrix, plot_importance, plot_learning_curves
from iris_keras.study.plot import plot_study
from iris_keras.study.variants import Variant
from tests.support.baseline import check_image

VARIANTS = [
    Variant("article", "virginica", True, (4, 3)),
    Variant("article", "virginica", False, (4, 3)),
    Variant("multiclass", None, True, (16, 8)),
]


def learning_curves():
    epochs = np.arange(1, 21)
    return plot_learning_curves(
        {
            "loss": 0.7 * np.exp(-epochs / 6),
            "accuracy": 1 - 0.6 * np.exp(-epochs / 5),
            "val_loss": 0.75 * np.exp(-epochs / 7),
            "val_accuracy": 1 - 0.65 * np.exp(-epochs / 6),
        },
        title="article (virginica vs rest) on tensorflow: learning curves",
    )


def confusion_matrix():
    # 4 lies between a third and a half of the largest count: it is written in black
    # a title as long as a run's, wrapped to the figure's width
    return plot_confusion_matrix(
        [[10, 0, 0], [0, 6, 4], [0, 0, 10]],
        iris.SPECIES,
        title="multiclass-epochs20-lr0.05 (3 classes) on tensorflow: confusion matrix",
    )


def study():
    accuracies = ([1.0, 0.9, 0.9, 2 / 3], [2 / 3, 2 / 3, 1.0, 1.0], [])
    rows = [
        {"variant": variant.name, "seed": seed, "test_accuracy": value, "collapsed": value < 0.7}
        for variant, values in zip(VARIANTS, accuracies, strict=True)
        for seed, value in enumerate(values, start=42)
    ]
    return plot_study(rows, VARIANTS, title="Two variants", threshold=0.8)


def importance():
    frame = pd.DataFrame(
        {
            "seed": [1] * 4 + [2] * 4,
            "feature": list(iris.FEATURE_NAMES) * 2,
            "importance_mean": [0.02, -0.01, 0.3, 0.25, 0.0, 0.01, 0.35, 0.2],
        }
    )
    return plot_importance(frame)


FIGURES = {
    "learning_curves": learning_curves,
    "confusion_matrix": confusion_matrix,
    "study": study,
    "importance": importance,
}


@pytest.mark.parametrize("name", FIGURES)
def test_the_figure_is_drawn_as_recorded(name, tmp_path):
    drawn = tmp_path / f"{name}.png"
    FIGURES[name]().savefig(drawn, dpi=50)
    check_image(f"{name}.png", drawn)
