"""Running the study: resuming, refusing to mix runs, the CSV.

The worker processes are replaced by a fake `_execute` that makes up rows,
so these tests check the bookkeeping in milliseconds; `test_measures.py`
runs a real tiny study.
"""

import json
import os

import pytest

from iris_keras.errors import IrisKerasError, UsageError
from iris_keras.study import runner as study_runner
from iris_keras.study.rows import COLUMNS, MEASURED, read_rows, write_rows
from iris_keras.study.runner import run_study
from iris_keras.study.variants import Variant, recipe_config

VARIANTS = [Variant("article", "setosa", True, (4, 3)), Variant("multiclass", None, False, (16, 8))]


def _row(variant, seed, epochs):
    recipe = variant.to_recipe(seed=seed, epochs=epochs)
    return {
        "variant": variant.name,
        "recipe": variant.recipe,
        "positive_class": variant.positive_class,
        "standardize": variant.standardize,
        "units": "x".join(map(str, variant.units)),
        "seed": seed,
        "epochs": recipe.epochs,
        "config": recipe_config(recipe),
        "test_accuracy": 0.9 + seed / 1000,
        "test_loss": 0.1,
        "epoch_to_0.95": None if seed % 2 else 7,
        "dead_units": 1,
        "collapsed": False,
        "seconds": 0.5,
        "error": None,
    }


@pytest.fixture
def executed(monkeypatch):
    """Replaces the worker pool; records the `(variant, seed)` pairs each study ran."""
    calls = []

    def fake_execute(tasks, *, workers, how):
        calls.append([(variant.name, seed) for task in tasks for variant, seed in task.runs])
        for task in tasks:
            yield [_row(variant, seed, task.epochs) for variant, seed in task.runs]

    monkeypatch.setattr(study_runner, "_execute", fake_execute)
    return calls


def test_a_rerun_with_more_seeds_runs_only_the_new_ones(tmp_path, executed):
    rows, metadata = run_study(tmp_path, seeds=2, epochs=3, variants=VARIANTS)
    assert len(executed[0]) == 4 and len(rows) == 4
    assert metadata["seeds"] == [42, 43] and metadata["epochs"] == 3

    rows, metadata = run_study(tmp_path, seeds=3, epochs=3, variants=VARIANTS)
    assert sorted(executed[1]) == [("article-setosa-std-4x3", 44), ("multiclass-raw-16x8", 44)]
    assert [(row["variant"], row["seed"]) for row in rows] == [
        (variant.name, seed) for variant in VARIANTS for seed in (42, 43, 44)
    ]
    assert [session["runs"] for session in metadata["sessions"]] == [4, 2]

    run_study(tmp_path, seeds=3, epochs=3, variants=VARIANTS)
    assert executed[2] == []
    assert len(json.loads((tmp_path / "study.json").read_text())["sessions"]) == 2


def test_an_interrupted_study_keeps_its_finished_runs_and_resumes(tmp_path, monkeypatch):
    def interrupted(tasks, *, workers, how):
        variant, seed = tasks[0].runs[0]
        yield [_row(variant, seed, tasks[0].epochs)]
        raise KeyboardInterrupt

    monkeypatch.setattr(study_runner, "_execute", interrupted)
    with pytest.raises(KeyboardInterrupt):
        run_study(tmp_path, seeds=2, epochs=3, variants=VARIANTS)
    assert [(row["variant"], row["seed"]) for row in read_rows(tmp_path / "study.csv")] == [
        ("article-setosa-std-4x3", 42)
    ]
    assert json.loads((tmp_path / "study.json").read_text())["sessions"][0]["runs"] == 1

    resumed = []

    def resume(tasks, *, workers, how):
        for task in tasks:
            resumed.extend((variant.name, seed) for variant, seed in task.runs)
            yield [_row(variant, seed, task.epochs) for variant, seed in task.runs]

    monkeypatch.setattr(study_runner, "_execute", resume)
    rows, _ = run_study(tmp_path, seeds=2, epochs=3, variants=VARIANTS)
    assert len(rows) == 4
    assert sorted(resumed) == [
        ("article-setosa-std-4x3", 43),
        ("multiclass-raw-16x8", 42),
        ("multiclass-raw-16x8", 43),
    ]


def test_rows_round_trip_through_the_csv_exactly(tmp_path):
    rows = [_row(variant, seed, 100) for variant in VARIANTS for seed in (42, 43)]
    rows[0]["test_accuracy"] = 0.9666666388511658  # a float32 accuracy, kept to the last bit
    rows[1].update(dict.fromkeys(MEASURED), error="WorkerDied: the worker process exited (-9)")
    write_rows(tmp_path / "study.csv", rows)
    assert read_rows(tmp_path / "study.csv") == rows
    assert read_rows(tmp_path / "missing.csv") == []


