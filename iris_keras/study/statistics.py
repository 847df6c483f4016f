"""The seed study's statistics, per variant, from the rows of `study.csv`.

`summarize` gives, per variant, the test accuracy's mean, standard deviation
(n - 1), min and max, the seeds at or above 0.9, the collapses, the mean
number of dead ReLU units and the median epoch to 0.95 training accuracy;
`summary_text` prints it in a terminal; `meets_criterion` judges the
corrected recipe.
"""

import statistics

import numpy as np

RELIABLE_ACCURACY = 0.9
# The corrected recipe must reach RELIABLE_ACCURACY on at least 19 seeds in 20.
ALLOWED_FAILURES_PER_20 = 1


def summarize(rows, variants):
    """Per-variant statistics of the study's rows.

    Args:
        rows: study rows (dicts with `variant`, `test_accuracy`,
            `collapsed`, `dead_units`, `epoch_to_0.95`).
        variants: the `Variant`s to summarize, in the table's order.

    Returns:
        A list of dicts, one per variant: `variant`, `shipped`, `n`,
        `mean`, `std` (n - 1; 0 for one run), `min`, `max`, `reliable`
        (runs at or above 0.9), `collapses`, `dead_units` (mean),
        `epoch_to_0.95` (median over the runs that reached it, or `None`),
        `reached` (how many did) and `failed` (runs recorded with an error,
        left out of everything else).

    Example:
    >>> from iris_keras.study.variants import Variant
    >>> variant = Variant("multiclass", None, True, (4, 3))
    >>> rows = [
    ...     {"variant": variant.name, "test_accuracy": accuracy, "collapsed": accuracy < 0.5,
    ...      "dead_units": dead, "epoch_to_0.95": epoch}
    ...     for accuracy, dead, epoch in [(1.0, 0, 20), (0.9, 1, 30), (1 / 3, 3, None)]
    ... ]
    >>> stats = summarize(rows, [variant])[0]
    >>> stats["n"], round(stats["mean"], 3), stats["reliable"], stats["collapses"]
    (3, 0.744, 2, 1)
    >>> stats["epoch_to_0.95"], stats["reached"]
    (25.0, 2)
    """
    table = []
    for variant in variants:
        tried = [row for row in rows if row["variant"] == variant.name]
        runs = [row for row in tried if not row.get("error")]
        accuracies = [row["test_accuracy"] for row in runs]
        epochs = [row["epoch_to_0.95"] for row in runs if row["epoch_to_0.95"] is not None]
        table.append(
            {
                "variant": variant.name,
                "shipped": variant.is_shipped,
                "n": len(runs),
                "mean": statistics.fmean(accuracies) if runs else None,
                "std": statistics.stdev(accuracies) if len(runs) > 1 else 0.0,
                "min": min(accuracies, default=None),
                "max": max(accuracies, default=None),
                "reliable": sum(_reliable(accuracy) for accuracy in accuracies),
                "collapses": sum(bool(row["collapsed"]) for row in runs),
                "dead_units": statistics.fmean(row["dead_units"] for row in runs) if runs else None,
                "epoch_to_0.95": float(statistics.median(epochs)) if epochs else None,
                "reached": len(epochs),
                "failed": len(tried) - len(runs),
            }
        )
    return table


def meets_criterion(stats):
    """Whether a variant reached 0.9 on all but at most 1 seed in 20.

    Example:
    >>> meets_criterion({"n": 20, "reliable": 19}), meets_criterion({"n": 20, "reliable": 18})
    (True, False)
    """
    failures = stats["n"] - stats["reliable"]
    return stats["n"] > 0 and failures * 20 <= ALLOWED_FAILURES_PER_20 * stats["n"]


def summary_text(table):
    """The per-variant table as plain text, for the terminal.

    Args:
        table: the result of `summarize`.

    Returns:
        A `str`: one line per variant, `*` marking the shipped recipes.
    """
    lines = [f"  {'variant':<28} runs  accuracy         min    >=0.9  collapsed  dead"]
    failures = sum(stats.get("failed", 0) for stats in table)
    for stats in table:
        if not stats["n"]:
            continue
        mark = "*" if stats["shipped"] else " "
        lines.append(
            f"{mark} {stats['variant']:<28} {stats['n']:>4}  "
            f"{stats['mean']:.3f} ± {stats['std']:.3f}  {stats['min']:.3f}  "
            f"{stats['reliable']:>5}  {stats['collapses']:>9}  {stats['dead_units']:>4.1f}"
        )
    if failures:
        lines.append(
            f"{failures} run(s) failed (their error is in study.csv); "
            "run the same command again to retry them"
        )
    return "\n".join(lines)


def sweep_text(table, variants):
    """A sweep's outcome per recipe, for the terminal: its runs, the shipped and the best point.

    Args:
        table: `summarize(rows, variants)` of a sweep's rows.
        variants: the sweep's `Variant`s, in the table's order.

    Returns:
        A `str`: per recipe, the runs recorded, diverged (left out of the
        means) and failed, and the mean final test accuracy at the recipe's
        own learning rate, momentum and batch size, and at the best point.
    """
    lines = [
        f"  {'recipe':<11} {'runs':>5}  diverged or failed  mean test accuracy: as shipped, best"
    ]
    for recipe in dict.fromkeys(variant.recipe for variant in variants):
        points = [
            (stats, variant)
            for stats, variant in zip(table, variants, strict=True)
            if variant.recipe == recipe and stats["n"]
        ]
        if not points:
            continue
        runs = sum(stats["n"] + stats["failed"] for stats, _ in points)
        failures = sum(stats["failed"] for stats, _ in points)
        shipped = [stats["mean"] for stats, variant in points if variant.is_shipped]
        best, where = max(points, key=lambda point: point[0]["mean"])
        settings = "learning rate {:g}, momentum {:g}, batch {}".format(*where.hyperparameters)
        own = f"{shipped[0]:.3f}" if shipped else "not swept"
        lines.append(
            f"  {recipe:<11} {runs:>5}  {failures:>18}  {own}, {best['mean']:.3f} ({settings})"
        )
    return "\n".join(lines)


def _reliable(accuracy):
    # Keras's accuracies are float32: 27 right of 30 is 0.89999998, below the float64 0.9.
    return bool(np.float32(accuracy) >= np.float32(RELIABLE_ACCURACY))
