"""A run never silently replaces another experiment: its own folder, or a refusal."""

import json
import re

import pytest

from iris_keras.app.cli import main
from iris_keras.app.overwrite import check_replaceable, run_settings
from iris_keras.errors import UsageError
from iris_keras.recipes import get_recipe


def _write_run(folder, recipe, backend_name="tensorflow"):
    """A `metrics.json` of `recipe` as `iris-keras train` writes it, its settings only."""
    settings = recipe.as_dict()
    metrics = {
        "recipe": settings.pop("name"),
        "seed": settings.pop("seed"),
        "hyperparameters": settings,
        "backend": backend_name,
    }
    (folder / "metrics.json").write_text(json.dumps(metrics), encoding="utf-8")


SETTINGS = run_settings(get_recipe("article", epochs=20, learning_rate=0.05), "tensorflow")


@pytest.mark.parametrize(
    "recorded, backend_name",
    [
        pytest.param(None, None, id="an-empty-folder"),
        pytest.param(get_recipe("article", epochs=20, learning_rate=0.05), "tensorflow", id="same"),
    ],
)
def test_an_empty_folder_or_a_run_of_the_same_settings_is_replaced(
    recorded, backend_name, tmp_path
):
    if recorded:
        _write_run(tmp_path, recorded, backend_name)
    check_replaceable(tmp_path, SETTINGS)


@pytest.mark.parametrize(
    "recorded, backend_name, differs",
    [
        pytest.param(
            get_recipe("article"),
            "tensorflow",
            r"\(epochs 100 there, 20 here; learning_rate 0\.01 there, "
            r"0\.05 here\)",
            id="other-hyperparameters",
        ),
        pytest.param(
            get_recipe("article", epochs=20, learning_rate=0.05, seed=7),
            "tensorflow",
            r"\(seed 7 there, 42 here\)",
            id="another-seed",
        ),
        pytest.param(
            get_recipe("multiclass", epochs=20, learning_rate=0.05),
            "tensorflow",
            r"\(name multiclass there, article here; target onehot there, binary here; "
            r"validation split there, test here; units 16x8 there, 4x3 here\)",
            id="another-recipe",
        ),
        pytest.param(
            get_recipe("article", epochs=20, learning_rate=0.05),
            "jax",
            r"\(backend jax there, tensorflow here\)",
            id="another-backend",
        ),
    ],
)
def test_a_run_of_other_settings_is_refused_naming_what_differs(
    recorded, backend_name, differs, tmp_path
):
    _write_run(tmp_path, recorded, backend_name)
    received = re.escape(f"Received output='{tmp_path}', which holds a run of other settings ")
    with pytest.raises(UsageError, match=f"^{received}{differs}"):
        check_replaceable(tmp_path, SETTINGS)
    check_replaceable(tmp_path, SETTINGS, overwrite=True)


def test_a_metrics_json_of_something_else_is_refused_too(tmp_path):
    (tmp_path / "metrics.json").write_text('{"accuracy": 1}', encoding="utf-8")
    with pytest.raises(
        UsageError,
        match=r"which holds a metrics\.json that is not an iris-keras run's\. Choose another "
        r"--output, or pass --overwrite to replace that run\.$",
    ):
        check_replaceable(tmp_path, SETTINGS)


def test_train_writes_its_own_folder_refuses_another_runs_and_overwrites_when_told(
    tmp_path, monkeypatch, capsys
):
    from iris_keras import backend

    monkeypatch.chdir(tmp_path)
    assert main(["train", "--epochs", "2", "--quiet", "--device", "cpu"]) == 0
    own = tmp_path / "runs" / backend.name() / "article-epochs2"
    assert f"artifacts       {own.relative_to(tmp_path)}/" in capsys.readouterr().out
    before = {path.name: path.read_bytes() for path in own.iterdir()}

    again = ["train", "--epochs", "3", "--quiet", "--device", "cpu", "--output", str(own)]
    assert main(again) == 2
    out, err = capsys.readouterr()
    assert out == ""
    assert err == (
        f"iris-keras: error: Received output='{own}', which holds a run of other settings "
        "(epochs 2 there, 3 here). Choose another --output, or pass --overwrite to replace "
        "that run.\n"
    )
    assert {path.name: path.read_bytes() for path in own.iterdir()} == before  # nothing written

    assert main([*again, "--overwrite"]) == 0
    assert json.loads((own / "metrics.json").read_text())["epochs_run"] == 3
    assert "seed study      no reference for epochs 3: the seed study ran epochs 100\n" in (
        capsys.readouterr().out
    )
