"""What each copy of a stacked model scores: per batch, per epoch, on one test batch.

A stacked model (`stacked_layers`) trains K runs at once; Keras's own
metrics would average over all of them. Here every score is a vector along
the copy axis, computed with Keras's own formulas on each copy's columns:

- `batch_totals`: what one batch adds to each copy's epoch mean (right
  answers, or loss times batch size, as Keras's loss tracker weighs it);
- `CopyMetric`: the epoch means `fit` reports per copy, `history` style;
- `CopyScores`, `scores`: the loss, accuracy and collapse of every copy on
  one batch, in one compiled call: a test step for all copies
  (`stacked_epochs`).
"""

import keras
import numpy as np
from keras import ops


def batch_totals(loss, kind, y_true, y_pred):
    """What one batch adds to each copy's epoch mean of `kind`, and the batch's size.

    `kind="accuracy"`: the right answers of each copy, as Keras's `accuracy`
    counts them (`binary_accuracy` for one sigmoid unit,
    `categorical_accuracy` for a softmax); `kind="loss"`: each copy's mean
    loss times the batch size, as Keras's loss tracker weighs it.

    Returns:
        `(totals (K,), size)`, float32.
    """
    size = ops.cast(ops.shape(y_pred)[0], "float32")
    if kind == "loss":
        return ops.multiply(ops.cast(loss.losses_of(y_true, y_pred), "float32"), size), size
    y_true = loss.copies_of(y_true)
    if loss.target == "binary":
        right = keras.metrics.binary_accuracy(y_true, y_pred)[..., 0]
    else:
        right = keras.metrics.categorical_accuracy(y_true, y_pred)
    return ops.cast(ops.sum(right, axis=0), "float32"), size


class CopyMetric(keras.metrics.Metric):
    """A per-copy epoch mean, accumulated over batches as Keras's mean metrics do.

    `kind="accuracy"`: Keras's `accuracy`: right answers over the epoch
    divided by samples, in float32. `kind="loss"`: Keras's loss tracker: the
    batch losses weighted by batch size, over samples (`batch_totals`).

    Keras resets metrics when an epoch of `fit` begins. A stacked fit runs
    all its epochs as one epoch of `fit` (`stacked.train_stack`), so with
    `steps_per_epoch` set the metric starts afresh, in the compiled step,
    at every `steps_per_epoch`-th batch: the mean of each epoch, as Keras's.

    Args:
        copies: K, the number of copies.
        loss: the model's `StackedCrossentropy` (its target picks the accuracy).
        kind: `"accuracy"` or `"loss"`.
        steps_per_epoch: batches per epoch, or `None` to accumulate until
            Keras resets the metric. Defaults to `None`.
        name: the metric's name. Defaults to `"copy_<kind>"`.

    `result()` has shape `(K,)`.
    """

    def __init__(self, copies, loss, kind, steps_per_epoch=None, name=None):
        super().__init__(name=name or f"copy_{kind}")
        self.loss, self.kind, self.steps_per_epoch = loss, kind, steps_per_epoch
        self.total = self.add_variable(shape=(copies,), initializer="zeros", name="total")
        # A count per copy, not one shared: on JAX, a vector divided by a broadcast
        # scalar came out 1 ulp away from Keras's scalar division (0.70000005 for 21/30).
        self.count = self.add_variable(shape=(copies,), initializer="zeros", name="count")
        self.batches = self.add_variable(
            shape=(), initializer="zeros", dtype="int32", name="batches"
        )

    def update_state(self, y_true, y_pred, sample_weight=None):
        total, size = batch_totals(self.loss, self.kind, y_true, y_pred)
        added = (ops.cast(total, self.dtype), ops.broadcast_to(size, self.count.shape))
        fresh = False  # the first batch of an epoch: the sums start again from 0
        if self.steps_per_epoch is not None:
            fresh = ops.equal(ops.mod(ops.convert_to_tensor(self.batches), self.steps_per_epoch), 0)
        for variable, value in zip((self.total, self.count), added, strict=True):
            start = ops.where(fresh, ops.zeros(variable.shape), ops.convert_to_tensor(variable))
            variable.assign(ops.add(start, value))
        self.batches.assign_add(1)

    def result(self):
        return ops.divide_no_nan(self.total, self.count)


class CopyScores(keras.layers.Layer):
    """Each copy's sums on one batch: what a test step would report, before its division.

    Called on `[y_true, y_pred]` (labels per source, outputs per copy), it
    gives, shape `(4, K)` float32: each copy's loss total and right answers
    (`batch_totals`), the batch size, and 1 where the copy predicts one class
    for every flower (a sigmoid unit's `p >= 0.5`, a softmax's arg-max), 0
    elsewhere. `scores` divides: `loss_total / size` and
    `right / size` are the loss and accuracy `test_on_batch` gives, to the
    bit. (Divided in the compiled call, XLA would multiply by `1 / size`, a
    constant here: 0.70000005 for 21/30 instead of Keras's 0.69999999.)

    Args:
        loss: the model's `StackedCrossentropy`.
        **kwargs: `keras.layers.Layer` arguments (`name`).
    """

    def __init__(self, loss, **kwargs):
        super().__init__(**kwargs)
        self.loss = loss

    def call(self, inputs):
        y_true, y_pred = inputs
        (loss, size), (right, _) = (
            batch_totals(self.loss, kind, y_true, y_pred) for kind in ("loss", "accuracy")
        )
        if self.loss.target == "binary":
            classes = ops.cast(ops.greater_equal(y_pred[..., 0], 0.5), "int32")
        else:
            classes = ops.cast(ops.argmax(y_pred, axis=-1), "int32")
        one_class = ops.all(ops.equal(classes, classes[:1]), axis=0)
        sizes = ops.broadcast_to(size, ops.shape(loss))
        return ops.stack([loss, right, sizes, ops.cast(one_class, "float32")])

    def compute_output_shape(self, input_shape):
        return (4, input_shape[1][1])


def scores(sums):
    """`CopyScores`' sums as scores: `(loss, accuracy, collapsed)`, float32 arrays `(K,)`.

    Example:
    >>> import numpy as np
    >>> loss, accuracy, collapsed = scores(np.array([[6.0], [21.0], [30.0], [0.0]]))
    >>> float(loss[0]), float(accuracy[0]), bool(collapsed[0])
    (0.20000000298023224, 0.699999988079071, False)
    """
    loss, right, size, collapsed = np.asarray(sums, dtype=np.float32)
    return loss / size, right / size, collapsed
