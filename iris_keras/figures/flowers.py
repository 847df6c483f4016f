"""§4 and §6's figures: the flowers, the regions a model assigns them, what it relies on."""

import numpy as np

from iris_keras.datasets.iris import FEATURE_NAMES
from iris_keras.evaluate import classes_from_probabilities


def decision_regions(model, x, *, features=(2, 3), steps=200):
    """The model's predicted class over a grid of two features, the others held at their mean.

    Args:
        model: a trained model that takes the four measurements.
        x: the flowers whose range sets the grid and whose mean fixes the
            other features, shape `(n, 4)`.
        features: the two feature indices on the axes. Defaults to `(2, 3)`,
            petal length and width.
        steps: grid points per axis. Defaults to `200`.

    Returns:
        `(first, second, classes)`: the grid coordinates and the predicted
        class index, each of shape `(steps, steps)`.
    """
    import keras

    x = np.asarray(x, dtype=np.float32)
    axes = [np.linspace(x[:, f].min() - 0.5, x[:, f].max() + 0.5, steps) for f in features]
    first, second = np.meshgrid(*axes)
    grid = np.tile(x.mean(axis=0), (first.size, 1))
    grid[:, features[0]], grid[:, features[1]] = first.ravel(), second.ravel()
    # One call on the whole grid: `model.predict` would cut it into batches of 32.
    classes = classes_from_probabilities(keras.ops.convert_to_numpy(model(grid, training=False)))
    return first, second, classes.reshape(first.shape)


def plot_flowers(x, labels, *, class_names, axis_names, features=(2, 3), regions=None):
    """Flowers on two of their measurements, coloured by class, over `regions` if given.

    Args:
        x: flowers to draw, shape `(n, 4)`.
        labels: their class indices, shape `(n,)`.
        class_names: one name per class index.
        axis_names: the names of the two features on the axes.
        features: the two feature indices. Defaults to `(2, 3)`, petal
            length and width.
        regions: the result of `decision_regions` for the same `features`,
            drawn as coloured areas under the flowers. Defaults to `None`.

    Returns:
        A `Figure`.
    """
    from matplotlib.colors import ListedColormap
    from matplotlib.figure import Figure

    x, labels = np.asarray(x), np.asarray(labels)
    colours = [f"C{index}" for index in range(len(class_names))]
    figure = Figure(figsize=(6, 4.5))
    axes = figure.subplots()
    if regions is not None:
        first, second, classes = regions
        levels = np.arange(len(class_names) + 1) - 0.5
        axes.contourf(
            first, second, classes, levels=levels, cmap=ListedColormap(colours), alpha=0.25
        )
    for index, name in enumerate(class_names):
        chosen = labels == index
        axes.scatter(
            x[chosen, features[0]],
            x[chosen, features[1]],
            color=colours[index],
            edgecolor="black",
            label=name,
        )
    axes.set_xlabel(axis_names[0])
    axes.set_ylabel(axis_names[1])
    axes.legend()
    figure.tight_layout()
    return figure


def plot_importance(frame):
    """Each feature's importance, one group of bars per feature and one bar per seed.

    Args:
        frame: the first result of `iris_keras.importance.importance_by_seed`.

    Returns:
        A `Figure`.
    """
    from matplotlib.figure import Figure

    table = frame.pivot(index="feature", columns="seed", values="importance_mean")
    table = table.loc[[name for name in FEATURE_NAMES if name in table.index]]
    figure = Figure(figsize=(7, 3.5))
    axes = figure.subplots()
    width = 0.8 / len(table.columns)
    for index, seed in enumerate(table.columns):
        positions = np.arange(len(table)) + (index - (len(table.columns) - 1) / 2) * width
        axes.bar(positions, table[seed], width=width, label=f"seed {seed}")
    axes.set_xticks(np.arange(len(table)), table.index)
    axes.axhline(0.0, color="0.5", linewidth=0.8)
    axes.set_ylabel("score lost when shuffled")
    axes.legend(fontsize="small")
    figure.tight_layout()
    return figure
