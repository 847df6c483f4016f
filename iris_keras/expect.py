"""Show an expected failure and carry on: how the errata notebook runs the article as printed.

A notebook stops at the first exception. The errata notebook wants to show
each of the article's failures, then fix it, so it wraps each failing line:

    with expect_error(ImportError, match="iris"):
        from keras.datasets import iris

prints `ImportError: cannot import name 'iris' …` and goes on. The block
must fail that way: if it runs cleanly, or fails with another message, the
claim is false and `expect_error` raises `AssertionError`, which stops the
notebook and fails its test.
"""

import contextlib
import re
import warnings
from collections.abc import Iterator

MAX_MESSAGE = 300
ANSI_STYLE = re.compile(r"\x1b\[[0-9;]*m")  # Keras makes layer names bold in terminals


@contextlib.contextmanager
def expect_error(error_type: type[BaseException], *, match: str) -> Iterator[None]:
    """Runs the block, which must raise `error_type` with a message matching `match`.

    Args:
        error_type: the exception class expected.
        match: a regular expression searched for in the message (whitespace
            collapsed to single spaces; an `ImportError`'s file path left out).

    Raises:
        AssertionError: the block raised nothing, or a message that does
            not match. Other exception types propagate unchanged.

    Example:
    >>> with expect_error(ZeroDivisionError, match="by zero"):
    ...     1 / 0
    ZeroDivisionError: division by zero
    """
    try:
        yield
    except error_type as error:
        message = _one_line(error)
        if not re.search(match, message):
            raise AssertionError(
                f"{type(error).__name__} was raised, but its message does not match "
                f"{match!r}: {message[:MAX_MESSAGE]}"
            ) from error
        print(f"{type(error).__name__}: {_shorten(message)}")
    else:
        raise AssertionError(
            f"Expected {error_type.__name__} matching {match!r}; the block ran without error."
        )


@contextlib.contextmanager
def expect_warning(category: type[Warning], *, match: str) -> Iterator[None]:
    """Runs the block, which must warn with `category` and a message matching `match`.

    The warning is printed rather than shown by the warnings machinery.

    Raises:
        AssertionError: no such warning was issued.

    Example:
    >>> import warnings
    >>> with expect_warning(UserWarning, match="careful"):
    ...     warnings.warn("be careful", UserWarning)
    UserWarning: be careful
    """
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        yield
    for warning in caught:
        message = " ".join(str(warning.message).split())
        if issubclass(warning.category, category) and re.search(match, message):
            print(f"{warning.category.__name__}: {_shorten(message)}")
            return
    seen = [f"{w.category.__name__}: {w.message}" for w in caught]
    raise AssertionError(f"Expected {category.__name__} matching {match!r}; got {seen or 'none'}.")


def _one_line(error: BaseException) -> str:
    """The error's message on one line, without terminal styles or the path of a file.

    An `ImportError` ends its message with the file of the module it looked
    in, a path on this machine ("… from 'keras.datasets' (/home/…/__init__.py)");
    the module's name before it says the same on any machine.
    """
    message = str(error)
    if isinstance(error, ImportError) and error.path:
        message = message.replace(f" ({error.path})", "")
    return " ".join(ANSI_STYLE.sub("", message).split())


def _shorten(message: str) -> str:
    return message if len(message) <= MAX_MESSAGE else message[: MAX_MESSAGE - 1] + "…"
