import keras
import numpy as np
import pytest

from iris_keras.backend import generator
from iris_keras.batches import epoch_orders, epoch_permutation
from iris_keras.compile import compile_model
from iris_keras.datasets import iris
from iris_keras.errors import DivergedError, UsageError
from iris_keras.model import build_model
from iris_keras.seeding import set_seed
from iris_keras.train import fit_model, training_feed
from tests.support.helpers import shared


@pytest.fixture(scope=shared("module"))
def data():
    return iris.load_data()


def test_history_has_the_article_keys_and_one_entry_per_epoch(data):
    (x_train, y_train), validation = data
    set_seed(0)
    model = compile_model(build_model(x_train))
    history = fit_model(model, x_train, y_train, validation_data=validation, epochs=3, verbose=0)
    assert sorted(history.history) == ["accuracy", "loss", "val_accuracy", "val_loss"]
    assert all(len(values) == 3 for values in history.history.values())
    assert model.optimizer.iterations.numpy() == 3 * 4  # 4 batches of 32, 32, 32, 24 per epoch


def test_validation_metrics_equal_evaluate(data):
    (x_train, y_train), (x_test, y_test) = data
    set_seed(0)
    model = compile_model(build_model(x_train))
    history = fit_model(
        model, x_train, y_train, validation_data=(x_test, y_test), epochs=2, verbose=0
    )
    scores = model.evaluate(x_test, y_test, verbose=0, return_dict=True)
    assert history.history["val_loss"][-1] == pytest.approx(scores["loss"], rel=1e-5)
    assert history.history["val_accuracy"][-1] == pytest.approx(scores["accuracy"])


def training_batches(x, y, *, batch_size, seed, epochs, initial_epoch=0):
    """The batches `training_feed` must hold, as NumPy arrays: each epoch's permutation, cut."""
    orders = epoch_orders(len(x), seed=seed, epochs=epochs, initial_epoch=initial_epoch)
    return generator.training_feed(x, y, orders, batch_size=batch_size)


def test_batches_feed_each_epochs_permutation(data):
    (x_train, y_train), _ = data
    feed = training_batches(x_train, y_train, batch_size=32, seed=9, epochs=3, initial_epoch=1)
    batches = [x for x, _ in feed]
    assert [len(batch) for batch in batches] == [32, 32, 32, 24] * 2
    expected = np.concatenate(
        [x_train[epoch_permutation(120, seed=9, epoch=epoch)] for epoch in (1, 2)]
    )
    np.testing.assert_array_equal(np.concatenate(batches), expected)


def test_the_batches_start_at_the_first_epoch_by_default():
    x, y = np.arange(10.0).reshape(5, 2), np.arange(5)
    batches = [
        len(x_batch) for x_batch, _ in training_batches(x, y, batch_size=2, seed=0, epochs=2)
    ]
    assert batches == [2, 2, 1, 2, 2, 1]


def test_the_feed_holds_those_batches_on_this_backend(data):
    import keras

    (x_train, y_train), _ = data
    kwargs = {"batch_size": 32, "seed": 9, "epochs": 3, "initial_epoch": 1}
    fed = list(training_feed(x_train, y_train, **kwargs))
    expected = list(training_batches(x_train, y_train, **kwargs))
    assert len(fed) == len(expected) == 8
    for (x_fed, y_fed), (x_batch, y_batch) in zip(fed, expected, strict=True):
        np.testing.assert_array_equal(keras.ops.convert_to_numpy(x_fed), x_batch)
        np.testing.assert_array_equal(keras.ops.convert_to_numpy(y_fed), y_batch)


def test_training_learns(data):
    (x_train, y_train), validation = data
    set_seed(1)
    model = compile_model(build_model(x_train))
    history = fit_model(model, x_train, y_train, validation_data=validation, epochs=15, verbose=0)
    assert history.history["loss"][-1] < history.history["loss"][0]


def test_callbacks_are_called(data):
    (x_train, y_train), _ = data
    epochs_seen = []
    callback = keras.callbacks.LambdaCallback(
        on_epoch_end=lambda epoch, logs: epochs_seen.append(epoch)
    )
    model = compile_model(build_model(x_train))
    fit_model(model, x_train, y_train, epochs=2, callbacks=[callback], verbose=0)
    assert epochs_seen == [0, 1]


