"""The seed study's grid: which variants of the two recipes it trains.

A variant is a recipe with three fields pinned: the positive class (article
recipe), `standardize`, and the hidden `units`. The grid is the article
recipe for each of the three species and the multiclass recipe, with and
without standardization, with the article's (4, 3) hidden layers and a wider
(16, 8) network: 16 variants. (16, 8) keeps the article's depth and its
narrowing shape and only widens it, four times the first layer: one dead
unit can no longer cut the only path to the head, and the model stays tiny
(225 to 243 weights, against 39 to 47) and as fast to train.

A seed fixes everything random in a run: the train/test split, the initial
weights and each epoch's shuffle (`get_recipe(name, seed=seed)`).

>>> [variant.name for variant in study_variants()][-4:]
['multiclass-std-4x3', 'multiclass-std-16x8', 'multiclass-raw-4x3', 'multiclass-raw-16x8']
"""

import dataclasses

from iris_keras.datasets.iris import SPECIES
from iris_keras.errors import check_choice, check_positive_int, invalid
from iris_keras.model import HIDDEN_UNITS
from iris_keras.recipes import RECIPES, get_recipe

ARTICLE_UNITS = HIDDEN_UNITS
WIDE_UNITS = (16, 8)


@dataclasses.dataclass(frozen=True)
class Variant:
    """A recipe with its positive class, standardization and hidden widths pinned.

    Attributes:
        recipe: `"article"` or `"multiclass"`.
        positive_class: the species of the article's binary target; `None`
            for the multiclass recipe.
        standardize: whether the model standardizes its inputs.
        units: the hidden layer widths, e.g. `(4, 3)`.
    """

    recipe: str
    positive_class: str | None
    standardize: bool
    units: tuple

    def __post_init__(self):
        check_choice("recipe", self.recipe, tuple(RECIPES))
        if self.recipe == "article":
            check_choice("positive_class", self.positive_class, SPECIES)
        elif self.positive_class is not None:
            raise invalid("positive_class", "None for the multiclass recipe", self.positive_class)
        object.__setattr__(
            self, "units", tuple(check_positive_int("units", width) for width in self.units)
        )

    @property
    def name(self):
        """E.g. `"article-virginica-std-4x3"` or `"multiclass-raw-16x8"`."""
        parts = [self.recipe, self.positive_class, "std" if self.standardize else "raw"]
        parts.append("x".join(str(width) for width in self.units))
        return "-".join(part for part in parts if part)

    def to_recipe(self, *, seed, epochs=None):
        """The `Recipe` of this variant's run with `seed` (and `epochs`, if given)."""
        return get_recipe(
            self.recipe,
            positive_class=self.positive_class,
            standardize=self.standardize,
            units=self.units,
            seed=seed,
            epochs=epochs,
        )

    @property
    def is_shipped(self):
        """Whether this variant is the recipe exactly as `get_recipe(recipe)` ships it."""
        shipped = RECIPES[self.recipe]
        return (
            self.standardize == shipped.standardize
            and self.units == shipped.units
            and (self.positive_class or shipped.positive_class) == shipped.positive_class
        )


def study_variants(*, units=(ARTICLE_UNITS, WIDE_UNITS)):
    """The study's grid: each recipe and species, standardized or not, each width.

    Args:
        units: the hidden widths to compare. Defaults to `((4, 3), (16, 8))`.

    Returns:
        A list of `Variant`, 16 with the default `units`: the article recipe
        for setosa, versicolor, virginica, then multiclass; within each,
        standardized then raw inputs; within those, each width in turn.
    """
    targets = [("article", species) for species in SPECIES] + [("multiclass", None)]
    return [
        Variant(recipe, positive_class, standardize, widths)
        for recipe, positive_class in targets
        for standardize in (True, False)
        for widths in units
    ]


def recipe_config(recipe):
    """A fingerprint of every field of `recipe` but its seed: 12 hex digits.

    A resumed study compares it with the recorded rows', so runs made with
    other hyperparameters (another learning rate, a recipe changed since)
    are never mixed with new ones.

    Example:
    >>> recipe_config(get_recipe("article", seed=1)) == recipe_config(get_recipe("article"))
    True
    """
    import hashlib
    import json

    fields = recipe.as_dict()
    fields.pop("seed")
    return hashlib.sha256(json.dumps(fields, sort_keys=True).encode()).hexdigest()[:12]
