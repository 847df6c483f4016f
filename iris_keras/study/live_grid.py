"""A small sweep trained here and now, in this process: what a notebook shows live.

`iris-keras sweep` trains the 6,000-run atlas in worker processes and keeps
it on disk (`runner.run_grid`). A lesson wants a few dozen runs in seconds,
in the notebook's own kernel, nothing written: `train_summary` plans the
grid's stacked tasks (`tasks.plan_tasks`, the engine the sweep uses), runs
each one here (`tasks.run_task`) and hands back the same summary the
committed atlas keeps (`atlas.summarize_atlas`), so `atlas_lookup` reads
both alike.
"""

from iris_keras import backend
from iris_keras.study.atlas import gather_atlas, summarize_atlas
from iris_keras.study.tasks import plan_tasks, run_task


def train_summary(grid):
    """Trains every run of a sweep grid in this process; returns its atlas summary.

    Args:
        grid: a sweep grid with curves, `grid.sweep_grid(...)`: keep it
            small (a few dozen runs of 100 epochs take seconds).

    Returns:
        `(summary, rows)`: `atlas.summarize_atlas` of the runs (over the
        grid's axes, seeds and epochs) and their rows (`rows.COLUMNS`), in
        the order the tasks trained them.

    Example:
    >>> from iris_keras.study.grid import sweep_grid
    >>> grid = sweep_grid(
    ...     recipes=["article"], learning_rates=[0.01], momenta=[0.9], batch_sizes=[32],
    ...     seeds=2, epochs=3,
    ... )
    >>> summary, rows = train_summary(grid)
    >>> summary["test_correct"].shape, len(rows)
    ((1, 1, 1, 1, 2, 3), 2)
    """
    tasks = plan_tasks(grid.runs, epochs=grid.epochs, backend=backend.name(), curves=True)
    rows = [row for task in tasks for row in run_task(task)]
    curves = [(row["variant"], row["seed"], row.pop("curves", {})) for row in rows]
    found = [(variant, seed, values) for variant, seed, values in curves if values]
    atlas = gather_atlas(grid.describe(), rows, found)
    return summarize_atlas(atlas), rows
