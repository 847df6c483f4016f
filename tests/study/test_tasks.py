"""The study's tasks: how runs are grouped, and one failure is one failed run."""

import numpy as np
import pytest

from iris_keras.errors import UsageError
from iris_keras.study import measures, stacked
from iris_keras.study.rows import COLUMNS, MEASURED
from iris_keras.study.tasks import Task, _deadline, plan_tasks, run_task
from iris_keras.study.variants import Variant, study_variants

ARTICLE = Variant("article", "virginica", True, (4, 3))
SETOSA_RAW = Variant("article", "setosa", False, (4, 3))
MULTICLASS = Variant("multiclass", None, True, (4, 3))


def _names(task):
    return [(variant.name, seed) for variant, seed in task.runs]


def test_runs_of_a_recipe_and_width_share_a_task_and_blocks_cut_them():
    runs = [(variant, seed) for seed in (42, 43, 44) for variant in study_variants()]
    assert [len(task.runs) for task in plan_tasks(runs, epochs=None)] == [18, 18, 6, 6]
    blocks = plan_tasks(runs, epochs=7, block=4)
    assert [len(task.runs) for task in blocks] == [4, 4, 4, 4, 2] * 2 + [4, 2] * 2
    assert sorted(run for task in blocks for run in _names(task)) == sorted(
        (variant.name, seed) for variant, seed in runs
    )
    assert {task.epochs for task in blocks} == {7}


def test_per_run_tasks_are_one_run_each():
    tasks = plan_tasks([(ARTICLE, 42), (MULTICLASS, 42)], epochs=3, per_run=True)
    assert [(_names(task), task.per_run) for task in tasks] == [
        ([("article-virginica-std-4x3", 42)], True),
        ([("multiclass-std-4x3", 42)], True),
    ]


def test_a_bad_block_is_refused():
    with pytest.raises(UsageError, match="block=0"):
        plan_tasks([(ARTICLE, 42)], epochs=None, block=0)


def test_a_task_that_raises_fails_each_of_its_runs_with_the_error(monkeypatch):
    def broken(runs, **kwargs):
        raise RuntimeError("out of\n memory")

    monkeypatch.setattr(stacked, "run_stacked", broken)
    rows = run_task(Task(((ARTICLE, 42), (SETOSA_RAW, 43)), epochs=2))
    assert [(row["variant"], row["seed"], row["error"]) for row in rows] == [
        ("article-virginica-std-4x3", 42, "RuntimeError: out of memory"),
        ("article-setosa-raw-4x3", 43, "RuntimeError: out of memory"),
    ]
    assert all(tuple(row) == COLUMNS and row["epochs"] == 2 for row in rows)
    assert all(row[key] is None for row in rows for key in MEASURED)


def test_one_failing_run_of_per_run_tasks_is_its_own_failure(monkeypatch):
    real = measures.run_variant

    def failing_on_43(variant, seed, **kwargs):
        if seed == 43:
            raise ValueError("bad seed")
        return real(variant, seed, **kwargs)

    monkeypatch.setattr(measures, "run_variant", failing_on_43)
    task = Task(((MULTICLASS, 42), (MULTICLASS, 43)), epochs=2, per_run=True)
    rows = run_task(task)
    assert [row["error"] for row in rows] == [None, "ValueError: bad seed"]
    assert rows[0]["test_accuracy"] is not None and rows[1]["test_accuracy"] is None


def test_a_task_for_another_backend_fails_in_one_line():
    rows = run_task(Task(((ARTICLE, 42),), epochs=1, backend="another"))
    assert rows[0]["error"].startswith("RuntimeError: this worker runs Keras on ")
    assert "start the worker with KERAS_BACKEND=another" in rows[0]["error"]


def test_a_task_past_its_time_limit_stops_training_and_fails():
    rows = run_task(Task(((ARTICLE, 42), (ARTICLE, 43)), epochs=50), time_limit=1e-6)
    assert [row["error"] for row in rows] == [
        "TimeoutError: the task passed its time limit of 1e-06 s"
    ] * 2


def test_the_deadline_callback_raises_only_past_its_time():
    _deadline(3600).on_train_batch_end(0)  # well within
    with pytest.raises(TimeoutError, match="time limit of 0 s"):
        _deadline(0).on_train_batch_end(0)


def test_a_stacked_task_gives_the_study_rows_of_its_runs():
    rows = run_task(Task(((ARTICLE, 42), (SETOSA_RAW, 42), (ARTICLE, 43)), epochs=3))
    assert [(row["variant"], row["seed"]) for row in rows] == [
        ("article-virginica-std-4x3", 42),
        ("article-setosa-raw-4x3", 42),
        ("article-virginica-std-4x3", 43),
    ]
    assert all(row["error"] is None and 0 <= row["test_accuracy"] <= 1 for row in rows)
    assert len({row["seconds"] for row in rows}) == 1 and np.isfinite(rows[0]["seconds"])
