import math

import pytest

from iris_keras.errors import (
    UsageError,
    check_choice,
    check_non_negative_int,
    check_positive_float,
    check_positive_int,
    check_unit_interval,
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
