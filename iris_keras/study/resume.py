"""What a rerun of the study may resume: rows recorded as today's study would record them.

A study resumes its `study.csv`: it trains only the runs missing from it (or
recorded as failed). Rows recorded with other epochs, other hyperparameters
(a recipe changed since) or other library versions would mix two studies,
so the study refuses them in one line and says what to do. So are the rows
of a grid on a learner's table whose file has changed since (another
SHA-256), or of another table: `check_same_table`.
"""

from pathlib import Path

from iris_keras.errors import IrisKerasError
from iris_keras.study.variants import recipe_config


def check_resumable(csv_path, recorded, metadata, variants, epochs, versions, data=None):
    """Raises unless the recorded rows were made with today's recipes, epochs and versions.

    Args:
        csv_path: the `study.csv` they come from (named in the message).
        recorded: its rows.
        metadata: the contents of `study.json`.
        variants: the `Variant`s of this study.
        epochs: this study's epochs, or `None` for the recipes' own.
        versions: this study's library versions (`machine.library_versions`).
        data: the table this study trains on (`grid.Grid.data`), or `None`
            for iris. Defaults to `None`.

    Raises:
        IrisKerasError: rows recorded with other epochs, hyperparameters,
            library versions or data.
    """
    fix = "Choose another --output, or delete it to start over."
    if recorded or metadata:
        check_same_table(csv_path, metadata.get("data"), data, fix)
    expected = {variant.name: variant.to_recipe(seed=0, epochs=epochs) for variant in variants}
    for row in recorded:
        recipe = expected.get(row["variant"])
        if recipe is None:
            continue
        if row["epochs"] != recipe.epochs:
            raise IrisKerasError(
                f"Received epochs={recipe.epochs}, but {csv_path} was recorded with "
                f"epochs={row['epochs']}. {fix}"
            )
        if row["config"] != recipe_config(recipe):
            raise IrisKerasError(
                f"{csv_path} holds runs of {row['variant']} recorded with other "
                f"hyperparameters than the recipe's today. {fix}"
            )
    sessions = metadata.get("sessions", [])
    if recorded and sessions and sessions[-1]["versions"] != versions:
        raise IrisKerasError(
            f"{csv_path} was recorded with other library versions "
            f"({sessions[-1]['versions']}) than these ({versions}). {fix}"
        )


def check_same_table(csv_path, recorded, data, fix):
    """Raises unless a grid's recorded table (or iris, `None`) is the same file, unchanged.

    Example:
    >>> check_same_table("study.csv", None, {}, "")
    >>> check_same_table("s.csv", {"path": "a.csv", "sha256": "12ab"}, None, "Start over.")
    Traceback (most recent call last):
    iris_keras.errors.IrisKerasError: Received iris, but s.csv was recorded on a.csv (SHA-256 ...
    """

    def said(table):
        return "iris" if not table else f"{table['path']} (SHA-256 {table['sha256']})"

    same = (recorded or {}).get("sha256"), (recorded or {}).get("path")
    if same != ((data or {}).get("sha256"), (data or {}).get("path")):
        raise IrisKerasError(
            f"Received {said(data)}, but {csv_path} was recorded on {said(recorded)}. {fix}"
        )


def read_metadata(path):
    """The contents of `study.json`, or `{}` when there is none yet."""
    import json

    try:
        return json.loads(Path(path).read_text(encoding="utf-8"))
    except FileNotFoundError:
        return {}
    except ValueError:
        raise IrisKerasError(
            f"Received an invalid study file, expected JSON. Received: {path}. "
            "Choose another --output, or delete it to start over."
        ) from None
