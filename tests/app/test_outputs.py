"""A run's folder is named after what differs from its recipe; its figures name the run."""

import pytest

from iris_keras.app import outputs
from iris_keras.recipes import get_recipe


@pytest.mark.parametrize(
    "recipe_name, overrides, expected",
    [
        pytest.param("article", {}, "article", id="the-article-as-shipped"),
        pytest.param("multiclass", {}, "multiclass", id="multiclass-as-shipped"),
        pytest.param("article", {"epochs": 100, "seed": 42}, "article", id="defaults-given"),
        pytest.param(
            "multiclass",
            {"learning_rate": 0.05, "epochs": 20},
            "multiclass-epochs20-lr0.05",
            id="the-issues-example",
        ),
        pytest.param("article", {"epochs": 5}, "article-epochs5", id="make-train-EPOCHS=5"),
        pytest.param(
            "article",
            {
                "seed": 7,
                "momentum": 0.0,
                "learning_rate": 1e-05,
                "batch_size": 16,
                "epochs": 20,
                "units": (16, 8),
                "standardize": False,
                "positive_class": "setosa",
            },
            "article-setosa-raw-units16x8-epochs20-batch16-lr1e-05-momentum0.0-seed7",
            id="every-option-in-the-fixed-order",
        ),
        pytest.param("multiclass", {"units": (4, 3)}, "multiclass-units4x3", id="narrower"),
        pytest.param(
            "article",
            {"target": "onehot", "validation": "split", "validation_size": 0.25, "test_size": 0.3},
            "article-onehot-valsplit-valsize0.25-testsize0.3",
            id="the-api-only-settings",
        ),
    ],
)
def test_a_run_is_named_after_what_differs_from_its_recipe(recipe_name, overrides, expected):
    assert outputs.run_name(get_recipe(recipe_name, **overrides)) == expected


def test_learning_rates_that_round_alike_get_folders_of_their_own():
    names = {outputs.run_name(get_recipe("article", learning_rate=lr)) for lr in (0.0123, 0.01234)}
    assert names == {"article-lr0.0123", "article-lr0.01234"}


def test_a_setting_outside_the_table_is_named_field_and_value_filesystem_safe(monkeypatch):
    parts = {field: show for field, show in outputs.NAME_PARTS.items() if field != "positive_class"}
    monkeypatch.setattr(outputs, "NAME_PARTS", parts)
    recipe = get_recipe("article", positive_class="setosa", epochs=3)
    assert outputs.run_name(recipe) == "article-epochs3-positive_class-setosa"
    monkeypatch.setattr(
        outputs, "NAME_PARTS", {**parts, "epochs": lambda value: f"my/data {value}:"}
    )
    assert outputs.run_name(recipe) == "article-my_data_3_-positive_class-setosa"


def test_the_default_folder_is_the_run_name_under_the_backend():
    recipe = get_recipe("multiclass", epochs=20, learning_rate=0.05)
    folder = outputs.default_output_dir(recipe, "tensorflow")
    assert folder.as_posix() == "runs/tensorflow/multiclass-epochs20-lr0.05"


def test_the_figures_titles_name_the_run_and_the_backend(tmp_path, monkeypatch):
    titles = {}

    def drawn(name, plot):
        def draw(*args, title):
            titles[name] = title
            return plot(*args, title=title)

        return draw

    for name in ("plot_learning_curves", "plot_confusion_matrix"):
        monkeypatch.setattr(outputs, name, drawn(name, getattr(outputs, name)))
    history = {"loss": [0.7, 0.5], "accuracy": [0.6, 0.8]}
    metrics = {
        "backend": "jax",
        "confusion_matrix": [[19, 1], [0, 10]],
        "timings": {},
    }
    recipe = get_recipe("article", epochs=2)
    (tmp_path / outputs.MODEL).write_bytes(b"a stand-in: only its hash is taken")
    outputs.write_artifacts(tmp_path, history, metrics, recipe, started=0.0)
    assert titles == {
        "plot_learning_curves": "article-epochs2 (virginica vs rest) on jax: learning curves",
        "plot_confusion_matrix": "article-epochs2 (virginica vs rest) on jax: confusion matrix",
    }
    assert (tmp_path / "learning_curves.png").is_file()


@pytest.mark.parametrize("plot", ["plot_learning_curves", "plot_confusion_matrix"])
def test_a_figure_has_a_title_only_when_given_one(plot):
    from iris_keras import figures

    draw = getattr(figures, plot)
    data = (
        ({"loss": [0.7, 0.5], "accuracy": [0.6, 0.8]},)
        if plot == "plot_learning_curves"
        else ([[1, 0], [0, 1]], ["a", "b"])
    )
    assert draw(*data, title="a run: what")._suptitle.get_text() == "a run: what"
    assert draw(*data)._suptitle is None
