"""`sgd_step` against `keras.optimizers.SGD`, and the momentum claim of §2.6 on the bowl."""

import keras
import numpy as np
import pytest

from iris_keras.errors import UsageError
from iris_keras.scratch import descent, sgd_step

RNG = np.random.default_rng(11)
SHAPES = {"W": (4, 3), "b": (3,)}


@pytest.mark.parametrize(
    "learning_rate, momentum",
    [
        pytest.param(0.01, 0.9, id="article-0.01-momentum-0.9"),
        pytest.param(0.1, 0.0, id="plain-0.1"),
        pytest.param(0.05, 0.5, id="0.05-momentum-0.5"),
    ],
)
def test_repeated_steps_equal_keras_sgd(learning_rate, momentum):
    start = {key: RNG.normal(size=shape) for key, shape in SHAPES.items()}
    variables = [keras.Variable(start[key].astype(np.float32)) for key in SHAPES]
    optimizer = keras.optimizers.SGD(learning_rate=learning_rate, momentum=momentum)
    params, velocity = [{"name": "dense", **start, "activation": "relu"}], None
    for _ in range(5):
        grads = {key: RNG.normal(size=shape).astype(np.float32) for key, shape in SHAPES.items()}
        tensors = [keras.ops.convert_to_tensor(grads[key]) for key in SHAPES]
        optimizer.apply_gradients(zip(tensors, variables, strict=True))
        params, velocity = sgd_step(
            params, [grads], velocity, learning_rate=learning_rate, momentum=momentum
        )
        for key, variable in zip(SHAPES, variables, strict=True):
            np.testing.assert_allclose(params[0][key], variable.numpy(), rtol=1e-5, atol=1e-7)
    assert params[0]["activation"] == "relu"


def test_the_update_rule_and_no_mutation():
    params = [{"W": np.array([1.0, -1.0])}, {"mean": np.zeros(2), "std": np.ones(2)}]
    grads = [{"W": np.array([2.0, 0.5])}, {}]
    new_params, velocity = sgd_step(params, grads, learning_rate=0.1, momentum=0.9)
    np.testing.assert_allclose(velocity[0]["W"], [-0.2, -0.05])  # 0.9 * 0 - 0.1 * g
    new_params, velocity = sgd_step(new_params, grads, velocity, learning_rate=0.1, momentum=0.9)
    np.testing.assert_allclose(velocity[0]["W"], [-0.38, -0.095])  # 0.9 * v - 0.1 * g
    np.testing.assert_allclose(new_params[0]["W"], [1.0 - 0.58, -1.0 - 0.145])
    assert new_params[1] is not params[1] and velocity[1] == {}
    np.testing.assert_array_equal(params[0]["W"], [1.0, -1.0])  # the input is unchanged


def test_momentum_crosses_the_valley_faster_than_plain_descent():
    start = np.array([-4.0, 1.0])
    plain = descent.descent_path(start, steps=100, learning_rate=0.01)
    heavy = descent.descent_path(start, steps=100, learning_rate=0.01, momentum=0.9)
    # Plain descent shrinks the flat coordinate by exactly 1 - 0.01 * 1 per step.
    np.testing.assert_allclose(plain[-1, 0], -4.0 * 0.99**100, rtol=1e-12)
    # Momentum's damped oscillation shrinks by sqrt(0.9) per step (times a
    # bounded factor), far below 0.99 ** 100 = 0.37 of the start.
    assert abs(heavy[-1, 0]) < 4.0 * 0.1
    assert descent.bowl(heavy[-1]) < descent.bowl(plain[-1]) / 10
    np.testing.assert_allclose(descent.bowl_gradient(start), [-4.0, 20.0])


@pytest.mark.parametrize(
    "kwargs, match",
    [
        pytest.param({"learning_rate": 0.0}, "Received: learning_rate=0.0", id="learning-rate"),
        pytest.param({"momentum": 1.0}, r"in \[0, 1\). Received: momentum=1.0", id="momentum"),
        pytest.param(
            {"grads": [{"W": np.zeros(3)}]},
            r"`grads`, expected arrays of the shapes of params and velocity. "
            r"Received: grads=\"'W' of shape \(3,\) for params of shape \(2,\)",
            id="shape",
        ),
        pytest.param(
            {"grads": []},
            r"one entry per layer of params \(1\).*Received: grads='0 gradient",
            id="count",
        ),
    ],
)
def test_bad_arguments_are_named(kwargs, match):
    arguments = {"params": [{"W": np.zeros(2)}], "grads": [{"W": np.zeros(2)}], **kwargs}
    with pytest.raises(UsageError, match=match):
        sgd_step(**arguments)
