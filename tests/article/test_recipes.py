import numpy as np
import pytest

from iris_keras.errors import UsageError
from iris_keras.recipes import RECIPES, get_recipe


def test_article_recipe_is_the_article():
    recipe = RECIPES["article"]
    assert (recipe.target, recipe.validation, recipe.units) == ("binary", "test", (4, 3))
    assert (recipe.epochs, recipe.batch_size) == (100, 32)
    assert (recipe.learning_rate, recipe.momentum) == (0.01, 0.9)


def test_multiclass_recipe_corrects_it():
    recipe = RECIPES["multiclass"]
    assert (recipe.target, recipe.validation) == ("onehot", "split")
    assert recipe.units == (16, 8)  # wider than the article's: the seed study's verdict
    assert recipe.class_names == ("setosa", "versicolor", "virginica")


def test_overrides_and_none_keeps_default():
    recipe = get_recipe("article", epochs=7, momentum=None, positive_class="setosa")
    assert recipe.epochs == 7 and recipe.momentum == 0.9
    assert recipe.class_names == ("not setosa", "setosa")


@pytest.mark.parametrize(
    "name, overrides, match",
    [
        pytest.param("binary", {}, "recipe='binary'", id="recipe"),
        pytest.param("article", {"epochs": 0}, "epochs=0", id="epochs"),
        pytest.param("article", {"batch_size": 1.5}, "batch_size=1.5", id="batch"),
        pytest.param("article", {"learning_rate": -1.0}, "learning_rate=-1.0", id="lr"),
        pytest.param("article", {"momentum": 1.5}, "momentum=1.5", id="momentum"),
        pytest.param(
            "article", {"positive_class": "tulip"}, "positive_class='tulip'", id="species"
        ),
        pytest.param("article", {"units": ()}, "at least one hidden layer", id="units-empty"),
        pytest.param("article", {"optimizer": "adam"}, "override='optimizer'", id="unknown-field"),
        pytest.param(
            "article",
            {"target": "sparse"},
            "`target`, expected one of 'binary', 'onehot'",
            id="target",
        ),
        pytest.param(
            "article", {"validation": "holdout"}, "`validation`.*'test', 'split'", id="validation"
        ),
        pytest.param(
            "multiclass",
            {"validation_size": 0},
            r"`validation_size`, expected a number in \(0, 1\)",
            id="validation-size",
        ),
        pytest.param("article", {"test_size": 1.0}, r"`test_size`.*\(0, 1\)", id="test-size"),
        pytest.param("article", {"momentum": -0.1}, r"`momentum`.*\[0, 1\)", id="momentum-neg"),
        pytest.param("article", {"seed": -1}, "`seed`, expected an integer >= 0", id="seed"),
        pytest.param("article", {"units": (4, 0)}, "`units`.*Received: units=0", id="units-zero"),
        pytest.param(
            "article", {"epochs": 2.0}, "`epochs`, expected a positive", id="epochs-float"
        ),
    ],
)
def test_bad_recipes(name, overrides, match):
    with pytest.raises(UsageError, match=match):
        get_recipe(name, **overrides)


@pytest.mark.parametrize("positive_class", ["setosa", "versicolor", "virginica"])
def test_labels_follow_the_positive_class(positive_class):
    """A binary recipe labels 1 exactly the flowers of its species, in every split."""
    from iris_keras.datasets import iris
    from iris_keras.recipes import split_for

    recipe = get_recipe("article", positive_class=positive_class, seed=3, test_size=0.3)
    (_, y_fit), _, (_, y_test) = split_for(recipe)
    (_, species_fit), (_, species_test) = iris.load_data(target="sparse", seed=3, test_size=0.3)
    index = iris.SPECIES.index(positive_class)
    np.testing.assert_array_equal(y_fit, species_fit == index)
    np.testing.assert_array_equal(y_test, species_test == index)
    assert recipe.class_names == (f"not {positive_class}", positive_class)


def test_multiclass_validation_comes_out_of_the_training_split():
    from iris_keras.datasets import iris
    from iris_keras.recipes import split_for

    recipe = get_recipe("multiclass", validation_size=0.25, seed=4)
    (x_fit, _), (x_val, y_val), (x_test, _) = split_for(recipe)
    (x_train, _), (x_test_expected, _) = iris.load_data(target="onehot", seed=4)
    assert (len(x_fit), len(x_val)) == (90, 30)
    np.testing.assert_array_equal(x_test, x_test_expected)
    training_rows = {row.tobytes() for row in x_train}
    assert all(row.tobytes() in training_rows for row in np.concatenate([x_fit, x_val]))
    assert y_val.sum(axis=0).tolist() == [10, 10, 10]


def test_units_given_as_a_list_are_kept_as_a_tuple():
    recipe = get_recipe("article", units=[5, 2])  # a list from a caller, e.g. JSON
    assert recipe.units == (5, 2) and isinstance(recipe.units, tuple)
    assert recipe.as_dict()["units"] == [5, 2]
