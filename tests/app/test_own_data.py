"""`iris-keras train --data FILE --target COLUMN`, `evaluate` and `predict` on a learner's table.

Every malformed file of the corpus goes through the command line in process
(one line, exit status 2, nothing written); one goes through a real process.
"""

import contextlib
import io
import json
import subprocess
from pathlib import Path

import numpy as np
import pytest

from iris_keras.app.cli import main
from iris_keras.datasets import examples
from tests.article.test_table import REFUSED, TABLES
from tests.support.helpers import FEW_EPOCHS, cli_command, predict_in_plain_keras, shared

CHINESE = TABLES / "chinese-gb18030.csv"


def train_in_process(argv):
    """Runs `iris-keras train ARGV` in this process: `(status, what it printed)`."""
    printed = io.StringIO()
    with contextlib.redirect_stdout(printed):
        status = main(["train", "--epochs", str(FEW_EPOCHS), "--quiet", "--device", "cpu", *argv])
    return status, printed.getvalue()


@pytest.fixture(scope=shared("module"))
def wine_run(tmp_path_factory):
    """The article recipe on wine.csv, in its default folder: `(folder, summary, frame, csv)`."""
    import os

    here = tmp_path_factory.mktemp("wine")
    examples.write_csv("wine", here / "wine.csv")
    frame = examples.load_frame("wine")
    previous = Path.cwd()
    os.chdir(here)
    try:
        status, summary = train_in_process(["--data", "wine.csv", "--target", "cultivar"])
    finally:
        os.chdir(previous)
    assert status == 0, summary
    # runs/<backend>/<data>-<recipe>-<what differs from the recipe>
    [folder] = (here / "runs").glob(f"*/wine-article-epochs{FEW_EPOCHS}")
    return folder, summary, frame, here / "wine.csv"


def test_train_on_a_table_saves_reloads_identically_and_says_so(wine_run):
    folder, summary, _, csv = wine_run
    assert f"data            {csv}: cultivar (3 classes, 13 measurements)" in summary
    assert "reloaded model  identical" in summary and str(folder.relative_to(csv.parent)) in summary
    metrics = json.loads((folder / "metrics.json").read_text(encoding="utf-8"))
    assert metrics["reload_matches"] is True
    assert metrics["class_names"] == ["class_0", "class_1", "class_2"]
    assert metrics["data"]["target"] == "cultivar" and len(metrics["data"]["feature_names"]) == 13
    assert metrics["load_data"]["path"] == str(csv) and metrics["num_samples"]["test"] == 36
    assert "data" not in metrics["hyperparameters"]


def test_evaluate_reads_the_recorded_table_or_the_one_given(wine_run, capsys, tmp_path):
    folder, _, frame, csv = wine_run
    metrics = json.loads((folder / "metrics.json").read_text(encoding="utf-8"))
    model = str(folder / "model.keras")
    assert main(["evaluate", model]) == 0
    recorded = capsys.readouterr().out
    assert f"test accuracy   {metrics['test_accuracy']:.4f}" in recorded
    assert "class_2         precision" in recorded
    copy = tmp_path / "wine copy.csv"
    frame.sample(frac=1.0, random_state=0).to_csv(copy, index=False)  # other order, other split
    assert main(["evaluate", model, "--data", str(csv)]) == 0
    assert capsys.readouterr().out == recorded
    assert main(["evaluate", model, "--data", str(copy)]) == 0
    assert "test accuracy" in capsys.readouterr().out


def test_evaluate_refuses_a_table_that_changed_since_the_run(wine_run, capsys, tmp_path):
    import shutil

    folder, _, _, csv = wine_run
    moved = tmp_path / "run"
    shutil.copytree(folder, moved)
    metrics = json.loads((moved / "metrics.json").read_text(encoding="utf-8"))
    changed = tmp_path / "wine.csv"
    changed.write_text(csv.read_text(encoding="utf-8").replace("14.23", "14.24", 1))
    (moved / "metrics.json").unlink()  # no record: the table must be named
    assert main(["evaluate", str(moved / "model.keras")]) == 2
    assert "pass the table with --data FILE" in capsys.readouterr().err
    metrics["load_data"]["path"] = str(changed)  # the run's table, edited since
    metrics["sha256"] = {}  # no model hash to check
    (moved / "metrics.json").write_text(json.dumps(metrics), encoding="utf-8")
    assert main(["evaluate", str(moved / "model.keras")]) == 1
    error = capsys.readouterr().err
    assert "which changed since" in error and error.count("\n") == 1


def readme_commands(page):
    """The `.venv/bin/iris-keras` lines of a README's own-data block, split into arguments."""
    text = (Path(__file__).parents[2] / page).read_text(encoding="utf-8")
    block = text.split("python -m iris_keras.datasets.examples wine", 1)[1].split("```", 1)[0]
    lines = [line.split("#")[0] for line in block.splitlines()]  # without comments
    return [line.split()[1:] for line in lines if line.startswith(".venv/bin/")]


def test_the_readmes_show_the_commands_run_here(wine_run):
    _, _, frame, _ = wine_run
    train, predict, study = readme_commands("README.md")
    assert readme_commands("README.zh-CN.md") == [train, predict, study]
    assert train == ["train", "--data", "wine.csv", "--target", "cultivar"]
    assert study == ["study", *train[1:], "--seeds", "20"]  # tests/study/test_grid_on_table.py
    assert predict[:2] == ["predict", "runs/tensorflow/wine-article/model.keras"]
    assert predict[2:] == [f"{value:g}" for value in frame.iloc[1].drop("cultivar")]


