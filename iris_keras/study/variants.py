"""The grids' points: which variants of the two recipes the study and the sweep train.

A variant is a recipe with some fields pinned: the positive class (article
recipe), `standardize`, the hidden `units`, and, for the sweep, SGD's
`learning_rate` and `momentum` and the `batch_size` (left `None`, the
recipe's own).

The seed study's grid is the article recipe for each of the three species
and the multiclass recipe, with and without standardization, with the
article's (4, 3) hidden layers and a wider (16, 8) network: 16 variants.
(16, 8) keeps the article's depth and its narrowing shape and only widens
it, four times the first layer: one dead unit can no longer cut the only
path to the head, and the model stays tiny (225 to 243 weights, against 39
to 47) and as fast to train.

The sweep's grid (`sweep_variants`) is each recipe as shipped, at every
learning rate, momentum and batch size of its axes: 2 x 6 x 5 x 5 = 300
variants.

A seed fixes everything random in a run: the train/test split, the initial
weights and each epoch's shuffle (`get_recipe(name, seed=seed)`).

On a learner's table (`grid.table_recipes`: each recipe on the file, as
`iris-keras train --data` makes it) both grids are the same, each point a `Variant` with
its `table`: the table decides the inputs and the head, so its study is each
recipe, standardized or raw, at each width (8 variants), and its sweep each
recipe as shipped on the table at every point of the axes. A table's
variants are named without their positive class, which is the table's:
`article-std-4x3`, `multiclass-std-16x8-lr0.1-m0.5-b8`.

>>> [variant.name for variant in study_variants()][-4:]
['multiclass-std-4x3', 'multiclass-std-16x8', 'multiclass-raw-4x3', 'multiclass-raw-16x8']
>>> sweep_variants(learning_rates=[0.01], momenta=[0.9], batch_sizes=[32])[0].name
'article-virginica-std-4x3-lr0.01-m0.9-b32'
"""

import dataclasses

from iris_keras.datasets.iris import SPECIES
from iris_keras.errors import check_choice, check_positive_int, invalid
from iris_keras.model import HIDDEN_UNITS
from iris_keras.recipes import RECIPES, Recipe, get_recipe

ARTICLE_UNITS = HIDDEN_UNITS
WIDE_UNITS = (16, 8)
# The sweep's axes (`iris-keras sweep`): around the article's SGD(0.01, momentum 0.9)
# and batches of 32, from ten times smaller to thirty times larger steps.
SWEEP_LEARNING_RATES = (0.001, 0.003, 0.01, 0.03, 0.1, 0.3)
SWEEP_MOMENTA = (0.0, 0.5, 0.9, 0.95, 0.99)
SWEEP_BATCH_SIZES = (8, 16, 32, 64, 120)
SWEEP_AXES = {
    "recipes": tuple(RECIPES),
    "learning_rates": SWEEP_LEARNING_RATES,
    "momenta": SWEEP_MOMENTA,
    "batch_sizes": SWEEP_BATCH_SIZES,
}
SWEEP_SEEDS = 20  # per grid point
SWEEP_EPOCHS = 200  # the curves answer for any number of epochs up to these


@dataclasses.dataclass(frozen=True)
class Variant:
    """A recipe with its positive class, standardization and hidden widths pinned.

    Attributes:
        recipe: `"article"` or `"multiclass"`.
        positive_class: the species of the article's binary target; `None`
            for the multiclass recipe. On a table: the table's, `table.positive_class`.
        standardize: whether the model standardizes its inputs.
        units: the hidden layer widths, e.g. `(4, 3)`.
        learning_rate, momentum, batch_size: SGD's step size and momentum
            and the flowers per step, or `None` for the recipe's own.
        table: the recipe `recipe` on a learner's table, as
            `grid.table_recipes` makes it, or `None` for iris.
    """

    recipe: str
    positive_class: str | None
    standardize: bool
    units: tuple
    learning_rate: float | None = None
    momentum: float | None = None
    batch_size: int | None = None
    table: Recipe | None = None

    def __post_init__(self):
        check_choice("recipe", self.recipe, tuple(RECIPES))
        if self.table is not None:
            if self.table.name != self.recipe or self.table.data is None:
                expected = f"the {self.recipe} recipe on a table (`grid.table_recipes`)"
                raise invalid("table", expected, self.table.name)
            if self.positive_class != self.table.positive_class:
                expected = f"the table's, {self.table.positive_class!r}"
                raise invalid("positive_class", expected, self.positive_class)
        elif self.recipe == "article":
            check_choice("positive_class", self.positive_class, SPECIES)
        elif self.positive_class is not None:
            raise invalid("positive_class", "None for the multiclass recipe", self.positive_class)
        object.__setattr__(
            self, "units", tuple(check_positive_int("units", width) for width in self.units)
        )
        self.to_recipe(seed=0)  # a bad learning rate, momentum or batch size, in one line

    @property
    def name(self):
        """E.g. `"article-virginica-std-4x3"`, `"multiclass-raw-16x8-lr0.1-m0.5-b8"`."""
        target = self.positive_class if self.table is None else None  # a table's is the table's
        return _name(self.recipe, target, self.standardize, self.units, self.hyperparameters)

    @property
    def hyperparameters(self):
        """`(learning_rate, momentum, batch_size)` as pinned, `None` for the recipe's."""
        return self.learning_rate, self.momentum, self.batch_size

    def to_recipe(self, *, seed, epochs=None):
        """The `Recipe` of this variant's run with `seed` (and `epochs`, if given).

        On a table, the variant's `table` recipe with its fields pinned: the
        file is not read again.
        """
        pinned = {
            "standardize": self.standardize,
            "units": self.units,
            "learning_rate": self.learning_rate,
            "momentum": self.momentum,
            "batch_size": self.batch_size,
            "seed": seed,
            "epochs": epochs,
        }
        if self.table is None:
            return get_recipe(self.recipe, positive_class=self.positive_class, **pinned)
        given = {field: value for field, value in pinned.items() if value is not None}
        return dataclasses.replace(self.table, **given)

    @property
    def is_shipped(self):
        """Whether this variant is the recipe as `get_recipe(recipe)` ships it (on its table)."""
        shipped = RECIPES[self.recipe]
        pinned = zip(
            self.hyperparameters,
            (shipped.learning_rate, shipped.momentum, shipped.batch_size),
            strict=True,
        )
        return (
            self.standardize == shipped.standardize
            and self.units == shipped.units
            and (
                self.table is not None  # the table decides the positive class
                or (self.positive_class or shipped.positive_class) == shipped.positive_class
            )
            and all(value is None or value == own for value, own in pinned)
        )


