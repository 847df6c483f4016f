"""Shared fixtures: a small trained run, made once per test process."""

import os
import sys

import pytest

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")

FEW_EPOCHS = 3


def cli_command(*args):
    """The command line that runs `iris-keras ARGS` in a fresh Python process."""
    return [sys.executable, "-m", "iris_keras", *map(str, args)]


def train_command(output, *extra, recipe="multiclass", epochs, seed):
    """The command line of a quiet CPU `iris-keras train` into `output`."""
    return cli_command(
        "train",
        "--recipe",
        recipe,
        "--epochs",
        epochs,
        "--seed",
        seed,
        "--output",
        output,
        "--quiet",
        "--device",
        "cpu",
        *extra,
    )


@pytest.fixture(scope="session")
def article_run(tmp_path_factory):
    """The article recipe trained for a few epochs: `(metrics, output_dir)`."""
    from iris_keras.recipes import get_recipe
    from iris_keras.run import train_recipe

    output_dir = tmp_path_factory.mktemp("article")
    metrics = train_recipe(
        get_recipe("article", epochs=FEW_EPOCHS), output_dir=output_dir, device="cpu", verbose=0
    )
    return metrics, output_dir


@pytest.fixture(scope="session")
def multiclass_run(tmp_path_factory):
    """The multiclass recipe trained for a few epochs: `(metrics, output_dir)`."""
    from iris_keras.recipes import get_recipe
    from iris_keras.run import train_recipe

    output_dir = tmp_path_factory.mktemp("multiclass")
    metrics = train_recipe(
        get_recipe("multiclass", epochs=FEW_EPOCHS),
        output_dir=output_dir,
        device="cpu",
        verbose=0,
    )
    return metrics, output_dir