@pytest.mark.parametrize(
    "tamper, match",
    [
        pytest.param(
            {"epochs": 5},
            r"Received epochs=3, but .* recorded with epochs=5\. Choose another --output, "
            r"or delete it to start over\.$",
            id="epochs",
        ),
        pytest.param(
            {"config": "0123456789ab"},
            r"other hyperparameters than the recipe's today\. Choose another --output",
            id="recipe-changed",
        ),
    ],
)
def test_refuses_to_mix_runs_made_otherwise(tmp_path, tamper, match):
    write_rows(tmp_path / "study.csv", [{**_row(VARIANTS[0], 42, 3), **tamper}])
    with pytest.raises(IrisKerasError, match=match):
        run_study(tmp_path, seeds=1, epochs=3, variants=VARIANTS)


def test_refuses_a_csv_with_other_columns(tmp_path):
    (tmp_path / "study.csv").write_text("seed,accuracy\n1,0.5\n")
    with pytest.raises(IrisKerasError, match="expected the columns variant, recipe"):
        run_study(tmp_path, seeds=1, variants=VARIANTS)


def test_refuses_runs_recorded_with_other_library_versions(tmp_path, executed):
    run_study(tmp_path, seeds=1, epochs=3, variants=VARIANTS)
    metadata = json.loads((tmp_path / "study.json").read_text())
    metadata["sessions"][-1]["versions"]["keras"] = "3.0.0"
    (tmp_path / "study.json").write_text(json.dumps(metadata))
    with pytest.raises(IrisKerasError, match="other library versions"):
        run_study(tmp_path, seeds=2, epochs=3, variants=VARIANTS)


@pytest.mark.parametrize(
    "kwargs, match",
    [
        pytest.param({"seeds": 0}, "seeds=0", id="seeds"),
        pytest.param({"epochs": 0}, "epochs=0", id="epochs"),
        pytest.param({"workers": 1.5}, "workers=1.5", id="workers"),
    ],
)
def test_bad_arguments(tmp_path, kwargs, match):
    with pytest.raises(UsageError, match=match):
        run_study(tmp_path, **kwargs)


def test_columns_are_the_issues_per_run_record():
    assert {
        "variant",
        "seed",
        "test_accuracy",
        "test_loss",
        "epoch_to_0.95",
        "dead_units",
        "collapsed",
    } <= set(COLUMNS)


def test_a_worker_leaves_ctrl_c_to_the_parent_and_runs_on_the_cpu_on_one_thread(monkeypatch):
    import signal

    from iris_keras import backend
    from iris_keras.common import machine as device
    from iris_keras.study import pool

    devices = []
    monkeypatch.setattr(device, "select_device", devices.append)
    monkeypatch.setattr(backend, "one_thread", lambda: devices.append("one thread"))
    monkeypatch.delenv("TF_CPP_MIN_LOG_LEVEL", raising=False)
    previous = signal.getsignal(signal.SIGINT)
    try:
        pool.init_worker()
        assert signal.getsignal(signal.SIGINT) is signal.SIG_IGN
    finally:
        signal.signal(signal.SIGINT, previous)
    assert devices == ["cpu", "one thread"]
    assert os.environ["TF_CPP_MIN_LOG_LEVEL"] == "3"  # TensorFlow's C++ logs stay quiet


def test_without_epochs_the_study_records_the_recipes_own(tmp_path, executed):
    rows, metadata = run_study(tmp_path, seeds=1, variants=VARIANTS)
    assert metadata["epochs"] == 100 == VARIANTS[0].to_recipe(seed=0).epochs
    assert [row["epochs"] for row in rows] == [100, 100]


def test_ctrl_c_in_a_study_exits_130_and_says_where_the_runs_are(tmp_path, monkeypatch, capsys):
    from iris_keras.app.cli import main

    def interrupted(*args, **kwargs):
        raise KeyboardInterrupt

    monkeypatch.setattr(study_runner, "run_grid", interrupted)
    assert main(["study", "--output", str(tmp_path / "study"), "--seeds", "1", "--quiet"]) == 130
    assert capsys.readouterr().err == (
        f"iris-keras: interrupted; every finished run is in {tmp_path / 'study'}/study.csv, "
        "and a rerun continues from there\n"
    )


