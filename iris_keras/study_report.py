"""The seed study's report: per-variant statistics, a markdown summary, the study page's block.

Everything here is computed from the rows of `study.csv` and `study.json`,
so `make study` can regenerate docs/study.md's results from the recorded runs
alone:

- `summarize`: per variant, the test accuracy's mean, standard deviation
  (n - 1), min and max, the seeds at or above 0.9, the collapses, the mean
  number of dead ReLU units and the median epoch to 0.95 training accuracy;
- `summary_markdown`: that table, the verdicts on the two shipped recipes,
  the date, the library versions and the machine;
- `write_report`: the summary as `summary.md` and `plots.plot_study` as
  `study.png`;
- `update_readme`: rewrites the block between `<!-- study:start -->` and
  `<!-- study:end -->`.
"""

import statistics
from pathlib import Path

import numpy as np

from iris_keras import artifacts
from iris_keras.plots import plot_study

RELIABLE_ACCURACY = 0.9
# The corrected recipe must reach RELIABLE_ACCURACY on at least 19 seeds in 20.
ALLOWED_FAILURES_PER_20 = 1
START_MARKER = "<!-- study:start -->"
END_MARKER = "<!-- study:end -->"
SUMMARY_NAME = "summary.md"
PLOT_NAME = "study.png"


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
        `epoch_to_0.95` (median over the runs that reached it, or `None`)
        and `reached` (how many did).

    Example:
    >>> from iris_keras.study import Variant
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
        runs = [row for row in rows if row["variant"] == variant.name]
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


def summary_markdown(rows, metadata, variants, *, link_prefix=""):
    """The study's report in markdown: how it ran, the table, the verdicts, the plot.

    Args:
        rows: the grid's rows, as `run_study` returns them.
        metadata: the contents of `study.json`.
        variants: the `Variant`s, in the table's order.
        link_prefix: the path from the markdown file's folder to the study's
            folder, ending in `/` (e.g. `"study/"` for docs/study.md).
            Defaults to `""` (the summary sits beside the study's files).

    Returns:
        A `str`, ending with a newline.
    """
    table = summarize(rows, variants)
    by_name = {stats["variant"]: stats for stats in table}
    lines = [*_provenance(metadata, len(rows)), ""]
    lines += _table(table)
    lines += ["", *_verdicts(by_name), ""]
    lines.append(f"![Test accuracy of every run, one strip per variant]({link_prefix}{PLOT_NAME})")
    lines += [
        "",
        f"Every run: [`{link_prefix}study.csv`]({link_prefix}study.csv); "
        f"how it ran: [`{link_prefix}study.json`]({link_prefix}study.json).",
    ]
    return "\n".join(lines) + "\n"


def _provenance(metadata, runs):
    sessions = metadata.get("sessions", [])
    seeds = metadata["seeds"]
    last = sessions[-1] if sessions else {}
    versions = last.get("versions", {})
    wall = sum(session["wall_seconds"] for session in sessions)
    workers = sorted({session["workers"] for session in sessions})
    machines = sorted({session["machine"].removeprefix("CPU: ") for session in sessions})
    ran = f" in {_duration(wall)} on {'/'.join(map(str, workers))} worker process(es)"
    if len(sessions) > 1:
        ran += f" over {len(sessions)} sessions"
    library = ", ".join(
        f"{name} {versions[key]}"
        for name, key in (
            ("TensorFlow", "tensorflow"),
            ("JAX", "jax"),
            ("PyTorch", "torch"),
            ("Keras", "keras"),
            ("NumPy", "numpy"),
            ("scikit-learn", "scikit-learn"),
            ("Python", "python"),
        )
        if key in versions
    )
    date = last.get("finished", "")[:10]
    return [
        f"Generated by `iris-keras study` from {runs} runs: {len(metadata['variants'])} variants × "
        f"{len(seeds)} seeds ({seeds[0]}–{seeds[-1]}), {metadata['epochs']} epochs each, "
        f"recorded {date}{ran if sessions else ''}. "
        f"Libraries: {library}. Machine: {'; '.join(machines)}.",
        "",
        "A seed fixes the train/test split, the initial weights and the shuffles. "
        "A run *collapses* when it predicts one class for every test flower; a ReLU unit "
        "is *dead* when it outputs 0 for every training flower. "
        "*≥ 0.9* counts the runs with at least 27 of the 30 test flowers right. "
        "**Bold**: the recipe as `get_recipe` ships it.",
    ]


