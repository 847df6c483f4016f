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
    K test splits (as `evaluate_model`'s `test_on_batch`); `dead_units` as
    `dead_relu_units` counts them on the training split and `collapsed` as
    `predicts_single_class` decides it on the test split, both from one
    compiled pass of the training and test flowers through every layer
    (`layer_outputs`).

    Returns:
        A dict of lists, one value per copy.
    """
    (x_fit, _), (x_test, y_test) = copies.fit, copies.test
    scores = model.test_on_batch(x_test.swapaxes(0, 1), y_test.swapaxes(0, 1), return_dict=True)
    outputs = layer_outputs(model, np.concatenate([x_fit, x_test], axis=1).swapaxes(0, 1))
    fit_rows = x_fit.shape[1]
    dead = sum(np.all(output[:, :fit_rows] == 0, axis=1).sum(axis=-1) for _, output in outputs[:-1])
    probabilities = outputs[-1][1][fit_rows:]
    return {
        "test_accuracy": [float(value) for value in backend_array(scores["copy_accuracy"])],
        "test_loss": [float(value) for value in backend_array(scores["copy_loss"])],
        "dead_units": [int(count) for count in dead],
        "collapsed": [
            len(np.unique(classes_from_probabilities(probabilities[:, copy]))) == 1
            for copy in range(len(copies.recipes))
        ],
    }


def layer_outputs(model, x):
    """The output of each hidden ReLU layer and of the output layer for `x (n, S, 4)`.

    One compiled call (`predict_on_batch` of a model that returns those
    layers' outputs): on JAX, calling the layers one by one compiles each
    operation for its shapes, a few seconds per stack.

    Returns:
        A list of `(layer name, NumPy array)`, the output layer last: a
        hidden layer's output copies first, `(K, n, units)`, the output
        layer's samples first, `(n, K, classes)`.
    """
    import keras

    layers = [
        layer
        for layer in model.layers
        if getattr(layer, "activation", None) is keras.activations.relu
    ] + [model.layers[-1]]
    probe = keras.Model(model.inputs[0], [layer.output for layer in layers])
    return [
        (layer.name, np.asarray(output))
        for layer, output in zip(layers, probe.predict_on_batch(x), strict=True)
    ]


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
