"""Load a saved model safely, with one-line errors for anything that is not one.

Keras's safe mode (the default of `keras.models.load_model`, passed here
explicitly) refuses to deserialize a `Lambda` layer's Python code, so loading
a model file from someone else cannot run code it carries. Nothing in this
project unpickles.

`check_model_matches_metrics` refuses a `model.keras` that is not the one the
`metrics.json` beside it was written with (`iris-keras train` records the
model's SHA-256 there), so that scores are never read against another run's
model.
"""

import json
import zipfile
from pathlib import Path
from typing import Any

from iris_keras.common.artifacts import sha256_of
from iris_keras.datasets import iris
from iris_keras.errors import IrisKerasError
from iris_keras.predict import class_names_of


def check_model_path(path):
    """Checks that `path` is an existing `.keras` archive, without importing Keras.

    Args:
        path: the model file.

    Returns:
        The path as a `pathlib.Path`.

    Raises:
        IrisKerasError: the path is missing, a folder, or not a `.keras` archive.
    """
    path = Path(path)
    if not path.exists():
        raise IrisKerasError(f"Received model='{path}', but no such file exists.")
    if not path.is_file():
        raise IrisKerasError(f"Received model='{path}', expected a .keras file, got a folder.")
    if path.suffix != ".keras" or not zipfile.is_zipfile(path):
        raise IrisKerasError(
            f"Received model='{path}', expected a Keras model saved as a .keras archive "
            "(e.g. runs/tensorflow/article/model.keras)."
        )
    return path


def check_model_matches_metrics(path):
    """Checks that `path` is the model its `metrics.json` describes, when one is beside it.

    Args:
        path: the model file.

    Returns:
        The SHA-256 recorded for the model, or `None` when no `metrics.json`
        beside it records one (it predates the hashes, or is not ours).

    Raises:
        IrisKerasError: the model's SHA-256 differs from the recorded one:
            the files come from two runs.
    """
    path = Path(path)
    metrics_path = path.with_name("metrics.json")
    try:
        recorded = json.loads(metrics_path.read_text(encoding="utf-8"))["sha256"][path.name]
    except (OSError, ValueError, KeyError, TypeError):
        return None
    actual = sha256_of(path)
    if actual != recorded:
        raise IrisKerasError(
            f"Received model='{path}', which is not the model {metrics_path} describes "
            f"(SHA-256 {actual[:12]}…, recorded {str(recorded)[:12]}…): the two files come "
            "from different runs, or a run is still writing the folder. Retrain into this "
            "folder, or pass the model.keras that came with this metrics.json."
        )
    return recorded


def load_trained_model(path):
    """Loads a `.keras` model file in safe mode.

    Args:
        path: the model file, as written by `iris-keras train`.

    Returns:
        The compiled `keras.Model`.

    Raises:
        IrisKerasError: the path is missing, not a file, not a `.keras`
            archive, or holds something safe mode refuses.
    """
    path = check_model_path(path)
    import keras

    try:
        return keras.models.load_model(path, safe_mode=True)
    except Exception as error:  # Keras raises many types for a bad archive
        reason = " ".join(str(error).split())
        if "Lambda" in reason or "safe_mode" in reason:
            reason = "it holds a Lambda layer (arbitrary Python code), refused by safe mode"
        raise IrisKerasError(
            f"Received model='{path}', which is not a loadable Keras model: {reason[:300]}"
        ) from None


def load_test_split(model_path, model):
    """The test split a saved model was trained against.

    The `load_data` arguments come from the `metrics.json` written beside
    the model by `iris-keras train`; without one, `load_data`'s defaults
    with the target the model's head implies.

    Returns:
        `(x_test, y_test), class_names`.
    """
    names = class_names_of(model)
    kwargs: dict[str, Any]
    if len(names) == 2:
        kwargs = {"target": "binary", "positive_class": names[1]}
        if names[1] not in iris.SPECIES:
            kwargs.pop("positive_class")
    else:
        kwargs = {"target": "onehot"}
    metrics = recorded_metrics(model_path)
    if metrics is not None and isinstance(metrics.get("load_data"), dict):
        kwargs = metrics["load_data"]
    _, (x_test, y_test) = iris.load_data(**kwargs)
    return (x_test, y_test), names


def recorded_metrics(model_path):
    """The `metrics.json` that `iris-keras train` wrote beside a model.

    Args:
        model_path: the model file.

    Returns:
        The metrics as a `dict`, or `None` when there is no readable
        `metrics.json` beside the model.
    """
    path = Path(model_path).with_name("metrics.json")
    try:
        metrics = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    return metrics if isinstance(metrics, dict) else None
