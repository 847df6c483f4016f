import math

import numpy as np
import pytest

from iris_keras.errors import (
    UsageError,
    check_choice,
    check_non_negative_int,
    check_positive_float,
    check_positive_int,
    check_unit_interval,
    invalid,
)


@pytest.mark.parametrize(
    "check, value, match",
    [
        pytest.param(check_positive_int, 0, "a positive integer. Received: x=0", id="int-zero"),
        pytest.param(check_positive_int, 2.5, "Received: x=2.5", id="int-float"),
        pytest.param(check_positive_int, True, "Received: x=True", id="int-bool"),
        pytest.param(check_positive_int, "3", "Received: x='3'", id="int-string"),
        pytest.param(check_non_negative_int, -1, "an integer >= 0", id="nonneg-negative"),
        pytest.param(check_positive_float, 0.0, "a positive finite number", id="float-zero"),
        pytest.param(check_positive_float, -0.1, "Received: x=-0.1", id="float-negative"),
        pytest.param(check_positive_float, math.inf, "Received: x=inf", id="float-inf"),
        pytest.param(check_positive_float, math.nan, "Received: x=nan", id="float-nan"),
    ],
)
def test_number_checks_name_the_value(check, value, match):
    with pytest.raises(UsageError, match=match):
        check("x", value)


@pytest.mark.parametrize(
    "value, closed_low, closed_high, ok",
    [
        (0.0, True, False, True),
        (0.0, False, False, False),
        (1.0, True, False, False),
        (1.0, True, True, True),
        (0.5, False, False, True),
        (math.nan, True, True, False),
    ],
)
def test_unit_interval(value, closed_low, closed_high, ok):
    if ok:
        assert (
            check_unit_interval("m", value, closed_low=closed_low, closed_high=closed_high) == value
        )
    else:
        with pytest.raises(UsageError, match=r"expected a number in [\[(]0, 1[\])]"):
            check_unit_interval("m", value, closed_low=closed_low, closed_high=closed_high)


def test_choice_lists_what_is_accepted():
    with pytest.raises(UsageError, match=r"one of 'a', 'b'. Received: letter='c'"):
        check_choice("letter", "c", ("a", "b"))


def test_errors_are_one_line():
    with pytest.raises(UsageError) as error:
        check_positive_int("epochs", -3)
    assert "\n" not in str(error.value)


def test_the_whole_message_with_a_hint():
    error = invalid("epochs", "a positive integer", 0, hint="Try epochs=100")
    assert isinstance(error, UsageError)
    assert str(error) == (
        "Received an invalid value for `epochs`, expected a positive integer. "
        "Received: epochs=0. Try epochs=100"
    )
    assert str(invalid("epochs", "a positive integer", 0)).endswith("Received: epochs=0")


@pytest.mark.parametrize(
    "check, value, expected",
    [
        pytest.param(check_positive_int, 1, 1, id="int-one"),
        pytest.param(check_positive_int, np.int64(3), 3, id="int-numpy"),
        pytest.param(check_non_negative_int, 0, 0, id="nonneg-zero"),
        pytest.param(check_non_negative_int, np.int32(2), 2, id="nonneg-numpy"),
        pytest.param(check_positive_float, 1, 1.0, id="float-from-int"),
        pytest.param(check_positive_float, np.float32(0.5), 0.5, id="float-numpy"),
        pytest.param(check_positive_float, 1e-300, 1e-300, id="float-tiny"),
    ],
)
def test_accepted_numbers_come_back_as_python_numbers(check, value, expected):
    result = check("x", value)
    assert result == expected
    assert type(result) is type(expected)


@pytest.mark.parametrize(
    "check, value, message",
    [
        pytest.param(
            check_non_negative_int, True, "an integer >= 0. Received: x=True", id="nonneg-bool"
        ),
        pytest.param(
            check_non_negative_int, 2.0, "an integer >= 0. Received: x=2.0", id="nonneg-float"
        ),
        pytest.param(
            check_positive_float,
            True,
            "a positive finite number. Received: x=True",
            id="float-bool",
        ),
        pytest.param(
            check_positive_float,
            "1",
            "a positive finite number. Received: x='1'",
            id="float-string",
        ),
    ],
)
def test_refused_numbers(check, value, message):
    with pytest.raises(UsageError) as error:
        check("x", value)
    assert str(error.value) == f"Received an invalid value for `x`, expected {message}"


@pytest.mark.parametrize(
    "value, closed_low, closed_high, interval",
    [
        pytest.param(0.0, False, False, "(0, 1)", id="open"),
        pytest.param(1.0, True, False, "[0, 1)", id="closed-low"),
        pytest.param(-0.1, True, True, "[0, 1]", id="closed"),
        pytest.param(1.5, False, True, "(0, 1]", id="closed-high"),
        pytest.param(True, True, True, "[0, 1]", id="bool"),
        pytest.param(math.inf, True, True, "[0, 1]", id="inf"),
    ],
)
def test_unit_interval_message_shows_the_interval(value, closed_low, closed_high, interval):
    with pytest.raises(UsageError) as error:
        check_unit_interval("m", value, closed_low=closed_low, closed_high=closed_high)
    assert str(error.value) == (
        f"Received an invalid value for `m`, expected a number in {interval}. Received: m={value!r}"
    )


@pytest.mark.parametrize(
    "value, closed_low, closed_high",
    [
        pytest.param(1, True, True, id="one-closed"),
        pytest.param(0, True, False, id="zero-closed-low"),
        pytest.param(np.float64(0.25), False, False, id="numpy-inside"),
    ],
)
def test_unit_interval_returns_a_float(value, closed_low, closed_high):
    result = check_unit_interval("m", value, closed_low=closed_low, closed_high=closed_high)
    assert result == value
    assert type(result) is float


def test_choice_must_be_a_string_among_the_choices():
    assert check_choice("letter", "b", ("a", "b")) == "b"
    with pytest.raises(UsageError) as error:
        check_choice("letter", 1, (1, 2))
    assert str(error.value) == (
        "Received an invalid value for `letter`, expected one of 1, 2. Received: letter=1"
    )
