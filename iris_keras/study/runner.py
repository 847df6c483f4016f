"""Runs the seed study: every variant on every seed, in parallel, resumable.

`run_study` trains each `(variant, seed)` of the grid with `run_variant` in
worker processes (the "spawn" start method; each worker imports Keras and its backend
once and trains many runs), and rewrites `study.csv` atomically after every
finished run. Interrupted, it loses at most the runs in flight; run again,
it skips the `(variant, seed)` pairs already in `study.csv`.

Seeds start at the recipes' default seed 42, so the run that `make train`
does is one of the study's rows: `--seeds 20` runs seeds 42 to 61.

Rows recorded with other hyperparameters (another `--epochs`, or a recipe
changed since) are never mixed in: the study refuses to resume over them.
Nor are two studies' rows: the study holds its folder's lock
(`folder_lock`) while it runs, and a second study on it is refused.
"""

import os
import signal
import time
from datetime import UTC, datetime
from pathlib import Path

from iris_keras.app import artifacts
from iris_keras.errors import IrisKerasError, check_positive_int
from iris_keras.seeding import DEFAULT_SEED
from iris_keras.study.measures import run_variant
from iris_keras.study.progress import Progress
from iris_keras.study.report import write_report
from iris_keras.study.rows import CSV_NAME, read_rows, write_rows
from iris_keras.study.variants import recipe_config, study_variants

FIRST_SEED = DEFAULT_SEED
DEFAULT_SEEDS = 10
# One worker per core by default. Measured on the README's 2-core machine,
# shared with other jobs: 32 runs of 100 epochs took 98 s on 1 worker and
# 59 s on 2; 48 runs, 184 s and 116 s. The rows are identical either way.
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
):
    """Trains every variant on every seed, skipping the runs already recorded, and reports.

    Writes `study.csv` after every finished run, `study.json` at the end, and
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
    variants = study_variants() if variants is None else list(variants)
    with artifacts.claim_output_dir(output_dir, command=command) as output_dir:
        rows, metadata = _run_grid(
            output_dir, seed_list, epochs, workers, variants, progress_stream
        )
        write_report(output_dir, rows, metadata, variants)
    return rows, metadata


def _run_grid(output_dir, seed_list, epochs, workers, variants, progress_stream):
    """`run_study`'s body, run while this process holds `output_dir`'s lock."""
    from iris_keras import backend
    from iris_keras.app.machine import cpu_description, library_versions

    csv_path, metadata_path = output_dir / CSV_NAME, output_dir / METADATA_NAME

    recorded = read_rows(csv_path)
    metadata = _read_metadata(metadata_path)
    _check_resumable(csv_path, recorded, metadata, variants, epochs)
    done = {(row["variant"], row["seed"]) for row in recorded}
    todo = [
        (variant, seed)
        for seed in seed_list
        for variant in variants
        if (variant.name, seed) not in done
    ]

    session = {
        "started": _now(),
        "workers": workers,
        "runs": 0,
        "machine": cpu_description(),
        "backend": backend.name(),
        "versions": library_versions(),
    }
    started = time.perf_counter()
    progress = Progress(
        len(seed_list) * len(variants),
        done=len(seed_list) * len(variants) - len(todo),
        stream=progress_stream,
    )
    try:
        for row in _execute(todo, epochs=epochs, workers=workers):
            recorded.append(row)
            write_rows(csv_path, _ordered(recorded, variants))
            session["runs"] += 1
            progress.tick(row)
    finally:
        progress.close()
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

    by_key = {(row["variant"], row["seed"]): row for row in recorded}
    rows = [by_key[(variant.name, seed)] for variant in variants for seed in seed_list]
    return rows, metadata


def _execute(todo, *, epochs, workers):
    """Yields the row of each `(variant, seed)` of `todo` as it finishes."""
    import multiprocessing
    from concurrent.futures import ProcessPoolExecutor, as_completed

    if not todo:
        return
    pool = ProcessPoolExecutor(
        max_workers=min(workers, len(todo)),
        mp_context=multiprocessing.get_context("spawn"),
        initializer=_init_worker,
    )
    try:
        futures = [pool.submit(run_variant, variant, seed, epochs=epochs) for variant, seed in todo]
        for future in as_completed(futures):
            yield future.result()
    finally:
        # Interrupted or failed: drop the runs not started, let the running
        # ones finish (workers ignore Ctrl-C), and record nothing more.
        pool.shutdown(wait=True, cancel_futures=True)


def _init_worker():
    """Starts a worker: ignores Ctrl-C (the parent handles it), imports the backend, CPU only.

    A spawned worker inherits the parent's `KERAS_BACKEND`, so it runs the
    parent's backend.
    """
    from iris_keras import backend
    from iris_keras.app.machine import select_device
    from iris_keras.backend import quiet

    quiet.install()  # the backend's start-up lines stay out of the parent's terminal
    signal.signal(signal.SIGINT, signal.SIG_IGN)

    backend.quiet_logger()  # TensorFlow's retracing notices: each run builds a new model
    select_device("cpu")


def _check_resumable(csv_path, recorded, metadata, variants, epochs):
    from iris_keras.app.machine import library_versions

    fix = "Choose another --output, or delete it to start over."
    expected = {variant.name: variant.to_recipe(seed=0, epochs=epochs) for variant in variants}
    for row in recorded:
        recipe = expected.get(row["variant"])
        if recipe is None:
            continue
        if row["epochs"] != recipe.epochs:
            raise IrisKerasError(
                f"Received epochs={recipe.epochs}, but {csv_path} was recorded with "
                f"epochs={row['epochs']}. {fix}"
            )
        if row["config"] != recipe_config(recipe):
            raise IrisKerasError(
                f"{csv_path} holds runs of {row['variant']} recorded with other "
                f"hyperparameters than the recipe's today. {fix}"
            )
    sessions = metadata.get("sessions", [])
    if recorded and sessions and sessions[-1]["versions"] != library_versions():
        raise IrisKerasError(
            f"{csv_path} was recorded with other library versions "
            f"({sessions[-1]['versions']}) than these ({library_versions()}). {fix}"
        )


def _read_metadata(path):
    import json

    try:
        return json.loads(Path(path).read_text(encoding="utf-8"))
    except FileNotFoundError:
        return {}
    except ValueError:
        raise IrisKerasError(
            f"Received an invalid study file, expected JSON. Received: {path}. "
            "Choose another --output, or delete it to start over."
        ) from None


def _ordered(rows, variants):
    rank = {variant.name: index for index, variant in enumerate(variants)}
    return sorted(
        rows, key=lambda row: (rank.get(row["variant"], len(rank)), row["variant"], row["seed"])
    )


def _recipe_epochs(variants):
    return variants[0].to_recipe(seed=0).epochs if variants else None


def _now():
    return datetime.now(UTC).isoformat(timespec="seconds")
