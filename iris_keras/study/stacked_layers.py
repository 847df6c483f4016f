"""K copies of the article's network side by side: the layers and the loss.

The stacked model takes `(batch, S, features)`, the flowers (4 measurements;
a learner's table: its own) of S sources (`copies`:
runs that share a seed and a positive class read the same flowers), and
gives `(batch, K, classes)`: samples first, where Keras expects its batch
axis, copies second. Its first layer gathers each copy's source, and the
loss gathers each copy's labels. Every weight carries a leading copy axis: a
kernel `(K, in, out)`, a bias `(K, out)`, a mean and a variance `(K, features)`.
Copies first would not do for the model's input and output: `fit` fixes
every axis of a generator's batches but the first from its first batches
(TensorFlow would refuse an epoch's last, smaller batch), and weighs its
loss tracker by the first axis. Inside, the hidden layers run copies first,
`(K, batch, units)`, where a batched matrix product wants its batch axis:
one transposition after the standardization, one before the output's
activation, and none in between (a third less time per step than moving
the axis in and out of every layer).

Copy k computes what its own `build_model` network computes, with Keras's
own formulas: `(x - mean) / maximum(sqrt(variance), epsilon)` as
`Normalization`, `activation(x @ kernel + bias)` as `Dense` (one batched
matrix product for all copies), and its loss is Keras's cross-entropy on its
own columns. The model's loss is the sum of the copies' losses, so the
gradient of copy k's weights is the gradient of copy k's loss alone, and SGD
with momentum, element-wise, updates each copy as its own run would
(`copy_sgd`: with its own learning rate and momentum). What each copy
scores, per batch and per epoch, is in `copy_metrics`.
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
    exactly, so standardized and raw runs share one model. It takes the
    sources' flowers, `(batch, S, features)`, and gives each copy's
    standardized flowers, copies first: `(K, batch, features)`.

    Args:
        mean: the per-copy means, shape `(K, features)`.
        variance: the per-copy variances, shape `(K, features)`.
        sources: the source each copy reads, K indices into the input's
            second axis, or `None` when copy k reads column k. Defaults to `None`.
        **kwargs: `keras.layers.Layer` arguments (`name`).
    """

    # Keras reads a layer's `__init__` signature; mutmut's wrapper (make mutate) has none.
    def __init__(self, mean, variance, sources=None, **kwargs):  # pragma: no mutate block
        super().__init__(**kwargs)
        self.statistics = (np.asarray(mean), np.asarray(variance))
        self.sources = _sources(sources, len(self.statistics[0]))

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
        inputs = ops.take(inputs, self.sources, axis=1)  # (batch, S, 4) -> (batch, K, 4)
        scale = ops.maximum(ops.sqrt(self.variance), keras.config.epsilon())
        return ops.swapaxes(ops.divide(ops.subtract(inputs, self.mean), scale), 0, 1)

    def compute_output_shape(self, input_shape):
        return (len(self.sources), input_shape[0], *input_shape[2:])


class StackedDense(keras.layers.Layer):
    """K `keras.layers.Dense` side by side: `(K, batch, in)` in, `(K, batch, units)` out.

    Copy k computes `activation(x[k] @ kernel[k] + bias[k])`, with one
    batched matrix product for all copies. The output layer gives its
    output samples first, `(batch, K, units)`, as the model's output must
    be: it moves the axis before the activation, so that on TensorFlow the
    sigmoid or softmax keeps its logits on its output and Keras's
    cross-entropies use them, as for `Dense`. The weights start at zero: the
    caller assigns each copy's initial weights.

    Args:
        copies: K, the number of copies.
        units: the output width of each copy.
        activation: a Keras activation, e.g. `"relu"`. Defaults to `None`.
        samples_first: give `(batch, K, units)`. Defaults to `False`.
        **kwargs: `keras.layers.Layer` arguments (`name`).
    """

    # Keras reads a layer's `__init__` signature; mutmut's wrapper (make mutate) has none.
    def __init__(
        self, copies, units, activation=None, samples_first=False, **kwargs
    ):  # pragma: no mutate block
        super().__init__(**kwargs)
        self.copies, self.units, self.samples_first = copies, units, samples_first
        self.activation = keras.activations.get(activation)

    def build(self, input_shape):
        self.kernel = self.add_weight(
            shape=(self.copies, input_shape[-1], self.units), initializer="zeros", name="kernel"
        )
        self.bias = self.add_weight(
            shape=(self.copies, self.units), initializer="zeros", name="bias"
        )

    def call(self, inputs):
        outputs = ops.add(ops.matmul(inputs, self.kernel), ops.expand_dims(self.bias, 1))
        if self.samples_first:
            outputs = ops.swapaxes(outputs, 0, 1)
        return self.activation(outputs)

    def compute_output_shape(self, input_shape):
        copies, samples = input_shape[:2]
        return (
            (samples, copies, self.units) if self.samples_first else (*input_shape[:-1], self.units)
        )


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
        sources: the source each copy reads its labels from (see
            `StackedNormalization`), or `None`. Defaults to `None`.
        name: the loss's name. Defaults to `"stacked_crossentropy"`.
    """

    def __init__(self, target, sources=None, name="stacked_crossentropy"):
        super().__init__(name=name, reduction="sum")
        self.target = target
        self.sources = None if sources is None else _sources(sources, len(sources))
        self.last = None

    def call(self, y_true, y_pred):
        losses = self.copy_losses(y_true, y_pred)
        self.last = (y_true, y_pred, losses)  # for the step's metric (`losses_of`)
        return losses

    def losses_of(self, y_true, y_pred):
        """`copy_losses(y_true, y_pred)`, computed once per step.

        A training or test step computes the loss and then the metrics on
        the same tensors: the loss tracker per copy (`copy_metrics`) reads
        the losses this loss has just computed instead of computing them
        again (a cross-entropy on every copy's batch: on TensorFlow, a
        quarter of a step's time).
        """
        if self.last is not None and self.last[0] is y_true and self.last[1] is y_pred:
            return self.last[2]
        return self.copy_losses(y_true, y_pred)

    def copies_of(self, y_true):
        """Each copy's labels, `(batch, K, classes)`, from its source's."""
        return y_true if self.sources is None else ops.take(y_true, self.sources, axis=1)

    def copy_losses(self, y_true, y_pred):
        """Each copy's mean loss over the batch, shape `(K,)`."""
        if self.target == "binary":
            crossentropy = keras.losses.binary_crossentropy
        else:
            crossentropy = keras.losses.categorical_crossentropy
        values = backend.nan_as_loss(crossentropy, self.copies_of(y_true), y_pred)  # (batch, K)
        size = ops.cast(ops.shape(values)[0], values.dtype)
        return ops.divide_no_nan(ops.sum(values, axis=0), size)

    def get_config(self):
        sources = None if self.sources is None else self.sources.tolist()
        return {"target": self.target, "sources": sources, "name": self.name}


def _sources(sources, copies):
    """The sources as an int32 array: `range(copies)` when `None`."""
    return np.arange(copies, dtype=np.int32) if sources is None else np.asarray(sources, np.int32)
