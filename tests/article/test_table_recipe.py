"""Both recipes on a learner's table: the table decides inputs and head, the recipe the rest."""

import dataclasses
import json

import numpy as np
import pytest

from iris_keras.errors import UsageError
from iris_keras.recipes import RECIPES, build_for, get_recipe, split_for

IRIS_FIELDS = {
    "name",
    "target",
    "positive_class",
    "validation",
    "validation_size",
    "units",
    "standardize",
    "epochs",
    "batch_size",
    "learning_rate",
    "momentum",
    "test_size",
    "seed",
}


def write_table(path, counts, *, header="size,weight,kind"):
    """A two-feature CSV with `counts[name]` rows of each class `name`."""
    lines = [header]
    for index, (name, count) in enumerate(counts.items()):
        lines += [f"{index + row / 10:.1f},{row % 3}.5,{name}" for row in range(count)]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


@pytest.fixture
def three(tmp_path):
    return write_table(tmp_path / "three.csv", {"a": 10, "b": 10, "c": 10})


@pytest.fixture
def two(tmp_path):
    return write_table(tmp_path / "two.csv", {"no": 10, "yes": 10})


def test_three_classes_give_a_softmax_and_the_recipe_keeps_its_network(three):
    article = get_recipe("article", data=str(three), target_column="kind")
    assert (article.target, article.positive_class) == ("onehot", None)
    assert (article.units, article.validation, article.learning_rate) == ((4, 3), "test", 0.01)
    assert article.class_names == ("a", "b", "c")
    assert article.feature_names == ("size", "weight") and article.data == str(three.resolve())
    multiclass = get_recipe("multiclass", data=three, target_column="kind")
    assert (multiclass.units, multiclass.validation) == ((16, 8), "split")


def test_two_classes_give_one_sigmoid_unit_for_either_recipe(two):
    for name in RECIPES:
        recipe = get_recipe(name, data=two, target_column="kind")
        assert (recipe.target, recipe.positive_class, recipe.class_names) == (
            "binary",
            "yes",
            ("no", "yes"),
        )


def test_a_positive_class_tells_one_class_from_the_rest(three):
    recipe = get_recipe("multiclass", data=three, target_column="kind", positive_class="b")
    assert (recipe.target, recipe.class_names) == ("binary", ("not b", "b"))
    (_, y_fit), (_, y_val), (_, y_test) = split_for(recipe)
    assert y_fit.ndim == 1 and y_test.sum() == 2 and y_val.sum() == 2  # 10 b: 6 fit, 2 and 2


def test_a_recipe_on_a_table_builds_the_network_the_data_asks_for(three):
    from iris_keras.datasets.model_names import names_of

    recipe = get_recipe("article", data=three, target_column="kind")
    (x_fit, _), _, (_, y_test) = split_for(recipe)
    model = build_for(recipe, x_fit)
    assert model.input_shape == (None, 2) and model.output_shape == (None, 3)
    assert [layer.units for layer in model.layers if hasattr(layer, "units")] == [4, 3, 3]
    names = names_of(model.name, 3)
    assert (names.target, names.feature_names, names.class_names) == (
        "kind",
        ("size", "weight"),
        ("a", "b", "c"),
    )
    assert y_test.shape == (6, 3)


def test_an_iris_recipe_is_recorded_as_it_always_was():
    """No table field in an iris recipe's record: the seed study's fingerprints hold."""
    assert set(get_recipe("article").as_dict()) == IRIS_FIELDS
    assert get_recipe("multiclass").as_dict()["positive_class"] == "virginica"


def test_a_table_recipe_is_a_plain_value(three):
    recipe = get_recipe("multiclass", data=three, target_column="kind", seed=5)
    fields = json.loads(json.dumps(recipe.as_dict()))
    assert fields["table_classes"] == ["a", "b", "c"] and fields["target_column"] == "kind"
    assert dataclasses.replace(recipe, seed=6).seed == 6
    assert recipe.load_data_kwargs() == {
        "path": str(three.resolve()),
        "target": "kind",
        "positive_class": None,
        "test_size": 0.2,
        "seed": 5,
    }


def test_a_class_too_small_for_the_validation_split_is_refused_at_once(tmp_path):
    path = write_table(tmp_path / "small.csv", {"a": 10, "b": 10, "c": 2})
    assert get_recipe("article", data=path, target_column="kind").target == "onehot"
    with pytest.raises(UsageError, match="class 'c' has 1 row in the training split"):
        get_recipe("multiclass", data=path, target_column="kind")


@pytest.mark.parametrize(
    "overrides, match",
    [
        pytest.param({"target_column": "kind"}, "target_column='kind'", id="target-no-data"),
        pytest.param({"data": "t.csv"}, "`target_column`, expected the name", id="data-only"),
        pytest.param(
            {"data": "t.csv", "target_column": "kind", "positive_class": "d"},
            "positive_class='d'",
            id="not-a-class",
        ),
    ],
)
def test_bad_table_recipes(three, overrides, match, monkeypatch):
    monkeypatch.chdir(three.parent)
    if "data" in overrides:
        overrides = {**overrides, "data": three.name}
    with pytest.raises(UsageError, match=match):
        get_recipe("article", **overrides)


def test_fields_a_table_decides_must_agree(three):
    recipe = get_recipe("article", data=three, target_column="kind")
    with pytest.raises(UsageError, match="`target`, expected 'binary' for two classes"):
        dataclasses.replace(recipe, positive_class="a", target="onehot")
    with pytest.raises(UsageError, match="`data`, expected a table with features"):
        dataclasses.replace(recipe, feature_names=())
    np.testing.assert_array_equal(recipe.feature_names, ("size", "weight"))
