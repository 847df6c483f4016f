"""A run's curves: every epoch's training, validation and test scores, as the sweep records them.

The sweep (`iris-keras sweep`) records, per run and per epoch, what `fit`'s
history gives (`loss`, `accuracy`, `val_loss`, `val_accuracy`), what
`evaluate_model` would give after that many epochs (`test_loss`,
`test_accuracy`) and whether the model then predicts one class for every
test flower (`collapsed`, 1 or 0). A run that diverges has no scores from
the epoch its loss stopped being finite: its curves are NaN from there on,
as `iris-keras train` with that many epochs or more would fail.

`RunCurves` records them for one run trained alone (the per-run path,
`measures.train_variant`); `stacked_epochs` records them for every copy of
a stacked model at once; `masked` is the rule both follow.
"""

import numpy as np

CURVES = (
    "loss",
    "accuracy",
    "val_loss",
    "val_accuracy",
    "test_loss",
    "test_accuracy",
    "collapsed",
)


def masked(curves, bad_epoch, epochs=None):
    """`curves` as float32 arrays of `epochs` values, NaN from `bad_epoch` (from 1) on.

    Args:
        curves: `{name: values per epoch}`; a run stopped early has fewer.
        bad_epoch: the epoch the run diverged at, or `None`.
        epochs: the length of each curve. Defaults to the longest given.

    Returns:
        `{name: float32 array (epochs,)}`, new arrays.

    Example:
    >>> found = masked({"loss": [0.7, 0.6, float("inf")]}, bad_epoch=3, epochs=4)
    >>> found["loss"].tolist()
    [0.699999988079071, 0.6000000238418579, nan, nan]
    """
    epochs = epochs or max(len(values) for values in curves.values())
    found = {}
    for name, values in curves.items():
        padded = np.full(epochs, np.nan, dtype=np.float32)
        padded[: len(values)] = values
        if bad_epoch is not None:
            padded[bad_epoch - 1 :] = np.nan
        found[name] = padded
    return found


class RunCurves:
    """Records one run's `CURVES` at every epoch's end (after `fit_model`'s validation).

    Pass `RunCurves(...).callback` to `fit`; `curves(epochs)` gives what it
    recorded.

    Args:
        x_test: the test features, shape `(m, 4)`.
        y_test: the test labels.
    """

    def __init__(self, x_test, y_test):
        import keras

        self.test = (np.asarray(x_test, dtype=np.float32), y_test)
        self.records: dict[str, list] = {name: [] for name in CURVES}
        self.callback = keras.callbacks.LambdaCallback(on_epoch_end=self.record)

    def record(self, epoch, logs=None):
        """Adds an epoch's scores: `logs` (`fit_model`'s), then the test set's."""
        from iris_keras.study.measures import predicts_single_class

        model = self.callback.model
        scores = model.test_on_batch(*self.test, return_dict=True)
        found = {**(logs or {}), "test_loss": scores["loss"], "test_accuracy": scores["accuracy"]}
        found["collapsed"] = float(predicts_single_class(model, self.test[0]))
        for name in CURVES:
            self.records[name].append(found.get(name, np.nan))

    def curves(self, epochs):
        """The curves of `epochs` epochs, NaN from the first non-finite training loss on."""
        losses = np.asarray(self.records["loss"], dtype=np.float64)
        bad = np.flatnonzero(~np.isfinite(losses))
        stopped = len(losses) < epochs  # stopped by an error before the epoch's end
        bad_epoch = int(bad[0]) + 1 if len(bad) else (len(losses) + 1 if stopped else None)
        return masked(self.records, bad_epoch, epochs)
