"""K copies of the article's network side by side: the layers, the loss and the metric.

The stacked model takes `(batch, K, 4)` and gives `(batch, K, classes)`:
samples first, where Keras expects its batch axis, copies second. Every
weight carries a leading copy axis: a kernel `(K, in, out)`, a bias
`(K, out)`, a mean and a variance `(K, 4)`. Copies first would not do: `fit`
fixes every axis of a generator's batches but the first from its first
batches (TensorFlow would refuse an epoch's last, smaller batch), and weighs
its loss tracker by the first axis.

Copy k computes what its own `build_model` network computes, with Keras's
own formulas: `(x - mean) / maximum(sqrt(variance), epsilon)` as
`Normalization`, `activation(x @ kernel + bias)` as `Dense` (one batched
matrix product for all copies), and its loss is Keras's cross-entropy on its
own columns. The model's loss is the sum of the copies' losses, so the
gradient of copy k's weights is the gradient of copy k's loss alone, and SGD
with momentum, element-wise, updates each copy as its own run would.
"""

import keras
import numpy as np
from keras import ops

from iris_keras import backend


class StackedNormalization(keras.layers.Layer):
    """K `keras.layers.Normalization` layers side by side, each with its own statistics.

    Computes, per copy, the formula of `keras.layers.Normalization(mean=...,
    variance=...)`:

        (x - mean) / maximum(sqrt(variance), epsilon)

    A copy fed raw centimetres has mean 0 and variance 1: the identity,
    exactly, so standardized and raw runs share one model.

    Args:
        mean: the per-copy means, shape `(K, features)`.
        variance: the per-copy variances, shape `(K, features)`.
        **kwargs: `keras.layers.Layer` arguments (`name`).
    """

    # Keras reads a layer's `__init__` signature; mutmut's wrapper (make mutate) has none.
    def __init__(self, mean, variance, **kwargs):  # pragma: no mutate block
        super().__init__(**kwargs)
        self.statistics = (np.asarray(mean), np.asarray(variance))

    def build(self, input_shape):
        for name, values in zip(("mean", "variance"), self.statistics, strict=True):
            weight = self.add_weight(
                shape=values.shape,
                initializer=keras.initializers.Constant(values),
                trainable=False,
                name=name,
            )
            setattr(self, name, weight)

    def call(self, inputs):
        scale = ops.maximum(ops.sqrt(self.variance), keras.config.epsilon())
        return ops.divide(ops.subtract(inputs, self.mean), scale)


class StackedDense(keras.layers.Layer):
    """K `keras.layers.Dense` side by side: `(batch, K, in)` in, `(batch, K, units)` out.

    Copy k computes `activation(x[:, k] @ kernel[k] + bias[k])`, with one
    batched matrix product for all copies (the copy axis moved in front for
    it, then back). The weights start at zero: the caller assigns each copy's
    initial weights.

    Args:
        copies: K, the number of copies.
        units: the output width of each copy.
        activation: a Keras activation, e.g. `"relu"`. Defaults to `None`.
        **kwargs: `keras.layers.Layer` arguments (`name`).
    """

    # Keras reads a layer's `__init__` signature; mutmut's wrapper (make mutate) has none.
    def __init__(self, copies, units, activation=None, **kwargs):  # pragma: no mutate block
        super().__init__(**kwargs)
        self.copies, self.units = copies, units
        self.activation = keras.activations.get(activation)

    def build(self, input_shape):
        self.kernel = self.add_weight(
            shape=(self.copies, input_shape[-1], self.units), initializer="zeros", name="kernel"
        )
        self.bias = self.add_weight(
            shape=(self.copies, self.units), initializer="zeros", name="bias"
        )

    def call(self, inputs):
        by_copy = ops.matmul(ops.swapaxes(inputs, 0, 1), self.kernel)  # (K, batch, units)
        # Keras's sigmoid and softmax keep their logits on the output on TensorFlow,
        # and its cross-entropies use them there, as for `Dense`.
        return self.activation(ops.add(ops.swapaxes(by_copy, 0, 1), self.bias))

    def compute_output_shape(self, input_shape):
        return (*input_shape[:-1], self.units)


class StackedCrossentropy(keras.losses.Loss):
    """The sum over copies of each copy's batch-mean cross-entropy.

    Each copy's loss is Keras's `binary_crossentropy` or
    `categorical_crossentropy` on its own columns, summed over the batch
    and divided by the batch size, as the `"sum_over_batch_size"` reduction
    does. The output reaches the cross-entropy untouched (TensorFlow's cached
    logits); a NaN probability in one copy makes that copy's loss NaN and
    leaves the others alone (`backend.nan_as_loss`).

    Args:
        target: `"binary"` or `"onehot"`.
        name: the loss's name. Defaults to `"stacked_crossentropy"`.
    """

    def __init__(self, target, name="stacked_crossentropy"):
        super().__init__(name=name, reduction="sum")
        self.target = target

    def call(self, y_true, y_pred):
        return self.copy_losses(y_true, y_pred)

    def copy_losses(self, y_true, y_pred):
        """Each copy's mean loss over the batch, shape `(K,)`."""
        if self.target == "binary":
            crossentropy = keras.losses.binary_crossentropy
        else:
            crossentropy = keras.losses.categorical_crossentropy
        values = backend.nan_as_loss(crossentropy, y_true, y_pred)  # (batch, K)
        size = ops.cast(ops.shape(values)[0], values.dtype)
        return ops.divide_no_nan(ops.sum(values, axis=0), size)

    def get_config(self):
        return {"target": self.target, "name": self.name}


class CopyMetric(keras.metrics.Metric):
    """A per-copy epoch mean, accumulated over batches as Keras's mean metrics do.

    `kind="accuracy"`: Keras's `accuracy` (`binary_accuracy` for one
    sigmoid unit, `categorical_accuracy` for a softmax): right answers over
    the epoch divided by samples, in float32. `kind="loss"`: Keras's loss
    tracker: the batch losses weighted by batch size, over samples.

    Args:
        copies: K, the number of copies.
        loss: the model's `StackedCrossentropy` (its target picks the accuracy).
        kind: `"accuracy"` or `"loss"`.
        name: the metric's name. Defaults to `"copy_<kind>"`.

    `result()` has shape `(K,)`.
    """

    def __init__(self, copies, loss, kind, name=None):
        super().__init__(name=name or f"copy_{kind}")
        self.loss, self.kind = loss, kind
        self.total = self.add_variable(shape=(copies,), initializer="zeros", name="total")
        # A count per copy, not one shared: on JAX, a vector divided by a broadcast
        # scalar came out 1 ulp away from Keras's scalar division (0.70000005 for 21/30).
        self.count = self.add_variable(shape=(copies,), initializer="zeros", name="count")

    def update_state(self, y_true, y_pred, sample_weight=None):
        size = ops.cast(ops.shape(y_pred)[0], self.dtype)
        if self.kind == "loss":
            total = ops.multiply(ops.cast(self.loss.copy_losses(y_true, y_pred), self.dtype), size)
        elif self.loss.target == "binary":
            total = ops.sum(keras.metrics.binary_accuracy(y_true, y_pred)[..., 0], axis=0)
        else:
            total = ops.sum(keras.metrics.categorical_accuracy(y_true, y_pred), axis=0)
        self.total.assign_add(ops.cast(total, self.dtype))
        self.count.assign_add(ops.broadcast_to(size, ops.shape(self.count)))

    def result(self):
        return ops.divide_no_nan(self.total, self.count)
