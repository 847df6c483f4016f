"""A model's names travel in its own name: any column and class name, back unchanged."""

import re

import keras
import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from iris_keras.datasets.iris import FEATURE_NAMES
from iris_keras.datasets.model_names import (
    ModelNames,
    model_name,
    names_from_name,
    names_of,
    read_names,
)
from iris_keras.model import build_model

# What TensorFlow accepts in a graph node's name, less Keras's `/` and PyTorch's `.`.
NODE_NAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_-]*$")
NAME = st.text(min_size=1, max_size=12)


@given(
    target=NAME,
    features=st.lists(NAME, min_size=1, max_size=5).map(tuple),
    classes=st.lists(NAME, min_size=2, max_size=5, unique=True).map(tuple),
)
def test_any_names_come_back_from_a_name_tensorflow_and_keras_accept(target, features, classes):
    names = ModelNames(target, features, classes)
    encoded = model_name(names)
    assert NODE_NAME.match(encoded)
    assert names_from_name(encoded) == names


@pytest.mark.parametrize(
    "name, units, expected",
    [
        pytest.param("iris_binary_setosa", 1, ("not setosa", "setosa"), id="iris-binary"),
        pytest.param("iris_multiclass", 3, ("setosa", "versicolor", "virginica"), id="iris"),
        pytest.param("mine", 1, ("not positive class", "positive class"), id="unknown-binary"),
        pytest.param("mine", 2, ("setosa", "versicolor"), id="unknown-softmax"),
        pytest.param(
            "table-2-y-_110000_-b-x", 1, ("not positive class", "positive class"), id="bad"
        ),
        pytest.param("table-2-y-a-b", 1, ("not positive class", "positive class"), id="short"),
    ],
)
def test_a_name_build_model_never_gives_is_taken_for_iris(name, units, expected):
    names = names_of(name, units)
    assert names.class_names == expected
    assert names.feature_names == FEATURE_NAMES and names.iris


def test_a_saved_table_model_says_its_names_with_or_without_keras(tmp_path):
    names = ModelNames("品种", ("长度", "od280/od315"), ("山鸢尾", "b", "c"))
    x = np.arange(12, dtype=np.float32).reshape(6, 2)
    model = build_model(x, target="onehot", names=names, seed=1)
    assert model.input_shape == (None, 2) and model.output_shape == (None, 3)
    path = tmp_path / "model.keras"
    model.save(path)
    assert read_names(path) == names
    loaded = keras.models.load_model(path)
    assert names_of(loaded.name, loaded.output_shape[-1]) == names
    np.testing.assert_array_equal(loaded.predict(x, verbose=0), model.predict(x, verbose=0))


def test_read_names_of_a_file_that_is_no_model(tmp_path):
    (tmp_path / "model.keras").write_text("not a zip")
    assert read_names(tmp_path / "model.keras") is None
    assert read_names(tmp_path / "nowhere.keras") is None


@pytest.mark.parametrize(
    "target, classes, match",
    [
        pytest.param("binary", ("a", "b", "c"), "two label names for a binary target", id="3-bin"),
        pytest.param("onehot", ("a", "b"), "three or more for 'onehot'", id="2-onehot"),
    ],
)
def test_a_head_that_disagrees_with_the_labels_is_refused(target, classes, match):
    from iris_keras.errors import UsageError

    names = ModelNames("y", ("x",), classes)
    with pytest.raises(UsageError, match=match):
        build_model(target=target, names=names, standardize=False)
