"""One seed for Python, NumPy and Keras, and deterministic TensorFlow ops.

With the same seed, two runs in two processes on the CPU give the same
weights, bit for bit (`tests/test_seeding.py` proves it).
"""

from iris_keras.errors import check_non_negative_int

DEFAULT_SEED = 42


def set_seed(seed=DEFAULT_SEED):
    """Seeds Python's `random`, NumPy and Keras, and makes TensorFlow's ops deterministic.

    `keras.utils.set_random_seed` seeds `random`, `numpy.random` and the
    backend; `tf.config.experimental.enable_op_determinism` makes the ops
    pick deterministic kernels (on a GPU too, at some cost in speed).

    Args:
        seed: an integer >= 0. Defaults to `42`.

    Returns:
        The seed, as an `int`.
    """
    import keras
    import tensorflow as tf

    seed = check_non_negative_int("seed", seed)
    keras.utils.set_random_seed(seed)
    tf.config.experimental.enable_op_determinism()
    return seed
