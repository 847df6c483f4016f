"""The seed study's rows on disk: `study.csv`, one run a row, written whole or not at all."""

import csv
import io
from pathlib import Path

from iris_keras.app import artifacts
from iris_keras.errors import IrisKerasError

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
)


CSV_NAME = "study.csv"


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
    def optional_int(text):
        return int(text) if text else None

    return {
        **row,
        "positive_class": row["positive_class"] or None,
        "standardize": row["standardize"] == "True",
        "seed": int(row["seed"]),
        "epochs": int(row["epochs"]),
        "test_accuracy": float(row["test_accuracy"]),
        "test_loss": float(row["test_loss"]),
        "epoch_to_0.95": optional_int(row["epoch_to_0.95"]),
        "dead_units": int(row["dead_units"]),
        "collapsed": row["collapsed"] == "True",
        "seconds": float(row["seconds"]),
    }
