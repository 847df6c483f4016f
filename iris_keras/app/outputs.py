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

By default the folder is `runs/<backend>/<recipe>/` (`default_output_dir`),
and `runs/<backend>/<data>-<recipe>/` for a recipe on a learner's table
(`run_folder_name`).
"""

import time
import warnings
from pathlib import Path

from iris_keras import backend
from iris_keras.common import artifacts
from iris_keras.evaluate import evaluate_model
from iris_keras.figures.training import plot_confusion_matrix, plot_learning_curves
from iris_keras.table_recipe import TABLE_FIELDS

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
        table = {
            "data": {
                "path": recipe.data,
                "sha256": artifacts.sha256_of(recipe.data),
                "target": recipe.target_column,
                "feature_names": list(recipe.feature_names),
                "classes": list(recipe.table_classes),
            }
        }
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
    every artifact but `metrics.json` is written.
    """
    import pandas as pd

    frame = pd.DataFrame(history)
    frame.insert(0, "epoch", range(1, len(frame) + 1))
    artifacts.write_csv(output_dir / "history.csv", frame)
    artifacts.save_figure(output_dir / "learning_curves.png", plot_learning_curves(history))
    with warnings.catch_warnings():
        # A table's class names in a script no font here draws (Chinese without a CJK
        # font, `figures.training.CJK_FONTS`) show as boxes; metrics.json has them as text.
        warnings.filterwarnings("ignore", "Glyph .* missing from font", UserWarning)
        artifacts.save_figure(
            output_dir / "confusion_matrix.png",
            plot_confusion_matrix(metrics["confusion_matrix"], recipe.class_names),
        )
    metrics["sha256"] = {
        name: artifacts.sha256_of(output_dir / name) for name in ARTIFACTS if name != METRICS
    }
    metrics["timings"]["total_seconds"] = round(time.perf_counter() - started, 3)
    artifacts.write_json(output_dir / METRICS, metrics)


def default_output_dir(recipe_name, backend_name=None):
    """`runs/<backend>/<recipe>`, the default output folder: each backend's runs apart.

    `make train BACKEND=jax` then writes `runs/jax/article/` and leaves the
    TensorFlow run in `runs/tensorflow/article/` as it was.

    Args:
        recipe_name: the recipe, e.g. `"article"`.
        backend_name: the backend's name. Defaults to the one Keras runs on,
            or will run on (`backend.configured()`, which imports nothing).

    Returns:
        A relative `pathlib.Path`.

    Example:
    >>> default_output_dir("article", "jax").as_posix()
    'runs/jax/article'
    """
    return Path("runs") / (backend_name or backend.configured()) / recipe_name


def run_folder_name(recipe):
    """The name of a recipe's run folder: its name, after its table's for a table.

    Example:
    >>> from iris_keras.recipes import RECIPES
    >>> run_folder_name(RECIPES["article"])
    'article'
    >>> import dataclasses
    >>> recipe = dataclasses.replace(
    ...     RECIPES["multiclass"], data="/home/me/wine.csv", target_column="cultivar",
    ...     feature_names=("alcohol",), table_classes=("a", "b", "c"), positive_class=None)
    >>> run_folder_name(recipe)
    'wine-multiclass'
    """
    if recipe.data is None:
        return recipe.name
    return f"{Path(recipe.data).stem}-{recipe.name}"
