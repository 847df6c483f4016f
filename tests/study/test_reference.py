"""Is my result normal? The shipped reference is the committed study, and places a run."""

import csv
import json
from pathlib import Path

import pytest

from iris_keras.recipes import get_recipe
from iris_keras.study.reference import (
    load_reference,
    reference_entries,
    standing,
    write_reference,
)
from iris_keras.study.rows import read_rows
from iris_keras.study.variants import study_variants

ROOT = Path(__file__).resolve().parents[2]
# Each backend's committed study (`make study`, `make study BACKEND=jax|torch`).
STUDIES = {"tensorflow": "docs/study", "jax": "docs/study-jax", "torch": "docs/study-torch"}
SHIPPED = {"article": "article-virginica-std-4x3", "multiclass": "multiclass-std-16x8"}


@pytest.mark.parametrize("backend_name", STUDIES)
@pytest.mark.parametrize("recipe_name", SHIPPED)
def test_the_shipped_reference_is_what_the_committed_study_recorded(backend_name, recipe_name):
    path = ROOT / STUDIES[backend_name] / "study.csv"
    with path.open(newline="", encoding="utf-8") as handle:
        rows = [row for row in csv.DictReader(handle) if row["variant"] == SHIPPED[recipe_name]]
    assert len(rows) == 20 and not any(row["error"] for row in rows)
    [epochs] = {int(row["epochs"]) for row in rows}
    settings = get_recipe(recipe_name, epochs=epochs).as_dict()
    del settings["seed"]

    entry = load_reference()["backends"][backend_name][recipe_name]
    assert entry["variant"] == SHIPPED[recipe_name]
    assert entry["source"] == f"{STUDIES[backend_name]}/study.csv"
    assert entry["settings"] == settings
    assert entry["seeds"] == [int(row["seed"]) for row in rows]
    assert entry["test_accuracy"] == [float(row["test_accuracy"]) for row in rows]


def test_the_reference_holds_the_shipped_recipes_of_the_three_backends_only():
    backends = load_reference()["backends"]
    assert {name: sorted(entries) for name, entries in backends.items()} == {
        name: sorted(SHIPPED) for name in STUDIES
    }


def test_make_study_writes_the_shipped_reference_from_the_studys_rows(tmp_path):
    """What `iris-keras study --reference` writes from each committed study is the shipped file."""
    written = tmp_path / "reference.json"
    for backend_name, folder in STUDIES.items():
        rows = read_rows(ROOT / folder / "study.csv")
        entries = reference_entries(rows, study_variants(), source=f"{folder}/study.csv")
        write_reference(written, backend_name, entries)
    assert json.loads(written.read_text(encoding="utf-8")) == load_reference()


def test_writing_one_backend_keeps_the_others(tmp_path):
    path = tmp_path / "reference.json"
    write_reference(path, "jax", {"article": {"test_accuracy": [1.0]}})
    write_reference(path, "torch", {"article": {"test_accuracy": [0.9]}})
    write_reference(path, "jax", {"multiclass": {"test_accuracy": [0.8]}})
    backends = load_reference(path)["backends"]
    assert backends == {
        "jax": {"article": {"test_accuracy": [1.0]}, "multiclass": {"test_accuracy": [0.8]}},
        "torch": {"article": {"test_accuracy": [0.9]}},
    }


def test_failed_runs_and_variants_not_shipped_are_left_out():
    rows = [
        {"variant": "article-virginica-std-4x3", "seed": 43, "epochs": 7, "test_accuracy": 0.9},
        {"variant": "article-virginica-std-4x3", "seed": 42, "epochs": 7, "test_accuracy": 1.0},
        {"variant": "article-virginica-std-4x3", "seed": 44, "epochs": 7, "error": "diverged"},
        {"variant": "article-setosa-std-4x3", "seed": 42, "epochs": 7, "test_accuracy": 1.0},
    ]
    entries = reference_entries(rows, study_variants(), source="s.csv")
    assert list(entries) == ["article"]
    assert entries["article"]["seeds"] == [42, 43]
    assert entries["article"]["test_accuracy"] == [1.0, 0.9]
    assert entries["article"]["settings"]["epochs"] == 7


