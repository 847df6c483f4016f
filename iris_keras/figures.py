"""The notebooks' figures: the network, activations, losses, descent paths, decision regions.

Like `iris_keras.plots` (learning curves, confusion matrix), every function
returns a `matplotlib.figure.Figure` built without `pyplot`, which a
notebook shows inline and a script can save.
"""

import itertools

import numpy as np

from iris_keras.scratch import activations, descent, losses


def plot_network(widths, *, names=None):
    """A layered network as circles and lines: every unit feeds every unit of the next layer.

    Args:
        widths: units per layer, input first, e.g. `(4, 4, 3, 1)`.
        names: a caption per layer. Defaults to `None` (no captions).

    Returns:
        A `Figure`.
    """
    from matplotlib.figure import Figure

    figure = Figure(figsize=(1.8 * len(widths), 3.2))
    axes = figure.subplots()
    tallest = max(widths)
    positions = [
        [(column, (tallest - 1) / 2 - row) for row in range(width)]
        for column, width in enumerate(widths)
    ]
    for left, right in itertools.pairwise(positions):
        for x0, y0 in left:
            for x1, y1 in right:
                axes.plot([x0, x1], [y0, y1], color="0.75", linewidth=0.8, zorder=1)
    for column, units in enumerate(positions):
        axes.scatter(*zip(*units, strict=True), s=500, color=f"C{column}", zorder=2)
        if names:
            axes.text(column, -(tallest + 1) / 2, names[column], ha="center", va="top")
    axes.set_axis_off()
    axes.set_ylim(-(tallest + 2) / 2, tallest / 2)
    return figure


def plot_activations(names=("sigmoid", "tanh", "relu"), *, z=None):
    """Each activation and its derivative, from `iris_keras.scratch.activations`.

    Args:
        names: element-wise activations to draw. Defaults to the article's three.
        z: the pre-activations to draw them over. Defaults to 201 points in [-5, 5].

    Returns:
        A `Figure` with two panels, `f(z)` and `f'(z)`.
    """
    from matplotlib.figure import Figure

    z = np.linspace(-5.0, 5.0, 201) if z is None else np.asarray(z)
    figure = Figure(figsize=(9, 3.5))
    value_axes, slope_axes = figure.subplots(1, 2, sharex=True)
    for name in names:
        function, derivative = activations.ELEMENTWISE[name]
        value_axes.plot(z, function(z), label=name)
        slope_axes.plot(z, derivative(z), label=f"{name}'")
    for axes, title in ((value_axes, "f(z)"), (slope_axes, "f'(z)")):
        axes.axhline(0.0, color="0.8", linewidth=0.8)
        axes.set_xlabel("z")
        axes.set_title(title)
        axes.legend()
    figure.tight_layout()
    return figure


def plot_losses_against_prediction(p=None):
    """Binary cross-entropy and squared error of one prediction `p`, for label 1 and label 0.

    Returns:
        A `Figure` with one panel per label.
    """
    from matplotlib.figure import Figure

    p = np.linspace(0.001, 0.999, 200) if p is None else np.asarray(p)
    figure = Figure(figsize=(9, 3.5))
    for axes, label in zip(figure.subplots(1, 2, sharey=True), (1.0, 0.0), strict=True):
        for name in ("binary_crossentropy", "mean_squared_error"):
            loss = losses.LOSSES[name][0]
            axes.plot(p, [loss([[label]], [[value]]) for value in p], label=name)
        axes.set_xlabel("prediction p")
        axes.set_title(f"label y = {label:g}")
        axes.set_ylim(0, 5)
        axes.legend()
    figure.tight_layout()
    return figure


def plot_descent_paths(paths, *, curvatures=descent.CURVATURES):
    """Paths of gradient descent drawn over the contours of `descent.bowl`.

    Args:
        paths: a mapping from a label to the points visited, shape `(steps + 1, 2)`.
        curvatures: the bowl's. Defaults to `descent.CURVATURES`.

    Returns:
        A `Figure`.
    """
    from matplotlib.figure import Figure

    everything = np.concatenate(list(paths.values()))
    low, high = everything.min(axis=0) - 0.5, everything.max(axis=0) + 0.5
    w1, w2 = np.meshgrid(np.linspace(low[0], high[0], 200), np.linspace(low[1], high[1], 200))
    surface = descent.bowl(np.stack([w1, w2], axis=-1), curvatures)
    figure = Figure(figsize=(8, 4))
    axes = figure.subplots()
    axes.contour(w1, w2, surface, levels=np.geomspace(1e-3, surface.max(), 15), colors="0.7")
    for label, points in paths.items():
        axes.plot(points[:, 0], points[:, 1], marker=".", markersize=3, label=label)
    axes.scatter([0], [0], marker="*", s=150, color="black", zorder=3, label="minimum")
    axes.set_xlabel("w1 (flat direction)")
    axes.set_ylabel("w2 (steep direction)")
    axes.legend()
    figure.tight_layout()
    return figure


def plot_curves(curves, *, xlabel="epoch", ylabel="loss", title=None, log_scale=False):
    """Several curves on one set of axes, e.g. the training loss of Keras and of the NumPy loop.

    Args:
        curves: a mapping from a label to the values, plotted against 1, 2, ….
        xlabel, ylabel, title: the captions. Defaults to `"epoch"`, `"loss"`, `None`.
        log_scale: a logarithmic y axis. Defaults to `False`.

    Returns:
        A `Figure`.
    """
    from matplotlib.figure import Figure

    figure = Figure(figsize=(7, 3.5))
    axes = figure.subplots()
    for index, (label, values) in enumerate(curves.items()):
        steps = np.arange(1, len(values) + 1)
        axes.plot(steps, values, label=label, linestyle=("-", "--", ":")[index % 3])
    axes.set(xlabel=xlabel, ylabel=ylabel, title=title, yscale="log" if log_scale else "linear")
    axes.legend()
    figure.tight_layout()
    return figure


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

    from iris_keras.evaluate import classes_from_probabilities

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
