"""What a run leaves in its folder: the model, its history, its metrics, its figures.

- `model.keras`: the trained model, which takes raw centimetres; saved,
  loaded back and scored again (`save_and_reload`);
- `history.csv`: one row per epoch: `loss`, `accuracy`, `val_loss`,
  `val_accuracy`;
- `metrics.json`: test scores, per-class precision and recall, the confusion
  matrix, the seed, every hyperparameter, the `load_data` arguments, library
  versions, the device and timings; a `run_id` and the SHA-256 of each other
  artifact (`sha256`), written last;
- `learning_curves.png` and `confusion_matrix.png`.

By default the folder is `runs/<backend>/<run name>/` (`default_output_dir`;
a study's or a sweep's, `grid_folder`):
the recipe's name, after its table's for a learner's table, then what differs
from the recipe's defaults (`run_name`), so that a run with other settings
never replaces another experiment's files.
"""

import re
import time
import warnings
from collections.abc import Callable
from pathlib import Path
from typing import Any

from iris_keras import backend
from iris_keras.common import artifacts
from iris_keras.evaluate import evaluate_model
from iris_keras.figures.training import plot_confusion_matrix, plot_learning_curves
from iris_keras.recipes import RECIPES
from iris_keras.recipes.own_data import TABLE_FIELDS, table_record

MODEL = "model.keras"


METRICS = "metrics.json"


ARTIFACTS = (
    MODEL,
    "history.csv",
    METRICS,
    "learning_curves.png",
    "confusion_matrix.png",
)


def save_and_reload(model, path, test_data, recipe):
    """Saves `model` to `path`, loads it back in safe mode and scores the loaded copy.

    The loaded copy runs with the trained model's `jit_compile` (the file
    leaves it to the loading backend): XLA or not may round differently, and
    the check asks for the same scores to the last bit.

    Returns:
        The loaded model's `evaluate_model` scores on `test_data`; equal to
        the trained model's when saving loses nothing.
    """
    import keras

    artifacts.save_model(path, model)
    reloaded = keras.models.load_model(path, safe_mode=True)
    reloaded.jit_compile = model.jit_compile
    return evaluate_model(reloaded, *test_data, class_names=recipe.class_names)


def run_record(recipe, fit_data, validation_data, test_data):
    """What `metrics.json` records of the run's settings and data.

    A run on a table also records the table (`data`): its path, its
    SHA-256, its target column, feature names and classes, so that
    `evaluate` finds its test split again, and notices when the file changed.
    """
    table = {}
    if recipe.data is not None:
        table = {"data": table_record(recipe, sha256=artifacts.sha256_of(recipe.data))}
    return {
        **table,
        "class_names": list(recipe.class_names),
        "seed": recipe.seed,
        "hyperparameters": {
            key: value
            for key, value in recipe.as_dict().items()
            if key not in ("name", "seed", *TABLE_FIELDS)
        },
        "load_data": recipe.load_data_kwargs(),
        "num_samples": {
            "fit": len(fit_data[0]),
            "validation": len(validation_data[0]),
            "test": len(test_data[0]),
        },
    }


def write_artifacts(output_dir, history, metrics, recipe, *, started):
    """Writes the artifacts beside `model.keras`; `metrics.json`, with their hashes, last.

    `metrics["timings"]` gains `total_seconds`, from `started` (a
    `time.perf_counter()`; the command's start for the command line) until
    every artifact but `metrics.json` is written. The figures' titles name
    the run and its backend (`figure_title`).
    """
    import pandas as pd

    frame = pd.DataFrame(history)
    frame.insert(0, "epoch", range(1, len(frame) + 1))
    artifacts.write_csv(output_dir / "history.csv", frame)
    title = figure_title(recipe, metrics["backend"])
    artifacts.save_figure(
        output_dir / "learning_curves.png",
        plot_learning_curves(history, title=f"{title}: learning curves"),
    )
    with warnings.catch_warnings():
        # A table's class names in a script no font here draws (Chinese without a CJK
        # font, `figures.training.CJK_FONTS`) show as boxes; metrics.json has them as text.
        warnings.filterwarnings("ignore", "Glyph .* missing from font", UserWarning)
        artifacts.save_figure(
            output_dir / "confusion_matrix.png",
            plot_confusion_matrix(
                metrics["confusion_matrix"], recipe.class_names, title=f"{title}: confusion matrix"
            ),
        )
    metrics["sha256"] = {
        name: artifacts.sha256_of(output_dir / name) for name in ARTIFACTS if name != METRICS
    }
    metrics["timings"]["total_seconds"] = round(time.perf_counter() - started, 3)
    artifacts.write_json(output_dir / METRICS, metrics)


# How a run's folder name shows each setting that differs from its recipe's default,
# in this order; any other setting shows as `<field>-<value>`, after these.
NAME_PARTS: dict[str, Callable[[Any], str]] = {
    "target": str,
    "positive_class": str,
    "validation": lambda value: f"val{value}",
    "validation_size": lambda value: f"valsize{value!r}",
    "standardize": lambda value: "std" if value else "raw",
    "units": lambda value: "units" + "x".join(map(str, value)),
    "epochs": lambda value: f"epochs{value}",
    "batch_size": lambda value: f"batch{value}",
    "learning_rate": lambda value: f"lr{value!r}",
    "momentum": lambda value: f"momentum{value!r}",
    "test_size": lambda value: f"testsize{value!r}",
    "seed": lambda value: f"seed{value}",
}


