"""§2.5: loss functions, each beside its gradient, averaged over the batch as Keras does.

Every loss is a mean over the batch (Keras's `"sum_over_batch_size"`), so
every gradient carries the factor `1 / n` for a batch of `n` rows. With `k`
outputs per row:

    mean_squared_error       = mean((y_pred - y_true) ** 2)            # over n * k
    binary_crossentropy      = mean(-(y log p + (1 - y) log(1 - p)))   # over n * k
    categorical_crossentropy = mean(-sum(y log p, axis=-1))            # over n

Keras computes cross-entropy in one of two ways, and so does this module:

- **from probabilities** (`binary_crossentropy`, `categorical_crossentropy`):
  `p` is clipped to `[1e-7, 1 - 1e-7]` (Keras's `epsilon`; the upper bound
  rounded to float32, as Keras computes it), so the loss stays
  finite and its gradient is zero where the clip bites; categorical
  cross-entropy first rescales each row of `p` to sum to 1;
- **from logits** (`*_from_logits`): on TensorFlow only, when the output
  layer's activation is `sigmoid` or `softmax`, Keras caches the
  pre-activation `z` on the output tensor and computes the loss from `z`,
  without clipping; the gradient with respect to `z` is then simply
  `(activation(z) - y_true) / n`. JAX and PyTorch tensors carry no cached
  logits, so there Keras computes every cross-entropy from the clipped
  probabilities. `uses_logits` says which one Keras picks on a backend.

>>> import numpy as np
>>> float(mean_squared_error(np.array([[1.0], [0.0]]), np.array([[0.5], [0.5]])))
0.25
"""

import numpy as np
from numpy.typing import ArrayLike

from iris_keras.backend import caches_logits
from iris_keras.errors import check_choice, invalid
from iris_keras.scratch.activations import sigmoid, softmax

EPSILON = 1e-7  # keras.config.epsilon()
# Keras clips float32 tensors: 1 - 1e-7 rounds to 0.99999988 there, so a probability
# of 1 for a label 0 costs -log(1.19e-7) = 15.94, not -log(1e-7) = 16.12.
ONE_MINUS_EPSILON = float(np.float32(1.0 - EPSILON))


def mean_squared_error(y_true: ArrayLike, y_pred: ArrayLike) -> float:
    """`mean((y_pred - y_true) ** 2)` over every element."""
    y_true, y_pred = check_pair(y_true, y_pred)
    return np.mean((y_pred - y_true) ** 2)


def mean_squared_error_gradient(y_true: ArrayLike, y_pred: ArrayLike) -> np.ndarray:
    """`dL/dy_pred = 2 * (y_pred - y_true) / (n * k)`."""
    y_true, y_pred = check_pair(y_true, y_pred)
    return 2.0 * (y_pred - y_true) / y_pred.size


def binary_crossentropy(y_true: ArrayLike, y_pred: ArrayLike) -> float:
    """`mean(-(y log p + (1 - y) log(1 - p)))` with `p = clip(y_pred, 1e-7, 1 - 1e-7)`."""
    y_true, y_pred = check_pair(y_true, y_pred)
    p = np.clip(y_pred, EPSILON, ONE_MINUS_EPSILON)
    return np.mean(-(y_true * np.log(p) + (1.0 - y_true) * np.log(1.0 - p)))


def binary_crossentropy_gradient(y_true: ArrayLike, y_pred: ArrayLike) -> np.ndarray:
    """`dL/dy_pred = (-y / p + (1 - y) / (1 - p)) / (n * k)` where unclipped, else 0."""
    y_true, y_pred = check_pair(y_true, y_pred)
    p = np.clip(y_pred, EPSILON, ONE_MINUS_EPSILON)
    inside = (y_pred >= EPSILON) & (y_pred <= ONE_MINUS_EPSILON)
    return inside * (-y_true / p + (1.0 - y_true) / (1.0 - p)) / y_pred.size


def categorical_crossentropy(y_true: ArrayLike, y_pred: ArrayLike) -> float:
    """`mean(-sum(y log p, axis=-1))` with `p = clip(y_pred / sum(y_pred), 1e-7, 1 - 1e-7)`."""
    y_true, y_pred = check_pair(y_true, y_pred)
    p = np.clip(y_pred / y_pred.sum(axis=-1, keepdims=True), EPSILON, ONE_MINUS_EPSILON)
    return np.mean(-(y_true * np.log(p)).sum(axis=-1))


