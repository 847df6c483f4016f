"""The sweep: its atlas records what `iris-keras train` reports, end to end from the command.

A grid point's curves at epoch E are the E-epoch run: the shared fixtures
train each recipe as shipped for a few epochs with `train_recipe` (what
`iris-keras train` runs), and a stack that holds the same run, trained
longer among other grid points, must have recorded the same test accuracy
(exactly), test loss, history and validation scores at that epoch.
"""

import json
import re

import numpy as np
import pandas as pd
import pytest

from iris_keras.app.cli import main
from iris_keras.recipes import RECIPES
from iris_keras.study.atlas import load_atlas, read_summary
from iris_keras.study.measures import run_variant
from iris_keras.study.rows import read_rows
from iris_keras.study.stacked import run_stacked
from iris_keras.study.variants import sweep_variants
from tests.support.helpers import FEW_EPOCHS

HISTORY = ("loss", "accuracy", "val_loss", "val_accuracy")


def _stack_of(recipe_name, epochs):
    """The shipped point of `recipe_name` among two others, seed 42, with curves: its row first."""
    shipped = RECIPES[recipe_name]
    variants = sweep_variants(
        recipes=[recipe_name],
        learning_rates=[shipped.learning_rate, 0.1],
        momenta=[shipped.momentum, 0.0],
        batch_sizes=[shipped.batch_size],
    )
    variants.sort(key=lambda variant: not variant.is_shipped)
    return run_stacked([(variant, 42) for variant in variants[:3]], epochs=epochs, curves=True)[0]


@pytest.mark.parametrize("fixture", ["article_run", "multiclass_run"])
def test_the_atlas_records_what_train_reports_at_every_epoch(fixture, request):
    metrics, output = request.getfixturevalue(fixture)
    curves = _stack_of(metrics["recipe"], epochs=FEW_EPOCHS + 2)["curves"]
    at = FEW_EPOCHS - 1  # the trained run's last epoch, within the longer stack's
    assert float(curves["test_accuracy"][at]) == metrics["test_accuracy"]
    assert abs(float(curves["test_loss"][at]) - metrics["test_loss"]) <= 1e-4
    history = pd.read_csv(output / "history.csv")
    for name in HISTORY:
        np.testing.assert_allclose(curves[name][:FEW_EPOCHS], history[name], rtol=0, atol=1e-5)


def test_a_run_alone_records_the_curves_its_copy_records():
    variant = sweep_variants(
        recipes=["multiclass"], learning_rates=[0.03], momenta=[0.5], batch_sizes=[16]
    )[0]
    alone = run_variant(variant, 44, epochs=FEW_EPOCHS, curves=True)["curves"]
    stacked = run_stacked([(variant, 44)], epochs=FEW_EPOCHS, curves=True)[0]["curves"]
    assert set(alone) == set(stacked)
    for name, values in alone.items():
        np.testing.assert_allclose(stacked[name], values, rtol=0, atol=1e-5, err_msg=name)


SWEEP = ["sweep", "--recipe", "article", "--learning-rate", "0.01", "1e20"]
SWEEP += ["--momentum", "0.9", "--batch-size", "64", "--seeds", "2", "--epochs", "3"]
SWEEP += ["--workers", "1"]


def test_a_tiny_sweep_end_to_end_then_a_rerun_that_resumes(tmp_path, capsys):
    output, summary = tmp_path / "sweep", tmp_path / "docs" / "summary.npz"
    assert main([*SWEEP, "--output", str(output), "--summary", str(summary)]) == 0
    out, err = capsys.readouterr()
    assert "article 4x3 b64, 4 runs: median test accuracy" in err and "2 diverged" in err
    assert "summary  " in out and "article" in out

    rows = read_rows(output / "sweep.csv")
    assert len(rows) == 4 and sum(bool(row["error"]) for row in rows) == 2  # lr 1e20 diverged
    atlas = load_atlas(output)
    assert atlas.curves["test_accuracy"].shape == (1, 2, 1, 1, 2, 3)
    diverged = atlas.diverged[0, :, 0, 0]  # per learning rate and seed: the epoch, 0 for never
    assert atlas.recorded.all() and (diverged[0] == 0).all() and (diverged[1] > 0).all()
    assert not np.isnan(atlas.curves["loss"][0, 0]).any()
    for seed, epoch in enumerate(diverged[1]):  # each diverged run's curves stop the epoch before
        assert np.isnan(atlas.curves["loss"][0, 1, 0, 0, seed]).tolist() == [
            index + 1 >= epoch for index in range(3)
        ]
    arrays, facts = read_summary(summary)
    assert arrays["test_correct"].shape == (1, 2, 1, 1, 2, 3) and facts["backend"]
    assert arrays["diverged"][0, 1, 0, 0].tolist() == [
        int((diverged[1] <= epoch).sum()) for epoch in (1, 2, 3)
    ]

    before = (output / "sweep.csv").read_bytes()
    assert main([*SWEEP, "--output", str(output), "--quiet"]) == 0  # diverged runs stay recorded
    assert (output / "sweep.csv").read_bytes() == before
    assert len(json.loads((output / "sweep.json").read_text())["sessions"]) == 1


@pytest.mark.parametrize(
    "arguments, match",
    [
        pytest.param(["--momentum", "1"], "momentum=1.0", id="momentum"),
        pytest.param(["--learning-rate", "0"], "learning_rate=0.0", id="learning-rate"),
        pytest.param(["--batch-size", "0"], "batch_size=0", id="batch-size"),
        pytest.param(["--recipe", "sparse"], "recipe='sparse'", id="recipe"),
        pytest.param(
            ["--momentum", "0.9", "0.9"],
            r"each once\. Received: momenta=\[0\.9, 0\.9\]",
            id="repeated",
        ),
    ],
)
def test_bad_axes_exit_2_in_one_line(arguments, match, tmp_path, capsys):
    try:
        status = main(["sweep", "--output", str(tmp_path / "out"), *arguments])
    except SystemExit as leaving:  # argparse's refusal of one value
        status = leaving.code
    error = capsys.readouterr().err
    assert status == 2 and error.count("\n") == 1 and re.search(match, error)
    assert not (tmp_path / "out").exists()


def test_ctrl_c_in_a_sweep_exits_130_and_says_where_the_runs_are(tmp_path, monkeypatch, capsys):
    from iris_keras.study import runner

    def interrupted(*args, **kwargs):
        raise KeyboardInterrupt

    monkeypatch.setattr(runner, "run_grid", interrupted)
    assert main(["sweep", "--output", str(tmp_path), "--quiet"]) == 130
    assert capsys.readouterr().err == (
        f"iris-keras: interrupted; every finished run is in {tmp_path}/sweep.csv, "
        "and a rerun continues from there\n"
    )
