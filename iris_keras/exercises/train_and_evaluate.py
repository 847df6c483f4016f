"""Exercises of §4.4–4.5: train a changed network, and read its confusion matrix.

Notebook `4.4-4.5-train-and-evaluate`. 4.4-a trains the corrected recipe's
network with hidden layers of 8 and 8 units for 20 epochs; the check reads
the model and its history, and asks that it learned (at least 0.9 accuracy
on its own training flowers). 4.5-a counts the test flowers by true and
predicted species:

    confusion[true, predicted] += 1        # for each test flower
"""

from __future__ import annotations

from typing import Any

import numpy as np

from iris_keras.evaluate import label_indices, predict_classes
from iris_keras.exercises.build_and_compile import check_head, check_standardization, keras_model
from iris_keras.exercises.exercise import Exercise
from iris_keras.exercises.marking import Wrong, mark_array

NOTEBOOK = "4.4-4.5-train-and-evaluate"
UNITS, EPOCHS, LEARNING_RATE = (8, 8), 20, 0.1
LEARNED = 0.9  # the training accuracy a model that learned reaches


def _history(my_history: Any) -> dict[str, list[float]]:
    history = getattr(my_history, "history", my_history)
    if not isinstance(history, dict) or "loss" not in history:
        raise Wrong("`my_history` should be what fit_model returns, a History of the run")
    return history


def mark_trained(my_model: Any, my_history: Any, x_fit: Any, y_fit: Any) -> None:
    """4.4-a: the 8-8 three-species network, trained 20 epochs at learning rate 0.1."""
    import keras

    model = keras_model("my_model", my_model)
    check_head("my_model", model)
    check_standardization("my_model", model, x_fit, data="x_fit")
    hidden = [layer for layer in model.layers[:-1] if isinstance(layer, keras.layers.Dense)]
    units = tuple(layer.units for layer in hidden)
    if units != UNITS:
        raise Wrong(
            f"`my_model` has hidden layers of {units} units: this exercise asks for 8 and 8"
        )
    losses = _history(my_history)["loss"]
    if len(losses) != EPOCHS:
        raise Wrong(f"`my_history` has {len(losses)} epochs: train {EPOCHS}, epochs=20")
    accuracy = float(np.mean(predict_classes(model, x_fit) == label_indices(y_fit)))
    if accuracy < LEARNED:
        optimizer = model.get_compile_config()["optimizer"]["config"]
        rate = optimizer["learning_rate"]
        raise Wrong(
            f"`my_model` did not learn: {accuracy:.2f} accuracy on x_fit, its training loss "
            f"went from {losses[0]:.2f} to {losses[-1]:.2f}"
            + ("" if np.isclose(rate, LEARNING_RATE) else f" at learning rate {rate:.2g}; use 0.1")
        )


def mark_confusion(
    my_confusion: Any, my_model: Any, multiclass: Any, x_test: Any, y_test: Any
) -> None:
    """4.5-a: the confusion matrix of `my_model` on the test flowers."""
    from sklearn.metrics import confusion_matrix

    def counts(model: Any, x: Any, y: Any) -> np.ndarray:
        return confusion_matrix(label_indices(y), predict_classes(model, x), labels=[0, 1, 2])

    right = counts(my_model, x_test, y_test)
    mark_array(
        "my_confusion",
        my_confusion,
        right,
        mistakes=[
            ("is transposed: rows are the true species, columns the predicted ones", right.T),
            ("holds fractions: count the flowers", right / right.sum()),
            (
                "is the matrix of the notebook's `multiclass`: use `my_model`",
                counts(multiclass, x_test, y_test),
            ),
            (
                "counts each row's fractions: count the flowers",
                right / right.sum(axis=1, keepdims=True),
            ),
        ],
    )


EXERCISES = (
    Exercise(
        id="4.4-a",
        notebook=NOTEBOOK,
        answers=("my_model", "my_history"),
        inputs=("x_fit", "y_fit"),
        mark=mark_trained,
        solution="""
my_model = build_model(x_fit, target="onehot", units=(8, 8))
compile_model(my_model, target="onehot", learning_rate=0.1)
my_history = fit_model(
    my_model, x_fit, y_fit, validation_data=validation_data,
    epochs=20, seed=recipe.seed, verbose=0,
)
""",
        right="right: 8 and 8 hidden units, trained 20 epochs, and it learned",
    ),
    Exercise(
        id="4.5-a",
        notebook=NOTEBOOK,
        answers=("my_confusion",),
        inputs=("my_model", "multiclass", "x_test", "y_test"),
        mark=mark_confusion,
        solution="""
predicted = predict_classes(my_model, x_test)
my_confusion = np.zeros((3, 3), dtype=int)
for true, guess in zip(y_test.argmax(axis=1), predicted):
    my_confusion[true, guess] += 1
""",
        right="right: the diagonal counts the test flowers predicted right",
        after=("4.4-a",),
    ),
)