def test_predict_names_a_cultivar_from_values_in_order_or_by_name(wine_run, capsys):
    folder, _, frame, _ = wine_run
    model = str(folder / "model.keras")
    row = frame.iloc[1]  # the README's wine
    in_order = [f"{value:g}" for value in row.drop("cultivar")]
    assert main(["predict", model, *in_order]) == 0
    answer = capsys.readouterr().out
    assert answer.split(" (probability")[0] in ("class_0", "class_1", "class_2")
    by_name = [f"{name}={value:g}" for name, value in row.drop("cultivar").items()][::-1]
    assert main(["predict", model, *by_name]) == 0
    assert capsys.readouterr().out == answer


@pytest.mark.parametrize(
    "values, match",
    [
        pytest.param(["1", "2"], "Received 2 measurements, expected 13: alcohol, malic", id="few"),
        pytest.param(["alcohol=13"], "Received no value for malic_acid", id="missing-name"),
        pytest.param(["color=2", *["1"] * 12], "both in order and as name=value", id="mixed"),
        pytest.param(
            [*["1"] * 12, "x"], "`proline`, expected a finite number. Received: proline='x'", id="x"
        ),
    ],
)
def test_predict_refuses_values_the_table_model_cannot_take(wine_run, capsys, values, match):
    folder, _, _, _ = wine_run
    assert main(["predict", str(folder / "model.keras"), *values]) == 2
    error = capsys.readouterr().err
    assert match in error and error.count("\n") == 1


@pytest.mark.slow  # a fresh Python for its imports; an iris model's twin runs in every tier
def test_a_table_model_loads_and_predicts_in_plain_keras(wine_run, tmp_path):
    """`keras.models.load_model` alone, no iris_keras: the standardization is inside."""
    import keras

    folder, _, frame, _ = wine_run
    x = frame.drop(columns="cultivar").to_numpy(np.float32)
    predicted = predict_in_plain_keras(folder / "model.keras", x, tmp_path)
    expected = keras.models.load_model(folder / "model.keras").predict(x, verbose=0)
    np.testing.assert_array_equal(predicted, expected)


def test_a_chinese_table_trains_and_predict_names_a_chinese_class(tmp_path, capsys):
    status, summary = train_in_process(
        ["--data", str(CHINESE), "--target", "品种", "--output", str(tmp_path / "run")]
    )
    assert status == 0 and "品种 (3 classes, 3 measurements)" in summary
    model = str(tmp_path / "run" / "model.keras")
    assert main(["predict", model, "花瓣长度=5.4", "花萼长度=6.5", "花萼宽度=3.2"]) == 0
    named = capsys.readouterr().out.split(" (probability")[0]
    assert named in ("变色鸢尾", "山鸢尾", "维吉尼亚鸢尾")


@pytest.mark.parametrize("name, message", REFUSED)
def test_a_refused_table_writes_nothing(name, message, tmp_path, capsys, monkeypatch):
    monkeypatch.chdir(tmp_path)  # the default output folder would be runs/ here
    status = main(["train", "--data", str(TABLES / name), "--target", "class"])
    error = capsys.readouterr().err
    assert status == 2 and message in error
    assert error.startswith(f"iris-keras: error: Received data='{TABLES / name}': ")
    assert error.count("\n") == 1 and "Traceback" not in error
    assert list(tmp_path.iterdir()) == []


def test_a_refused_table_in_a_real_process(tmp_path):
    path = TABLES / "workbook.xlsx"
    result = subprocess.run(
        cli_command("train", "--data", path, "--target", "class"),
        capture_output=True,
        text=True,
        timeout=120,
        cwd=tmp_path,
    )
    assert result.returncode == 2 and result.stdout == ""
    assert result.stderr.startswith(f"iris-keras: error: Received data='{path}': a zip archive")
    assert result.stderr.count("\n") == 1 and "Traceback" not in result.stderr
    assert list(tmp_path.iterdir()) == []


@pytest.mark.parametrize(
    "argv, match",
    [
        pytest.param(
            ["--data", "t.csv"], "argument --target: expected with --data", id="no-target"
        ),
        pytest.param(["--target", "y"], "argument --data: expected with --target", id="no-data"),
    ],
)
def test_data_and_target_come_together(argv, match, capsys):
    with pytest.raises(SystemExit) as exit_info:
        main(["train", *argv])
    error = capsys.readouterr().err
    assert exit_info.value.code == 2 and match in error and error.count("\n") == 1


def test_a_positive_class_must_be_a_class_of_the_table(capsys, tmp_path):
    argv = ["--data", str(TABLES / "tabs.tsv"), "--target", "class", "--output", str(tmp_path)]
    assert main(["train", *argv, "--positive-class", "rose"]) == 2
    error = capsys.readouterr().err
    assert "Received an invalid value for `positive_class`, expected one of 'a', 'b', 'c'" in error
    assert list(tmp_path.iterdir()) == []


def test_iris_takes_its_measurements_by_name_too(article_run, capsys):
    _, output_dir = article_run
    model = str(output_dir / "model.keras")
    assert main(["predict", model, "6.3", "3.3", "6.0", "2.5"]) == 0
    in_order = capsys.readouterr().out
    named = ["petal_width=2.5", "sepal_width=3.3", "sepal_length=6.3", "petal_length=6.0"]
    assert main(["predict", model, *named]) == 0
    assert capsys.readouterr().out == in_order
    assert main(["predict", model, "sepal_length=60", *named[:2], named[3]]) == 2
    assert "sepal_length='60'" in capsys.readouterr().err
    assert main(["evaluate", model, "--data", str(TABLES / "tabs.tsv")]) == 2
    assert "a model of iris: --data evaluates a model trained on a table" in capsys.readouterr().err
