"""§4.4: train with `fit`, fast and resumable.

The article calls `model.fit(x_train, y_train, validation_data=(x_test,
y_test), epochs=100, batch_size=32)`. On NumPy arrays Keras rebuilds its
input pipeline at every epoch, for training and again for validation, and
that costs most of each tiny epoch. `fit_model` keeps the article's
semantics (a fresh shuffle every epoch, batches of 32, 32, 32, 24 for 120
flowers, validation loss and accuracy after every epoch, a `History` of
`loss`, `accuracy`, `val_loss`, `val_accuracy`) but hands `fit` one
`tf.data` pipeline that spans all epochs and a repeating validation set, so
Keras builds each iterator once (`steps_per_epoch` and `validation_steps`
keep them alive between epochs).

Each epoch's shuffle comes from `batches.epoch_permutation(seed, epoch)`, so
a run resumed at epoch `k` is fed what an uninterrupted run is fed.
"""

import numpy as np

from iris_keras.batches import epoch_permutation, steps_per_epoch
from iris_keras.errors import check_non_negative_int, check_positive_int, invalid

DEFAULT_EPOCHS = 100
DEFAULT_BATCH_SIZE = 32


def fit_model(
    model,
    x,
    y,
    *,
    validation_data=None,
    epochs=DEFAULT_EPOCHS,
    batch_size=DEFAULT_BATCH_SIZE,
    seed=0,
    initial_epoch=0,
    callbacks=(),
    verbose="auto",
):
    """Trains a compiled `model` like the article's `fit`, and returns its `History`.

    Args:
        model: a compiled `keras.Model`.
        x: training features, shape `(n, 4)`.
        y: training labels, shape `(n,)` or `(n, 3)`.
        validation_data: `(x_val, y_val)` evaluated after every epoch, or
            `None`. Defaults to `None`.
        epochs: the number of epochs, a positive integer. Defaults to `100`.
        batch_size: samples per gradient step, a positive integer.
            Defaults to `32`.
        seed: the seed of the per-epoch shuffles. Defaults to `0`.
        initial_epoch: the epoch to start from (resuming a run).
            Defaults to `0`.
        callbacks: Keras callbacks. Defaults to `()`.
        verbose: as in `keras.Model.fit`: `"auto"`, 0, 1 or 2.
            Defaults to `"auto"`.

    Returns:
        The `keras.callbacks.History` of the run.
    """
    epochs = check_positive_int("epochs", epochs)
    batch_size = check_positive_int("batch_size", batch_size)
    initial_epoch = check_non_negative_int("initial_epoch", initial_epoch)
    x, y = _check_arrays(x, y, "x")
    steps = steps_per_epoch(len(x), batch_size=batch_size)
    fit_kwargs = {}
    if validation_data is not None:
        x_val, y_val = _check_arrays(*validation_data, "validation_data")
        fit_kwargs = {
            "validation_data": validation_dataset(x_val, y_val),
            "validation_steps": 1,
        }
    dataset = training_dataset(
        x, y, batch_size=batch_size, seed=seed, epochs=epochs, initial_epoch=initial_epoch
    )
    return model.fit(
        dataset,
        epochs=epochs,
        initial_epoch=initial_epoch,
        steps_per_epoch=steps,
        shuffle=False,  # the dataset is already shuffled, per epoch
        callbacks=list(callbacks),
        verbose=verbose,
        **fit_kwargs,
    )


def training_dataset(x, y, *, batch_size, seed, epochs, initial_epoch=0):
    """One `tf.data.Dataset` of every training batch from `initial_epoch` to `epochs`.

    Epoch `e` is `x[epoch_permutation(n, seed=seed, epoch=e)]` cut into
    batches of `batch_size`; batches never straddle two epochs.

    Returns:
        A dataset of `(x_batch, y_batch)` with
        `(epochs - initial_epoch) * ceil(n / batch_size)` elements.
    """
    import tensorflow as tf

    orders = np.stack(
        [
            epoch_permutation(len(x), seed=seed, epoch=epoch)
            for epoch in range(initial_epoch, epochs)
        ]
    )
    features, labels = tf.constant(x), tf.constant(y)
    batches = tf.data.Dataset.from_tensor_slices(orders).flat_map(
        lambda order: tf.data.Dataset.from_tensor_slices(order).batch(batch_size)
    )
    return batches.map(lambda index: (tf.gather(features, index), tf.gather(labels, index)))


def validation_dataset(x, y):
    """The validation set as one batch, repeated forever.

    One batch gives the same mean loss and accuracy as Keras's batches of 32
    (Keras weighs each batch by its size), and repeating lets one iterator
    serve every epoch.
    """
    import tensorflow as tf

    return tf.data.Dataset.from_tensors((x, y)).repeat()


def _check_arrays(x, y, name):
    x = np.asarray(x, dtype=np.float32)
    y = np.asarray(y)
    if x.ndim != 2 or len(x) == 0 or len(x) != len(y):
        raise invalid(
            name,
            "features of shape (n, 4) with n > 0 and as many labels",
            f"features of shape {x.shape} and labels of shape {y.shape}",
        )
    return x, y.astype(np.float32) if y.dtype.kind == "f" else y
