"""What the study records of each copy of a trained stacked model, for all copies at once.

The stacked counterparts of `measures`: `stack_figures` gives each copy's
test accuracy and loss, dead ReLU units and collapse as `run_variant`
measures them on its own model; `diverged_epoch` marks a copy whose
training loss stopped being finite.
"""

import numpy as np

from iris_keras.evaluate import classes_from_probabilities


def backend_array(tensor):
    """A backend tensor as a NumPy array."""
    import keras

    return keras.ops.convert_to_numpy(tensor)


def stack_figures(model, copies):
    """Each copy's test scores, dead ReLU units and collapse, from the trained stack.

    What `run_variant` measures on its own model, for all copies at once:
    `test_accuracy` and `test_loss` from the compiled test function on the
    K test splits (as `evaluate_model`'s `test_on_batch`), `dead_units` as
    `dead_relu_units` counts them on the training split, `collapsed` as
    `predicts_single_class` decides it on the test split.

    Returns:
        A dict of lists, one value per copy.
    """
    x_test, y_test = copies.test
    scores = model.test_on_batch(x_test.swapaxes(0, 1), y_test.swapaxes(0, 1), return_dict=True)
    probabilities = backend_array(model(x_test.swapaxes(0, 1), training=False))
    return {
        "test_accuracy": [float(value) for value in backend_array(scores["copy_accuracy"])],
        "test_loss": [float(value) for value in backend_array(scores["copy_loss"])],
        "dead_units": dead_units(model, copies.fit[0].swapaxes(0, 1)),
        "collapsed": [
            len(np.unique(classes_from_probabilities(probabilities[:, copy]))) == 1
            for copy in range(len(copies.recipes))
        ],
    }


def dead_units(model, x):
    """Each copy's hidden ReLU units that output 0 for every row of `x (n, K, 4)`."""
    import keras

    outputs, dead = x, np.zeros(x.shape[1], dtype=np.int64)
    for layer in model.layers:
        outputs = layer(outputs)
        if getattr(layer, "activation", None) is keras.activations.relu:
            dead += np.all(backend_array(outputs) == 0, axis=0).sum(axis=-1)
    return [int(count) for count in dead]


def diverged_epoch(losses):
    """The first epoch (from 1) whose loss is not finite, or `None`.

    `fit_model` stops a run at its first non-finite batch loss and raises
    `DivergedError` for that epoch; the epoch's mean loss is then not
    finite either (cross-entropies are >= 0, so nothing cancels).

    Example:
    >>> diverged_epoch([0.7, 0.5, float("nan"), float("nan")]), diverged_epoch([0.7])
    (3, None)
    """
    bad = np.flatnonzero(~np.isfinite(np.asarray(losses, dtype=np.float64)))
    return int(bad[0]) + 1 if len(bad) else None
