"""One seed for Python, NumPy and Keras, and deterministic ops on TensorFlow.

With the same seed, two runs in two processes on the CPU give the same
weights, bit for bit (`tests/article/test_seeding.py` proves it).
"""

from iris_keras.errors import check_non_negative_int

DEFAULT_SEED = 42


def set_seed(seed: int = DEFAULT_SEED) -> int:
    """Seeds Python's `random`, NumPy and Keras, and makes the backend's ops deterministic.

    `keras.utils.set_random_seed` seeds `random`, `numpy.random` and the
    backend; on TensorFlow, `tf.config.experimental.enable_op_determinism`
    makes the ops pick deterministic kernels (on a GPU too, at some cost in
    speed). The same seed gives different initial weights on each backend:
    each draws its random numbers its own way.

    Args:
        seed: an integer >= 0. Defaults to `42`.

    Returns:
        The seed, as an `int`.
    """
    from iris_keras import backend

    seed = check_non_negative_int("seed", seed)
    backend.seed(seed)
    return seed