@pytest.mark.parametrize(
    "kwargs, match",
    [
        pytest.param({"epochs": 0}, "epochs=0", id="epochs-zero"),
        pytest.param({"epochs": 2.5}, "epochs=2.5", id="epochs-float"),
        pytest.param({"batch_size": -32}, "batch_size=-32", id="batch-negative"),
        pytest.param({"initial_epoch": -1}, "initial_epoch=-1", id="initial-epoch"),
    ],
)
def test_bad_arguments(data, kwargs, match):
    (x_train, y_train), _ = data
    model = compile_model(build_model(x_train))
    with pytest.raises(UsageError, match=match):
        fit_model(model, x_train, y_train, **kwargs)


def test_mismatched_arrays(data):
    (x_train, y_train), _ = data
    model = compile_model(build_model(x_train))
    with pytest.raises(
        UsageError,
        match=r"^Received an invalid value for `x`, .*Received: x='features of shape \(120, 4\) "
        r"and labels of shape \(30,\)'",
    ):
        fit_model(model, x_train, y_train[:30])
    with pytest.raises(UsageError, match=r"^Received an invalid value for `validation_data`"):
        fit_model(model, x_train, y_train, validation_data=(x_train, y_train[:30]))


class _EpochLog(keras.callbacks.Callback):
    """Records the epochs begun; after epoch `poison_after`, makes the weights NaN."""

    def __init__(self, poison_after=None):
        super().__init__()
        self.begun, self.poison_after = [], poison_after

    def on_epoch_begin(self, epoch, logs=None):
        self.begun.append(epoch)

    def on_epoch_end(self, epoch, logs=None):
        if epoch == self.poison_after:
            _poison(self.model)


def _poison(model):
    """What a diverged step leaves: weights that are not numbers."""
    for variable in model.trainable_variables:
        variable.assign(keras.ops.full(variable.shape, float("nan")))


@pytest.mark.parametrize(
    "initial_epoch, poison_after, bad_epoch",
    [
        pytest.param(0, 1, 3, id="third-of-six"),
        pytest.param(2, 3, 5, id="fifth-of-six-resumed-at-2"),
    ],
)
def test_divergence_stops_at_the_first_bad_epoch_and_names_it(
    data, initial_epoch, poison_after, bad_epoch
):
    (x_train, y_train), _ = data
    log = _EpochLog(poison_after)
    with pytest.raises(
        DivergedError, match=rf"diverged at epoch {bad_epoch}: the loss became nan.*=0.01\)"
    ):
        fit_model(
            compile_model(build_model(x_train)),
            x_train,
            y_train,
            epochs=6,
            initial_epoch=initial_epoch,
            callbacks=[log],
            verbose=0,
        )
    assert log.begun == list(range(initial_epoch, bad_epoch))  # no epoch after the bad one


def test_divergence_in_the_first_epoch_of_a_resumed_run(data):
    (x_train, y_train), _ = data
    model = compile_model(build_model(x_train))
    _poison(model)
    log = _EpochLog()
    with pytest.raises(DivergedError, match=r"diverged at epoch 4: the loss became nan"):
        fit_model(model, x_train, y_train, epochs=6, initial_epoch=3, callbacks=[log], verbose=0)
    assert log.begun == [3]


def test_resume_when_every_epoch_is_done_trains_nothing(data):
    (x_train, y_train), validation = data
    model = compile_model(build_model(x_train))
    before = model.get_weights()
    log = _EpochLog()
    history = fit_model(
        model,
        x_train,
        y_train,
        validation_data=validation,
        epochs=4,
        initial_epoch=4,
        callbacks=[log],
        verbose=0,
    )
    assert history.history == {} and log.begun == []
    for first, second in zip(before, model.get_weights(), strict=True):
        np.testing.assert_array_equal(first, second)


@pytest.mark.parametrize("initial_epoch", [5, 100])
def test_initial_epoch_beyond_epochs_is_refused(data, initial_epoch):
    (x_train, y_train), _ = data
    model = compile_model(build_model(x_train))
    with pytest.raises(
        UsageError, match=rf"in \[0, epochs=4\]. Received: initial_epoch={initial_epoch}"
    ):
        fit_model(model, x_train, y_train, epochs=4, initial_epoch=initial_epoch)
