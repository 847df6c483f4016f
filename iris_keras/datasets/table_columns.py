"""A table's columns as arrays: numbers for the features, class indices for the target.

A cell is missing when it is empty or holds one of the markers spreadsheets
and statistics programs write for "no value" (`MISSING`, any case). A
feature cell must be a finite number that float32 can hold, written with a
point as the decimal mark. The first cell that is not is refused, in one
line naming its row and column:

>>> number_column("a.csv", "ash", ("2.4", "2.1"), [2, 3], "cultivar")
array([2.4, 2.1], dtype=float32)
>>> number_column("a.csv", "ash", ("2.4", "NA"), [2, 3], "cultivar")
Traceback (most recent call last):
...
iris_keras.errors.UsageError: Received data='a.csv': a missing value, 'NA' (row 3, column 'ash'); \
expected a number in every cell of every column but the target 'cultivar' (fill the cell in, or \
delete its row).
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from pathlib import Path

import numpy as np

from iris_keras.datasets.table_text import refuse

MISSING = frozenset(
    ["", "na", "n/a", "nan", "-nan", "null", "none", "<na>", "#n/a", "#na", "?", "-"]
)
FLOAT32_MAX = float(np.finfo(np.float32).max)


def number_column(
    path: str | Path, name: str, cells: Sequence[str], rows: Sequence[int], target: str
) -> np.ndarray:
    """One feature column as float32 numbers.

    Args:
        path: the table, for the message.
        name: the column's name.
        cells: its cells, stripped strings.
        rows: the row number of each cell.
        target: the target column's name, for the message.

    Returns:
        float32 array of shape `(len(cells),)`.

    Raises:
        UsageError: naming the row and column of the first cell that is
            missing, not a number, or not a finite float32.
    """
    try:
        values = np.asarray(cells, dtype=np.float64)
    except ValueError:  # the fast path failed: find the first bad cell, one at a time
        values = np.zeros(0)
    if len(values) != len(cells) or not np.all(np.abs(values) <= FLOAT32_MAX):  # NaN: False
        values = np.asarray(
            [_number(path, name, row, cell, target) for row, cell in zip(rows, cells, strict=True)]
        )
    return values.astype(np.float32)


def class_column(
    path: str | Path, name: str, cells: Sequence[str], rows: Sequence[int]
) -> tuple[np.ndarray, tuple[str, ...]]:
    """The target column as class indices, and the classes in order.

    The classes are the column's distinct values, sorted as numbers when
    every one is a number (so `2` comes before `10`), else as text.

    Returns:
        `(indices, class_names)`: int64 array of shape `(len(cells),)`,
        and the class names.

    Raises:
        UsageError: a missing cell (naming its row), or fewer than two classes.
    """
    for row, cell in zip(rows, cells, strict=True):
        if cell.casefold() in MISSING:
            raise refuse(
                path,
                _missing(cell),
                "a class in every cell of the target column (fill the cell in, or delete its row)",
                row=row,
                column=name,
            )
    names = tuple(sorted(set(cells)))
    if all(_is_number(class_name) for class_name in names):
        names = tuple(sorted(names, key=float))
    if len(names) < 2:
        raise refuse(
            path,
            f"the target {name!r} holds one class, {names[0]!r}",
            "two classes or more to tell apart",
        )
    index = {class_name: position for position, class_name in enumerate(names)}
    return np.asarray([index[cell] for cell in cells], dtype=np.int64), names


def _number(path: str | Path, name: str, row: int, cell: str, target: str) -> float:
    """One feature cell as a number, or the one-line error that names it."""
    problem = ""
    if cell.casefold() in MISSING:
        problem, fix = _missing(cell), " (fill the cell in, or delete its row)"
    else:
        try:
            value = float(cell)
        except ValueError:
            problem, fix = f"{cell!r} is not a number", _not_a_number_fix(cell)
        else:
            if not math.isfinite(value):
                problem, fix = f"{cell!r} is not a finite number", ""
            elif abs(value) > FLOAT32_MAX:
                problem, fix = f"{cell!r} is beyond float32's range", " (within ±3.4e38)"
    if problem:
        expected = f"a number in every cell of every column but the target {target!r}{fix}"
        raise refuse(path, problem, expected, row=row, column=name)
    return value


def _missing(cell: str) -> str:
    return "an empty cell" if not cell else f"a missing value, {cell!r}"


def _not_a_number_fix(cell: str) -> str:
    if "," in cell:
        return " (with a point as the decimal mark: 1.5, not 1,5)"
    return " (delete the column, or turn its values into numbers)"


def _is_number(text: str) -> bool:
    try:
        float(text)
    except ValueError:
        return False
    return True
