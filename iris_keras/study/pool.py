"""The study's local worker processes: one task each at a time, a time limit, no orphans.

`run_tasks` hands each task to a worker process (started with "spawn": it
imports Keras and its backend once and trains many tasks) and yields each
task's rows as it finishes. What `concurrent.futures.ProcessPoolExecutor`
does not do, this pool does:

- a worker that dies (killed, out of memory, a crash in native code) fails
  its task's runs with the reason, and a new worker takes the next task: the
  other tasks go on (a `ProcessPoolExecutor` breaks for good);
- a task past its time limit is stopped: its worker is killed, its runs
  fail with the limit, a new worker takes the next task;
- a worker never outlives the study: it exits as soon as the study's
  process is gone, however it went (Ctrl-C, an error, SIGKILL). It watches
  its parent's sentinel, a pipe that the operating system closes when the
  parent dies (portable), and on Linux also asks the kernel to kill it
  then (`prctl(PR_SET_PDEATHSIG)`).

Ctrl-C goes to the study's process only (workers ignore it): it stops the
workers at once, and every finished task's rows are already recorded.
"""

import multiprocessing
import os
import signal
import threading
import time
from multiprocessing.connection import wait

from iris_keras.study.tasks import failed_rows, run_task

# Seconds a task may overrun its time limit inside the worker (where it stops
# itself at the next batch) before the pool kills the worker.
GRACE_SECONDS = 10


def run_tasks(tasks, *, workers, time_limit=None, work=run_task, setup=None):
    """Runs `tasks` in up to `workers` processes; yields each task's rows as it finishes.

    Args:
        tasks: `tasks.Task`s.
        workers: the number of worker processes, a positive integer.
        time_limit: seconds one task may take, or `None` for no limit.
            Defaults to `None`.
        work: what a worker calls on each task, `work(task, time_limit=...)`,
            returning its rows; a module-level function. Defaults to
            `tasks.run_task`.
        setup: what a worker calls once when it starts, a module-level
            function, or `None` for `init_worker`. Defaults to `None`.

    Yields:
        A list of rows per task, in the order the tasks finish.
    """
    pending = list(reversed(tasks))
    busy: dict = {}  # worker -> its task
    idle: list = []
    try:
        while pending or busy:
            while pending and len(busy) < workers:
                worker = idle.pop() if idle else _Worker(work, setup or init_worker)
                task = pending.pop()
                worker.start(task, time_limit)
                busy[worker] = task
            yield from _collect(busy, idle, time_limit)
    finally:
        for worker in [*busy, *idle]:
            worker.stop(wait=not busy)


def _collect(busy, idle, time_limit):
    """Waits for a task to end (a result, a dead worker, a limit passed); yields its rows."""
    timeout = None
    if time_limit is not None:
        deadline = min(worker.started for worker in busy) + time_limit + GRACE_SECONDS
        timeout = max(0.0, deadline - time.monotonic())
    ready = wait([handle for worker in busy for handle in worker.handles], timeout)
    now = time.monotonic()
    for worker in list(busy):
        task = busy[worker]
        if worker.connection in ready:
            try:
                rows = worker.connection.recv()
            except (EOFError, OSError):
                rows = None
            if rows is not None:
                del busy[worker]
                idle.append(worker)
                yield rows
                continue
        if worker.process.sentinel in ready or worker.connection in ready:
            del busy[worker]
            worker.stop(wait=True)
            reason = f"WorkerDied: the worker process exited ({worker.process.exitcode})"
            yield failed_rows(task, reason, seconds=now - worker.started)
        elif time_limit is not None and now - worker.started > time_limit + GRACE_SECONDS:
            del busy[worker]
            worker.stop(wait=False)
            reason = f"TimeoutError: the task passed its time limit of {time_limit:g} s"
            yield failed_rows(task, reason, seconds=now - worker.started)


class _Worker:
    """One worker process and the pipe to it."""

    def __init__(self, work, setup):
        context = multiprocessing.get_context("spawn")
        self.connection, child = context.Pipe()
        self.process = context.Process(target=_serve, args=(child, work, setup), daemon=True)
        self.process.start()
        child.close()
        self.started = time.monotonic()

    @property
    def handles(self):
        return self.connection, self.process.sentinel

    def start(self, task, time_limit):
        self.started = time.monotonic()
        self.connection.send((task, time_limit))

    def stop(self, *, wait):
        """Ends the worker: asks it to leave when it is idle (`wait`), else kills it."""
        if wait and self.process.is_alive():
            try:
                self.connection.send(None)
                self.process.join(timeout=30)
            except (BrokenPipeError, OSError):
                pass
        if self.process.is_alive():
            self.process.kill()
            self.process.join()
        self.connection.close()


def _serve(connection, work, setup):
    """A worker's life: set up once, then run each task it receives until told to stop."""
    watch_parent()
    setup()
    while True:
        try:
            message = connection.recv()
        except (EOFError, OSError):
            return
        if message is None:
            return
        task, time_limit = message
        connection.send(work(task, time_limit=time_limit))


def init_worker():
    """Starts a worker: dies with its parent, ignores Ctrl-C, imports the backend, one CPU thread.

    A spawned worker inherits the parent's `KERAS_BACKEND`, so it runs the
    parent's backend.
    """
    from iris_keras import backend
    from iris_keras.backend import quiet
    from iris_keras.common.machine import select_device

    quiet.install()  # the backend's start-up lines stay out of the parent's terminal
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    backend.quiet_logger()  # TensorFlow's retracing notices: each run builds a new model
    select_device("cpu")
    backend.one_thread()  # one worker per core: a worker's threads would only wait


def watch_parent():
    """Makes this worker process exit as soon as its parent process is gone.

    A daemon thread waits on the parent's sentinel (closed by the operating
    system when the parent dies, on every platform); on Linux the kernel is
    also asked to send SIGKILL then (`prctl(PR_SET_PDEATHSIG)`), which works
    even while the worker is stuck in native code. Nothing happens in a
    process that `multiprocessing` did not start.
    """
    parent = multiprocessing.parent_process()
    if parent is None:
        return
    _kill_with_parent()
    if not parent.is_alive():
        os._exit(1)

    def leave_with_parent():
        wait([parent.sentinel])
        os._exit(1)

    threading.Thread(target=leave_with_parent, name="watch-parent", daemon=True).start()


def _kill_with_parent():
    """`prctl(PR_SET_PDEATHSIG, SIGKILL)` where the C library has it (Linux)."""
    import ctypes
    import ctypes.util

    try:
        libc = ctypes.CDLL(ctypes.util.find_library("c") or "libc.so.6", use_errno=True)
        libc.prctl(1, signal.SIGKILL)  # 1: PR_SET_PDEATHSIG
    except (OSError, AttributeError):
        pass
