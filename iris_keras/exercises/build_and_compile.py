"""Exercises of §4.2–4.3: build the three-species network by hand, and compile it.

Notebook `4.2-4.3-build-and-compile`. The checks read the learner's model
as Keras describes it (`input_shape`, `layers`, `get_compile_config()`)
and compare it with what `build_model` and `compile_model` make, naming
the article's own errors where the learner repeats them: `input_dim=5`,
one sigmoid unit for three species, raw centimetres, `binary_crossentropy`.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from iris_keras.compile import LOSSES
from iris_keras.datasets.iris import SPECIES
from iris_keras.exercises.exercise import Exercise
from iris_keras.exercises.marking import Wrong
from iris_keras.model import HIDDEN_UNITS, NUM_FEATURES

NOTEBOOK = "4.2-4.3-build-and-compile"
LEARNING_RATE, MOMENTUM = 0.01, 0.9


def keras_model(name: str, value: Any) -> Any:
    """`value` if it is a built Keras model, else `Wrong`; shared with §4.4's exercises."""
    import keras

    if not isinstance(value, keras.Model):
        raise Wrong(f"`{name}` is a {type(value).__name__}, not a Keras model")
    try:
        width = value.input_shape[-1]
    except (AttributeError, ValueError):
        raise Wrong(f"`{name}` has no input shape: start it with keras.Input(shape=(4,))") from None
    if width == NUM_FEATURES + 1:
        raise Wrong(f"`{name}` takes 5 inputs, the article's input_dim=5 (erratum 2): iris has 4")
    if width != NUM_FEATURES:
        raise Wrong(f"`{name}` takes {width} inputs: iris has 4 measurements")
    return value


def check_head(name: str, model: Any) -> None:
    """Raises `Wrong` unless `model` ends in the three-species head, `Dense(3, softmax)`."""
    import keras

    head = model.layers[-1]
    units = getattr(head, "units", None)
    if units == 1:
        raise Wrong(
            f"`{name}` ends in one unit, the article's binary head: one sigmoid unit cannot tell "
            "3 species apart (erratum 3); end in Dense(3, activation='softmax')"
        )
    if not isinstance(head, keras.layers.Dense) or units != len(SPECIES):
        raise Wrong(f"`{name}` should end in a Dense layer of 3 units, one per species")
    if head.activation is not keras.activations.softmax:
        raise Wrong(
            f"`{name}` ends in {head.activation.__name__}: softmax makes the 3 probabilities "
            "sum to 1"
        )


def check_standardization(name: str, model: Any, x_train: Any, *, data: str = "x_train") -> None:
    """Raises `Wrong` unless `model` starts by standardizing with the statistics of `x_train`.

    Args:
        name: the learner's variable.
        model: the learner's model.
        x_train: the features its `Normalization` layer must have seen.
        data: their name in the notebook. Defaults to `"x_train"`.
    """
    import keras

    first = model.layers[0]
    if not isinstance(first, keras.layers.Normalization):
        raise Wrong(
            f"`{name}` feeds raw centimetres to its first Dense layer (erratum 7): put a "
            f"keras.layers.Normalization first, adapted to {data}"
        )
    mean = keras.ops.convert_to_numpy(first.mean).reshape(-1)
    if not np.allclose(mean, np.asarray(x_train).mean(axis=0), rtol=1e-4):
        raise Wrong(f"`{name}`'s Normalization has not seen {data}: adapt it to {data}")


def mark_three_species_model(my_model: Any, x_train: Any) -> None:
    """4.2-a: the article's network on 4 inputs, standardized, with a three-species head."""
    import keras

    model = keras_model("my_model", my_model)
    check_head("my_model", model)
    check_standardization("my_model", model, x_train)
    hidden = [layer for layer in model.layers[:-1] if isinstance(layer, keras.layers.Dense)]
    units = tuple(layer.units for layer in hidden)
    if units != HIDDEN_UNITS:
        raise Wrong(f"`my_model` has hidden layers of {units} units: the article's are 4 and 3")
    other = [
        layer.activation.__name__
        for layer in hidden
        if layer.activation is not keras.activations.relu
    ]
    if other:
        raise Wrong(f"`my_model`'s hidden layers use {other[0]}: the article's use relu")


def _loss_name(loss: Any) -> str:
    """The snake_case name of a compiled loss: a string, or a `keras.losses` class's config."""
    if isinstance(loss, dict):
        return str(loss.get("config", {}).get("name", loss.get("class_name")))
    return str(loss)


def mark_compiled(my_compiled: Any) -> None:
    """4.3-a: the three-species network compiled with SGD(0.01, 0.9), a cross-entropy, accuracy."""
    model = keras_model("my_compiled", my_compiled)
    check_head("my_compiled", model)
    config = model.get_compile_config()
    if not config:
        raise Wrong(
            "`my_compiled` is not compiled: call its compile(optimizer=..., loss=..., metrics=...)"
        )
    loss = _loss_name(config["loss"])
    if loss == LOSSES["binary"]:
        raise Wrong(
            "`my_compiled` uses binary_crossentropy, the article's loss for one sigmoid unit: "
            "3 softmax units with one-hot labels need categorical_crossentropy"
        )
    if loss == LOSSES["sparse"]:
        raise Wrong(
            "`my_compiled`'s sparse_categorical_crossentropy expects species indices 0, 1, 2: "
            "load_data(target='onehot') gives one-hot rows, for categorical_crossentropy"
        )
    if loss != LOSSES["onehot"]:
        raise Wrong(f"`my_compiled` uses the loss {loss}: use categorical_crossentropy")
    optimizer = config["optimizer"]
    settings = optimizer.get("config", {}) if isinstance(optimizer, dict) else {}
    if not isinstance(optimizer, dict) or optimizer.get("class_name") != "SGD":
        raise Wrong("`my_compiled` should train with keras.optimizers.SGD, the article's optimizer")
    if not np.isclose(settings["learning_rate"], LEARNING_RATE) or not np.isclose(
        settings["momentum"], MOMENTUM
    ):
        raise Wrong(
            f"`my_compiled`'s SGD has learning rate {settings['learning_rate']:.3g} and momentum "
            f"{settings['momentum']:g}: the article's are 0.01 and 0.9"
        )
    if "accuracy" not in (config["metrics"] or ()):
        raise Wrong("`my_compiled` reports no accuracy: pass metrics=['accuracy']")


EXERCISES = (
    Exercise(
        id="4.2-a",
        notebook=NOTEBOOK,
        answers=("my_model",),
        inputs=("x_train",),
        mark=mark_three_species_model,
        solution="""
standardize = keras.layers.Normalization()
standardize.adapt(x_train)
my_model = keras.Sequential(
    [
        keras.Input(shape=(4,)),
        standardize,
        keras.layers.Dense(4, activation="relu"),
        keras.layers.Dense(3, activation="relu"),
        keras.layers.Dense(3, activation="softmax"),
    ]
)
""",
        right="right: 4 standardized inputs, ReLU layers of 4 and 3, one softmax unit per species",
    ),
    Exercise(
        id="4.3-a",
        notebook=NOTEBOOK,
        answers=("my_compiled",),
        inputs=(),
        mark=mark_compiled,
        solution="""
my_compiled = build_model(x_train, target="onehot")
my_compiled.compile(
    optimizer=keras.optimizers.SGD(learning_rate=0.01, momentum=0.9),
    loss="categorical_crossentropy",
    metrics=["accuracy"],
)
""",
        right="right: categorical cross-entropy for one-hot labels, the article's SGD and metric",
    ),
)
