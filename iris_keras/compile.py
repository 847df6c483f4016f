"""§4.3: compile with the article's optimizer, loss and metric.

The article writes `SGD(lr=0.01, momentum=0.9)`; Keras 3 rejects `lr` and
calls it `learning_rate`. The loss matches the target: binary cross-entropy
for one sigmoid unit, categorical cross-entropy for one-hot labels, and its
sparse form for species indices.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from iris_keras.errors import check_choice, check_positive_float, check_unit_interval

if TYPE_CHECKING:
    import keras

LOSSES = {
    "binary": "binary_crossentropy",
    "onehot": "categorical_crossentropy",
    "sparse": "sparse_categorical_crossentropy",
}


def compile_model(
    model: keras.Model,
    *,
    target: str = "binary",
    learning_rate: float = 0.01,
    momentum: float = 0.9,
    steps_per_execution: int = 1,
) -> keras.Model:
    """Compiles `model` in place with SGD, the target's cross-entropy and accuracy.

    The update rule, as `keras.optimizers.SGD` applies it to each weight `w`
    with gradient `g`:

        velocity = momentum * velocity - learning_rate * g
        w = w + velocity

    Args:
        model: a `keras.Model`, for example from `build_model`.
        target: the label encoding, which picks the loss.
            Defaults to `"binary"`.
        learning_rate: the SGD step size, a positive finite number.
            Defaults to `0.01`.
        momentum: the SGD momentum, in [0, 1). Defaults to `0.9`.
        steps_per_execution: batches run per compiled call; the training
            path sets it to the batches in an epoch. PyTorch accepts only 1,
            so there it is always 1. Defaults to `1`.

    On PyTorch it also limits PyTorch to one CPU thread
    (`backend.limit_cpu_threads`), the fastest for a network this small.

    Returns:
        `model`, compiled.
    """
    import keras

    from iris_keras import backend

    target = check_choice("target", target, tuple(LOSSES))
    learning_rate = check_positive_float("learning_rate", learning_rate)
    momentum = check_unit_interval("momentum", momentum, closed_low=True, closed_high=False)
    backend.limit_cpu_threads()
    model.compile(
        optimizer=keras.optimizers.SGD(learning_rate=learning_rate, momentum=momentum),
        loss=LOSSES[target],
        metrics=["accuracy"],
        steps_per_execution=backend.steps_per_execution(steps_per_execution),
        # XLA where it pays: on JAX (op by op is ten times slower), not on
        # TensorFlow or PyTorch, where compiling costs more than it saves here.
        jit_compile=backend.jit_compile(),
    )
    return model
