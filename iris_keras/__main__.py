"""`python -m iris_keras`, the same as the `iris-keras` command."""

from iris_keras.app.cli import run

run()
