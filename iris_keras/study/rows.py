"""The seed study's rows: one run a row, in memory and on disk as `study.csv`.

A run that failed (it raised, diverged, passed its time limit, or its
worker died) is a row too: its figures are empty and `error` says what
happened, in one line; a rerun of the study retries those runs only.
"""

import csv
import io
from pathlib import Path

from iris_keras.common import artifacts
from iris_keras.errors import IrisKerasError
from iris_keras.study.variants import recipe_config

COLUMNS = (
    "variant",
    "recipe",
    "positive_class",
    "standardize",
    "units",
    "seed",
    "epochs",
    "config",
    "test_accuracy",
    "test_loss",
    "epoch_to_0.95",
    "dead_units",
    "collapsed",
    "seconds",
    "error",
)
# What a run measures; empty in the row of a failed run.
MEASURED = ("test_accuracy", "test_loss", "epoch_to_0.95", "dead_units", "collapsed")


CSV_NAME = "study.csv"


def run_row(variant, recipe, *, seconds, error=None, **measured):
    """One run's row: the variant's and recipe's fields, what it measured, its time, its error.

    Args:
        variant: the `Variant`.
        recipe: the run's `Recipe` (its seed and epochs are recorded).
        seconds: the run's wall time.
        error: what went wrong, one line, or `None` for a finished run.
            Defaults to `None`.
        **measured: the values of `MEASURED`; missing ones are `None`.

    Returns:
        A dict with the keys of `COLUMNS`, in order.
    """
    return {
        "variant": variant.name,
        "recipe": variant.recipe,
        "positive_class": variant.positive_class,
        "standardize": variant.standardize,
        "units": "x".join(str(width) for width in variant.units),
        "seed": recipe.seed,
        "epochs": recipe.epochs,
        "config": recipe_config(recipe),
        **{key: measured.get(key) for key in MEASURED},
        "seconds": seconds,
        "error": error,
    }


def error_line(error):
    """An exception as one line: `"TypeName: message"`, whitespace collapsed, at most 300 chars.

    Example:
    >>> error_line(ValueError("bad\\n  value"))
    'ValueError: bad value'
    """
    message = " ".join(str(error).split())
    return f"{type(error).__name__}: {message}"[:300] if message else type(error).__name__


def diverged_error(epoch, loss, learning_rate):
    """The `error` of a run whose loss stopped being finite: `fit_model`'s `DivergedError`.

    Example:
    >>> diverged_error(3, float("nan"), 0.3)
    'DivergedError: Training diverged at epoch 3: the loss became nan. Try a smaller ...=0.3).'
    """
    return (
        f"DivergedError: Training diverged at epoch {epoch}: the loss became {loss}. "
        f"Try a smaller learning rate (received learning_rate={learning_rate:g})."
    )


def diverged(row):
    """Whether a row records a run that diverged: an outcome of its settings, not a failure."""
    return (row.get("error") or "").startswith("DivergedError:")


def failed(row):
    """Whether a row records a failed run: an error other than diverging, worth a retry."""
    return bool(row.get("error")) and not diverged(row)


def read_rows(path):
    """The rows of a `study.csv`, typed; `[]` if the file does not exist.

    Raises:
        IrisKerasError: the file's columns are not `COLUMNS`.
    """
    path = Path(path)
    if not path.is_file():
        return []
    with path.open(newline="", encoding="utf-8") as handle:
        reader = csv.DictReader(handle)
        if tuple(reader.fieldnames or ()) != COLUMNS:
            raise IrisKerasError(
                f"Received an invalid study file, expected the columns {', '.join(COLUMNS)}. "
                f"Received: {path} with columns {', '.join(reader.fieldnames or ())}. "
                "Choose another --output, or delete the file to start over."
            )
        return [_typed_row(row) for row in reader]


def write_rows(path, rows):
    """Writes rows as `study.csv` atomically: floats exactly, `None` as empty."""
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=COLUMNS, lineterminator="\n")
    writer.writeheader()
    for row in rows:
        writer.writerow({key: "" if row[key] is None else row[key] for key in COLUMNS})
    artifacts.write_text(path, buffer.getvalue())


def _typed_row(row):
    def optional(parse, text):
        return parse(text) if text else None

    return {
        **row,
        "positive_class": row["positive_class"] or None,
        "standardize": row["standardize"] == "True",
        "seed": int(row["seed"]),
        "epochs": int(row["epochs"]),
        "test_accuracy": optional(float, row["test_accuracy"]),
        "test_loss": optional(float, row["test_loss"]),
        "epoch_to_0.95": optional(int, row["epoch_to_0.95"]),
        "dead_units": optional(int, row["dead_units"]),
        "collapsed": optional(lambda text: text == "True", row["collapsed"]),
        "seconds": float(row["seconds"]),
        "error": row.get("error") or None,
    }