def _table(table):
    lines = [
        "| variant | runs | test accuracy, mean ± std | min | max | ≥ 0.9 | collapsed "
        "| dead ReLU units, mean | epoch to 0.95 train accuracy, median (runs reaching it) |",
        "|---|---|---|---|---|---|---|---|---|",
    ]
    for stats in table:
        name = f"`{stats['variant']}`"
        if stats["shipped"]:
            name = f"**{name}**"
        if stats["n"] == 0:
            lines.append(f"| {name} | 0 | | | | | | | |")
            continue
        epoch = "never" if stats["epoch_to_0.95"] is None else f"{stats['epoch_to_0.95']:g}"
        lines.append(
            f"| {name} | {stats['n']} | {stats['mean']:.3f} ± {stats['std']:.3f} "
            f"| {stats['min']:.3f} | {stats['max']:.3f} | {stats['reliable']} "
            f"| {stats['collapses']} | {stats['dead_units']:.1f} "
            f"| {epoch} ({stats['reached']}/{stats['n']}) |"
        )
    return lines


def _verdicts(by_name):
    lines = []
    shipped = [stats for stats in by_name.values() if stats["shipped"] and stats["n"]]
    for stats in shipped:
        recipe = stats["variant"].split("-")[0]
        sentence = (
            f"- **`{recipe}` as shipped** (`{stats['variant']}`): at or above 0.9 on "
            f"{stats['reliable']} of {stats['n']} seeds, collapsed on {stats['collapses']}."
        )
        if recipe == "multiclass":
            verdict = "met" if meets_criterion(stats) else "**not met**"
            sentence += f" Criterion (at most 1 seed in 20 below 0.9): {verdict}."
        lines.append(sentence)
    for name, what in (
        ("article-virginica-raw-4x3", "`article` on raw centimetres, as the article trains"),
        ("multiclass-std-4x3", "`multiclass` with the article's 4-3 hidden layers"),
    ):
        stats = by_name.get(name)
        if stats and stats["n"] and not stats["shipped"]:
            lines.append(
                f"- **{what}** (`{name}`): at or above 0.9 on {stats['reliable']} of "
                f"{stats['n']} seeds, collapsed on {stats['collapses']}."
            )
    article = [s for n, s in by_name.items() if n.startswith("article-") and n.endswith("4x3")]
    if article:
        runs = sum(stats["n"] for stats in article)
        collapses = sum(stats["collapses"] for stats in article)
        lines.append(
            f"- **The article's 4-3 network on its binary task**, any species, standardized "
            f"or raw: {collapses} of {runs} runs collapsed."
        )
    return lines


def summary_text(table):
    """The per-variant table as plain text, for the terminal.

    Args:
        table: the result of `summarize`.

    Returns:
        A `str`: one line per variant, `*` marking the shipped recipes.
    """
    lines = [f"  {'variant':<28} runs  accuracy         min    >=0.9  collapsed  dead"]
    for stats in table:
        if not stats["n"]:
            continue
        mark = "*" if stats["shipped"] else " "
        lines.append(
            f"{mark} {stats['variant']:<28} {stats['n']:>4}  "
            f"{stats['mean']:.3f} ± {stats['std']:.3f}  {stats['min']:.3f}  "
            f"{stats['reliable']:>5}  {stats['collapses']:>9}  {stats['dead_units']:>4.1f}"
        )
    return "\n".join(lines)


def write_report(output_dir, rows, metadata, variants):
    """Writes `summary.md` and `study.png` into `output_dir`, atomically.

    Returns:
        The paths written, `(summary, plot)`.
    """
    output_dir = Path(output_dir)
    summary, plot = output_dir / SUMMARY_NAME, output_dir / PLOT_NAME
    artifacts.write_text(summary, "## Seed study\n\n" + summary_markdown(rows, metadata, variants))
    title = f"Test accuracy over {len(metadata['seeds'])} seeds, {metadata['epochs']} epochs"
    artifacts.save_figure(
        plot, plot_study(rows, variants, title=title, threshold=RELIABLE_ACCURACY)
    )
    return summary, plot


def update_readme(readme, output_dir, rows, metadata, variants):
    """Rewrites a page's block (`docs/study.md`) between the study markers from the study's outputs.

    Args:
        readme: the README's path.
        output_dir: the study's folder; the block links its files relative
            to the README.
        rows, metadata, variants: as for `summary_markdown`.

    Raises:
        IrisKerasError: the README is missing, or lacks the two markers in
            order.
    """
    import os

    from iris_keras.page_block import replace_block

    prefix = Path(os.path.relpath(Path(output_dir).resolve(), Path(readme).resolve().parent))
    link_prefix = "" if str(prefix) == "." else f"{prefix.as_posix()}/"
    block = summary_markdown(rows, metadata, variants, link_prefix=link_prefix)
    replace_block(readme, block, start=START_MARKER, end=END_MARKER, name="readme")


def _reliable(accuracy):
    # Keras's accuracies are float32: 27 right of 30 is 0.89999998, below the float64 0.9.
    return bool(np.float32(accuracy) >= np.float32(RELIABLE_ACCURACY))


def _duration(seconds):
    minutes, seconds = divmod(round(seconds), 60)
    return f"{minutes} min {seconds:02d} s" if minutes else f"{seconds} s"
