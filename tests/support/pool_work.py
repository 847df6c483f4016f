"""Light work for the study's worker pool in tests: no Keras, behaviour chosen by the seed.

The pool's workers import these by name (they are started with "spawn"), so
they live in a module, not in a test.
"""

import os
import signal
import sys
import time

from iris_keras.study.rows import run_row

DIES = 1  # the worker process exits at once, as if killed
HANGS = 2  # the task never ends
PRINTS_PID_AND_HANGS = 3  # the task prints its worker's pid, then never ends


def quiet_setup():
    """What a light worker does once: leave Ctrl-C to the parent, as the study's workers do."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)


def light_work(task, time_limit=None):
    """A row per run, at once, unless the first run's seed asks to die or hang."""
    seed = task.runs[0][1]
    if seed == DIES:
        os._exit(3)
    if seed == PRINTS_PID_AND_HANGS:
        print(os.getpid(), flush=True)
    if seed in (HANGS, PRINTS_PID_AND_HANGS):
        time.sleep(3600)
    return [
        run_row(variant, variant.to_recipe(seed=seed, epochs=1), seconds=0.0, test_accuracy=1.0)
        for variant, seed in task.runs
    ]


def process_gone(pid):
    """Whether process `pid` has exited (a zombie waiting for its reaper counts as exited)."""
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return True
    except PermissionError:
        return False
    try:
        with open(f"/proc/{pid}/stat", encoding="utf-8") as stat:
            return stat.read().rsplit(")", 1)[1].split()[0] == "Z"
    except OSError:
        return sys.platform != "win32"