def run_name(recipe):
    """A run's folder name: its table's and recipe's names, then each setting that differs.

    The recipe as shipped is its name alone; a recipe on a learner's table is
    the table file's name, then the recipe's (`wine-article`). Each setting
    that differs from the recipe's (or, on a table, from what the table
    decides: its target and positive class) adds a part, in the fixed order
    of `NAME_PARTS`: `epochs20`, `batch16`, `lr0.05`, `momentum0.5`,
    `units16x8`, `raw` (unstandardized inputs), a positive class by its
    name, `seed7`... Numbers are written as Python writes them (`0.05`,
    `1e-05`), so two settings never share a name; a character that is not a
    letter, a digit, `.` or `-` becomes `_`.

    Args:
        recipe: the run's `Recipe`.

    Returns:
        A `str`, the same for the same settings.

    Example:
    >>> from iris_keras.recipes import get_recipe
    >>> run_name(get_recipe("multiclass"))
    'multiclass'
    >>> run_name(get_recipe("multiclass", learning_rate=0.05, epochs=20))
    'multiclass-epochs20-lr0.05'
    >>> run_name(get_recipe("article", positive_class="setosa", standardize=False))
    'article-setosa-raw'
    """
    defaults, settings = _defaults(recipe), recipe.as_dict()
    fields = [*NAME_PARTS, *(field for field in settings if field not in NAME_PARTS)]
    differing = [
        field
        for field in fields
        if field not in ("name", *TABLE_FIELDS) and settings[field] != defaults.get(field)
    ]
    names = [recipe.name] if recipe.data is None else [_stem(recipe.data), recipe.name]
    return "-".join([*names, *(_name_part(recipe, field) for field in differing)])


def _defaults(recipe):
    """What a run of `recipe` sets unless told otherwise: the shipped recipe, on its table."""
    shipped = RECIPES[recipe.name].as_dict()
    if recipe.data is None:
        return shipped
    classes = recipe.table_classes
    two = len(classes) == 2
    return {
        **shipped,
        "target": "binary" if two else "onehot",
        "positive_class": classes[1] if two else None,
    }


def _safe(text):
    return re.sub(r"[^\w.-]", "_", text)


def _stem(path):
    """A table's name in a folder name: its file's, without the suffix, filesystem-safe."""
    return _safe(Path(path).stem)


def _name_part(recipe, field):
    """The part of a folder name that shows one setting of `recipe`, filesystem-safe."""
    value = getattr(recipe, field)
    return _safe(NAME_PARTS[field](value) if field in NAME_PARTS else f"{field}-{value}")


def figure_title(recipe, backend_name):
    """What a run's figures say they show: the run, what it tells apart, the backend.

    Example:
    >>> from iris_keras.recipes import get_recipe
    >>> figure_title(get_recipe("article"), "tensorflow")
    'article (virginica vs rest) on tensorflow'
    >>> figure_title(get_recipe("multiclass", epochs=20), "jax")
    'multiclass-epochs20 (3 classes) on jax'
    """
    names = recipe.class_names
    target = f"{names[1]} vs rest" if len(names) == 2 else f"{len(names)} classes"
    return f"{run_name(recipe)} ({target}) on {backend_name}"


def default_output_dir(recipe, backend_name=None):
    """`runs/<backend>/<run name>`, the default output folder of a run.

    Each backend's runs are apart (`make train BACKEND=jax` writes
    `runs/jax/article/` and leaves `runs/tensorflow/article/` as it was), and
    so is each experiment: a run with other settings gets a folder named
    after them (`run_name`).

    Args:
        recipe: the run's `Recipe`.
        backend_name: the backend's name. Defaults to the one Keras runs on,
            or will run on (`backend.configured()`, which imports nothing).

    Returns:
        A relative `pathlib.Path`.

    Example:
    >>> from iris_keras.recipes import get_recipe
    >>> default_output_dir(get_recipe("article"), "jax").as_posix()
    'runs/jax/article'
    >>> default_output_dir(get_recipe("article", epochs=5), "tensorflow").as_posix()
    'runs/tensorflow/article-epochs5'
    """
    return runs_folder(run_name(recipe), backend_name)


def grid_folder(name, data=None, backend_name=None):
    """`runs/<backend>/<name>`, after its table's name for a grid on a learner's table.

    A study or a sweep on `wine.csv` keeps its runs apart from iris's, as
    `train --data` does (`run_name`).

    Example:
    >>> grid_folder("study", None, "jax").as_posix()
    'runs/jax/study'
    >>> grid_folder("sweep", "/home/me/wine.csv", "tensorflow").as_posix()
    'runs/tensorflow/wine-sweep'
    """
    return runs_folder(name if data is None else f"{_stem(data)}-{name}", backend_name)


def runs_folder(name, backend_name=None):
    """`runs/<backend>/<name>`: where a command keeps what it makes on one backend.

    Example:
    >>> runs_folder("sweep", "jax").as_posix()
    'runs/jax/sweep'
    """
    return Path("runs") / (backend_name or backend.configured()) / name
