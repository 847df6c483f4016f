"""Shared fixtures: a small trained run of each recipe, made once per test process; a browser."""

import os

import pytest

from tests.support.helpers import FEW_EPOCHS, shared

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")


@pytest.fixture(scope=shared("session"))
def article_run(tmp_path_factory):
    """The article recipe trained for a few epochs: `(metrics, output_dir)`."""
    from iris_keras.app.run import train_recipe
    from iris_keras.recipes import get_recipe

    output_dir = tmp_path_factory.mktemp("article")
    metrics = train_recipe(
        get_recipe("article", epochs=FEW_EPOCHS), output_dir=output_dir, device="cpu", verbose=0
    )
    return metrics, output_dir


@pytest.fixture(scope=shared("session"))
def multiclass_run(tmp_path_factory):
    """The multiclass recipe trained for a few epochs: `(metrics, output_dir)`."""
    from iris_keras.app.run import train_recipe
    from iris_keras.recipes import get_recipe

    output_dir = tmp_path_factory.mktemp("multiclass")
    metrics = train_recipe(
        get_recipe("multiclass", epochs=FEW_EPOCHS),
        output_dir=output_dir,
        device="cpu",
        verbose=0,
    )
    return metrics, output_dir


@pytest.fixture(scope="module")
def chromium():
    """Headless Chromium (Selenium WebDriver), one per test module."""
    from tests.support.browser import start_chromium

    driver = start_chromium()
    yield driver
    driver.quit()


@pytest.fixture(scope="session")
def book(request):
    """Every HTML file of the book `make book` built, built once per test run (any worker)."""
    from tests.support.book import build_book

    return build_book(request.config)


def pytest_collection_modifyitems(config, items):
    """A test that reads the built book builds it (`make book`): it is a `book` test, run last.

    Last, so that the notebook tests have stored their executions in the book's
    cache (`tools.book.cache`) when `make book` runs: it executes none of them again.
    A `tensorflow` test trains with TensorFlow's own machinery (a multi-worker
    cluster), which the other backends refuse (their refusal has tests of its own):
    on JAX and PyTorch it is deselected, and pytest's summary counts it so.
    """
    for item in items:
        if "book" in getattr(item, "fixturenames", ()):
            item.add_marker(pytest.mark.book)
    items.sort(key=lambda item: item.get_closest_marker("book") is not None)
    if os.environ.get("KERAS_BACKEND", "tensorflow") != "tensorflow":
        other = [item for item in items if item.get_closest_marker("tensorflow")]
        if other:
            config.hook.pytest_deselected(items=other)
            items[:] = [item for item in items if item not in other]
