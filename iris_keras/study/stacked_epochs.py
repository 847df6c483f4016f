"""What a stacked fit records at every epoch's end, for all its copies at once.

`stacked.train_stack` runs all the epochs of a stacked model as ONE epoch
of Keras's `fit`, `epochs * steps_per_epoch` batches long: Keras's own
per-epoch work (resetting metrics, the epoch callbacks, the history) would
cost more than the epoch's few steps. The epochs are still there:
`CopyMetric` starts its sums afresh at every epoch's first batch, inside the
compiled step, and `EpochRecorder` reads the metrics after every epoch's
last batch (one compiled call runs an epoch's batches, `steps_per_execution`).

Per copy and per epoch it records:

- `loss`, `accuracy`: the training loss and accuracy as `fit`'s history
  gives them for the copy's own run;
- with a score probe (`score_probe`, the sweep's curves): `val_loss`,
  `val_accuracy` (what `fit_model`'s validation gives), `test_loss`,
  `test_accuracy` (what `evaluate_model` gives after that many epochs) and
  `collapsed` (1 where the copy predicts one class for every test flower):
  one compiled call per epoch for all copies.

Since each epoch's shuffle depends only on the seed and the epoch
(`batches.epoch_permutation`), the first E epochs of a longer run ARE the
E-epoch run: its curves answer for every number of epochs up to theirs.
"""

import keras
import numpy as np

from iris_keras import backend
from iris_keras.study.copy_metrics import scores
from iris_keras.study.run_curves import CURVES

TRAINING_CURVES = CURVES[:2]  # loss, accuracy: from the training step's metrics
SCORED_CURVES = CURVES[2:]  # val_loss, val_accuracy, test_loss, test_accuracy, collapsed


def score_probe(model, copies):
    """A model of the stack's own layers scoring every copy on its validation and test data.

    Args:
        model: a stacked model (`stacked.build_stack`).
        copies: its `copies.Copies`.

    Returns:
        `(probe, data)`: `probe.predict_on_batch(data)` gives, on the
        model's current weights, one `(4, K)` array per data set, the
        validation set's and the test set's: each copy's sums
        (`copy_metrics.CopyScores`; `copy_metrics.scores` makes them scores).
        When the validation data is the test set (the article recipe), the
        test set alone, scored once.
    """
    from iris_keras.study.copy_metrics import CopyScores

    same = copies.recipes[0].validation == "test"
    sets = {"test": copies.test} if same else {"val": copies.validation, "test": copies.test}
    scores = CopyScores(model.loss, name="scores")
    inputs, outputs, data = [], [], []
    for name, (x, y) in sets.items():  # per source: x (S, n, 4), y (S, n, classes)
        features = keras.Input(shape=(x.shape[0], x.shape[2]), name=f"{name}_x")
        labels = keras.Input(shape=(y.shape[0], y.shape[2]), name=f"{name}_y")
        flowing = features
        for layer in model.layers:
            flowing = layer(flowing)
        inputs += [features, labels]
        outputs.append(scores([labels, flowing]))
        data += [x.swapaxes(0, 1), y.swapaxes(0, 1)]
    return keras.Model(inputs, outputs, name="score_probe"), data


class EpochRecorder(keras.callbacks.Callback):
    """Records each copy's curves after every `steps_per_epoch` batches of a stacked `fit`.

    Args:
        steps_per_epoch: batches in one epoch.
        probe: `score_probe(model, copies)`, or `None` to record the
            training curves only. Defaults to `None`.
    """

    def __init__(self, steps_per_epoch, probe=None):
        super().__init__()
        self.steps_per_epoch = steps_per_epoch
        self.probe, self.data = probe if probe is not None else (None, [])
        names = CURVES if probe is not None else TRAINING_CURVES
        self.records: dict[str, list] = {name: [] for name in names}

    def on_train_batch_end(self, batch, logs=None):
        if (batch + 1) % self.steps_per_epoch:
            return
        for name in TRAINING_CURVES:
            self.records[name].append(np.asarray(logs[f"copy_{name}"], dtype=np.float32))
        if self.probe is not None:
            backend.sync_training_state(self.model)  # JAX keeps the weights apart while fitting
            results = self.probe.predict_on_batch(self.data)
            *validation, test = results if isinstance(results, list | tuple) else [results]
            test = scores(test)
            loss, accuracy, _ = scores(validation[0]) if validation else test  # article: test set
            for name, values in zip(SCORED_CURVES, (loss, accuracy, *test), strict=True):
                self.records[name].append(values)

    def curves(self):
        """The recorded curves, `{name: float32 array (epochs, K)}`."""
        return {name: np.stack(values) for name, values in self.records.items()}
