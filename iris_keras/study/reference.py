"""Is my result normal? A run's test accuracy among the seed study's recorded seeds.

The seed study (docs/study.md) trains each shipped recipe on 20 seeds per
backend. The package ships the test accuracy of each of those runs, with the
settings they were trained with, in `reference.json` beside this module
(package data: the package never reads docs/). `standing` places a run among
them:

    15 of 20 recorded seeds on tensorflow score 0.9667 or better

A run of other settings (epochs, learning rate, widths...) has no reference;
its standing says which settings differ. Another seed is the same recipe:
the recorded seeds are its peers.

The maintainer's `make study` writes the file from the study's rows
(`iris-keras study --reference PATH`, `write_reference`), each backend its
own entry: `reference.json` always says what docs/study*/study.csv say.
"""

import dataclasses
import importlib.resources
import json
from pathlib import Path

from iris_keras.common import artifacts

REFERENCE_NAME = "reference.json"
ABOUT = (
    "The test accuracy of each recorded seed of the shipped recipes, per backend, from the "
    "seed study's rows (source); written by make study (iris-keras study --reference), read "
    "by iris_keras.study.reference.standing."
)
# Keras computes accuracies in float32: a recorded 29/30 and a run's may differ in the last bit.
TOLERANCE = 1e-6
# The settings that a run may change and still be compared: the seed, and where it ran.
FREE = ("seed", "backend")


@dataclasses.dataclass(frozen=True)
class Standing:
    """Where a run's test accuracy falls among the recorded seeds of its recipe and backend.

    Attributes:
        test_accuracy: the run's test accuracy.
        backend: the backend the run trained on.
        accuracies: the recorded seeds' test accuracies; `()` when none
            are recorded for the run's settings.
        missing: why there is no reference (`""` when there is one).
    """

    test_accuracy: float
    backend: str
    accuracies: tuple[float, ...] = ()
    missing: str = ""

    @property
    def at_least(self):
        """How many recorded seeds score this run's test accuracy or better."""
        return sum(recorded >= self.test_accuracy - TOLERANCE for recorded in self.accuracies)

    def __str__(self):
        if self.missing:
            return self.missing
        return (
            f"{self.at_least} of {len(self.accuracies)} recorded seeds on {self.backend} "
            f"score {self.test_accuracy:.4f} or better"
        )


def standing(settings, test_accuracy, *, reference=None):
    """Places a run's test accuracy among the recorded seeds of the same settings.

    Args:
        settings: the run's recipe as `Recipe.as_dict()` gives it, with its
            `"backend"`.
        test_accuracy: the run's test accuracy.
        reference: the reference table. Defaults to the shipped one
            (`load_reference()`).

    Returns:
        A `Standing`; `str(standing)` is the line the CLI prints.

    Example:
    >>> from iris_keras.recipes import get_recipe
    >>> settings = {**get_recipe("article", seed=7).as_dict(), "backend": "tensorflow"}
    >>> line = str(standing(settings, 0.9))
    >>> line.startswith("20 of 20 recorded seeds on tensorflow score 0.9000 or better")
    True
    >>> print(standing({**settings, "epochs": 20}, 0.9))
    no reference for epochs 20: the seed study ran epochs 100
    """
    reference = load_reference() if reference is None else reference
    backend_name = settings["backend"]
    entries = reference["backends"].get(backend_name)
    if not entries:
        return Standing(test_accuracy, backend_name, missing=f"no recorded seeds on {backend_name}")
    entry = entries.get(settings["name"])
    if entry is None:
        return Standing(
            test_accuracy,
            backend_name,
            missing=f"no recorded seeds of the {settings['name']} recipe on {backend_name}",
        )
    changed = _changed(entry["settings"], settings)
    if changed:
        ran = ", ".join(f"{field} {_shown(entry['settings'].get(field))}" for field in changed)
        this = ", ".join(f"{field} {_shown(settings.get(field))}" for field in changed)
        missing = f"no reference for {this}: the seed study ran {ran}"
        return Standing(test_accuracy, backend_name, missing=missing)
    return Standing(test_accuracy, backend_name, tuple(entry["test_accuracy"]))


def load_reference(path=None):
    """The reference table: the shipped `reference.json`, or the one at `path`."""
    if path is None:
        text = importlib.resources.files(__package__).joinpath(REFERENCE_NAME).read_text("utf-8")
    else:
        text = Path(path).read_text(encoding="utf-8")
    return json.loads(text)


def reference_entries(rows, variants, *, source):
    """The reference of each shipped recipe among `variants`, from the study's rows.

    Args:
        rows: the study's rows (`variant`, `seed`, `epochs`, `test_accuracy`,
            `error`); failed runs are left out.
        variants: the study's `Variant`s; only the shipped ones count.
        source: where the rows are recorded, e.g. `"docs/study/study.csv"`.

    Returns:
        `{recipe name: {"variant", "source", "settings", "seeds",
        "test_accuracy"}}`, seeds in increasing order.
    """
    entries = {}
    for variant in variants:
        runs = sorted(
            (row for row in rows if row["variant"] == variant.name and not row.get("error")),
            key=lambda row: row["seed"],
        )
        if not variant.is_shipped or not runs:
            continue
        settings = variant.to_recipe(seed=runs[0]["seed"], epochs=runs[0]["epochs"]).as_dict()
        entries[variant.recipe] = {
            "variant": variant.name,
            "source": source,
            "settings": {field: value for field, value in settings.items() if field not in FREE},
            "seeds": [row["seed"] for row in runs],
            "test_accuracy": [row["test_accuracy"] for row in runs],
        }
    return entries


def write_reference(path, backend_name, entries):
    """Writes `entries` as `backend_name`'s reference into the table at `path`.

    The other backends' entries, and this backend's other recipes, stay as
    they were; the file is created if missing.
    """
    path = Path(path)
    backends = load_reference(path)["backends"] if path.is_file() else {}
    backends.setdefault(backend_name, {}).update(entries)
    artifacts.write_json(path, {"about": ABOUT, "backends": dict(sorted(backends.items()))})


def _changed(recorded, settings):
    """The fields, in the run's order, whose values differ from the recorded settings."""
    fields = [*settings, *(field for field in recorded if field not in settings)]
    return [
        field
        for field in fields
        if field not in FREE and recorded.get(field) != settings.get(field)
    ]


def _shown(value):
    if isinstance(value, list):
        return "x".join(map(str, value))
    return str(value)
