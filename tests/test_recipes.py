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
    ],
)
def test_bad_recipes(name, overrides, match):
    with pytest.raises(UsageError, match=match):
        get_recipe(name, **overrides)
