"""What a saved model's inputs and outputs are called, carried in the model's own name.

A `model.keras` must load in plain Keras, without this package: no custom
layer may hold the names. So the model's name holds them, as
`build_model` has always named an iris model (`iris_binary_virginica`,
`iris_multiclass`). A model of a learner's table is named

    table-<number of labels>-<target column>-<label names...>-<feature names...>

each part with `_` written `__` and every character but ASCII letters and
digits written `_<hex code point>_`. The name becomes part of the names of
TensorFlow's graph nodes, which take letters, digits and `_.-/` only; Keras
forbids `/` and PyTorch `.` in the names of parameters, which hold it too.

>>> names = ModelNames("品种", ("petal length", "width_cm"), ("setosa", "virginica"))
>>> model_name(names)
'table-2-_54c1__79cd_-setosa-virginica-petal_20_length-width__cm'
>>> names_from_name(model_name(names)) == names
True
"""

from __future__ import annotations

import dataclasses
import json
import re
import zipfile
from pathlib import Path

from iris_keras.datasets.iris import FEATURE_NAMES, SPECIES, class_names

TABLE_PREFIX = "table"
IRIS_BINARY_PREFIX = "iris_binary_"
IRIS_MULTICLASS = "iris_multiclass"
_SEPARATOR = "-"
_PLAIN = re.compile(r"[A-Za-z0-9]")
_ESCAPED = re.compile(r"__|_([0-9a-f]+)_")


@dataclasses.dataclass(frozen=True)
class ModelNames:
    """The names of a model's target, inputs and labels.

    Attributes:
        target: the column the model predicts (`"species"` for iris).
        feature_names: the name of each input, in input order.
        class_names: the name of each label, in label order: for one sigmoid
            unit `(negative, positive)`.
        iris: whether the model is one of iris's, which takes centimetres.
    """

    target: str
    feature_names: tuple[str, ...]
    class_names: tuple[str, ...]
    iris: bool = False


def model_name(names: ModelNames) -> str:
    """The name `build_model` gives a model of a table with these names."""
    parts = [str(len(names.class_names)), names.target, *names.class_names, *names.feature_names]
    return _SEPARATOR.join([TABLE_PREFIX, *(_escape(part) for part in parts)])


def iris_names(positive_class: str | None) -> ModelNames:
    """The names of an iris model: binary on `positive_class`, or the three species for `None`."""
    if positive_class is None:
        return ModelNames("species", FEATURE_NAMES, SPECIES, iris=True)
    names = class_names(target="binary", positive_class=positive_class)
    return ModelNames("species", FEATURE_NAMES, names, iris=True)


def names_from_name(name: str) -> ModelNames | None:
    """The names a model's name carries, or `None` for a name `build_model` never gives."""
    parts = name.split(_SEPARATOR)
    if parts[0] == TABLE_PREFIX and len(parts) > 3 and parts[1].isdigit():
        count = int(parts[1])
        try:
            fields = [_unescape(part) for part in parts[2:]]
        except (ValueError, OverflowError):  # an escape that is no code point
            return None
        if len(fields) > count + 1:
            return ModelNames(fields[0], tuple(fields[count + 1 :]), tuple(fields[1 : count + 1]))
    if name == IRIS_MULTICLASS:
        return iris_names(None)
    positive = name.removeprefix(IRIS_BINARY_PREFIX)
    if name.startswith(IRIS_BINARY_PREFIX) and positive in SPECIES:
        return iris_names(positive)
    return None


def names_of(name: str, units: int) -> ModelNames:
    """The names of a model, from its name and output width; iris's when the name says none.

    A model not built by `build_model` is taken for an iris model: one
    sigmoid unit answers "positive class", a softmax names the species.
    """
    found = names_from_name(name)
    if found is not None:
        return found
    if units == 1:
        return ModelNames("species", FEATURE_NAMES, ("not positive class", "positive class"), True)
    return ModelNames("species", FEATURE_NAMES, SPECIES[:units], iris=True)


def read_names(path: str | Path) -> ModelNames | None:
    """The names a `.keras` file's model carries, read without Keras; `None` if it has none.

    Reads the archive's `config.json` only, so the command line can check
    what a user typed before it loads Keras.
    """
    try:
        with zipfile.ZipFile(path) as archive:
            config = json.loads(archive.read("config.json"))
        return names_from_name(config["config"]["name"])
    except (OSError, KeyError, TypeError, ValueError, zipfile.BadZipFile):
        return None


def _escape(part: str) -> str:
    return "".join(
        char if _PLAIN.match(char) else "__" if char == "_" else f"_{ord(char):x}_" for char in part
    )


def _unescape(part: str) -> str:
    return _ESCAPED.sub(lambda match: chr(int(match.group(1), 16)) if match[1] else "_", part)
