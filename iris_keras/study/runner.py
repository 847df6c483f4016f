"""Runs a grid, the seed study or the sweep: every run, in parallel, resumable.

`run_grid` trains the `(variant, seed)` runs of a `grid.Grid` in tasks
(`tasks.plan_tasks`): by default the runs of all variants that share a
recipe, hidden widths and batch size, stacked in one model
(`stacked.run_stacked`); with `per_run=True`, each run alone with
`run_variant`, the reference path. The tasks run in local worker processes
(`pool`), or on a Dask cluster (`on_dask`, `scheduler=`). The grid's rows
(`study.csv`, `sweep.csv`) are rewritten atomically after every finished
task, and a sweep's task writes its runs' curves (`atlas`) just before.
Interrupted, the grid loses at most the tasks in flight; run again, it
skips the runs already recorded.

One failure is one failed run: a run that raises, passes the time limit or
loses its worker is recorded with its `error` and the grid goes on; the
summary counts the failures, and a rerun retries those runs only. A run
that diverges is recorded with its `DivergedError`, once: its settings
diverge, and a rerun would too.

`run_study` is the seed study (`grid.study_grid`) with its report:
`--seeds 20` runs seeds 42 to 61 of every variant.

Rows recorded with other hyperparameters (another `--epochs`, or a recipe
changed since) are never mixed in: the grid refuses to resume over them.
Nor are two grids' rows: the grid holds its folder's lock (`folder_lock`)
while it runs, and a second one on it is refused.
"""

import os
import time
from datetime import UTC, datetime

from iris_keras import backend
from iris_keras.common import artifacts
from iris_keras.common.machine import library_versions
from iris_keras.errors import check_positive_float, check_positive_int
from iris_keras.study.atlas import CurvesWriter
from iris_keras.study.grid import CURVES_DIR, DEFAULT_SEEDS, grid_seeds, study_grid
from iris_keras.study.progress import Progress
from iris_keras.study.resume import check_resumable, read_metadata
from iris_keras.study.rows import CSV_NAME, failed, read_rows, write_rows
from iris_keras.study.tasks import plan_tasks

# One worker per core by default: each worker trains its own tasks, and the
# rows are identical whatever the number of workers.
DEFAULT_WORKERS = (
    len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count() or 1
)
__all__ = ["CSV_NAME", "DEFAULT_WORKERS", "run_grid", "run_study", "study_seeds"]


def study_seeds(seeds=DEFAULT_SEEDS):
    """The seeds of a study with `seeds` seeds per variant: 42, 43, ...

    Example:
    >>> study_seeds(3)
    [42, 43, 44]
    """
    return list(grid_seeds(seeds))


def run_study(output_dir, *, seeds=DEFAULT_SEEDS, epochs=None, variants=None, tables=None, **how):
    """Trains every variant on every seed, skipping the runs already recorded, and reports.

    `run_grid` on the seed study's grid (`grid.study_grid`), then the
    report (`summary.md`, `study.png`, `report.write_report`), all while
    holding the folder's lock.

    Args:
        output_dir: the folder of `study.csv` and `study.json`; created if
            missing.
        seeds: seeds per variant, a positive integer; the seeds are
            `study_seeds(seeds)`. Defaults to `10`.
        epochs: epochs per run; `None` keeps the recipes' 100.
            Defaults to `None`.
        variants: the `Variant`s to run. Defaults to `study_variants(tables=tables)`.
        tables: each recipe on a learner's table (`grid.table_recipes`), or
            `None` for iris. Defaults to `None`.
        **how: `run_grid`'s `workers`, `progress_stream`, `command`,
            `per_run`, `scheduler`, `time_limit` and `block`.

    Returns:
        `(rows, metadata)`, as `run_grid`.
    """
    from iris_keras.study.report import write_report

    grid = study_grid(seeds=seeds, epochs=epochs, variants=variants, tables=tables)

    def report(folder, rows, metadata):
        write_report(folder, rows, metadata, list(grid.variants))

    return run_grid(output_dir, grid, report=report, **how)


