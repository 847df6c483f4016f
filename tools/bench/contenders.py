"""The contenders of `make bench`, timed side by side in one process.

With the article's hyperparameters (100 epochs, batch 32, SGD 0.01 with
momentum 0.9, validation after every epoch) on the same data and model:

- (a) the naive listing: NumPy arrays into `fit` with `validation_data`;
- (b) the project's training path, `iris_keras.train.fit_model`;
- (c) the from-scratch NumPy loop, `iris_keras.scratch` (when present);
- (d) scikit-learn's `MLPClassifier` with the same layers, SGD, learning
  rate, momentum, batch size and epochs;

plus two ablations of (b) that undo its changes one at a time. Each is
repeated (default 3) and the median reported; the repeats interleave the
contenders so that machine noise hits them alike.
"""

import statistics
import time

import numpy as np

from iris_keras.batches import steps_per_epoch
from iris_keras.datasets import iris

EPOCHS, BATCH_SIZE, LEARNING_RATE, MOMENTUM, SEED = 100, 32, 0.01, 0.9, 42


def _fresh_model(x_train, *, steps_per_execution=1):
    from iris_keras.compile import compile_model
    from iris_keras.model import build_model
    from iris_keras.seeding import set_seed

    set_seed(SEED)
    return compile_model(build_model(x_train), steps_per_execution=steps_per_execution)


def naive_fit(data, epochs=EPOCHS):
    """(a) The article's listing: arrays into `fit`, the test set as `validation_data`."""
    (x_train, y_train), (x_test, y_test) = data
    model = _fresh_model(x_train)
    started = time.perf_counter()
    model.fit(
        x_train,
        y_train,
        validation_data=(x_test, y_test),
        epochs=epochs,
        batch_size=BATCH_SIZE,
        verbose=0,
    )
    return time.perf_counter() - started, _accuracy(model, x_test, y_test)


def project_fit(data, epochs=EPOCHS):
    """(b) `fit_model` as `iris-keras train` runs it: one compiled call per epoch."""
    (x_train, _), _ = data
    return _fit_model_run(data, steps_per_epoch(len(x_train), batch_size=BATCH_SIZE), epochs)


def one_step_per_call_fit(data, epochs=EPOCHS):
    """Ablation: (b) with one compiled call per batch (`steps_per_execution=1`)."""
    return _fit_model_run(data, 1, epochs)


def _fit_model_run(data, steps_per_execution, epochs):
    from iris_keras.train import fit_model

    (x_train, y_train), (x_test, y_test) = data
    model = _fresh_model(x_train, steps_per_execution=steps_per_execution)
    started = time.perf_counter()
    fit_model(
        model,
        x_train,
        y_train,
        validation_data=(x_test, y_test),
        epochs=epochs,
        batch_size=BATCH_SIZE,
        seed=SEED,
        verbose=0,
    )
    return time.perf_counter() - started, _accuracy(model, x_test, y_test)


def pipeline_only_fit(data, epochs=EPOCHS):
    """Ablation: only (b)'s pipeline: one call per batch, Keras's per-epoch `evaluate()`."""
    from iris_keras.train import training_feed

    (x_train, y_train), (x_test, y_test) = data
    model = _fresh_model(x_train)
    batches = training_feed(x_train, y_train, batch_size=BATCH_SIZE, seed=SEED, epochs=epochs)
    started = time.perf_counter()
    model.fit(
        batches,
        epochs=epochs,
        steps_per_epoch=steps_per_epoch(len(x_train), batch_size=BATCH_SIZE),
        validation_data=(x_test, y_test),
        validation_batch_size=len(x_test),
        shuffle=False,
        verbose=0,
    )
    return time.perf_counter() - started, _accuracy(model, x_test, y_test)


def scratch_fit(data, epochs=EPOCHS):
    """(c) The from-scratch NumPy loop of §3.3, from the same initial weights and batches.

    It computes no per-epoch validation: its row is a floor, not a like-for-like rival.
    """
    try:
        from iris_keras import scratch
    except ImportError:
        return None
    (x_train, y_train), (x_test, y_test) = data
    params = scratch.params_from_model(_fresh_model(x_train))
    started = time.perf_counter()
    params, _ = scratch.fit(
        params,
        x_train,
        y_train,
        loss="binary_crossentropy",
        epochs=epochs,
        batch_size=BATCH_SIZE,
        learning_rate=LEARNING_RATE,
        momentum=MOMENTUM,
        seed=SEED,
    )
    seconds = time.perf_counter() - started
    predicted = scratch.forward(params, x_test)[:, 0] >= 0.5
    return seconds, float(np.mean(predicted == (y_test == 1)))


def sklearn_fit(data, epochs=EPOCHS):
    """(d) scikit-learn's `MLPClassifier`: (4, 3) ReLU, SGD 0.01, momentum 0.9, batch 32."""
    import warnings

    from sklearn.exceptions import ConvergenceWarning
    from sklearn.neural_network import MLPClassifier
    from sklearn.pipeline import make_pipeline
    from sklearn.preprocessing import StandardScaler

    (x_train, y_train), (x_test, y_test) = data
    classifier = make_pipeline(
        StandardScaler(),
        MLPClassifier(
            hidden_layer_sizes=(4, 3),
            activation="relu",
            solver="sgd",
            learning_rate_init=LEARNING_RATE,
            momentum=MOMENTUM,
            nesterovs_momentum=False,
            batch_size=BATCH_SIZE,
            max_iter=epochs,
            shuffle=True,
            alpha=0.0,
            n_iter_no_change=epochs + 1,
            tol=0.0,
            random_state=SEED,
        ),
    )
    started = time.perf_counter()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ConvergenceWarning)  # 100 epochs, by design
        classifier.fit(x_train, y_train)
    return time.perf_counter() - started, float(classifier.score(x_test, y_test))


def _accuracy(model, x, y):
    return float(model.evaluate(x, y, verbose=0, return_dict=True)["accuracy"])


CONTENDERS = {
    "(a) naive listing: arrays + validation_data": naive_fit,
    "(b) iris-keras fit_model, one compiled call per epoch": project_fit,
    "(b) ablation: one compiled call per batch": one_step_per_call_fit,
    "(b) ablation: pipeline only, Keras's evaluate() per epoch": pipeline_only_fit,
    "(c) from-scratch NumPy loop (no validation)": scratch_fit,
    "(d) scikit-learn MLPClassifier": sklearn_fit,
}


def measure(repeats, *, epochs=EPOCHS):
    """Runs every contender `repeats` times, interleaved, in this process.

    Returns:
        The table's rows: `(name, median seconds, speed-up vs (a), test accuracy)`,
        `None`s for a contender that is not available.
    """
    import keras

    keras.utils.disable_interactive_logging()  # no progress bars in the timings
    data = iris.load_data()
    times = {name: [] for name in CONTENDERS}
    accuracies = {}
    for name, contender in CONTENDERS.items():  # warm-up: imports, first traces
        result = contender(data, epochs)
        if result is None:
            times[name] = None
    for _ in range(repeats):
        for name, contender in CONTENDERS.items():
            if times[name] is not None:
                seconds, accuracies[name] = contender(data, epochs)
                times[name].append(seconds)
    rows = []
    baseline = statistics.median(times[next(iter(CONTENDERS))])
    for name in CONTENDERS:
        if times[name] is None:
            rows.append((name, None, None, None))
        else:
            median = statistics.median(times[name])
            rows.append((name, median, baseline / median, accuracies[name]))
    return rows
