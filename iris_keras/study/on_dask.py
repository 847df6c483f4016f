"""The study's tasks on a Dask distributed cluster: `iris-keras study --scheduler ADDRESS`.

When one machine is not enough, the same tasks (`tasks.Task`: a stacked
block of runs, or one run with `--per-run`) go to a cluster started with
Dask's own commands, each machine in the study's environment (`pip install
'iris-keras[study]'`, the same backend):

    dask scheduler --port 8786
    KERAS_BACKEND=jax dask worker tcp://SCHEDULER:8786 --nthreads 1   # on each machine
    iris-keras study --backend jax --scheduler tcp://SCHEDULER:8786

The study's process stays the one writer of `study.csv`: it submits every
task, records each task's rows as its result arrives, and a worker that
dies mid-task loses nothing: Dask's scheduler runs its tasks again on
another worker, and each task's result arrives once. A worker runs one task
at a time whatever its `--nthreads` (Keras's session and seeds are
per-process). The time limit stops a task at its next batch, in the worker.
"""

import threading
import uuid

from iris_keras.errors import IrisKerasError, UsageError
from iris_keras.study.rows import error_line
from iris_keras.study.tasks import failed_rows, run_task

CONNECT_SECONDS = 20  # how long `connect` waits for the scheduler
_ONE_TASK_AT_A_TIME = threading.Lock()
_SET_UP: list = []


def run_tasks_on_dask(tasks, *, address, time_limit=None):
    """Runs `tasks` on the Dask cluster at `address`; yields each task's rows as it finishes.

    Args:
        tasks: `tasks.Task`s.
        address: the scheduler's address, e.g. `"tcp://10.0.0.5:8786"`.
        time_limit: seconds one task may train, or `None`. Defaults to `None`.

    Yields:
        A list of rows per task, in the order the tasks finish.

    Raises:
        UsageError: the `dask` extra is not installed.
        IrisKerasError: no scheduler answers at `address`.
    """
    if not tasks:
        return
    distributed = _import_distributed(address)
    client = connect(distributed, address)
    study = uuid.uuid4().hex[:8]
    futures = {
        client.submit(
            run_task_on_worker,
            task,
            time_limit,
            key=f"iris-keras-study-{study}-{index}",
            pure=False,
        ): task
        for index, task in enumerate(tasks)
    }
    try:
        for future in distributed.as_completed(futures, loop=client.loop):
            try:
                rows = future.result()
            except Exception as error:  # e.g. KilledWorker: its workers kept dying
                rows = failed_rows(futures[future], error_line(error), seconds=0.0)
            yield rows
    finally:
        client.cancel(list(futures))
        client.close()


def connect(distributed, address):
    """A `distributed.Client` of the scheduler at `address`, or a one-line error."""
    try:
        return distributed.Client(address, timeout=CONNECT_SECONDS, set_as_default=False)
    except (OSError, TimeoutError) as error:
        raise IrisKerasError(
            f"Received --scheduler {address}, but no Dask scheduler answered there within "
            f"{CONNECT_SECONDS} s ({error_line(error)}). Start one with `dask scheduler` and "
            "pass the address it prints."
        ) from None


def run_task_on_worker(task, time_limit):
    """What a Dask worker runs: `run_task`, one task at a time in the worker's process."""
    with _ONE_TASK_AT_A_TIME:
        if not _SET_UP:
            _set_up_worker()
            _SET_UP.append(True)
        return run_task(task, time_limit=time_limit)


def _set_up_worker():
    from iris_keras import backend
    from iris_keras.common.machine import select_device

    backend.quiet_logger()
    select_device("cpu")
    backend.one_thread()


def _import_distributed(address):
    try:
        import distributed
    except ImportError:
        raise UsageError(
            f"Received --scheduler {address}, but Dask's `distributed` is not installed in this "
            "environment. Install the extra: pip install 'iris-keras[study]'."
        ) from None
    return distributed
