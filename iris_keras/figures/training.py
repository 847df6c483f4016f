"""A run's figures: its learning curves and its confusion matrix.

Functions return a `matplotlib.figure.Figure` built without `pyplot`, so they
work in scripts (no display needed) and show inline in notebooks.
"""

import numpy as np

# Fonts with Chinese characters, for class names of a learner's table: the
# first one matplotlib knows draws what DejaVu Sans lacks (Debian and Ubuntu's
# fonts-noto-cjk, Windows, macOS, fonts-wqy-zenhei, Adobe's Source Han Sans).
CJK_FONTS = (
    "Noto Sans CJK SC",
    "Microsoft YaHei",
    "PingFang SC",
    "WenQuanYi Zen Hei",
    "SimHei",
    "Source Han Sans SC",
)


def plot_learning_curves(history, *, title=None):
    """Loss and accuracy per epoch, training against validation.

    Args:
        history: a mapping (a `History.history` dict or a DataFrame) with
            `loss`, `accuracy` and optionally `val_loss`, `val_accuracy`.
        title: the figure's title, e.g. `"article (virginica vs rest) on
            tensorflow: learning curves"`. Defaults to `None` (no title).

    Returns:
        A `Figure` with two panels.
    """
    from matplotlib.figure import Figure

    figure = Figure(figsize=(9, 3.5))
    if title:
        figure.suptitle(title)
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


def plot_confusion_matrix(matrix, class_names, *, title=None):
    """The confusion matrix as an annotated heat map.

    Args:
        matrix: counts, rows are true classes and columns predicted ones.
        class_names: one name per class.
        title: the figure's title. Defaults to `None` (no title).

    Returns:
        A `Figure`.
    """
    from matplotlib.figure import Figure

    matrix = np.asarray(matrix)
    figure = Figure(figsize=(4.5, 4))
    if title:
        figure.suptitle(title, wrap=True)
    axes = figure.subplots()
    axes.imshow(matrix, cmap="Blues")
    ticks = np.arange(len(class_names))
    families = label_fonts()
    axes.set_xticks(ticks, class_names, rotation=30, ha="right", fontfamily=families)
    axes.set_yticks(ticks, class_names, fontfamily=families)
    axes.set_xlabel("predicted")
    axes.set_ylabel("true")
    for row, column in np.ndindex(matrix.shape):
        color = "white" if matrix[row, column] > matrix.max() / 2 else "black"
        axes.text(column, row, str(matrix[row, column]), ha="center", va="center", color=color)
    figure.tight_layout()
    return figure


def label_fonts():
    """The fonts for class names: matplotlib's default, then the first `CJK_FONTS` it knows.

    Returns:
        A list of font family names, for `fontfamily=`.
    """
    from matplotlib import font_manager, rcParams

    known = set(font_manager.get_font_names())
    return [*rcParams["font.sans-serif"][:1], *[name for name in CJK_FONTS if name in known][:1]]
