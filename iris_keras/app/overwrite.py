"""One experiment per folder: a run never silently replaces a run of other settings.

A run's folder is named after its settings (`outputs.default_output_dir`),
so the same command always finds its own run there and replaces it, as a
rerun should. An `--output` chosen by hand may hold another experiment:
`check_replaceable` reads the `metrics.json` there, before Keras is
imported, and refuses a finished run of other settings (the recipe, its
seed and hyperparameters, the data, the backend) unless `overwrite` is
given. The refusal names each setting that differs.

An interrupted run's backup follows the same rule (`app.backup.resume`):
a backup of the same settings is resumed, `--overwrite` or not; a backup of
other settings is refused, or discarded with `--overwrite` (or `--fresh`,
which discards any backup and starts the run over).
"""

import json
from pathlib import Path

from iris_keras.app.outputs import METRICS
from iris_keras.errors import UsageError


def run_settings(recipe, backend_name):
    """What makes a run the experiment it is: every field of its recipe, and the backend.

    Example:
    >>> from iris_keras.recipes import get_recipe
    >>> settings = run_settings(get_recipe("article", epochs=5), "jax")
    >>> settings["name"], settings["epochs"], settings["backend"]
    ('article', 5, 'jax')
    """
    return {**recipe.as_dict(), "backend": backend_name}


def recorded_settings(metrics):
    """The settings a finished run recorded in its `metrics.json` (as `run_settings`).

    Raises:
        KeyError, TypeError: `metrics` is not an iris-keras run's.
    """
    return {
        "name": metrics["recipe"],
        **metrics["hyperparameters"],
        "seed": metrics["seed"],
        "backend": metrics["backend"],
    }


def differences(recorded, wanted):
    """Each setting that differs, as `"field X there, Y here"`, in `wanted`'s order.

    Example:
    >>> differences({"epochs": 100, "seed": 42}, {"epochs": 20, "seed": 42})
    ['epochs 100 there, 20 here']
    """
    fields = [*wanted, *(field for field in recorded if field not in wanted)]
    return [
        f"{field} {_shown(recorded.get(field))} there, {_shown(wanted.get(field))} here"
        for field in fields
        if recorded.get(field) != wanted.get(field)
    ]


def check_replaceable(folder, settings, *, overwrite=False):
    """Refuses to replace a finished run of other settings in `folder`, unless `overwrite`.

    Args:
        folder: the run's output folder.
        settings: the new run's settings, `run_settings(recipe, backend_name)`.
        overwrite: replace whatever run the folder holds. Defaults to `False`.

    Raises:
        UsageError: `folder` holds a `metrics.json` of other settings, or one
            that is not an iris-keras run's, and `overwrite` is `False`.
    """
    path = Path(folder) / METRICS
    if overwrite or not path.is_file():
        return
    try:
        recorded = recorded_settings(json.loads(path.read_text(encoding="utf-8")))
    except (OSError, ValueError, KeyError, TypeError):
        held = f"a {METRICS} that is not an iris-keras run's"
    else:
        changed = differences(recorded, settings)
        if not changed:
            return
        held = f"a run of other settings ({'; '.join(changed)})"
    raise UsageError(
        f"Received output='{folder}', which holds {held}. Choose another --output, or pass "
        "--overwrite to replace that run."
    )


def _shown(value):
    """A setting as the refusal shows it: `none` when a run did not record it."""
    if value is None:
        return "none"
    if isinstance(value, list):
        return "x".join(map(str, value))
    return str(value)