def test_rows_of_variants_the_study_does_not_name_come_last(tmp_path, executed):
    other = {**_row(VARIANTS[0], 42, 3), "variant": "aaa-an-older-variant"}
    write_rows(tmp_path / "study.csv", [other])
    run_study(tmp_path, seeds=1, epochs=3, variants=VARIANTS)
    assert [row["variant"] for row in read_rows(tmp_path / "study.csv")] == [
        VARIANTS[0].name,
        VARIANTS[1].name,
        "aaa-an-older-variant",
    ]


def test_a_study_holds_its_folder_under_its_own_command(tmp_path, monkeypatch, capsys):
    from iris_keras.app.cli import main
    from iris_keras.common import folder_lock

    seen = []

    def look_at_the_lock(output, *args):
        seen.append(folder_lock.holder(output))
        raise KeyboardInterrupt

    monkeypatch.setattr(study_runner, "_run_grid", look_at_the_lock)
    output = str(tmp_path / "study")
    assert main(["study", "--output", output, "--seeds", "1", "--quiet"]) == 130
    assert seen == [
        {"pid": os.getpid(), "command": f"iris-keras study --output {output} --seeds 1 --quiet"}
    ]


def test_a_failed_run_is_recorded_counted_and_the_only_one_a_rerun_retries(tmp_path, monkeypatch):
    from iris_keras.study.statistics import summarize, summary_text

    calls = []

    def one_fails(tasks, *, workers, how):
        for task in tasks:
            calls.append(sorted((variant.name, seed) for variant, seed in task.runs))
            rows = [_row(variant, seed, task.epochs) for variant, seed in task.runs]
            if len(calls) == 1:
                rows[0].update(dict.fromkeys(MEASURED), error="TimeoutError: too long")
            yield rows

    monkeypatch.setattr(study_runner, "_execute", one_fails)
    rows, metadata = run_study(tmp_path, seeds=2, epochs=3, variants=VARIANTS[:1])
    assert [row["error"] for row in rows] == ["TimeoutError: too long", None]
    assert metadata["sessions"][0]["failed"] == 1
    assert [row["error"] for row in read_rows(tmp_path / "study.csv")] == [
        "TimeoutError: too long",
        None,
    ]
    stats = summarize(rows, VARIANTS[:1])[0]
    assert (stats["n"], stats["failed"]) == (1, 1)
    assert "1 run(s) failed" in summary_text([stats])
    assert "1 of them failed" in (tmp_path / "summary.md").read_text()

    rows, metadata = run_study(tmp_path, seeds=2, epochs=3, variants=VARIANTS[:1])
    assert calls[1] == [("article-setosa-std-4x3", 42)]  # the failed run only
    assert [row["error"] for row in rows] == [None, None]
    assert [session["failed"] for session in metadata["sessions"]] == [1, 0]


def test_a_study_with_failed_runs_exits_1_and_says_how_to_retry(tmp_path, monkeypatch, capsys):
    from iris_keras.app.cli import main

    def all_fail(tasks, *, workers, how):
        for task in tasks:
            yield [
                {**_row(v, s, task.epochs), **dict.fromkeys(MEASURED), "error": "WorkerDied: 9"}
                for v, s in task.runs
            ]

    monkeypatch.setattr(study_runner, "_execute", all_fail)
    argv = ["study", "--output", str(tmp_path), "--seeds", "1", "--epochs", "2", "--quiet"]
    assert main([*argv, "--variant", "multiclass-raw-16x8"]) == 1
    assert "1 run(s) failed (their error is in study.csv)" in capsys.readouterr().out


def test_the_study_passes_how_it_runs_to_its_tasks(tmp_path, monkeypatch):
    seen = []

    def record(tasks, *, workers, how):
        how = {key: how[key] for key in ("per_run", "scheduler", "time_limit", "block")}
        seen.append((how, [(len(task.runs), task.per_run) for task in tasks]))
        for task in tasks:
            yield [_row(variant, seed, task.epochs) for variant, seed in task.runs]

    monkeypatch.setattr(study_runner, "_execute", record)
    run_study(tmp_path / "a", seeds=3, epochs=2, variants=VARIANTS, block=2, time_limit=9)
    run_study(tmp_path / "b", seeds=1, epochs=2, variants=VARIANTS, per_run=True, scheduler="x:1")
    assert seen == [
        (
            {"per_run": False, "scheduler": None, "time_limit": 9.0, "block": 2},
            [(2, False), (1, False), (2, False), (1, False)],
        ),
        ({"per_run": True, "scheduler": "x:1", "time_limit": None, "block": None}, [(1, True)] * 2),
    ]
    sessions = json.loads((tmp_path / "b" / "study.json").read_text())["sessions"]
    assert (sessions[0]["mode"], sessions[0]["scheduler"]) == ("per-run", "x:1")
