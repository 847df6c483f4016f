"""Your own table, with the call shape of `keras.datasets`: `load_data(path, target=COLUMN)`.

A learner's measurements (a class survey, a lab's samples, a sheet exported
from Excel or WPS as CSV or TSV) load as iris does, stratified by class and
split by the seed, and the article's code runs on them unchanged:

>>> import pathlib, tempfile
>>> path = pathlib.Path(tempfile.mkdtemp()) / "plants.csv"
>>> rows = [f"{h},{w},{'tall' if h > 5 else 'short'}" for h in range(10) for w in (1, 2)]
>>> _ = path.write_text("height,width,kind\\n" + "\\n".join(rows) + "\\n", encoding="utf-8")
>>> data = load_data(path, target="kind")
>>> (x_train, y_train), (x_test, y_test) = data
>>> x_train.shape, y_train.shape, x_test.shape, y_test.shape
((16, 2), (16,), (4, 2), (4,))
>>> data.feature_names, data.class_names
(('height', 'width'), ('short', 'tall'))

Every column but the target must hold numbers (`read_table` says what is
refused, and where). The labels follow the data, as the network does
(`model.build_model`): two classes, or one `positive_class` against the
rest, give float32 0/1 labels for one sigmoid unit; more classes give
one-hot rows for a softmax.
"""

from __future__ import annotations

import dataclasses
import difflib
import math
from collections.abc import Sequence
from pathlib import Path

import numpy as np

from iris_keras.datasets.table_columns import class_column, number_column
from iris_keras.datasets.table_text import read_rows, refuse
from iris_keras.errors import check_choice, check_non_negative_int, check_unit_interval
from iris_keras.seeding import DEFAULT_SEED

Data = tuple[np.ndarray, np.ndarray]


@dataclasses.dataclass(frozen=True, eq=False)
class Table:
    """A whole table, as scikit-learn's `load_iris` gives one.

    Attributes:
        data: the feature columns, float32 of shape `(n, features)`.
        target: the class of each row, an index into `target_names`,
            int64 of shape `(n,)`.
        feature_names: the feature columns' names, in the file's order.
        target_names: the classes, sorted (as numbers when every class is one).
        target_column: the name of the target column.
    """

    data: np.ndarray
    target: np.ndarray
    feature_names: tuple[str, ...]
    target_names: tuple[str, ...]
    target_column: str


class TableData(tuple[Data, Data]):
    """`(x_train, y_train), (x_test, y_test)`, with the names beside them.

    It unpacks as `keras.datasets` loaders' results do; `feature_names`
    names the columns of `x`, `class_names` the labels in label order (for
    one class against the rest, `("not <class>", "<class>")`), and
    `target` the column the labels come from.
    """

    feature_names: tuple[str, ...]
    class_names: tuple[str, ...]
    target: str

    def __new__(
        cls,
        train: Data,
        test: Data,
        *,
        feature_names: tuple[str, ...],
        class_names: tuple[str, ...],
        target: str,
    ) -> TableData:
        data = super().__new__(cls, (train, test))
        data.feature_names, data.class_names, data.target = feature_names, class_names, target
        return data


def read_table(path: str | Path, *, target: str) -> Table:
    """Reads a whole CSV or TSV table (`table_text.read_rows`) into arrays.

    Args:
        path: the file, with a header row of column names.
        target: the name of the column that holds the classes.

    Returns:
        A `Table`.

    Raises:
        UsageError: in one line naming the file, row and column: no column
            `target`, no feature column, no rows, a missing or non-finite
            value, a feature that is not a number, a target of one class,
            or anything `read_rows` refuses.
    """
    header, rows = read_rows(path)
    _check_columns(path, header, target)
    if not rows:
        raise refuse(path, "a header but no rows", "one row per sample under the header")
    numbers = [number for number, _ in rows]
    columns = dict(zip(header, zip(*(cells for _, cells in rows), strict=True), strict=True))
    features = tuple(name for name in header if name != target)
    classes, class_names = class_column(path, target, columns[target], numbers)
    data = np.column_stack(
        [number_column(path, name, columns[name], numbers, target) for name in features]
    )
    return Table(data, classes, features, class_names, target)