def study_variants(*, units=(ARTICLE_UNITS, WIDE_UNITS), tables=None):
    """The study's grid: each recipe and species, standardized or not, each width.

    Args:
        units: the hidden widths to compare. Defaults to `((4, 3), (16, 8))`.
        tables: each recipe on a learner's table (`grid.table_recipes`), or
            `None` for iris. Defaults to `None`.

    Returns:
        A list of `Variant`, 16 with the default `units`: the article recipe
        for setosa, versicolor, virginica, then multiclass; within each,
        standardized then raw inputs; within those, each width in turn. On a
        table, 8: each recipe of `tables` in turn, for the table's target.
    """
    targets: list[tuple[str, str | None, Recipe | None]]
    if tables is None:
        targets = [("article", species, None) for species in SPECIES]
        targets.append(("multiclass", None, None))
    else:
        targets = [(name, recipe.positive_class, recipe) for name, recipe in tables.items()]
    return [
        Variant(recipe, positive_class, standardize, widths, table=table)
        for recipe, positive_class, table in targets
        for standardize in (True, False)
        for widths in units
    ]


def study_names(*, on_table=False):
    """The names of the study's variants with the default widths: on iris, or on any table.

    A table's names do not depend on the table (`Variant.name`), so the
    command line can check `--variant` before reading any file.

    Example:
    >>> len(study_names()), study_names(on_table=True)[:3]
    (16, ['article-std-4x3', 'article-std-16x8', 'article-raw-4x3'])
    """
    if not on_table:
        return [variant.name for variant in study_variants()]
    return [
        _name(recipe, None, standardize, widths)
        for recipe in RECIPES
        for standardize in (True, False)
        for widths in (ARTICLE_UNITS, WIDE_UNITS)
    ]


def _name(recipe, target, standardize, units, hyperparameters=(None, None, None)):
    """A variant's name from its parts; `None` parts (target, hyperparameters) left out."""
    parts = [recipe, target, "std" if standardize else "raw", "x".join(map(str, units))]
    for prefix, value in zip(("lr", "m", "b"), hyperparameters, strict=True):
        if value is not None:
            parts.append(f"{prefix}{value:g}")
    return "-".join(part for part in parts if part)


def sweep_variants(
    *,
    recipes=tuple(RECIPES),
    learning_rates=SWEEP_LEARNING_RATES,
    momenta=SWEEP_MOMENTA,
    batch_sizes=SWEEP_BATCH_SIZES,
    tables=None,
):
    """The sweep's grid: each recipe as shipped, at every learning rate, momentum and batch size.

    Args:
        recipes: the recipes' names. Defaults to `("article", "multiclass")`.
        learning_rates: SGD's step sizes. Defaults to `SWEEP_LEARNING_RATES`.
        momenta: SGD's momenta. Defaults to `SWEEP_MOMENTA`.
        batch_sizes: flowers per step. Defaults to `SWEEP_BATCH_SIZES`.
        tables: each recipe on a learner's table (`grid.table_recipes`), or
            `None` for iris. Defaults to `None`.

    Returns:
        A list of `Variant`, 300 with the defaults: per recipe, per batch
        size, per learning rate, each momentum in turn.

    Raises:
        UsageError: an unknown recipe, a bad value, or an empty or repeated axis.
    """
    axes = {
        "recipes": recipes,
        "learning_rates": learning_rates,
        "momenta": momenta,
        "batch_sizes": batch_sizes,
    }
    for name, values in axes.items():
        if not values or len(set(values)) != len(values):
            raise invalid(name, "one value or more, each once", list(values))
    grid = []
    for recipe in recipes:
        shipped = RECIPES[check_choice("recipe", recipe, tuple(RECIPES))]
        table = None if tables is None else tables[recipe]
        target = shipped if table is None else table  # a table decides its target
        positive_class = target.positive_class if target.target == "binary" else None
        shape = (shipped.standardize, shipped.units)
        grid += [
            Variant(recipe, positive_class, *shape, rate, momentum, size, table=table)
            for size in batch_sizes
            for rate in learning_rates
            for momentum in momenta
        ]
    return grid


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
