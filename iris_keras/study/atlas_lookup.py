"""Questions put to an atlas summary: a grid point's seeds, medians and failures at E epochs.

`atlas.summarize_atlas` keeps, per recipe, learning rate, momentum, batch
size and epoch, every seed's right test answers and how many seeds
diverged or collapsed. These functions read it the way a reader asks:
"at the article's choice, after 100 epochs, how are the 20 seeds spread?",
"where on the learning-rate x momentum map does training fail?". They read
the committed summary (`docs/atlas/summary.npz`, `read_summary`) and the
summary of a small grid trained in this process (`live_grid.train_summary`)
alike, so a notebook can hold one against the other. The book's atlas page
(`tools/book/atlas_page.py`) draws from the same functions.

>>> import numpy as np
>>> summary = {
...     "recipes": np.array(["article"]), "learning_rates": np.array([0.01, 0.1]),
...     "momenta": np.array([0.9]), "batch_sizes": np.array([32]),
...     "test_correct": np.array([[[[[[27, 29], [28, 255]]]], [[[[10, 20], [20, 20]]]]]]),
...     "runs": np.full((1, 2, 1, 1), 2), "diverged": np.zeros((1, 2, 1, 1, 2)),
...     "collapsed": np.array([[[[[0, 0]]], [[[2, 2]]]]]),
... }
>>> where = point(summary, recipe="article", learning_rate=0.01, momentum=0.9, batch_size=32)
>>> seed_accuracies(summary, where, epochs=2).tolist()
[0.9666666666666667, nan]
>>> float(median_test_accuracy(summary, epochs=1)[where])
0.9166666666666666
>>> failure_shares(summary, epochs=1)["collapsed"][..., 0, 0].tolist()
[[0.0, 1.0]]
"""

import warnings
from pathlib import Path

import numpy as np

from iris_keras.errors import IrisKerasError, check_positive_int, invalid
from iris_keras.study.atlas import AXES, TEST_FLOWERS, UNSCORED, read_summary

# What `point` takes, in the order of the summary's axes.
POINT_ARGUMENTS = dict(
    zip(AXES, ("recipe", "learning_rate", "momentum", "batch_size"), strict=True)
)


def point(summary, *, recipe, learning_rate, momentum, batch_size):
    """The index of a grid point in the summary's arrays: `(recipe, lr, momentum, batch)`.

    Args:
        summary: a summary (`summarize_atlas`, `read_summary`).
        recipe: `"article"` or `"multiclass"`, one of `summary["recipes"]`.
        learning_rate: one of `summary["learning_rates"]`.
        momentum: one of `summary["momenta"]`.
        batch_size: one of `summary["batch_sizes"]`.

    Returns:
        A tuple of four indexes.

    Raises:
        UsageError: a value that is not on its axis.
    """
    values = (recipe, learning_rate, momentum, batch_size)
    where = []
    for axis, value in zip(AXES, values, strict=True):
        found = [index for index, known in enumerate(summary[axis].tolist()) if known == value]
        if not found:
            accepted = ", ".join(str(known) for known in summary[axis].tolist())
            raise invalid(POINT_ARGUMENTS[axis], f"one of the atlas's {accepted}", value)
        where.append(found[0])
    return tuple(where)


def _epoch_index(summary, epochs):
    epochs = check_positive_int("epochs", epochs)
    recorded = summary["test_correct"].shape[-1]
    if epochs > recorded:
        raise invalid("epochs", f"at most the atlas's {recorded}", epochs)
    return epochs - 1


def seed_accuracies(summary, where, *, epochs):
    """Every seed's test accuracy at a grid point after `epochs` epochs; NaN if it has none.

    Args:
        summary: a summary.
        where: a grid point, `point(...)`.
        epochs: epochs trained, from 1 to the atlas's last.

    Returns:
        A float array, one value per seed of `summary["seeds"]`.
    """
    right = summary["test_correct"][(*where, slice(None), _epoch_index(summary, epochs))]
    return np.where(right == UNSCORED, np.nan, right / TEST_FLOWERS)


def median_test_accuracy(summary, *, epochs):
    """The median test accuracy over the scored seeds, at every grid point, after `epochs`.

    Returns:
        A float array over `(recipes, learning rates, momenta, batch sizes)`;
        NaN where no seed has a score.
    """
    right = summary["test_correct"][..., _epoch_index(summary, epochs)].astype(float)
    right[right == UNSCORED] = np.nan
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)  # a point whose every seed diverged
        return np.nanmedian(right, axis=-1) / TEST_FLOWERS


def failure_shares(summary, *, epochs):
    """The share of the recorded seeds that diverged, and that collapsed, by `epochs`.

    Returns:
        `{"diverged": array, "collapsed": array}`, each over `(recipes,
        learning rates, momenta, batch sizes)`, from 0 to 1.
    """
    index = _epoch_index(summary, epochs)
    runs = np.maximum(summary["runs"], 1)
    return {name: summary[name][..., index] / runs for name in ("diverged", "collapsed")}


def committed_summary():
    """The repository's committed atlas summary, `docs/atlas/summary.npz`: `(arrays, metadata)`.

    For the notebooks, which run in a checkout of the repository (an
    installed package has no `docs/`): `make docs-atlas` writes the file.

    Raises:
        IrisKerasError: the package runs outside a checkout, without the file.
    """
    path = Path(__file__).resolve().parents[2] / "docs" / "atlas" / "summary.npz"
    if not path.is_file():
        raise IrisKerasError(
            f"Received no atlas summary at {path}, expected the repository's committed one: "
            "run this in a checkout of iris-keras (make docs-atlas writes it)."
        )
    return read_summary(path)
