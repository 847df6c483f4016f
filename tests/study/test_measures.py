"""The seed study: its variants, the per-run measures, and a tiny study end to end."""

import json
import re

import numpy as np
import pandas as pd
import pytest

from iris_keras.app.cli import main
from iris_keras.datasets import iris
from iris_keras.errors import UsageError
from iris_keras.model import build_model
from iris_keras.study.measures import (
    dead_relu_units,
    first_epoch_reaching,
    predicts_single_class,
    run_variant,
)
from iris_keras.study.rows import COLUMNS, read_rows
from iris_keras.study.variants import Variant, study_variants
from tests.support.helpers import FEW_EPOCHS, shared

ARTICLE = Variant("article", "virginica", True, (4, 3))
MULTICLASS = Variant("multiclass", None, True, (4, 3))


def test_the_grid_has_16_variants_and_one_shipped_recipe_each():
    variants = study_variants()
    names = [variant.name for variant in variants]
    assert len(names) == len(set(names)) == 16
    assert {name.split("-")[0] for name in names} == {"article", "multiclass"}
    shipped = [variant.name for variant in variants if variant.is_shipped]
    assert len(shipped) == 2
    assert "article-virginica-std-4x3" in shipped
    assert sum(name.startswith("multiclass-") for name in shipped) == 1


@pytest.mark.parametrize(
    "arguments, match",
    [
        pytest.param(("sparse", None, True, (4, 3)), "recipe='sparse'", id="recipe"),
        pytest.param(("article", None, True, (4, 3)), "positive_class=None", id="article-no-class"),
        pytest.param(("article", "rose", True, (4, 3)), "positive_class='rose'", id="species"),
        pytest.param(
            ("multiclass", "setosa", True, (4, 3)),
            "expected None for the multiclass recipe",
            id="multiclass-with-class",
        ),
        pytest.param(("multiclass", None, True, (4, 0)), "units=0", id="zero-width"),
    ],
)
def test_bad_variants(arguments, match):
    with pytest.raises(UsageError, match=match):
        Variant(*arguments)


@pytest.mark.parametrize(
    "accuracies, expected",
    [
        pytest.param([0.5, 0.96, 0.97], 2, id="second-epoch"),
        pytest.param([0.95, 0.5], 1, id="first-epoch"),
        pytest.param([float(np.float32(114 / 120))], 1, id="float32-0.95-counts"),
        pytest.param([0.94999998], 1, id="compared-in-float32"),  # 0.95 once in float32
        pytest.param([float(np.float32(113 / 120)), 0.9], None, id="never"),
        pytest.param([], None, id="no-epochs"),
    ],
)
def test_first_epoch_reaching(accuracies, expected):
    assert first_epoch_reaching(accuracies, 0.95) == expected


def _hand_set(model, weights):
    """Sets each named layer's `(kernel, bias)`."""
    for name, (kernel, bias) in weights.items():
        model.get_layer(name).set_weights(
            [np.asarray(kernel, dtype=np.float32), np.asarray(bias, dtype=np.float32)]
        )
    return model


@pytest.fixture(scope=shared("module"))
def flowers():
    (x_train, _), _ = iris.load_data()
    return x_train


@pytest.mark.parametrize(
    "hidden_1, hidden_2, expected",
    [
        pytest.param(([[1, 1]] + [[0, 0]] * 3, [0, 0]), ([[1, 1], [0, 0]], [0, 0]), 0, id="none"),
        pytest.param(
            ([[1, 0]] + [[0, 0]] * 3, [0, -1]),
            ([[1, -1], [0, 0]], [0, 0]),
            2,
            id="one-per-layer",
        ),
        pytest.param(
            ([[1, 0]] + [[0, 0]] * 3, [-6, -1]),
            ([[1, 1], [0, 0]], [0, 0]),
            1,
            id="zero-on-some-flowers-is-alive",
        ),
        pytest.param(([[0, 0]] * 4, [-1, -1]), ([[1, 1], [1, 1]], [0, 0]), 4, id="all"),
    ],
)
def test_dead_relu_units_on_hand_set_weights(flowers, hidden_1, hidden_2, expected):
    # Sepal length (first column) lies between 4.3 and 7.9 cm: relu(x0 - 6) is
    # 0 for some flowers only; relu(-1) is 0 for all of them; a layer fed only
    # zeros outputs relu(bias).
    model = build_model(target="onehot", units=(2, 2), standardize=False)
    output = (np.zeros((2, 3)), np.zeros(3))
    _hand_set(model, {"hidden_1": hidden_1, "hidden_2": hidden_2, "output": output})
    assert dead_relu_units(model, flowers) == expected


@pytest.mark.parametrize(
    "target, output_bias, expected",
    [
        pytest.param("binary", [100.0], True, id="sigmoid-always-one"),
        pytest.param("binary", [-4.0], False, id="sigmoid-petal-threshold"),
        pytest.param("onehot", [0.0, 0.0, 5.0], True, id="softmax-always-virginica"),
    ],
)
def test_predicts_single_class_on_hand_set_weights(flowers, target, output_bias, expected):
    # One hidden unit passes petal length (third column, 1.0 to 6.9 cm) on;
    # the sigmoid then answers 1 where petal length > 4 cm, unless its bias
    # swamps the input.
    model = build_model(target=target, units=(1,), standardize=False)
    kernel = [[1.0] + [0.0] * (len(output_bias) - 1)] if target == "binary" else [[0, 0, 0]]
    _hand_set(
        model,
        {"hidden_1": ([[0], [0], [1], [0]], [0]), "output": (kernel, output_bias)},
    )
    assert predicts_single_class(model, flowers) is expected


