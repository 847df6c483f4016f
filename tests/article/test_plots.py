"""The seed study's figure (the run's figures are checked through `test_run.py`)."""

from iris_keras.study.plot import plot_study
from iris_keras.study.variants import Variant

VARIANTS = [
    Variant("article", "virginica", True, (4, 3)),
    Variant("article", "virginica", False, (4, 3)),
]


def _rows():
    rows = []
    for variant, accuracies in zip(
        VARIANTS, ([1.0, 0.9, 0.9, 2 / 3], [2 / 3, 2 / 3, 1.0, 1.0]), strict=True
    ):
        for seed, accuracy in enumerate(accuracies, start=42):
            rows.append(
                {
                    "variant": variant.name,
                    "seed": seed,
                    "test_accuracy": accuracy,
                    "collapsed": accuracy < 0.7,
                }
            )
    return rows


def test_plot_has_one_strip_per_variant():
    figure = plot_study(_rows(), VARIANTS, threshold=0.8)
    axes = figure.axes[0]
    labels = [label.get_text() for label in axes.get_yticklabels()]
    assert labels == ["article-virginica-std-4x3 (shipped)", "article-virginica-raw-4x3"]
    # Per variant: the runs that learned, the collapsed ones.
    assert [len(points.get_offsets()) for points in axes.collections] == [3, 1, 2, 2]
    assert axes.lines[-1].get_xdata()[0] == 0.8  # the dashed threshold line
