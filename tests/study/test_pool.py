"""The study's local worker pool: a dead worker or a hung task is one failed task, no orphans.

The workers run light work (`tests/support/pool_work.py`, no Keras), so each
test takes about a second per worker started.
"""

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from iris_keras.study.pool import run_tasks
from iris_keras.study.tasks import Task
from iris_keras.study.variants import Variant
from tests.support.helpers import cli_command
from tests.support.pool_work import DIES, HANGS, light_work, process_gone, quiet_setup

ROOT = Path(__file__).resolve().parents[2]
VARIANT = Variant("multiclass", None, True, (4, 3))


def _tasks(*seeds):
    return [Task(((VARIANT, seed),), epochs=1) for seed in seeds]


def _run(tasks, **kwargs):
    found = []
    for rows in run_tasks(tasks, work=light_work, setup=quiet_setup, **kwargs):
        found += [(row["seed"], row["error"]) for row in rows]
    return sorted(found)


def test_every_task_runs_once_on_few_workers():
    assert _run(_tasks(40, 41, 42, 43, 44), workers=2) == [(seed, None) for seed in range(40, 45)]


def test_a_worker_that_dies_fails_its_task_only_and_is_replaced():
    found = _run(_tasks(40, DIES, 41, 42), workers=1)
    assert found[0][0] == DIES and found[0][1].startswith("WorkerDied: the worker process exited")
    assert found[1:] == [(40, None), (41, None), (42, None)]


def test_a_task_past_its_time_limit_fails_and_the_others_go_on(monkeypatch):
    from iris_keras.study import pool

    monkeypatch.setattr(pool, "GRACE_SECONDS", 0)
    started = time.monotonic()
    found = _run(_tasks(HANGS, 40, 41), workers=2, time_limit=2)
    assert found == [
        (HANGS, "TimeoutError: the task passed its time limit of 2 s"),
        (40, None),
        (41, None),
    ]
    assert time.monotonic() - started < 60  # not the hour the task would have slept


def _survivors_of_a_killed_parent(parent, pids, seconds=30):
    """SIGKILLs `parent` (it cleans nothing up); the `pids` still running `seconds` later."""
    parent.kill()
    parent.wait(timeout=30)
    deadline = time.monotonic() + seconds
    while not all(map(process_gone, pids)) and time.monotonic() < deadline:
        time.sleep(0.1)
    return [pid for pid in pids if not process_gone(pid)]


def _stop(parent, pids):
    """Stops what a test started: the parent, and any child that outlived it."""
    parent.kill()
    for pid in pids:
        if not process_gone(pid):
            os.kill(pid, signal.SIGKILL)


KILLED_PARENT = """
from iris_keras.study.pool import run_tasks
from iris_keras.study.tasks import Task
from iris_keras.study.variants import Variant
from tests.support.pool_work import PRINTS_PID_AND_HANGS, light_work, quiet_setup

if __name__ == "__main__":
    task = Task(((Variant("multiclass", None, True, (4, 3)), PRINTS_PID_AND_HANGS),), epochs=1)
    for rows in run_tasks([task, task], workers=2, work=light_work, setup=quiet_setup):
        pass
"""

ORPHAN_PARENT = """
import multiprocessing, time
from iris_keras.study import pool

def child():
    pool._kill_with_parent = lambda: None  # only the portable watch: the parent's sentinel
    pool.watch_parent()
    import os
    print(os.getpid(), flush=True)
    time.sleep(3600)

if __name__ == "__main__":
    multiprocessing.get_context("spawn").Process(target=child).start()
    time.sleep(3600)
"""


@pytest.mark.parametrize(
    "script, workers",
    [
        pytest.param(KILLED_PARENT, 2, id="study-pool"),
        pytest.param(ORPHAN_PARENT, 1, id="parent-sentinel-only"),
    ],
)
def test_workers_exit_when_the_study_process_is_killed(tmp_path, script, workers):
    (tmp_path / "parent.py").write_text(script)
    parent = subprocess.Popen(
        [sys.executable, str(tmp_path / "parent.py")],
        stdout=subprocess.PIPE,
        text=True,
        env={**os.environ, "PYTHONPATH": str(ROOT)},  # the script imports tests.support
    )
    pids = []
    try:
        pids += [int(parent.stdout.readline()) for _ in range(workers)]
        assert _survivors_of_a_killed_parent(parent, pids) == []
    finally:
        parent.stdout.close()
        _stop(parent, pids)


def _children(pid):
    """The processes whose parent is `pid`, from /proc (Linux)."""
    found = []
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if int(fields[1]) == pid and fields[0] != "Z":
            found.append(int(stat.parent.name))
    return found


@pytest.mark.slow
@pytest.mark.skipif(not Path("/proc/self/stat").exists(), reason="finds children in /proc")
def test_a_killed_study_command_leaves_no_worker_behind(tmp_path):
    study = subprocess.Popen(
        cli_command("study", "--seeds", 20, "--workers", 2, "--quiet", "--output", tmp_path / "s"),
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    children = []
    try:
        deadline = time.monotonic() + 120
        while len(children) < 2 and time.monotonic() < deadline:  # two workers, training
            time.sleep(0.5)
            children = _children(study.pid)
        assert len(children) >= 2
        time.sleep(3)
        assert _survivors_of_a_killed_parent(study, children) == []
    finally:
        _stop(study, children)
