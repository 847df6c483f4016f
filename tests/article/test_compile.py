import numpy as np
import pytest

from iris_keras.backend import jit_compile, steps_per_execution
from iris_keras.compile import compile_model
from iris_keras.errors import UsageError
from iris_keras.model import build_model


@pytest.mark.parametrize(
    "target, loss",
    [
        ("binary", "binary_crossentropy"),
        ("onehot", "categorical_crossentropy"),
        ("sparse", "sparse_categorical_crossentropy"),
    ],
)
def test_loss_matches_target(target, loss):
    model = compile_model(build_model(target=target, standardize=False), target=target)
    assert model.loss == loss


def test_article_optimizer():
    model = compile_model(build_model(standardize=False))
    config = model.optimizer.get_config()
    assert type(model.optimizer).__name__ == "SGD"
    assert config["learning_rate"] == pytest.approx(0.01)
    assert config["momentum"] == pytest.approx(0.9)
    assert not config["nesterov"]


@pytest.mark.parametrize(
    "kwargs, match",
    [
        pytest.param({"learning_rate": 0}, "learning_rate=0", id="lr-zero"),
        pytest.param({"learning_rate": float("nan")}, "learning_rate=nan", id="lr-nan"),
        pytest.param({"momentum": 1.0}, r"\[0, 1\). Received: momentum=1.0", id="momentum-one"),
        pytest.param({"momentum": -0.1}, "momentum=-0.1", id="momentum-negative"),
        pytest.param({"target": "ordinal"}, "target='ordinal'", id="target"),
    ],
)
def test_bad_hyperparameters(kwargs, match):
    with pytest.raises(UsageError, match=match):
        compile_model(build_model(standardize=False), **kwargs)


def test_hyperparameters_reach_the_optimizer():
    model = compile_model(build_model(standardize=False), learning_rate=0.25, momentum=0.0)
    config = model.optimizer.get_config()
    assert config["learning_rate"] == pytest.approx(0.25)
    assert config["momentum"] == 0.0


def test_accuracy_is_the_metric_and_batches_run_as_asked():
    model = compile_model(build_model(standardize=False), steps_per_execution=4)
    assert model.steps_per_execution == steps_per_execution(4)
    assert model.jit_compile == jit_compile()
    x = np.array([[5.1, 3.5, 1.4, 0.2], [6.3, 3.3, 6.0, 2.5]], dtype="float32")
    scores = model.evaluate(x, np.array([0.0, 1.0]), verbose=0, return_dict=True)
    assert sorted(scores) == ["accuracy", "loss"]


def test_one_batch_per_call_unless_asked():
    assert compile_model(build_model(standardize=False)).steps_per_execution == 1


@pytest.mark.parametrize("choice", [True, False], ids=["xla", "no-xla"])
def test_the_backends_jit_choice_reaches_compile(monkeypatch, choice):
    """What `Model.compile` receives (Keras may decline XLA later, e.g. with op determinism on)."""
    import iris_keras.backend

    monkeypatch.setattr(iris_keras.backend, "jit_compile", lambda: choice)
    model = build_model(standardize=False)
    received = {}
    monkeypatch.setattr(model, "compile", lambda **kwargs: received.update(kwargs))
    compile_model(model)
    assert received["jit_compile"] is choice
