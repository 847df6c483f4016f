"""What the study records of each copy of a trained stacked model, for all copies at once.

The stacked counterparts of `measures`: `stack_figures` gives each copy's
test accuracy and loss, dead ReLU units and collapse as `run_variant`
measures them on its own model, in one compiled call; `diverged_epoch`
marks a copy whose training loss stopped being finite.
"""

import numpy as np


def backend_array(tensor):
    """A backend tensor as a NumPy array."""
    import keras

    return keras.ops.convert_to_numpy(tensor)


def stack_figures(model, copies):
    """Each copy's test scores, dead ReLU units and collapse, from the trained stack.

    What `run_variant` measures on its own model, for all copies at once,
    in one compiled call (`final_probe`): `test_accuracy` and `test_loss`
    as `evaluate_model`'s `test_on_batch` computes them on each copy's test
    split (`copy_metrics.CopyScores`, the same numbers to the bit),
    `collapsed` as `predicts_single_class` decides it there, and
    `dead_units` as `dead_relu_units` counts them on the training split.

    Returns:
        A dict of lists, one value per copy.
    """
    from iris_keras.study.copy_metrics import scores

    (x_fit, _), (x_test, y_test) = copies.fit, copies.test
    data = [values.swapaxes(0, 1) for values in (x_fit, x_test, y_test)]  # samples first
    *hidden, sums = final_probe(model).predict_on_batch(data)
    dead = sum(np.all(np.asarray(output) == 0, axis=1).sum(axis=-1) for output in hidden)
    loss, accuracy, collapsed = scores(sums)
    return {
        "test_accuracy": [float(value) for value in accuracy],
        "test_loss": [float(value) for value in loss],
        "dead_units": [int(count) for count in dead],
        "collapsed": [bool(value) for value in collapsed],
    }


def final_probe(model):
    """A model of the stack's own layers: its hidden ReLU outputs, and its test sums.

    It takes every source's training flowers `(n, S, features)`, test
    flowers `(m, S, features)` and test labels `(m, S, classes)`, and gives each hidden
    ReLU layer's output on the training flowers, copies first `(K, n,
    units)`, then `CopyScores`' sums on the test flowers, `(4, K)`. One
    compiled call: on JAX, calling the layers one by one compiles each
    operation for its shapes, a few seconds per stack.
    """
    import keras

    from iris_keras.study.copy_metrics import CopyScores

    sources, features = model.inputs[0].shape[1:]
    classes = model.outputs[0].shape[-1]
    fit, test = (keras.Input(shape=(sources, features), name=name) for name in ("fit_x", "test_x"))
    labels = keras.Input(shape=(sources, classes), name="test_y")
    flowing, hidden = fit, []
    for layer in model.layers:
        flowing = layer(flowing)
        if getattr(layer, "activation", None) is keras.activations.relu:
            hidden.append(flowing)
    flowing = test
    for layer in model.layers:
        flowing = layer(flowing)
    sums = CopyScores(model.loss, name="test_sums")([labels, flowing])
    return keras.Model([fit, test, labels], [*hidden, sums], name="final_probe")


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
