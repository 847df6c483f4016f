"""The figures: a run's learning curves and confusion matrix, the seed study's strips.

Functions return a `matplotlib.figure.Figure` built without `pyplot`, so they
work in scripts (no display needed) and show inline in notebooks.
"""

import numpy as np


def plot_learning_curves(history):
    """Loss and accuracy per epoch, training against validation.

    Args:
        history: a mapping (a `History.history` dict or a DataFrame) with
            `loss`, `accuracy` and optionally `val_loss`, `val_accuracy`.

    Returns:
        A `Figure` with two panels.
    """
    from matplotlib.figure import Figure

    figure = Figure(figsize=(9, 3.5))
    for axes, metric in zip(figure.subplots(1, 2), ("loss", "accuracy"), strict=True):
        values = np.asarray(history[metric])
        epochs = np.arange(1, len(values) + 1)
        axes.plot(epochs, values, label="training")
        if f"val_{metric}" in history:
            axes.plot(epochs, np.asarray(history[f"val_{metric}"]), label="validation")
        axes.set_xlabel("epoch")
        axes.set_title(metric)
        axes.legend()
    figure.tight_layout()
    return figure


def plot_confusion_matrix(matrix, class_names):
    """The confusion matrix as an annotated heat map.

    Args:
        matrix: counts, rows are true classes and columns predicted ones.
        class_names: one name per class.

    Returns:
        A `Figure`.
    """
    from matplotlib.figure import Figure

    matrix = np.asarray(matrix)
    figure = Figure(figsize=(4.5, 4))
    axes = figure.subplots()
    axes.imshow(matrix, cmap="Blues")
    ticks = np.arange(len(class_names))
    axes.set_xticks(ticks, class_names, rotation=30, ha="right")
    axes.set_yticks(ticks, class_names)
    axes.set_xlabel("predicted")
    axes.set_ylabel("true")
    for row, column in np.ndindex(matrix.shape):
        color = "white" if matrix[row, column] > matrix.max() / 2 else "black"
        axes.text(column, row, str(matrix[row, column]), ha="center", va="center", color=color)
    figure.tight_layout()
    return figure


def plot_study(rows, variants, *, title="Test accuracy per run", threshold=0.9):
    """Every run's test accuracy, one horizontal strip per variant.

    Collapsed runs are red crosses, the others blue dots; a black bar marks
    each variant's mean and a dashed line `threshold`. The recipes as
    shipped are labelled "(shipped)".

    Args:
        rows: study rows (dicts with `variant`, `test_accuracy`, `collapsed`).
        variants: the study's `Variant`s, top to bottom.
        title: the figure's title. Defaults to `"Test accuracy per run"`.
        threshold: where the dashed line goes. Defaults to `0.9`.

    Returns:
        A matplotlib `Figure`, built without pyplot.
    """
    from matplotlib.figure import Figure

    figure = Figure(figsize=(8, 1.2 + 0.32 * len(variants)))
    axes = figure.subplots()
    jitter = np.random.default_rng(0)
    for position, variant in enumerate(variants):
        runs = [row for row in rows if row["variant"] == variant.name]
        if not runs:
            continue
        accuracy = np.array([row["test_accuracy"] for row in runs])
        collapsed = np.array([bool(row["collapsed"]) for row in runs])
        heights = position + jitter.uniform(-0.22, 0.22, size=len(runs))
        axes.scatter(accuracy[~collapsed], heights[~collapsed], s=14, color="tab:blue", alpha=0.7)
        axes.scatter(accuracy[collapsed], heights[collapsed], s=22, color="tab:red", marker="x")
        axes.plot([accuracy.mean()] * 2, [position - 0.35, position + 0.35], color="black")
    axes.axvline(threshold, color="grey", linestyle="--", linewidth=1)
    labels = [f"{v.name} (shipped)" if v.is_shipped else v.name for v in variants]
    axes.set_yticks(range(len(variants)), labels)
    axes.invert_yaxis()
    axes.set_xlim(0, 1.02)
    axes.set_xlabel("test accuracy (red x: collapsed to one class; bar: mean)")
    axes.set_title(title)
    axes.grid(axis="x", alpha=0.3)
    figure.tight_layout()
    return figure
