"""§4.4: train with `fit`, fast and resumable.

The article calls `model.fit(x_train, y_train, validation_data=(x_test,
y_test), epochs=100, batch_size=32)`. On NumPy arrays Keras rebuilds its
input pipeline at every epoch, and after every epoch runs a whole
`evaluate()` loop for the validation data; on 120 flowers both cost more
than the four gradient steps of the epoch. `fit_model` keeps the article's
semantics (a fresh shuffle every epoch, batches of 32, 32, 32, 24 for 120
flowers, validation loss and accuracy after every epoch, a `History` of
`loss`, `accuracy`, `val_loss`, `val_accuracy`) and removes that overhead
with public APIs only:

- one feed spans all epochs (`training_feed`): a Python generator of NumPy
  batches on JAX and PyTorch, the same batches as one `tf.data` pipeline on
  TensorFlow; with `steps_per_epoch` set, Keras keeps its iterator alive
  from one epoch to the next;
- validation runs as `model.test_on_batch` on the whole validation set
  (`validation_metrics`): the same compiled test function, the same
  numbers, without the `evaluate()` loop around it.

Each epoch's shuffle comes from `batches.epoch_permutation(seed, epoch)`, so
a run resumed at epoch `k` is fed what an uninterrupted run is fed."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

import numpy as np
from numpy.typing import ArrayLike

from iris_keras import backend
from iris_keras.batches import epoch_orders, steps_per_epoch
from iris_keras.errors import DivergedError, check_non_negative_int, check_positive_int, invalid

if TYPE_CHECKING:
    import keras

DEFAULT_EPOCHS = 100
DEFAULT_BATCH_SIZE = 32


def fit_model(
    model: keras.Model,
    x: ArrayLike,
    y: ArrayLike,
    *,
    validation_data: tuple[ArrayLike, ArrayLike] | None = None,
    epochs: int = DEFAULT_EPOCHS,
    batch_size: int = DEFAULT_BATCH_SIZE,
    seed: int = 0,
    initial_epoch: int = 0,
    callbacks: Sequence[keras.callbacks.Callback] = (),
    verbose: str | int = "auto",
) -> keras.callbacks.History:
    """Trains a compiled `model` like the article's `fit`, and returns its `History`.

    Training stops at the first batch whose loss is not finite
    (`keras.callbacks.TerminateOnNaN`) and raises `DivergedError`; so does
    PyTorch's refusal of NaN probabilities. On JAX and PyTorch, Keras clips
    the probabilities in the cross-entropy, so a loss stays finite (at most
    about 16 per flower) until the weights themselves overflow.

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
        initial_epoch: the epoch to start from (resuming a run), at most
            `epochs`. Defaults to `0`.
        callbacks: Keras callbacks; they see `val_loss` and `val_accuracy`
            in each epoch's logs. Defaults to `()`.
        verbose: as in `keras.Model.fit`: `"auto"`, 0, 1 or 2.
            Defaults to `"auto"`.

    Returns:
        The `keras.callbacks.History` of the epochs run by this call.

    Raises:
        UsageError: a bad argument.
        DivergedError: the loss became NaN or infinite.
    """
    import keras

    epochs = check_positive_int("epochs", epochs)
    batch_size = check_positive_int("batch_size", batch_size)
    initial_epoch = check_non_negative_int("initial_epoch", initial_epoch)
    if initial_epoch > epochs:
        raise invalid("initial_epoch", f"an integer in [0, epochs={epochs}]", initial_epoch)
    x, y = _check_arrays(x, y, "x")
    all_callbacks = []
    if validation_data is not None:
        all_callbacks.append(
            validation_metrics(*_check_arrays(*validation_data, "validation_data"))
        )
    running: keras.callbacks.LambdaCallback = keras.callbacks.LambdaCallback(
        on_epoch_begin=lambda epoch, logs=None: setattr(running, "epoch", epoch)
    )
    running.epoch = initial_epoch
    all_callbacks += [*callbacks, keras.callbacks.TerminateOnNaN(), running]
    if initial_epoch == epochs:
        return keras.callbacks.History()
    steps = steps_per_epoch(len(x), batch_size=batch_size)
    try:
        history = model.fit(
            training_feed(
                x, y, batch_size=batch_size, seed=seed, epochs=epochs, initial_epoch=initial_epoch
            ),
            epochs=epochs,
            initial_epoch=initial_epoch,
            steps_per_epoch=steps,
            shuffle=False,  # the batches are already shuffled, per epoch
            callbacks=all_callbacks,
            verbose=verbose,
        )
    except RuntimeError as error:
        # PyTorch's binary cross-entropy refuses NaN probabilities with its own
        # RuntimeError ("all elements of input should be between 0 and 1"), where
        # the other backends report a NaN loss: the same divergence, the same message.
        if all(np.isfinite(weight).all() for weight in model.get_weights()):
            raise
        raise _diverged(model, running.epoch + 1, "the loss became nan") from error
    _check_finite(history, model, initial_epoch)
    return history


def _check_finite(history: keras.callbacks.History, model: keras.Model, initial_epoch: int) -> None:
    losses = np.asarray(history.history.get("loss", []), dtype=np.float64)
    if losses.size and np.isfinite(losses).all():
        return
    bad_epoch = initial_epoch + (int(np.argmin(np.isfinite(losses))) if losses.size else 0) + 1
    raise _diverged(model, bad_epoch, f"the loss became {losses[-1]}")


def _diverged(model: keras.Model, epoch: int, what: str) -> DivergedError:
    learning_rate = float(model.optimizer.learning_rate.numpy())
    return DivergedError(
        f"Training diverged at epoch {epoch}: {what}. "
        f"Try a smaller learning rate (received learning_rate={learning_rate:g})."
    )


def training_feed(
    x: np.ndarray,
    y: np.ndarray,
    *,
    batch_size: int,
    seed: int,
    epochs: int,
    initial_epoch: int = 0,
) -> Any:
    """What `fit_model` hands Keras: every training batch, as the backend reads them.

    Epoch `e` is `x[batches.epoch_permutation(n, seed=seed, epoch=e)]` cut into
    batches of `batch_size`; batches never straddle two epochs. JAX and
    PyTorch read a Python generator of NumPy batches
    (`backend.generator.training_feed`); on TensorFlow the same batches come
    from one `tf.data` pipeline (`backend.training_feed`).

    Returns:
        A generator or a `tf.data.Dataset` of `(x_batch, y_batch)`, with
        `(epochs - initial_epoch) * ceil(n / batch_size)` elements.
    """
    return backend.training_feed(
        x,
        y,
        epoch_orders(len(x), seed=seed, epochs=epochs, initial_epoch=initial_epoch),
        batch_size=batch_size,
    )


def validation_metrics(x: ArrayLike, y: ArrayLike) -> keras.callbacks.Callback:
    """A callback that adds `val_loss` and `val_accuracy` to each epoch's logs, in one call.

    What `fit(validation_data=...)` computes, without its per-epoch cost:
    Keras runs a whole `evaluate()` loop after every epoch (new callback
    list, progress logger, iterator bookkeeping), which costs more than the
    epoch's four training steps. Here the validation set is one batch, and
    `model.test_on_batch` runs the model's compiled test function on it: the
    same loss and metrics, the same numbers. It must come before Keras's
    `History` and progress bar, which `fit` appends after user callbacks.

    Args:
        x: validation features, shape `(n, 4)`.
        y: validation labels.

    Returns:
        A `keras.callbacks.Callback`.
    """
    import keras

    x = keras.ops.convert_to_tensor(np.asarray(x, dtype=np.float32))
    y = keras.ops.convert_to_tensor(y)

    def add_scores(epoch: int, logs: dict[str, Any] | None = None) -> None:
        scores = callback.model.test_on_batch(x, y, return_dict=True)
        if logs is not None:
            logs.update({f"val_{name}": float(value) for name, value in scores.items()})

    callback = keras.callbacks.LambdaCallback(on_epoch_end=add_scores)
    return callback


def _check_arrays(x: ArrayLike, y: ArrayLike, name: str) -> tuple[np.ndarray, np.ndarray]:
    x = np.asarray(x, dtype=np.float32)
    y = np.asarray(y)
    if x.ndim != 2 or len(x) == 0 or len(x) != len(y):
        raise invalid(
            name,
            "features of shape (n, 4) with n > 0 and as many labels",
            f"features of shape {x.shape} and labels of shape {y.shape}",
        )
    return x, y.astype(np.float32) if y.dtype.kind == "f" else y
