"""Property-based tests: any input either works or raises our one-line error."""

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from iris_keras.datasets import iris
from iris_keras.errors import UsageError
from iris_keras.predict import MAX_LENGTH_CM, MIN_LENGTH_CM, check_measurements

anything = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(min_value=-(10**6), max_value=10**6),
    st.floats(allow_nan=True, allow_infinity=True),
    st.text(max_size=12),
)


def _assert_one_line(error):
    message = str(error)
    assert message and "\n" not in message and "Received" in message


@settings(max_examples=150, deadline=None)
@given(
    target=st.one_of(st.sampled_from(iris.TARGETS), anything),
    positive_class=st.one_of(st.sampled_from(iris.SPECIES), anything),
    test_size=st.one_of(st.floats(min_value=0.0, max_value=1.0), anything),
    seed=st.one_of(st.integers(min_value=0, max_value=2**31), anything),
)
def test_load_data_works_or_raises_usage_error(target, positive_class, test_size, seed):
    try:
        (x_train, y_train), (x_test, y_test) = iris.load_data(
            target=target, positive_class=positive_class, test_size=test_size, seed=seed
        )
    except UsageError as error:
        _assert_one_line(error)
        return
    assert x_train.shape[1] == x_test.shape[1] == 4
    assert len(x_train) + len(x_test) == 150
    assert len(y_train) == len(x_train) and len(y_test) == len(x_test)
    assert target in iris.TARGETS and 0 < test_size < 1


measurement = st.one_of(
    st.floats(allow_nan=True, allow_infinity=True),
    st.floats(min_value=0.1, max_value=8.0),
    st.floats(min_value=0.1, max_value=8.0).map(str),
    st.text(max_size=8),
    st.none(),
    st.integers(min_value=-100, max_value=100),
)


@settings(max_examples=300, deadline=None)
@given(st.lists(measurement, max_size=6))
def test_measurements_work_or_raise_usage_error(measurements):
    try:
        x = check_measurements(measurements)
    except UsageError as error:
        _assert_one_line(error)
        return
    assert x.shape == (1, 4) and x.dtype == np.float32
    assert all(MIN_LENGTH_CM * (1 - 1e-6) <= value <= MAX_LENGTH_CM for value in x[0])
