"""The seed study's report: a markdown summary, its figure, and the study page's block.

Everything here is computed from the rows of `study.csv` and `study.json`,
so `make docs-study` can regenerate docs/study.md's results from the recorded runs
alone:

- `summary_markdown`: the per-variant table (`statistics.summarize`), the
  verdicts on the two shipped recipes, the date, the library versions and
  the machine;
- `write_report`: the summary as `summary.md` and `plot.plot_study` as
  `study.png`;
- `update_readme`: rewrites the block between `<!-- study:start -->` and
  `<!-- study:end -->`.
"""

from pathlib import Path

from iris_keras.common import artifacts
from iris_keras.common.pages import write_block
from iris_keras.study.plot import plot_study
from iris_keras.study.provenance import provenance
from iris_keras.study.statistics import RELIABLE_ACCURACY, meets_criterion, summarize

START_MARKER = "<!-- study:start -->"
END_MARKER = "<!-- study:end -->"
SUMMARY_NAME = "summary.md"
PLOT_NAME = "study.png"


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
    lines = [*provenance(metadata, rows), ""]
    lines += _table(table)
    lines += ["", *_verdicts(by_name, on_table=bool(metadata.get("data"))), ""]
    lines.append(f"![Test accuracy of every run, one strip per variant]({link_prefix}{PLOT_NAME})")
    lines += [
        "",
        f"Every run: [`{link_prefix}study.csv`]({link_prefix}study.csv); "
        f"how it ran: [`{link_prefix}study.json`]({link_prefix}study.json).",
    ]
    return "\n".join(lines) + "\n"


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


def _verdicts(by_name, *, on_table):
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
    # On iris, its binary task (a species against the rest); on a table, the table's.
    task = "on the table**," if on_table else "on its binary task**, any species,"
    if article:
        runs = sum(stats["n"] for stats in article)
        collapses = sum(stats["collapses"] for stats in article)
        lines.append(
            f"- **The article's 4-3 network {task} standardized or raw: "
            f"{collapses} of {runs} runs collapsed."
        )
    return lines


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

    prefix = Path(os.path.relpath(Path(output_dir).resolve(), Path(readme).resolve().parent))
    link_prefix = "" if str(prefix) == "." else f"{prefix.as_posix()}/"
    block = summary_markdown(rows, metadata, variants, link_prefix=link_prefix)
    write_block(readme, block, start=START_MARKER, end=END_MARKER, name="readme")
