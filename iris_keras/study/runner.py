"""Runs the seed study: every variant on every seed, in parallel, resumable.

`run_study` trains the `(variant, seed)` runs of the grid in tasks
(`tasks.plan_tasks`): by default the runs of all variants that share a
recipe and hidden widths, stacked in one model (`stacked.run_stacked`);
with `per_run=True`, each run alone with `run_variant`, the reference path.
The tasks run in local worker processes (`pool`), or on a Dask cluster
(`on_dask`, `scheduler=`). `study.csv` is rewritten atomically after every
finished task. Interrupted, the study loses at most the tasks in flight;
run again, it skips the runs already in `study.csv`.

One failure is one failed run: a run that raises, diverges, passes the time
limit or loses its worker is recorded with its `error` and the study goes
on; the summary counts the failures, and a rerun retries those runs only.

Seeds start at the recipes' default seed 42, so the run that `make train`
does is one of the study's rows: `--seeds 20` runs seeds 42 to 61.

Rows recorded with other hyperparameters (another `--epochs`, or a recipe
changed since) are never mixed in: the study refuses to resume over them.
Nor are two studies' rows: the study holds its folder's lock
(`folder_lock`) while it runs, and a second study on it is refused.
"""

import os
import time
from datetime import UTC, datetime

from iris_keras import backend
from iris_keras.common import artifacts
from iris_keras.common.machine import library_versions
from iris_keras.errors import check_positive_float, check_positive_int
from iris_keras.seeding import DEFAULT_SEED
from iris_keras.study.progress import Progress
from iris_keras.study.report import write_report
from iris_keras.study.resume import check_resumable, read_metadata
from iris_keras.study.rows import CSV_NAME, failed, read_rows, write_rows
from iris_keras.study.tasks import plan_tasks
from iris_keras.study.variants import study_variants

FIRST_SEED = DEFAULT_SEED
DEFAULT_SEEDS = 10
# One worker per core by default: each worker trains its own tasks, and the
# rows are identical whatever the number of workers.
DEFAULT_WORKERS = (
    len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count() or 1
)
METADATA_NAME = "study.json"
__all__ = ["CSV_NAME", "DEFAULT_WORKERS", "run_study", "study_seeds"]


def study_seeds(seeds=DEFAULT_SEEDS):
    """The seeds of a study with `seeds` seeds per variant: 42, 43, ...

    Example:
    >>> study_seeds(3)
    [42, 43, 44]
    """
    seeds = check_positive_int("seeds", seeds)
    return list(range(FIRST_SEED, FIRST_SEED + seeds))


def run_study(
    output_dir,
    *,
    seeds=DEFAULT_SEEDS,
    epochs=None,
    workers=DEFAULT_WORKERS,
    variants=None,
    progress_stream=None,
    command=None,
    per_run=False,
    scheduler=None,
    time_limit=None,
    block=None,
):
    """Trains every variant on every seed, skipping the runs already recorded, and reports.

    Writes `study.csv` after every finished task, `study.json` at the end, and
    the report (`summary.md`, `study.png`, `report.write_report`), all while
    holding the folder's lock.

    The workers are started with "spawn", which imports the calling script
    again: call `run_study` from a script under `if __name__ == "__main__":`
    (the `iris-keras study` command does).

    Args:
        output_dir: the folder of `study.csv` and `study.json`; created if
            missing.
        seeds: seeds per variant, a positive integer; the seeds are
            `study_seeds(seeds)`. Defaults to `10`.
        epochs: epochs per run; `None` keeps the recipes' 100.
            Defaults to `None`.
        workers: worker processes, a positive integer. Defaults to the
            number of CPU cores.
        variants: the `Variant`s to run. Defaults to `study_variants()`.
        progress_stream: where the progress bar goes, one tick per run;
            `None` shows none. Defaults to `None`.
        command: the command line a refused second study is shown. Defaults
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
            per recipe and width. Defaults to `None`.

    Returns:
        `(rows, metadata)`: the rows of the grid, one dict per
        `(variant, seed)` in grid order (columns as in `COLUMNS`), and the
        contents of `study.json`.

    Raises:
        UsageError: a bad `seeds`, `epochs` or `workers`.
        IrisKerasError: an unusable output folder, or a `study.csv` recorded
            with other columns, hyperparameters or library versions.
        FolderBusyError: another process is writing `output_dir`.
    """
    seed_list = study_seeds(seeds)
    epochs = None if epochs is None else check_positive_int("epochs", epochs)
    workers = check_positive_int("workers", workers)
    time_limit = None if time_limit is None else check_positive_float("time_limit", time_limit)
    variants = study_variants() if variants is None else list(variants)
    how = {"per_run": bool(per_run), "scheduler": scheduler, "time_limit": time_limit}
    # The backend the workers will run, without importing Keras here: the study's
    # process only hands out tasks and writes files.
    how.update(block=block, backend=backend.configured())
    how["versions"] = library_versions(how["backend"])
    with artifacts.claim_output_dir(output_dir, command=command) as output_dir:
        rows, metadata = _run_grid(
            output_dir, seed_list, epochs, workers, variants, progress_stream, how
        )
        write_report(output_dir, rows, metadata, variants)
    return rows, metadata


def _run_grid(output_dir, seed_list, epochs, workers, variants, progress_stream, how):
    """`run_study`'s body, run while this process holds `output_dir`'s lock."""
    csv_path, metadata_path = output_dir / CSV_NAME, output_dir / METADATA_NAME

    recorded = read_rows(csv_path)
    metadata = read_metadata(metadata_path)
    check_resumable(csv_path, recorded, metadata, variants, epochs, how["versions"])
    done = {(row["variant"], row["seed"]) for row in recorded if not failed(row)}
    todo = [
        (variant, seed)
        for seed in seed_list
        for variant in variants
        if (variant.name, seed) not in done
    ]
    tasks = plan_tasks(
        todo, epochs=epochs, per_run=how["per_run"], block=how["block"], backend=how["backend"]
    )

    session = _new_session(workers, how)
    started = time.perf_counter()
    session["progress"] = Progress(
        len(seed_list) * len(variants),
        done=len(seed_list) * len(variants) - len(todo),
        stream=progress_stream,
    )
    by_key = {(row["variant"], row["seed"]): row for row in recorded}
    try:
        _record(_execute(tasks, workers=workers, how=how), by_key, csv_path, variants, session)
    finally:
        session.pop("progress").close()
        if session["runs"]:
            session["finished"] = _now()
            session["wall_seconds"] = round(time.perf_counter() - started, 1)
            metadata["sessions"] = [*metadata.get("sessions", []), session]
        metadata.update(
            seeds=seed_list,
            epochs=epochs or _recipe_epochs(variants),
            variants=[variant.name for variant in variants],
        )
        artifacts.write_json(metadata_path, metadata)

    rows = [by_key[(variant.name, seed)] for variant in variants for seed in seed_list]
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
    """Records each task's rows as they come: `study.csv` rewritten, the session counted."""
    for task_rows in results:
        by_key.update({(row["variant"], row["seed"]): row for row in task_rows})
        write_rows(csv_path, _ordered(by_key.values(), variants))
        session["runs"] += len(task_rows)
        session["failed"] += sum(failed(row) for row in task_rows)
        for row in task_rows:
            session["progress"].tick(row)


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


def _recipe_epochs(variants):
    return variants[0].to_recipe(seed=0).epochs if variants else None


def _now():
    return datetime.now(UTC).isoformat(timespec="seconds")
