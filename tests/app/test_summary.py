"""The summaries the CLI prints: every line a user reads, exactly."""

import pytest

from iris_keras.app.cli import main
from iris_keras.app.loading import load_trained_model
from iris_keras.app.summary import confusion_text, training_summary
from iris_keras.predict import class_names_of
from tests.support.helpers import FEW_EPOCHS

METRICS = {
    "recipe": "article",
    "test_accuracy": 0.96666,
    "test_loss": 0.123456,
    "reload_matches": True,
    "backend": "tensorflow",
    "versions": {"keras": "3.9.9"},
    "device": "cpu",
    "seed": 42,
    "timings": {"total_seconds": 12.34, "imports_seconds": 5.06, "fit_seconds": 9.87},
    "output_dir": "runs/tensorflow/article",
}

HEAD = [
    "recipe          article",
    "test accuracy   0.9667",
    "test loss       0.1235",
]
IDENTICAL = "reloaded model  identical (test loss and accuracy match exactly)"
DIFFERENT = "reloaded model  DIFFERENT from the trained model: this is a bug, please report it"
MACHINE = ["backend         tensorflow (Keras 3.9.9)", "device          cpu"]
SEED = "seed            42"
TAIL = [
    "elapsed         12.3 s since the command started (imports 5.1 s, fit 9.9 s)",
    "artifacts       runs/tensorflow/article/",
]


@pytest.mark.parametrize(
    "changes, expected",
    [
        pytest.param({}, [*HEAD, IDENTICAL, *MACHINE, SEED, *TAIL], id="plain"),
        pytest.param(
            {"reload_matches": False},
            [*HEAD, DIFFERENT, *MACHINE, SEED, *TAIL],
            id="reload-differs",
        ),
        pytest.param(
            {"resumed_from_epoch": 7},
            [*HEAD, IDENTICAL, *MACHINE, SEED, "resumed         from epoch 7 (backup)", *TAIL],
            id="resumed",
        ),
        pytest.param(
            {"resumed_from_epoch": None},
            [*HEAD, IDENTICAL, *MACHINE, SEED, *TAIL],
            id="not-resumed",
        ),
        pytest.param(
            {"tensorboard_logs": "runs/tensorflow/article/logs"},
            [
                *HEAD,
                IDENTICAL,
                *MACHINE,
                SEED,
                *TAIL,
                "tensorboard     runs/tensorflow/article/logs/ (make tensorboard)",
            ],
            id="tensorboard",
        ),
        pytest.param(
            {"distribution": {"strategy": "mirrored", "replicas": 2, "worker": 0}},
            [*HEAD, IDENTICAL, *MACHINE, "distributed     mirrored, 2 replicas", SEED, *TAIL],
            id="mirrored",
        ),
        pytest.param(
            {
                "distribution": {
                    "strategy": "multi-worker",
                    "replicas": 4,
                    "worker": 1,
                    "workers": 2,
                }
            },
            [
                *HEAD,
                IDENTICAL,
                *MACHINE,
                "distributed     multi-worker, 4 replicas (this is worker 1 of 2)",
                SEED,
                TAIL[0],
                "artifacts       written by the chief, worker 0 (this worker's copies are deleted)",
            ],
            id="multi-worker-second-worker",
        ),
    ],
)
def test_training_summary_lines(changes, expected):
    assert training_summary({**METRICS, **changes}).split("\n") == expected


def test_the_seed_studys_line_follows_the_scores():
    standing = "15 of 20 recorded seeds on tensorflow score 0.9667 or better"
    lines = training_summary(METRICS, standing=standing).split("\n")
    assert lines == [*HEAD, f"seed study      {standing}", IDENTICAL, *MACHINE, SEED, *TAIL]


def test_evaluate_repeats_the_scores_training_printed_then_the_confusion_matrix(
    article_run, capsys
):
    metrics, output_dir = article_run
    path = output_dir / "model.keras"
    assert main(["evaluate", str(path)]) == 0
    lines = capsys.readouterr().out.rstrip("\n").split("\n")
    assert lines[:4] == [
        f"model           {path}",
        f"test accuracy   {metrics['test_accuracy']:.4f}",
        f"test loss       {metrics['test_loss']:.4f}",
        f"seed study      no reference for epochs {FEW_EPOCHS}: the seed study ran epochs 100",
    ]
    names = class_names_of(load_trained_model(path))
    assert len(names) == 2
    assert [line[:15].rstrip() for line in lines[4:6]] == list(names)
    assert all(" precision " in line and "  recall " in line for line in lines[4:6])
    assert lines[6:] == ["", *confusion_text(metrics["confusion_matrix"], names).split("\n")]


@pytest.mark.parametrize(
    "matrix, names, expected",
    [
        pytest.param(
            [[19, 1], [0, 10]],
            ["not virginica", "virginica"],
            [
                "               not virginica  virginica",
                "not virginica             19          1",
                "virginica                  0         10",
            ],
            id="binary",
        ),
        pytest.param(
            [[10, 0, 0], [0, 9, 1], [0, 2, 8]],
            ["setosa", "versicolor", "virginica"],
            [
                "            setosa  versicolor  virginica",
                "setosa          10           0          0",
                "versicolor       0           9          1",
                "virginica        0           2          8",
            ],
            id="three-species",
        ),
        pytest.param(
            [[1234, 5], [6, 7]],
            ["a", "b"],
            ["      a  b", "a  1234  5", "b     6  7"],
            id="counts-wider-than-names",
        ),
    ],
)
def test_the_confusion_matrix_is_aligned_rows_true_columns_predicted(matrix, names, expected):
    title = "confusion matrix (rows: true class, columns: predicted)"
    assert confusion_text(matrix, names).split("\n") == [title, *expected]


def test_a_model_without_its_metrics_has_no_reference_to_compare_with(
    article_run, tmp_path, capsys
):
    import shutil

    shutil.copy(article_run[1] / "model.keras", tmp_path / "model.keras")
    assert main(["evaluate", str(tmp_path / "model.keras")]) == 0
    lines = capsys.readouterr().out.split("\n")
    assert lines[3] == (
        "seed study      no reference: no metrics.json beside the model records its settings"
    )
