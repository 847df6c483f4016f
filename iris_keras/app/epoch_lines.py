"""What `iris-keras train` shows while it trains: Keras's bar on a terminal, clean lines in a log.

On a terminal, Keras's own progress bar, as the article's `model.fit` shows
it. Written to a file or a pipe (`make train > train.log`, CI logs), that
bar is ANSI colour codes, carriage returns and backspaces; there the command
prints one plain line per epoch instead, with the scores Keras would show:

    epoch  12/100  loss 0.4512  accuracy 0.8750  val_loss 0.4221  val_accuracy 0.9000

`--quiet` prints neither.
"""

import sys


def choose_verbose(*, quiet, stream=None):
    """The `verbose` of `app.run.train_recipe` for a command printing to `stream`.

    Args:
        quiet: `--quiet`: no progress at all.
        stream: where the progress goes. Defaults to `sys.stdout`.

    Returns:
        `0` when `quiet`; `"auto"` (Keras's bar) on a terminal; else
        `"lines"`, one plain line per epoch.
    """
    if quiet:
        return 0
    stream = sys.stdout if stream is None else stream
    return "auto" if stream.isatty() else "lines"


def epoch_line(epoch, epochs, logs):
    """One epoch's line: its number, then each score Keras logged, to 4 decimals.

    The epoch's number is padded to the width of the last one, so that the
    scores of a hundred lines stand in columns; the training scores come
    first, the loss first among them, then the validation scores.

    Args:
        epoch: the epoch just finished, counted from 1.
        epochs: the epochs of the whole run.
        logs: the epoch's scores, e.g. `{"accuracy": 0.875, "loss": 0.45}`.

    Returns:
        The line, without a newline.

    Example:
    >>> epoch_line(7, 100, {"val_accuracy": 0.9, "accuracy": 0.875, "loss": 0.45123})
    'epoch   7/100  loss 0.4512  accuracy 0.8750  val_accuracy 0.9000'
    """
    width = len(str(epochs))
    names = sorted(logs, key=lambda name: (name.startswith("val_"), not name.endswith("loss")))
    scores = "".join(f"  {name} {float(logs[name]):.4f}" for name in names)
    return f"epoch {epoch:>{width}}/{epochs}{scores}"


def epoch_lines(stream=None):
    """A Keras callback that writes `epoch_line` to `stream` after every epoch.

    It must come after the callback that adds `val_loss` and `val_accuracy`
    to the logs (`train.validation_metrics`, which `fit_model` puts first).

    Args:
        stream: a text stream. Defaults to `sys.stdout` at the time of writing.

    Returns:
        A `keras.callbacks.Callback`.
    """
    import keras

    def write(epoch, logs=None):
        out = sys.stdout if stream is None else stream
        out.write(epoch_line(epoch + 1, callback.params["epochs"], logs or {}) + "\n")
        out.flush()

    callback = keras.callbacks.LambdaCallback(on_epoch_end=write)
    return callback
