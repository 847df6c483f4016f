"""The seed study's figure: every run's test accuracy, one strip per variant."""

import numpy as np


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
        runs = [row for row in rows if row["variant"] == variant.name and not row.get("error")]
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
