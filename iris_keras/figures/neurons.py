"""§2's figures: the network's units and layers, the activations, the losses."""

import itertools

import numpy as np

from iris_keras.scratch import activations, losses


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
        xs, ys = zip(*units, strict=True)
        axes.scatter(xs, ys, s=500, color=f"C{column}", zorder=2)
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
