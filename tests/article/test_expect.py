import warnings

import pytest

from iris_keras.expect import expect_error, expect_warning


def test_expected_error_is_printed_in_one_line(capsys):
    with expect_error(ValueError, match="bad value"):
        raise ValueError("a bad\n   value")
    assert capsys.readouterr().out == "ValueError: a bad value\n"


def test_terminal_styles_are_removed(capsys):
    with expect_error(ValueError, match="layer 'dense' is incompatible"):
        raise ValueError("Input 0 of \x1b[1mlayer 'dense' is incompatible\x1b[0m")
    assert capsys.readouterr().out == "ValueError: Input 0 of layer 'dense' is incompatible\n"


def test_an_import_error_is_shown_without_the_path_of_this_machine(capsys):
    with expect_error(ImportError, match="cannot import name 'nothing'"):
        from iris_keras.datasets import nothing  # noqa: F401
    printed = capsys.readouterr().out
    assert printed == "ImportError: cannot import name 'nothing' from 'iris_keras.datasets'\n"


def test_long_messages_are_shortened(capsys):
    with expect_error(ValueError, match="x"):
        raise ValueError("x" * 1000)
    assert len(capsys.readouterr().out.strip()) == len("ValueError: ") + 300


@pytest.mark.parametrize(
    "length, shown",
    [
        pytest.param(300, "x" * 300, id="300-shown-whole"),
        pytest.param(301, "x" * 299 + "…", id="301-cut-to-300"),
    ],
)
def test_messages_up_to_300_characters_are_shown_whole(capsys, length, shown):
    with expect_error(ValueError, match="x"):
        raise ValueError("x" * length)
    assert capsys.readouterr().out == f"ValueError: {shown}\n"


@pytest.mark.parametrize(
    "block, match",
    [
        pytest.param(lambda: None, "the block ran without error", id="no-error"),
        pytest.param(
            lambda: (_ for _ in ()).throw(ValueError("other")),
            "its message does not match 'bad value': other",
            id="other-message",
        ),
    ],
)
def test_a_false_claim_fails(block, match):
    with pytest.raises(AssertionError, match=match), expect_error(ValueError, match="bad value"):
        block()


def test_another_error_type_propagates():
    with pytest.raises(KeyError), expect_error(ValueError, match="."):
        raise KeyError("k")


def test_expected_warning_is_printed(capsys):
    with expect_warning(UserWarning, match="input_dim"):
        warnings.warn("do not pass input_dim", UserWarning, stacklevel=1)
    assert capsys.readouterr().out == "UserWarning: do not pass input_dim\n"


def test_a_missing_warning_fails():
    with (
        pytest.raises(AssertionError, match=r"Expected UserWarning matching 'x'; got none"),
        expect_warning(UserWarning, match="x"),
    ):
        pass