def load_data(
    path: str | Path,
    *,
    target: str,
    positive_class: str | None = None,
    test_size: float = 0.2,
    seed: int = DEFAULT_SEED,
) -> TableData:
    """Loads a table as `(x_train, y_train), (x_test, y_test)`, stratified by class.

    Args:
        path: a CSV or TSV file with a header row (`read_table`).
        target: the column to predict; every other column is a feature.
        positive_class: one class to tell from all the others, as the
            article tells virginica from the rest; `None` lets the data
            decide (two classes: the second of `target_names` is 1).
            Defaults to `None`.
        test_size: the fraction of rows held out for testing, in (0, 1).
            Defaults to `0.2`.
        seed: the seed of the stratified shuffle. Defaults to `42`.

    Returns:
        A `TableData`: features float32 of shape `(n, features)`; labels
        float32 0/1 of shape `(n,)` for two classes or a `positive_class`,
        else one-hot float32 of shape `(n, classes)`.

    Raises:
        UsageError: what `read_table` refuses, a `positive_class` that is
            not a class of the table, or a class too small for the split.
    """
    from sklearn.model_selection import train_test_split

    test_size = check_unit_interval("test_size", test_size, closed_low=False, closed_high=False)
    seed = check_non_negative_int("seed", seed)
    table = read_table(path, target=target)
    names = label_names(table.target_names, positive_class)
    labels = encode_labels(table.target, table.target_names, names)
    check_split(path, table.target, table.target_names, test_size=test_size)
    x_train, x_test, y_train, y_test = train_test_split(
        table.data, labels, test_size=test_size, random_state=seed, stratify=table.target
    )
    return TableData(
        (x_train, y_train),
        (x_test, y_test),
        feature_names=table.feature_names,
        class_names=names,
        target=target,
    )


def label_names(classes: Sequence[str], positive_class: str | None = None) -> tuple[str, ...]:
    """The name of each label, in label order, for a table's `classes`.

    Example:
    >>> label_names(("a", "b", "c")), label_names(("a", "b", "c"), "b")
    (('a', 'b', 'c'), ('not b', 'b'))
    >>> label_names(("no", "yes")), label_names(("no", "yes"), "no")
    (('no', 'yes'), ('yes', 'no'))
    """
    classes = tuple(classes)
    if positive_class is None:
        return classes
    check_choice("positive_class", positive_class, classes)
    if len(classes) == 2:
        return (classes[1 - classes.index(positive_class)], positive_class)
    return (f"not {positive_class}", positive_class)


def encode_labels(
    classes: np.ndarray, class_names: Sequence[str], names: Sequence[str]
) -> np.ndarray:
    """Labels for the network: 0/1 float32 for two label names, else one-hot float32."""
    if len(names) == 2:
        return (classes == list(class_names).index(names[1])).astype(np.float32)
    return np.eye(len(names), dtype=np.float32)[classes]


def check_split(
    path: str | Path,
    strata: np.ndarray,
    names: Sequence[str],
    *,
    test_size: float,
    split: str = "test",
) -> None:
    """Refuses, in one line, a split that cannot keep every class on both sides.

    A stratified split puts rows of every class on both sides: each class
    needs two rows, and each side at least one row per class (the checks
    scikit-learn's `train_test_split` makes, said in the file's terms).

    Args:
        path: the table, for the message.
        strata: the class index of each row, int of shape `(n,)`.
        names: the name of each class index.
        test_size: the fraction held out.
        split: what is held out, `"test"` or `"validation"`. Defaults to `"test"`.
    """
    counts = np.bincount(np.asarray(strata, dtype=np.int64), minlength=len(names))
    scope = "the file" if split == "test" else "the training split"
    smallest = int(counts.argmin())
    if counts[smallest] < 2:
        raise refuse(
            path,
            f"class {names[smallest]!r} has {counts[smallest]} row"
            f"{'' if counts[smallest] == 1 else 's'} in {scope}",
            f"at least 2 rows of every class in {scope}, one for each side of the {split} "
            "split (is the target a measurement rather than a class?)",
        )
    size, needed = len(strata), len(names)
    while min(math.ceil(test_size * needed), needed - math.ceil(test_size * needed)) < len(names):
        needed += 1
    if size < needed:
        raise refuse(
            path,
            f"{size} rows in {scope} for {len(names)} classes",
            f"at least {needed} rows, so that the {split} split ({split}_size={test_size:g}) "
            "and the training split each hold every class",
        )


def _check_columns(path: str | Path, header: tuple[str, ...], target: str) -> None:
    if target not in header:
        shown = ", ".join(repr(name) for name in header[:20]) + (", …" if len(header) > 20 else "")
        close = difflib.get_close_matches(target, header, n=1) or [
            name for name in header if name.casefold() == target.casefold()
        ]
        hint = f" (did you mean {close[0]!r}?)" if close else ""
        if len(header) == 1:
            hint = " (the header is one column: accepted separators are commas and tabs)"
        raise refuse(path, f"no column {target!r}", f"the target column, one of {shown}{hint}")
    if len(header) < 2:
        raise refuse(path, f"only the target column {target!r}", "one feature column or more")
