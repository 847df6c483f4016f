import numpy as np
import pytest

from iris_keras.datasets import iris
from iris_keras.errors import UsageError


@pytest.mark.parametrize(
    "target, label_shape, label_dtype",
    [
        pytest.param("binary", (), np.float32, id="binary"),
        pytest.param("onehot", (3,), np.float32, id="onehot"),
        pytest.param("sparse", (), np.int64, id="sparse"),
    ],
)
def test_load_data_shapes_and_dtypes(target, label_shape, label_dtype):
    (x_train, y_train), (x_test, y_test) = iris.load_data(target=target)
    assert x_train.shape == (120, 4) and x_test.shape == (30, 4)
    assert x_train.dtype == np.float32
    assert y_train.shape == (120, *label_shape) and y_test.shape == (30, *label_shape)
    assert y_train.dtype == label_dtype


def test_features_are_centimetres_of_the_real_data():
    (x_train, _), (x_test, _) = iris.load_data()
    features = np.concatenate([x_train, x_test])
    assert features.min() == pytest.approx(0.1) and features.max() == pytest.approx(7.9)
    np.testing.assert_allclose(
        np.sort(features.sum(axis=0)), np.sort([876.5, 458.6, 563.7, 179.9]), rtol=1e-5
    )


@pytest.mark.parametrize("positive_class", iris.SPECIES)
def test_binary_target_marks_the_positive_class(positive_class):
    (_, y_sparse), _ = iris.load_data(target="sparse", seed=3)
    (_, y_binary), _ = iris.load_data(positive_class=positive_class, seed=3)
    np.testing.assert_array_equal(y_binary, y_sparse == iris.SPECIES.index(positive_class))


def test_split_is_stratified():
    (_, y_train), (_, y_test) = iris.load_data(target="sparse")
    assert np.bincount(y_train).tolist() == [40, 40, 40]
    assert np.bincount(y_test).tolist() == [10, 10, 10]


def test_same_seed_same_split_other_seed_other_split():
    (a, _), _ = iris.load_data(seed=7)
    (b, _), _ = iris.load_data(seed=7)
    (c, _), _ = iris.load_data(seed=8)
    np.testing.assert_array_equal(a, b)
    assert not np.array_equal(a, c)


def test_test_size():
    (x_train, _), (x_test, _) = iris.load_data(test_size=0.5)
    assert len(x_train) == 75 and len(x_test) == 75


@pytest.mark.parametrize(
    "kwargs, match",
    [
        pytest.param(
            {"target": "multiclass"}, "`target`.*'binary', 'onehot', 'sparse'", id="target"
        ),
        pytest.param({"positive_class": "rose"}, "positive_class='rose'", id="species"),
        pytest.param({"positive_class": "Setosa"}, "positive_class='Setosa'", id="species-case"),
        pytest.param({"test_size": 0}, r"in \(0, 1\). Received: test_size=0", id="test-size-zero"),
        pytest.param({"test_size": 1.0}, "test_size=1.0", id="test-size-one"),
        pytest.param({"test_size": 0.001}, "at least one flower per species", id="test-size-tiny"),
        pytest.param({"seed": -1}, "seed=-1", id="seed-negative"),
        pytest.param({"seed": 1.5}, "seed=1.5", id="seed-float"),
    ],
)
def test_bad_options(kwargs, match):
    with pytest.raises(UsageError, match=match):
        iris.load_data(**kwargs)


def test_options_are_keyword_only():
    with pytest.raises(TypeError):
        iris.load_data("onehot")


def test_load_frame():
    frame = iris.load_frame()
    assert frame.shape == (150, 5)
    assert list(frame.columns) == [*iris.FEATURE_NAMES, "species"]
    assert frame["species"].value_counts().to_dict() == dict.fromkeys(iris.SPECIES, 50)
    np.testing.assert_allclose(
        frame[list(iris.FEATURE_NAMES)].sum(), [876.5, 458.6, 563.7, 179.9], rtol=1e-5
    )
    petals = frame.groupby("species", observed=True)["petal_length"]
    assert petals.max()["setosa"] < petals.min()["versicolor"]  # each row keeps its species


def test_train_validation_split_keeps_strata():
    (x, y), _ = iris.load_data(target="onehot")
    (x_fit, _), (x_val, y_val) = iris.train_validation_split(x, y, validation_size=0.25)
    assert len(x_fit) == 90 and len(x_val) == 30
    assert y_val.sum(axis=0).tolist() == [10, 10, 10]


def test_class_names():
    assert iris.class_names(positive_class="setosa") == ("not setosa", "setosa")
    assert iris.class_names(target="onehot") == iris.SPECIES


@pytest.mark.parametrize("validation_size, expected", [(0.1, 12), (0.5, 60)])
def test_train_validation_split_holds_out_validation_size(validation_size, expected):
    (x, y), _ = iris.load_data()
    (x_fit, _), (x_val, _) = iris.train_validation_split(x, y, validation_size=validation_size)
    assert (len(x_fit), len(x_val)) == (120 - expected, expected)


@pytest.mark.parametrize(
    "validation_size, match",
    [
        pytest.param(0, r"`validation_size`, expected a number in \(0, 1\)", id="zero"),
        pytest.param(1, r"in \(0, 1\). Received: validation_size=1", id="one"),
        pytest.param("0.2", r"Received: validation_size='0.2'", id="string"),
    ],
)
def test_train_validation_split_refuses_bad_sizes(validation_size, match):
    (x, y), _ = iris.load_data()
    with pytest.raises(UsageError, match=match):
        iris.train_validation_split(x, y, validation_size=validation_size)


def test_train_validation_split_is_the_same_for_both_species_encodings():
    """The same seed holds out the same flowers whether the species are one-hot or
    sparse labels, and another seed other flowers."""
    splits = {}
    for target in ("onehot", "sparse"):
        (x, y), _ = iris.load_data(target=target)
        splits[target] = iris.train_validation_split(x, y, seed=5)[1][0]
    np.testing.assert_array_equal(splits["onehot"], splits["sparse"])
    (x, y), _ = iris.load_data(target="sparse")
    assert not np.array_equal(iris.train_validation_split(x, y, seed=6)[1][0], splits["sparse"])


@pytest.mark.parametrize(
    "test_size, n_test",
    [
        pytest.param(0.02, 3, id="smallest-test-split"),
        pytest.param(0.98, 147, id="smallest-training-split"),
    ],
)
def test_the_extreme_test_sizes_keep_one_flower_per_species(test_size, n_test):
    (_, y_train), (_, y_test) = iris.load_data(target="sparse", test_size=test_size)
    assert len(y_test) == n_test and len(y_train) == 150 - n_test
    assert set(y_train.tolist()) == set(y_test.tolist()) == {0, 1, 2}


@pytest.mark.parametrize("test_size", [0.013, 0.987])
def test_a_split_without_every_species_is_refused(test_size):
    with pytest.raises(
        UsageError,
        match=rf"`test_size`, expected a fraction in \(0, 1\) that leaves at least one flower "
        rf"per species in each split, that is between 0.014 and 0.98. "
        rf"Received: test_size={test_size}",
    ):
        iris.load_data(test_size=test_size)