REFERENCE = {
    "backends": {
        "tensorflow": {
            "article": {
                "settings": {
                    key: value
                    for key, value in get_recipe("article").as_dict().items()
                    if key != "seed"
                },
                # as Keras records them: float32, 29/30 is 0.9666666388511658
                "test_accuracy": [0.8999999761581421, 0.9666666388511658, 0.9666666388511658, 1.0],
            }
        }
    }
}


def _settings(backend_name="tensorflow", **overrides):
    recipe_name = overrides.pop("recipe", "article")
    return {**get_recipe(recipe_name, **overrides).as_dict(), "backend": backend_name}


@pytest.mark.parametrize(
    "settings, test_accuracy, line",
    [
        pytest.param(
            _settings(),
            0.9666666388511658,
            "3 of 4 recorded seeds on tensorflow score 0.9667 or better",
            id="among-them",
        ),
        pytest.param(
            _settings(seed=7),
            1.0,
            "1 of 4 recorded seeds on tensorflow score 1.0000 or better",
            id="another-seed-is-the-same-recipe",
        ),
        pytest.param(
            _settings(),
            0.8,
            "4 of 4 recorded seeds on tensorflow score 0.8000 or better",
            id="below-them-all",
        ),
        pytest.param(
            _settings(),
            29 / 30,  # in float64: the float32 ones recorded are a little below it
            "3 of 4 recorded seeds on tensorflow score 0.9667 or better",
            id="float32-rounding",
        ),
        pytest.param(
            _settings(epochs=20, learning_rate=0.05),
            1.0,
            "no reference for epochs 20, learning_rate 0.05: the seed study ran epochs 100, "
            "learning_rate 0.01",
            id="other-settings",
        ),
        pytest.param(
            _settings(units=(16, 8)),
            1.0,
            "no reference for units 16x8: the seed study ran units 4x3",
            id="other-widths",
        ),
        pytest.param(
            _settings(recipe="multiclass"),
            1.0,
            "no recorded seeds of the multiclass recipe on tensorflow",
            id="another-recipe",
        ),
        pytest.param(_settings("jax"), 1.0, "no recorded seeds on jax", id="another-backend"),
    ],
)
def test_a_runs_standing_among_the_recorded_seeds(settings, test_accuracy, line):
    assert str(standing(settings, test_accuracy, reference=REFERENCE)) == line


@pytest.mark.parametrize("backend_name", STUDIES)
def test_the_shipped_recipes_have_a_reference_on_every_backend(backend_name):
    for recipe_name in SHIPPED:
        place = standing(_settings(backend_name, recipe=recipe_name, seed=1), 1.0)
        assert len(place.accuracies) == 20 and place.missing == ""


def test_the_study_command_writes_its_backends_reference(tmp_path, capsys):
    """`iris-keras study --reference`, as `make study` runs it, over the committed runs."""
    import shutil

    from iris_keras import backend
    from iris_keras.app.cli import main

    backend_name = backend.configured()
    study = tmp_path / "study"
    study.mkdir()
    shutil.copy(ROOT / STUDIES[backend_name] / "study.csv", study / "study.csv")  # all recorded
    written = tmp_path / "reference.json"
    argv = ["study", "--seeds", "20", "--output", str(study), "--quiet", "--workers", "1"]
    assert main([*argv, "--reference", str(written)]) == 0
    assert f"reference {written} ({backend_name}: article, multiclass)" in capsys.readouterr().out
    entries = load_reference(written)["backends"][backend_name]
    shipped = load_reference()["backends"][backend_name]
    for recipe_name in SHIPPED:
        assert entries[recipe_name] == {**shipped[recipe_name], "source": f"{study}/study.csv"}