def run_grid(
    output_dir,
    grid,
    *,
    workers=DEFAULT_WORKERS,
    progress_stream=None,
    command=None,
    per_run=False,
    scheduler=None,
    time_limit=None,
    block=None,
    report=None,
):
    """Trains every run of `grid`, skipping the runs already recorded, into `output_dir`.

    Writes the grid's rows after every finished task (a sweep's curves just
    before them), its JSON at the end, then calls `report`, all while
    holding the folder's lock.

    The workers are started with "spawn", which imports the calling script
    again: call `run_grid` from a script under `if __name__ == "__main__":`
    (the `iris-keras` command does).

    Args:
        output_dir: the grid's folder; created if missing.
        grid: a `grid.Grid`.
        workers: worker processes, a positive integer. Defaults to the
            number of CPU cores.
        progress_stream: where the progress bar goes; `None` shows none.
            Defaults to `None`.
        command: the command line a refused second run is shown. Defaults
            to this process's.
        per_run: train each run alone with `run_variant` (the reference
            path, one Keras model per run) instead of stacked. Defaults to
            `False`.
        scheduler: the address of a Dask scheduler to run the tasks on
            (`on_dask`), or `None` for local worker processes. Defaults to
            `None`.
        time_limit: seconds one task may take (a stacked block of runs, or
            one run with `per_run`), or `None` for no limit. Defaults to `None`.
        block: the most runs in one stacked task, or `None` for one task
            per stack. Defaults to `None`.
        report: `report(folder, rows, metadata)`, called at the end, or
            `None`. Defaults to `None`.

    Returns:
        `(rows, metadata)`: the grid's rows, one dict per `(variant, seed)`
        in grid order, variant by variant (columns as in `rows.COLUMNS`),
        and the contents of its JSON.

    Raises:
        UsageError: a bad `workers` or `time_limit`.
        IrisKerasError: an unusable output folder, or rows recorded with
            other columns, hyperparameters or library versions.
        FolderBusyError: another process is writing `output_dir`.
    """
    workers = check_positive_int("workers", workers)
    time_limit = None if time_limit is None else check_positive_float("time_limit", time_limit)
    how = {"per_run": bool(per_run), "scheduler": scheduler, "time_limit": time_limit}
    # The backend the workers will run, without importing Keras here: this process
    # only hands out tasks and writes files.
    how.update(block=block, backend=backend.configured())
    how["versions"] = library_versions(how["backend"])
    with artifacts.claim_output_dir(output_dir, command=command) as output_dir:
        rows, metadata = _run_grid(output_dir, grid, workers, progress_stream, how)
        if report is not None:
            report(output_dir, rows, metadata)
    return rows, metadata


def _run_grid(output_dir, grid, workers, progress_stream, how):
    """`run_grid`'s body, run while this process holds `output_dir`'s lock."""
    csv_path, metadata_path = output_dir / grid.rows_name, output_dir / grid.metadata_name
    variants = list(grid.variants)
    recorded = read_rows(csv_path)
    metadata = read_metadata(metadata_path)
    check_resumable(csv_path, recorded, metadata, variants, grid.epochs, how["versions"], grid.data)
    done = {(row["variant"], row["seed"]) for row in recorded if not failed(row)}
    todo = [(variant, seed) for variant, seed in grid.runs if (variant.name, seed) not in done]
    tasks = plan_tasks(
        todo,
        epochs=grid.epochs,
        per_run=how["per_run"],
        block=how["block"],
        backend=how["backend"],
        curves=grid.curves,
    )

    session = _new_session(workers, how)
    started = time.perf_counter()
    total = len(grid.runs)
    session["progress"] = Progress(total, done=total - len(todo), stream=progress_stream)
    if grid.curves:
        session["curves"] = CurvesWriter(output_dir / CURVES_DIR, session["started"])
    by_key = {(row["variant"], row["seed"]): row for row in recorded}
    session["labels"] = {
        (variant.name, seed): task.describe() for task in tasks for variant, seed in task.runs
    }
    try:
        _record(_execute(tasks, workers=workers, how=how), by_key, csv_path, variants, session)
    finally:
        session.pop("progress").close()
        session.pop("curves", None)
        session.pop("labels")
        if session["runs"]:
            session["finished"] = _now()
            session["wall_seconds"] = round(time.perf_counter() - started, 1)
            metadata["sessions"] = [*metadata.get("sessions", []), session]
        metadata.update(grid.describe())
        artifacts.write_json(metadata_path, metadata)

    rows = [by_key[(variant.name, seed)] for variant in variants for seed in grid.seeds]
    return rows, metadata


def _new_session(workers, how):
    """This session's record in `study.json`: when, how, where, with what."""
    from iris_keras.common.machine import cpu_description

    return {
        "started": _now(),
        "workers": workers,
        "mode": "per-run" if how["per_run"] else "stacked",
        "scheduler": how["scheduler"],
        "runs": 0,
        "failed": 0,
        "machine": cpu_description(),
        "backend": how["backend"],
        "versions": how["versions"],
    }


def _record(results, by_key, csv_path, variants, session):
    """Records each task's rows as they come: curves, rows rewritten, the session counted."""
    for task_rows in results:
        curves = [row.pop("curves", None) for row in task_rows]
        if "curves" in session:
            session["curves"].write(task_rows, curves)
        by_key.update({(row["variant"], row["seed"]): row for row in task_rows})
        write_rows(csv_path, _ordered(by_key.values(), variants))
        session["runs"] += len(task_rows)
        session["failed"] += sum(failed(row) for row in task_rows)
        first = task_rows[0]
        session["progress"].tick_task(
            task_rows, session["labels"][(first["variant"], first["seed"])]
        )


def _execute(tasks, *, workers, how):
    """Yields the rows of each task as it finishes: locally, or on a Dask cluster."""
    if how["scheduler"]:
        from iris_keras.study.on_dask import run_tasks_on_dask

        return run_tasks_on_dask(tasks, address=how["scheduler"], time_limit=how["time_limit"])
    from iris_keras.study.pool import run_tasks

    return run_tasks(tasks, workers=min(workers, len(tasks) or 1), time_limit=how["time_limit"])


def _ordered(rows, variants):
    rank = {variant.name: index for index, variant in enumerate(variants)}
    return sorted(
        rows, key=lambda row: (rank.get(row["variant"], len(rank)), row["variant"], row["seed"])
    )


def _now():
    return datetime.now(UTC).isoformat(timespec="seconds")
