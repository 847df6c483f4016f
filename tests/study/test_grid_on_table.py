"""`iris-keras study --data` and `sweep --data`: the two grids on a learner's table.

The grids' runs train in this process here (`in_process`: the runner's
tasks without its worker processes), so a tiny grid costs seconds. What a
grid records for a run on a table is what `iris-keras train --data ...
--seed S` reports for the same settings: the test accuracy exactly, the
test loss within 1e-4, on every backend.
"""

import hashlib
import json
import re
from pathlib import Path

import pytest

from iris_keras import backend
from iris_keras.app.cli import main
from iris_keras.datasets import examples
from iris_keras.study import runner
from iris_keras.study.atlas import load_atlas
from iris_keras.study.rows import read_rows
from iris_keras.study.tasks import run_task
from tests.app.test_own_data import train_in_process
from tests.article.test_table import TABLES
from tests.support.helpers import FEW_EPOCHS

ON_WINE = ["--data", "wine.csv", "--target", "cultivar", "--epochs", str(FEW_EPOCHS), "--quiet"]
STUDY = ["study", *ON_WINE, "--seeds", "1", "--variant", "article-std-4x3"]
STUDY += ["--variant", "article-raw-4x3"]
# The multiclass recipe on wine made binary, as shipped and with a larger step.
SWEEP = ["sweep", *ON_WINE, "--positive-class", "class_1", "--recipe", "multiclass"]
SWEEP += ["--learning-rate", "0.01", "0.1", "--momentum", "0.9", "--batch-size", "32"]
SWEEP += ["--seeds", "1"]


@pytest.fixture
def in_process(monkeypatch):
    """The grid's tasks run one after the other in this process, as a worker runs them."""

    def execute(tasks, *, workers, how):
        return (run_task(task) for task in tasks)

    monkeypatch.setattr(runner, "_execute", execute)


@pytest.fixture
def wine(tmp_path, monkeypatch):
    """wine.csv in a fresh current folder: its path."""
    examples.write_csv("wine", tmp_path / "wine.csv")
    monkeypatch.chdir(tmp_path)
    return (tmp_path / "wine.csv").resolve()


def _trained(*argv):
    """What `iris-keras train --data wine.csv --target cultivar --seed 42 ARGV` reports."""
    status, printed = train_in_process(
        ["--data", "wine.csv", "--target", "cultivar", "--seed", "42", "--output", "trained", *argv]
    )
    assert status == 0, printed
    return json.loads(Path("trained/metrics.json").read_text(encoding="utf-8"))


def _rows(folder, name):
    return {row["variant"]: row for row in read_rows(folder / name)}


def test_a_study_on_a_table_records_what_train_reports_and_refuses_the_file_changed(
    wine, in_process, capsys
):
    assert main(STUDY) == 0
    folder = Path("runs", backend.configured(), "wine-study")
    rows = _rows(folder, "study.csv")
    assert set(rows) == {"article-std-4x3", "article-raw-4x3"}
    metrics = _trained()
    assert rows["article-std-4x3"]["test_accuracy"] == metrics["test_accuracy"]
    assert abs(rows["article-std-4x3"]["test_loss"] - metrics["test_loss"]) <= 1e-4
    data = json.loads((folder / "study.json").read_text(encoding="utf-8"))["data"]
    sha256 = hashlib.sha256(wine.read_bytes()).hexdigest()
    assert (data["path"], data["sha256"], data["target"]) == (str(wine), sha256, "cultivar")
    summary = (folder / "summary.md").read_text("utf-8")
    assert f"on `{wine}` (target `cultivar`)" in summary and "every test row" in summary
    assert "The article's 4-3 network on the table**, standardized or raw: " in summary

    before = (folder / "study.csv").read_bytes()
    capsys.readouterr()
    wine.write_text(wine.read_text(encoding="utf-8").replace("14.23", "14.24"), encoding="utf-8")
    assert main(STUDY) == 1  # the same file, changed since: another study
    error = capsys.readouterr().err
    assert error.count("\n") == 1 and f"recorded on {wine} (SHA-256 {sha256})" in error
    assert (folder / "study.csv").read_bytes() == before


def test_a_sweep_on_a_table_records_what_train_reports_at_its_last_epoch(wine, in_process):
    assert main(SWEEP) == 0
    folder = Path("runs", backend.configured(), "wine-sweep")
    rows = _rows(folder, "sweep.csv")
    shipped = rows["multiclass-std-16x8-lr0.01-m0.9-b32"]
    assert len(rows) == 2 and shipped["positive_class"] == "class_1"
    metrics = _trained("--recipe", "multiclass", "--positive-class", "class_1")
    assert metrics["class_names"] == ["not class_1", "class_1"]
    assert shipped["test_accuracy"] == metrics["test_accuracy"]
    assert abs(shipped["test_loss"] - metrics["test_loss"]) <= 1e-4
    atlas = load_atlas(folder)  # from its record: the table need not be there
    wine.unlink()
    assert atlas.recorded.shape == (1, 2, 1, 1, 1) and atlas.recorded.all()
    assert float(atlas.curves["test_accuracy"][0, 0, 0, 0, 0, -1]) == metrics["test_accuracy"]


@pytest.mark.parametrize("command", ["study", "sweep"])
@pytest.mark.parametrize(
    "name, message",
    [
        ("non-numeric-feature.csv", "'red' is not a number (row 6, column 'width')"),
        ("class-of-one-row.csv", "class 'd' has 1 row in the file"),
        ("workbook.xlsx", "a zip archive (an Excel .xlsx"),
    ],
)
def test_a_refused_table_writes_nothing(command, name, message, tmp_path, monkeypatch, capsys):
    monkeypatch.chdir(tmp_path)  # the default output folder would be runs/ here
    status = main([command, "--data", str(TABLES / name), "--target", "class", "--quiet"])
    error = capsys.readouterr().err
    assert status == 2 and message in error
    assert error.startswith(f"iris-keras: error: Received data='{TABLES / name}': ")
    assert error.count("\n") == 1 and "Traceback" not in error
    assert list(tmp_path.iterdir()) == []


ON_A = ["--data", "a.csv", "--target", "c"]


@pytest.mark.parametrize(
    "argv, match",
    [
        (["study", "--data", "a.csv"], "argument --target: expected with --data"),
        (["sweep", "--target", "c"], "argument --data: expected with --target"),
        (["study", "--positive-class", "setosa"], "--positive-class: expected with --data only"),
        (["study", *ON_A, "--readme", "p.md"], "--readme: expected without --data"),
        (["study", *ON_A, "--reference", "r.json"], "--reference: expected without --data"),
        (["sweep", *ON_A, "--summary", "s.npz"], "--summary: expected without --data"),
        (
            ["study", *ON_A, "--variant", "article-virginica-std-4x3"],
            "on a table, got article-virginica-std-4x3",
        ),
        (["study", "--variant", "article-std-4x3"], "on iris, got article-std-4x3"),
    ],
)
def test_options_a_grid_on_a_table_refuses(argv, match, tmp_path, monkeypatch, capsys):
    monkeypatch.chdir(tmp_path)
    with pytest.raises(SystemExit) as leaving:
        main(argv)
    error = capsys.readouterr().err
    assert leaving.value.code == 2 and error.count("\n") == 1 and re.search(match, error)
    assert error.startswith(f"iris-keras {argv[0]}: error: ")
    assert list(tmp_path.iterdir()) == []
