"""The training feed of the backends that read Python generators: JAX and PyTorch."""


def training_feed(x, y, orders, *, batch_size):
    """Each epoch's order in `orders`, cut into batches of `batch_size`, as NumPy arrays.

    Example:
    >>> import numpy as np
    >>> x, y = np.arange(10.0).reshape(5, 2), np.arange(5)
    >>> orders = np.array([[4, 3, 2, 1, 0]])
    >>> [y_batch.tolist() for _, y_batch in training_feed(x, y, orders, batch_size=2)]
    [[4, 3], [2, 1], [0]]
    """
    for order in orders:
        for start in range(0, len(order), batch_size):
            index = order[start : start + batch_size]
            yield x[index], y[index]
