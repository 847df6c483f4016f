"""The study's unit of work: a task, many runs trained together, each run's failure its own.

A task is the runs one worker trains at once: by default every pending
`(variant, seed)` whose variants share a recipe, hidden widths and batch
size, in one stacked model (`stacked.run_stacked`); with `per_run=True`,
one run, with `measures.run_variant` (the reference path). The longest
stacks come first, so that the workers finish together. `run_task` never raises for a
run: a run that fails becomes a row with its `error`, and a task that fails
as a whole (an exception, its time limit) gives each of its runs that error.
A local worker pool (`pool`) or a Dask cluster (`cluster`) runs the tasks.

>>> from iris_keras.study.variants import study_variants
>>> tasks = plan_tasks([(v, 42) for v in study_variants()], epochs=None)
>>> [len(task.runs) for task in tasks]
[6, 6, 2, 2]
"""

import dataclasses
import time

from iris_keras.errors import check_positive_int
from iris_keras.study.rows import error_line, run_row


@dataclasses.dataclass(frozen=True)
class Task:
    """Runs trained together by one worker.

    Attributes:
        runs: `(Variant, seed)` pairs.
        epochs: epochs per run, or `None` for the recipes' own.
        per_run: train each run alone with `run_variant` instead of stacked.
        backend: the Keras backend the runs must train on (a worker on
            another backend fails the task), or `None` for any.
        curves: record every epoch's curves of each run (`run_curves`).
    """

    runs: tuple
    epochs: int | None = None
    per_run: bool = False
    backend: str | None = None
    curves: bool = False

    def describe(self):
        """E.g. `"article 4x3, 120 runs"` or `"multiclass 16x8 b8, 600 runs"`."""
        variant = self.runs[0][0]
        batch = "" if variant.batch_size is None else f" b{variant.batch_size}"
        units = "x".join(map(str, variant.units))
        return f"{variant.recipe} {units}{batch}, {len(self.runs)} runs"


def stack_key(variant):
    """The variants that can share one stacked model: the same recipe, widths and batch size."""
    return variant.recipe, variant.units, variant.batch_size


def stack_cost(runs):
    """A stack's training time, roughly: runs times the steps of an epoch of 120 flowers."""
    batch_size = runs[0][0].to_recipe(seed=0).batch_size
    return len(runs) * -(-120 // batch_size)


def plan_tasks(runs, *, epochs, per_run=False, block=None, backend=None, curves=False):
    """The tasks that train `runs`, in order.

    Args:
        runs: the `(Variant, seed)` pairs to train.
        epochs: epochs per run, or `None` for the recipes' own.
        per_run: one task per run, trained alone. Defaults to `False`.
        block: the most runs in one stacked task, a positive integer, or
            `None` for no limit (one task per recipe and width). Defaults
            to `None`.
        backend: the backend the runs must train on. Defaults to `None`.
        curves: record every epoch's curves of each run. Defaults to `False`.

    Returns:
        A list of `Task`: stacks in decreasing `stack_cost`, each cut into
        blocks in order; per run, in the order of `runs`.
    """
    if per_run:
        return [Task((run,), epochs, True, backend, curves) for run in runs]
    block = None if block is None else check_positive_int("block", block)
    groups: dict = {}
    for variant, seed in runs:
        groups.setdefault(stack_key(variant), []).append((variant, seed))
    tasks = []
    for group in sorted(groups.values(), key=stack_cost, reverse=True):  # stable: ties in order
        size = block or len(group)
        for start in range(0, len(group), size):
            tasks.append(Task(tuple(group[start : start + size]), epochs, False, backend, curves))
    return tasks


def run_task(task, *, time_limit=None):
    """Trains a task's runs in this process: one row per run, in order; never raises for them.

    Args:
        task: a `Task`.
        time_limit: seconds the task may train, or `None`. Past it, training
            stops at the next batch and every run of the task fails.
            Defaults to `None`.

    Returns:
        A list of rows (`rows.COLUMNS`), one per run of `task`.
    """
    started = time.perf_counter()
    try:
        _check_backend(task.backend)
        callbacks = () if time_limit is None else (_deadline(time_limit),)
        if task.per_run:
            return [_run_alone(run, task, callbacks) for run in task.runs]
        from iris_keras.study.stacked import run_stacked

        return run_stacked(task.runs, epochs=task.epochs, callbacks=callbacks, curves=task.curves)
    except Exception as error:  # one failure is the task's runs' failure, not the study's
        return failed_rows(task, error_line(error), seconds=time.perf_counter() - started)


def failed_rows(task, error, *, seconds):
    """A failed row for each run of `task`, with `error` (one line) and `seconds` shared."""
    share = round(seconds / len(task.runs), 3)
    return [
        run_row(
            variant, variant.to_recipe(seed=seed, epochs=task.epochs), seconds=share, error=error
        )
        for variant, seed in task.runs
    ]


def _run_alone(run, task, callbacks):
    from iris_keras.study.measures import run_variant

    started = time.perf_counter()
    variant, seed = run
    try:
        return run_variant(
            variant, seed, epochs=task.epochs, callbacks=callbacks, curves=task.curves
        )
    except Exception as error:
        alone = Task((run,), task.epochs, True)
        return failed_rows(alone, error_line(error), seconds=time.perf_counter() - started)[0]


def _check_backend(expected):
    from iris_keras import backend

    if expected is not None and backend.name() != expected:
        raise RuntimeError(
            f"this worker runs Keras on {backend.name()}, the study on {expected}: start the "
            f"worker with KERAS_BACKEND={expected} in that backend's environment"
        )


def _deadline(seconds):
    """A Keras callback that raises `TimeoutError` at the first batch past `seconds` from now."""
    import keras

    end = time.monotonic() + seconds

    def check(batch, logs=None):
        if time.monotonic() > end:
            raise TimeoutError(f"the task passed its time limit of {seconds:g} s")

    return keras.callbacks.LambdaCallback(on_train_batch_end=check)