def categorical_crossentropy_gradient(y_true: ArrayLike, y_pred: ArrayLike) -> np.ndarray:
    """The gradient through the rescaling `q = y_pred / s`, `s = sum(y_pred)`, and the clip.

    The chain rule through `log(clip(q))`, then through the rescaling:

        g = -y / clip(q) / n  where unclipped, else 0      # dL/dq
        dL/dy_pred = (g - sum(g * q, axis=-1)) / s
    """
    y_true, y_pred = check_pair(y_true, y_pred)
    s = y_pred.sum(axis=-1, keepdims=True)
    q = y_pred / s
    inside = (q >= EPSILON) & (q <= ONE_MINUS_EPSILON)
    g = inside * -y_true / np.clip(q, EPSILON, ONE_MINUS_EPSILON) / len(y_pred)
    return (g - (g * q).sum(axis=-1, keepdims=True)) / s


def binary_crossentropy_from_logits(y_true: ArrayLike, z: ArrayLike) -> float:
    """`mean(max(z, 0) - z * y + log(1 + exp(-|z|)))`: sigmoid cross-entropy, stable for any `z`."""
    y_true, z = check_pair(y_true, z)
    return np.mean(np.maximum(z, 0.0) - z * y_true + np.log1p(np.exp(-np.abs(z))))


def binary_crossentropy_from_logits_gradient(y_true: ArrayLike, z: ArrayLike) -> np.ndarray:
    """`dL/dz = (sigmoid(z) - y) / (n * k)`."""
    y_true, z = check_pair(y_true, z)
    return (sigmoid(z) - y_true) / z.size


def categorical_crossentropy_from_logits(y_true: ArrayLike, z: ArrayLike) -> float:
    """`mean(logsumexp(z) * sum(y) - sum(y * z))`: softmax cross-entropy, stable for any `z`."""
    y_true, z = check_pair(y_true, z)
    top = z.max(axis=-1, keepdims=True)
    logsumexp = top + np.log(np.exp(z - top).sum(axis=-1, keepdims=True))
    return np.mean((y_true * (logsumexp - z)).sum(axis=-1))


def categorical_crossentropy_from_logits_gradient(y_true: ArrayLike, z: ArrayLike) -> np.ndarray:
    """`dL/dz = (softmax(z) - y) / n`, for rows of `y` that sum to 1 (as TensorFlow assumes)."""
    y_true, z = check_pair(y_true, z)
    return (softmax(z) - y_true) / len(z)


LOSSES = {
    "mean_squared_error": (mean_squared_error, mean_squared_error_gradient),
    "binary_crossentropy": (binary_crossentropy, binary_crossentropy_gradient),
    "categorical_crossentropy": (categorical_crossentropy, categorical_crossentropy_gradient),
}
FROM_LOGITS = {
    "binary_crossentropy": (
        binary_crossentropy_from_logits,
        binary_crossentropy_from_logits_gradient,
    ),
    "categorical_crossentropy": (
        categorical_crossentropy_from_logits,
        categorical_crossentropy_from_logits_gradient,
    ),
}


def check_loss(name: str) -> str:
    """Returns `name` if it is a supported loss, else raises a one-line `UsageError`."""
    return check_choice("loss", name, tuple(LOSSES))


def uses_logits(loss: str, activation: str, *, backend: str | None = None) -> bool:
    """Whether Keras computes `loss` from the logits of an output layer with `activation`.

    On TensorFlow, Keras's `sigmoid` and `softmax` cache their input `z` on
    their output, and both cross-entropies then use it, whichever of the two
    activations it was: binary cross-entropy on a softmax output is a sigmoid
    cross-entropy of its logits. JAX and PyTorch never do.

    Args:
        loss: a loss name of `LOSSES`.
        activation: the output layer's activation name.
        backend: `"tensorflow"`, `"jax"` or `"torch"`; `None` for the one
            Keras runs on (`iris_keras.backend.configured()`). Defaults to `None`.

    >>> uses_logits("binary_crossentropy", "sigmoid", backend="tensorflow")
    True
    >>> uses_logits("binary_crossentropy", "sigmoid", backend="jax")
    False
    >>> uses_logits("mean_squared_error", "sigmoid", backend="tensorflow")
    False
    """
    return (
        caches_logits(backend)
        and check_loss(loss) in FROM_LOGITS
        and activation in ("sigmoid", "softmax")
    )


def check_pair(y_true: ArrayLike, y_pred: ArrayLike) -> tuple[np.ndarray, np.ndarray]:
    """Both as float64 arrays of one shape `(n, k)`, else a one-line `UsageError`."""
    y_true = np.asarray(y_true, dtype=np.float64)
    y_pred = np.asarray(y_pred, dtype=np.float64)
    if y_pred.ndim != 2 or y_true.shape != y_pred.shape or len(y_pred) == 0:
        raise invalid(
            "y_true",
            "an array of the shape of y_pred, (n, k) with n > 0",
            f"shape {y_true.shape} against y_pred of shape {y_pred.shape}",
        )
    return y_true, y_pred
