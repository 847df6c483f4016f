"""Data sets, shaped like `keras.datasets`: `from iris_keras.datasets import iris`."""

from iris_keras.datasets import iris

__all__ = ["iris"]
