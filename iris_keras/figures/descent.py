"""§2.6 and §3.3's figures: gradient descent's paths over a bowl, and curves side by side."""

import numpy as np

from iris_keras.scratch import descent


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
