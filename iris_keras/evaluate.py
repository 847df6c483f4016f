"""§4.5: evaluate on the test set, and the metrics a reader wants beside accuracy.

The article ends with `model.evaluate(x_test, y_test)` after importing
`load_model` and never using it. `evaluate_model` gives the loss and
accuracy, the per-class precision and recall and the confusion matrix;
`iris-keras train` (`iris_keras.app.run`) also loads the saved model back and checks that it
scores exactly the same.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

import numpy as np
from numpy.typing import ArrayLike

if TYPE_CHECKING:
    import keras


def predict_classes(model: keras.Model, x: ArrayLike) -> np.ndarray:
    """The predicted label index of each row of `x`.

    A one-unit sigmoid head predicts 1 where its probability is >= 0.5 (as
    Keras's binary accuracy does); a softmax head predicts its arg-max. The
    model runs eagerly on the whole array: no `predict` loop to trace for
    a few dozen flowers.

    Returns:
        int64 array of shape `(n,)`.
    """
    import keras

    outputs = model(np.asarray(x, dtype=np.float32), training=False)
    probabilities = keras.ops.convert_to_numpy(outputs)
    return classes_from_probabilities(probabilities)


def classes_from_probabilities(probabilities: ArrayLike) -> np.ndarray:
    """The label index of each row of a model's output, as `predict_classes` decides it.

    Args:
        probabilities: the output of a sigmoid head, shape `(n, 1)`, or of
            a softmax head, shape `(n, classes)`.

    Returns:
        int64 array of shape `(n,)`.
    """
    probabilities = np.asarray(probabilities)
    if probabilities.shape[-1] == 1:
        return (probabilities[:, 0] >= 0.5).astype(np.int64)
    return probabilities.argmax(axis=-1).astype(np.int64)


def label_indices(y: ArrayLike) -> np.ndarray:
    """Label indices from binary, one-hot or sparse labels, shape `(n,)` int64."""
    y = np.asarray(y)
    if y.ndim == 2:
        return y.argmax(axis=1).astype(np.int64)
    return y.astype(np.int64)


def evaluate_model(
    model: keras.Model, x: ArrayLike, y: ArrayLike, *, class_names: Sequence[str]
) -> dict[str, Any]:
    """Scores a compiled model on `(x, y)`.

    Args:
        model: a compiled `keras.Model`.
        x: features, shape `(n, 4)`.
        y: labels in the encoding the model was compiled for.
        class_names: the name of each label index, e.g.
            `("not virginica", "virginica")`.

    Returns:
        A dict with `test_loss` and `test_accuracy` (floats, as
        `model.evaluate` gives them), `precision` and `recall` (dicts from class name to
        float) and `confusion_matrix` (a list of lists of ints, rows are true
        classes, columns predicted ones).
    """
    from sklearn.metrics import confusion_matrix, precision_score, recall_score

    # One batch through the compiled test function: what `model.evaluate` computes
    # for up to 32 flowers, without building an input pipeline for them.
    scores = model.test_on_batch(np.asarray(x, dtype=np.float32), y, return_dict=True)
    true, predicted = label_indices(y), predict_classes(model, x)
    labels = list(range(len(class_names)))
    options = {"labels": labels, "average": None, "zero_division": 0}
    precision = precision_score(true, predicted, **options)
    recall = recall_score(true, predicted, **options)
    return {
        "test_loss": float(scores["loss"]),
        "test_accuracy": float(scores["accuracy"]),
        "precision": {
            name: float(value) for name, value in zip(class_names, precision, strict=True)
        },
        "recall": {name: float(value) for name, value in zip(class_names, recall, strict=True)},
        "confusion_matrix": confusion_matrix(true, predicted, labels=labels).tolist(),
    }
