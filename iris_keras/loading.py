"""Load a saved model safely, with one-line errors for anything that is not one.

Keras's safe mode (the default of `keras.models.load_model`, passed here
explicitly) refuses to deserialize a `Lambda` layer's Python code, so loading
a model file from someone else cannot run code it carries. Nothing in this
project unpickles.
"""

import zipfile
from pathlib import Path

from iris_keras.errors import IrisKerasError


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
            "(e.g. runs/article/model.keras)."
        )
    return path


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
