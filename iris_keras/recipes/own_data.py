"""A recipe on a learner's own table: what the data decides, and what the recipe keeps.

Both recipes apply to any table (`datasets.table`): the recipe keeps its
network widths, optimizer, epochs and validation (`article`: 4-3, SGD
0.01/0.9, the test set as validation data; `multiclass`: 16-8, a validation
split), and the table decides the rest, as it does for the network:

- the input width is the number of feature columns;
- two classes give a binary target (one sigmoid unit, the second class in
  `target_names` labelled 1), more give a one-hot target (a softmax);
- `positive_class` makes any table binary, that class against the rest:
  the article's own task on iris (virginica or not).

`on_table` reads the file once, refusing a bad one before anything is
written, and returns a plain `Recipe` carrying the file's path and the
names of its columns and classes: a value a study can copy and a worker
can train from.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from iris_keras.datasets import table
from iris_keras.errors import check_choice, invalid

if TYPE_CHECKING:
    from iris_keras.recipes import Recipe

# The fields of a `Recipe` that only a recipe on a table sets.
TABLE_FIELDS = ("data", "target_column", "feature_names", "table_classes")


def on_table(
    recipe: Recipe, data: str | Path, *, target: str, positive_class: str | None = None
) -> Recipe:
    """`recipe` on the table in `data`, predicting its column `target`.

    Args:
        recipe: a `Recipe`, e.g. `get_recipe("article")`, with its test and
            validation sizes and seed already set.
        data: the CSV or TSV file.
        target: the column to predict.
        positive_class: a class to tell from the rest, or `None` to let the
            classes decide the target. Defaults to `None`.

    Returns:
        The `Recipe`, its `data` the file's absolute path.

    Raises:
        UsageError: whatever `table.load_data` refuses, a class too small
            for the recipe's validation split included.
    """
    from iris_keras.recipes import split_for

    if not isinstance(target, str):
        raise invalid("target_column", "the name of the column to predict", target)
    found = table.read_table(data, target=target)
    resolved = with_table(  # the path as given, for the messages of a refused split
        recipe,
        data,
        target=target,
        feature_names=found.feature_names,
        classes=found.target_names,
        positive_class=positive_class,
    )
    split_for(resolved)  # the splits are possible: refused now, before any file is written
    return dataclasses.replace(resolved, data=str(Path(data).resolve()))


def with_table(
    recipe: Recipe,
    data: str | Path,
    *,
    target: str,
    feature_names: Sequence[str],
    classes: Sequence[str],
    positive_class: str | None = None,
) -> Recipe:
    """`recipe` on a table already read, from its names: what `on_table` returns, reading nothing.

    A grid's record keeps its table's names (`study.grid`), so that its
    recipes can be made again without the file.

    Args:
        recipe: a `Recipe`.
        data: the table's path, kept as given.
        target: the column to predict.
        feature_names: the table's feature columns, in order.
        classes: the table's classes, `Table.target_names`.
        positive_class: a class to tell from the rest, or `None` to let the
            classes decide the target. Defaults to `None`.

    Returns:
        The `Recipe`: a binary target for two label names, else one-hot.

    Example:
    >>> from iris_keras.recipes import get_recipe
    >>> recipe = with_table(
    ...     get_recipe("article"), "plants.csv", target="kind",
    ...     feature_names=("height", "width"), classes=("short", "tall"),
    ... )
    >>> recipe.target, recipe.positive_class, recipe.class_names
    ('binary', 'tall', ('short', 'tall'))
    """
    names = table.label_names(classes, positive_class)
    return dataclasses.replace(
        recipe,
        data=str(data),
        target_column=target,
        feature_names=tuple(feature_names),
        table_classes=tuple(classes),
        target="binary" if len(names) == 2 else "onehot",
        positive_class=names[1] if len(names) == 2 else None,
    )


def table_record(recipe: Recipe, *, sha256: str) -> dict[str, Any]:
    """What a run or a grid records of its table: enough to find it, and to notice a change.

    Args:
        recipe: a `Recipe` on a table.
        sha256: the SHA-256 of the file's bytes.

    Returns:
        A JSON-able dict: `path`, `sha256`, `target` (the column), and
        `feature_names` and `classes` as the file had them.
    """
    return {
        "path": recipe.data,
        "sha256": sha256,
        "target": recipe.target_column,
        "feature_names": list(recipe.feature_names),
        "classes": list(recipe.table_classes),
    }


def from_record(recipe: Recipe, record: dict[str, Any]) -> Recipe:
    """`recipe` on the table a `table_record` names, telling `positive_class` from the rest.

    The inverse of `table_record` (with the record's `positive_class`, if
    any): the file is not read.
    """
    return with_table(
        recipe,
        record["path"],
        target=record["target"],
        feature_names=record["feature_names"],
        classes=record["classes"],
        positive_class=record.get("positive_class"),
    )


def check_table_fields(recipe: Recipe) -> None:
    """Refuses a `Recipe` whose table fields disagree with each other or with its target."""
    if recipe.data is None:
        for field in TABLE_FIELDS[1:]:
            if getattr(recipe, field):
                raise invalid(
                    field, "nothing without `data`, the table it names", getattr(recipe, field)
                )
        return
    if not recipe.feature_names or len(recipe.table_classes) < 2:
        raise invalid("data", "a table with features and two classes or more", recipe.data)
    if recipe.target == "binary":
        check_choice("positive_class", recipe.positive_class, recipe.table_classes)
    elif recipe.positive_class is not None or len(recipe.table_classes) < 3:
        raise invalid(
            "target",
            "'binary' for two classes or a positive class, 'onehot' for three or more",
            recipe.target,
        )
