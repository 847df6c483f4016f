"""The order in which training flowers are fed: one shuffle per epoch.

Keras's `fit(shuffle=True)` on arrays draws each epoch's shuffle from a
global random state, so it depends on how many epochs this process has run.
Here an epoch's shuffle is a pure function of `(seed, epoch)`: a run resumed
at epoch 37 sees the same batches as one that never stopped, and the
from-scratch loop of §3.3 can be fed exactly the batches Keras saw. NumPy only.
"""

import numpy as np


def epoch_permutation(num_samples: int, *, seed: int, epoch: int) -> np.ndarray:
    """The shuffled sample order of one epoch.

    Args:
        num_samples: the number of training samples.
        seed: the run's seed.
        epoch: the epoch index, from 0.

    Returns:
        int64 array of shape `(num_samples,)`, a permutation of
        `range(num_samples)`.

    Example:
    >>> first = epoch_permutation(5, seed=1, epoch=0)
    >>> sorted(first.tolist()), (first == epoch_permutation(5, seed=1, epoch=0)).all()
    ([0, 1, 2, 3, 4], np.True_)
    """
    return np.random.default_rng([seed, epoch]).permutation(num_samples)


def epoch_orders(num_samples: int, *, seed: int, epochs: int, initial_epoch: int = 0) -> np.ndarray:
    """The shuffles of epochs `initial_epoch` to `epochs - 1`, one row each.

    Returns:
        int64 array of shape `(epochs - initial_epoch, num_samples)`.

    Example:
    >>> epoch_orders(4, seed=1, epochs=3, initial_epoch=1).shape
    (2, 4)
    """
    orders = [
        epoch_permutation(num_samples, seed=seed, epoch=e) for e in range(initial_epoch, epochs)
    ]
    return np.array(orders, dtype=np.int64).reshape(-1, num_samples)


def epoch_batches(num_samples: int, *, batch_size: int, seed: int, epoch: int) -> list[np.ndarray]:
    """The index batches of one epoch: a shuffle cut into `batch_size` pieces.

    The last batch is smaller when `batch_size` does not divide
    `num_samples`: 120 flowers in batches of 32 give 32, 32, 32, 24.

    Returns:
        A list of int64 arrays.
    """
    order = epoch_permutation(num_samples, seed=seed, epoch=epoch)
    return [order[start : start + batch_size] for start in range(0, num_samples, batch_size)]


def steps_per_epoch(num_samples: int, *, batch_size: int) -> int:
    """The number of batches in one epoch: `ceil(num_samples / batch_size)`."""
    return -(-num_samples // batch_size)
