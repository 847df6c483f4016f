"""One seed for Python, NumPy and Keras, and deterministic ops on TensorFlow.

With the same seed, two runs in two processes on the CPU give the same
weights, bit for bit (`tests/article/test_seeding.py` proves it).
"""

import random

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


def initializer_seeds(seed: int, count: int) -> list[int]:
    """The seeds Keras gives the first `count` unseeded initializers made after `set_seed(seed)`.

    Keras draws an unseeded initializer's seed from Python's global `random`
    (`random.randint(1, 10**9)`) when the layer is made. These are the same
    draws from a generator of their own: another thread that uses `random`
    between `set_seed` and the layers (a Dask worker's does, when it retries
    a connection) cannot change a run's initial weights.

    Args:
        seed: an integer >= 0, the run's seed.
        count: how many seeds, one per layer, in the order they are made.

    Returns:
        A list of `count` integers.

    Example:
    >>> import keras
    >>> _ = set_seed(7)
    >>> keras.initializers.get("glorot_uniform").seed == initializer_seeds(7, 1)[0]
    True
    """
    generator = random.Random(check_non_negative_int("seed", seed))
    return [generator.randint(1, int(1e9)) for _ in range(count)]