def test_run_variant_records_every_column(article_run, capfd):
    row = run_variant(ARTICLE, 42, epochs=FEW_EPOCHS)
    assert capfd.readouterr().out == ""  # quiet: the study prints one progress line per run
    assert tuple(row) == COLUMNS
    assert row["variant"] == "article-virginica-std-4x3" and row["units"] == "4x3"
    assert (row["seed"], row["epochs"]) == (42, FEW_EPOCHS)
    assert 0 <= row["test_accuracy"] <= 1 and row["test_loss"] > 0
    assert row["epoch_to_0.95"] is None or 1 <= row["epoch_to_0.95"] <= FEW_EPOCHS
    assert 0 <= row["dead_units"] <= 7 and isinstance(row["collapsed"], bool)
    assert row["seconds"] > 0 and row["seconds"] == round(row["seconds"], 3)  # milliseconds
    # The study's run is the run `iris-keras train` makes with the same recipe and seed.
    metrics, output = article_run
    assert (row["test_accuracy"], row["test_loss"]) == (
        metrics["test_accuracy"],
        metrics["test_loss"],
    )
    accuracy = pd.read_csv(output / "history.csv")["accuracy"]
    assert row["epoch_to_0.95"] == first_epoch_reaching(accuracy)


def test_a_run_that_reaches_095_records_the_first_epoch_that_did():
    row = run_variant(ARTICLE, 42, epochs=30)  # seed 42 reaches 0.95 within 30 epochs
    assert isinstance(row["epoch_to_0.95"], int) and 1 <= row["epoch_to_0.95"] <= 30


def test_a_run_does_not_depend_on_the_runs_before_it():
    first = run_variant(MULTICLASS, 44, epochs=FEW_EPOCHS)
    run_variant(Variant("article", "setosa", False, (16, 8)), 45, epochs=FEW_EPOCHS)
    again = run_variant(MULTICLASS, 44, epochs=FEW_EPOCHS)
    first.pop("seconds"), again.pop("seconds")
    assert again == first


def test_a_tiny_study_end_to_end_then_a_rerun_that_skips_every_run(tmp_path, capsys):
    output, readme = tmp_path / "study", tmp_path / "README.md"
    readme.write_text("# Title\n\n<!-- study:start -->\nstale\n<!-- study:end -->\n\nEnd.\n")
    argv = [
        "study",
        *("--seeds", "2", "--epochs", "2", "--workers", "1"),
        *("--variant", "multiclass-std-4x3", "--variant", "article-setosa-raw-16x8"),
        *("--output", str(output), "--readme", str(readme)),
    ]
    assert main(argv) == 0
    out, err = capsys.readouterr()
    assert err.count("\n") == 2 and "4/4 multiclass 4x3, 2 runs: " in err  # a line per task

    rows = read_rows(output / "study.csv")
    assert [(row["variant"], row["seed"]) for row in rows] == [
        ("article-setosa-raw-16x8", 42),
        ("article-setosa-raw-16x8", 43),
        ("multiclass-std-4x3", 42),
        ("multiclass-std-4x3", 43),
    ]
    assert all(row["epochs"] == 2 for row in rows)
    assert "article-setosa-raw-16x8" in out and "summary" in out
    assert (output / "study.png").read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    summary = (output / "summary.md").read_text()
    assert "| `article-setosa-raw-16x8` | 2 |" in summary
    text = readme.read_text()
    assert text.startswith("# Title\n\n<!-- study:start -->\n") and "stale" not in text
    assert text.endswith("<!-- study:end -->\n\nEnd.\n")
    assert "2 seeds (42–43), 2 epochs each" in text and "](study/study.png)" in text

    csv_before = (output / "study.csv").read_bytes()
    assert main(argv) == 0
    assert "4 of 4 runs already recorded" in capsys.readouterr().err
    assert (output / "study.csv").read_bytes() == csv_before
    assert len(json.loads((output / "study.json").read_text())["sessions"]) == 1


def test_study_into_a_file_fails_in_one_line(tmp_path, capsys):
    taken = tmp_path / "taken"
    taken.write_text("")
    assert main(["study", "--seeds", "1", "--output", str(taken), "--quiet"]) == 1
    error = capsys.readouterr().err
    assert "which is a file" in error and error.count("\n") == 1


def test_the_recorded_study_matches_todays_recipes_so_it_can_resume():
    """`iris-keras study` resumes `docs/study/` only if each row's fingerprint is today's."""
    from pathlib import Path

    from iris_keras.study.variants import recipe_config, study_variants

    rows = read_rows(Path(__file__).parents[2] / "docs" / "study" / "study.csv")
    recorded = {row["variant"]: row["config"] for row in rows}
    today = {v.name: recipe_config(v.to_recipe(seed=0)) for v in study_variants()}
    assert recorded == today
    assert all(re.fullmatch(r"[0-9a-f]{12}", config) for config in today.values())
